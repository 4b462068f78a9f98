package io.lvs4j.forwarder;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.SchedulerFlags;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.CommandLines;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.VirtualServerSpec;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.ConfigDiagnostics;
import io.lvs4j.vrrp.conf.ConfigNode;
import io.lvs4j.vrrp.conf.ConfigValues;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Maps a parsed {@code keepalived.conf} to what the forwarder runs: lvs-core virtual services with their real
 * servers, lvs-health {@link VirtualServerSpec}s, and the VRRP part, with every problem as a
 * {@link ConfigDiagnostic} at its file and line.
 *
 * <p>What it reads, as keepalived reads it (spec keepalived.md §1.2-§1.8, §2.2, §2.3; keepalived's
 * {@code check_parser.c}, {@code check_data.c}):
 * <ul>
 *   <li>{@code virtual_server IP PORT}, {@code virtual_server group NAME} (one service per address and port of
 *       the {@code virtual_server_group}); every {@code virtual_server} and {@code real_server} keyword and
 *       every checker block, with keepalived's defaults: {@code lb_algo} wlc and {@code lb_kind} NAT, each with
 *       keepalived's warning when not set; protocol TCP; a bare {@code persistence_timeout} is 360 s;
 *       {@code persistence_granularity} turns persistence on; {@code sh-}/{@code mh-} flags count only after
 *       {@code lb_algo sh}/{@code mh}, as in keepalived; {@code ops} only for UDP; real server weight from the
 *       virtual server's {@code weight} (1); a NAT real server without a port takes the virtual server's, a DR or
 *       TUN one is forced to it; duplicated real servers are dropped.</li>
 *   <li>Keywords a block does not have: {@code Unknown keyword 'x'}, a warning, as keepalived reports them.</li>
 * </ul>
 *
 * <p>What user space cannot do is reported, never silently dropped: {@code virtual_server fwmark N} and firewall
 * mark members of a group are errors, as are SCTP services; a port-0 (every port) service is a warning, for
 * it is served only on the forwarder's catch-all ports; {@code lb_kind DR}/{@code TUN} are warnings, for such
 * services are forwarded as NAT (the forwarder proxies every connection), and the table shows them as
 * {@code Masq}.
 *
 * <p>Severity: an error means a value could not be read or a service cannot be served as written (the forwarder
 * refuses to start with it, {@code --config-test} fails); a warning is what keepalived tolerates or adjusts.
 * Stateless; each {@link #map} call is independent.
 */
public final class ConfigMapper {
    /** The schedulers keepalived accepts for {@code lb_algo}/{@code lvs_sched}. */
    static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf",
            "lblcr", "sed", "nq", "twos");

    /** Top-level keywords of keepalived.conf that other parts (VRRP, globals) own. */
    private static final Set<String> OTHER_TOP_LEVEL = Set.of("global_defs", "linkbeat_interfaces",
            "interface_up_down_delays", "static_ipaddress", "static_routes", "static_rules", "static_track_group",
            "track_file", "vrrp_track_process", "bfd_instance", "vrrp_script", "vrrp_sync_group", "garp_group",
            "vrrp_instance", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance",
            "use_pid_dir", "linkbeat_use_polling", "child_wait_time", "use_symlink_paths");

    private static final long UINT_MAX = 4_294_967_295L;
    private static final int MAX_WEIGHT = RealServerOptions.MAX_WEIGHT;

    private final KeepalivedConfig config;
    private final ConfigDiagnostics out;
    private final VirtualServerGroups groups;
    private final CheckerReader checkers;
    private final Set<String> reported = new HashSet<>();

    private ConfigMapper(KeepalivedConfig config) {
        this.config = config;
        this.out = new ConfigDiagnostics(config.diagnostics());
        this.groups = new VirtualServerGroups(out);
        this.checkers = new CheckerReader(out);
    }

    /**
     * Maps {@code config}. Never throws for bad content: every problem is a diagnostic of the result, after the
     * parser's own.
     */
    public static ForwarderConfig map(KeepalivedConfig config) {
        return new ConfigMapper(config).run();
    }

    private ForwarderConfig run() {
        for (ConfigNode root : config.roots()) {
            switch (root.keyword()) {
                case "virtual_server_group" -> groups.read(root);
                case "SSL" -> readSsl(root);
                case "virtual_server" -> {
                    // second pass
                }
                default -> {
                    if (!OTHER_TOP_LEVEL.contains(root.keyword())) {
                        out.warning(root, "Unknown keyword '" + root.keyword() + "'");
                    }
                }
            }
        }
        Map<ServiceKey, VirtualServiceConfig> services = new LinkedHashMap<>();
        for (ConfigNode root : config.roots("virtual_server")) {
            for (VirtualServiceConfig svc : readVirtualServer(root)) {
                VirtualServiceConfig earlier = services.get(svc.key());
                if (earlier != null) {
                    out.error(root, "virtual_server " + svc.key() + " is already defined at " + earlier.source()
                            + " - ignoring this one");
                    continue;
                }
                services.put(svc.key(), svc);
            }
        }
        VrrpBridge.Part vrrp = VrrpBridge.read(config, out);
        return new ForwarderConfig(config, List.copyOf(services.values()), dedupe(out.all()), vrrp);
    }

    /**
     * The diagnostics without repeats, in file and line order (files in the order they were first reported,
     * the order found within a line).
     */
    private static List<ConfigDiagnostic> dedupe(List<ConfigDiagnostic> all) {
        List<ConfigDiagnostic> list = new ArrayList<>(new LinkedHashSet<>(all));
        Map<java.nio.file.Path, Integer> files = new LinkedHashMap<>();
        for (ConfigDiagnostic d : list) {
            files.putIfAbsent(d.file(), files.size());
        }
        list.sort(java.util.Comparator.<ConfigDiagnostic>comparingInt(d -> files.get(d.file()))
                .thenComparingInt(ConfigDiagnostic::line));
        return List.copyOf(list);
    }

    private void readSsl(ConfigNode block) {
        for (ConfigNode n : block.children()) {
            switch (n.keyword()) {
                case "password", "ca" -> ConfigValues.string(n, out);
                case "certificate", "key" -> {
                    if (ConfigValues.string(n, out).isPresent()) {
                        out.warning(n, "SSL " + n.keyword() + ": lvs4j's SSL_GET presents no client certificate"
                                + " - ignoring");
                    }
                }
                default -> out.warning(n, "Unknown keyword '" + n.keyword() + "'");
            }
        }
    }

    // ------------------------------------------------------------------ virtual_server

    /** A {@code virtual_server} block as read, before it is turned into services. */
    private static final class VirtualServer {
        ConfigNode node;
        String label;
        Protocol protocol;
        String scheduler;
        int flags;
        boolean ops;
        ConfigNode opsNode;
        String forwarding;
        Integer persistence;
        String granularity;
        ConfigNode granularityNode;
        Integer family;
        Duration delayLoop;
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        boolean alpha;
        boolean omega;
        boolean inhibit;
        int quorum = 1;
        int hysteresis;
        String quorumUp;
        String quorumDown;
        int weight = 1;
        String virtualhost;
        InetAddress sorryAddress;
        int sorryPort;
        String sorryForwarding;
        boolean sorryInhibit;
        ConfigNode sorryNode;
        final List<RealServer> realServers = new ArrayList<>();
    }

    /** A {@code real_server} block as read. */
    private static final class RealServer {
        ConfigNode node;
        InetAddress address;
        int port;
        Integer weight;
        String forwarding;
        long upper;
        long lower;
        Boolean inhibit;
        String notifyUp;
        String notifyDown;
        Boolean alpha;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;
        Duration connectTimeout;
        String virtualhost;
        final List<CheckerSpec> checkers = new ArrayList<>();
    }

    private List<VirtualServiceConfig> readVirtualServer(ConfigNode node) {
        List<String> args = node.args();
        if (args.isEmpty()) {
            out.error(node, "virtual_server needs an address and a port, 'fwmark N' or 'group NAME' - ignoring");
            return List.of();
        }
        String p1 = args.get(0);
        String p2 = args.size() > 1 ? args.get(1) : null;
        List<VirtualServerGroups.Member> members = new ArrayList<>();
        VirtualServer vs = new VirtualServer();
        vs.node = node;
        boolean serve = true;
        if (p1.equals("fwmark")) {
            out.error(node, "virtual_server fwmark " + (p2 == null ? "" : p2) + ": firewall-mark services need the"
                    + " kernel's IPVS (packets marked by netfilter); the user-space forwarder cannot serve them"
                    + " - ignoring this virtual_server");
            vs.label = "FWM " + p2;
            serve = false;
        } else if (p1.equals("group")) {
            vs.label = "[" + p2 + "]";
            VirtualServerGroups.Group g = p2 == null ? null : groups.group(p2);
            if (g == null) {
                out.error(node, "virtual_server group " + (p2 == null ? "" : p2)
                        + ": no virtual_server_group of that name - ignoring this virtual_server");
                serve = false;
            } else {
                members.addAll(groups.expand(g, node));
            }
        } else {
            InetAddress address = IpAddresses.parse(p1);
            int port = 0;
            boolean ok = address != null;
            if (ok && p2 != null && !p2.chars().allMatch(ch -> ch == '0')) {
                OptionalLong v = parsePort(p2);
                ok = v.isPresent();
                port = ok ? (int) v.getAsLong() : 0;
            }
            if (!ok) {
                out.error(node, "Invalid virtual server IP address" + (p2 != null ? "/port " + p1 + "/" + p2 : " " + p1)
                        + " - skipping");
                return List.of();
            }
            vs.label = Addresses.format(address, port);
            members.add(new VirtualServerGroups.Member(address, port, node));
            vs.family = address instanceof Inet6Address ? 6 : 4;
        }
        if (args.size() > 2) {
            out.warning(node, "virtual_server: extra words '" + String.join(" ", args.subList(2, args.size()))
                    + "' - ignoring");
        }
        readVirtualServerBlock(vs);
        if (!serve) {
            return List.of();
        }
        return services(vs, members);
    }

    private static OptionalLong parsePort(String p) {
        if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        int v = Integer.parseInt(p);
        return v >= 1 && v <= 65535 ? OptionalLong.of(v) : OptionalLong.empty();
    }

    private void readVirtualServerBlock(VirtualServer vs) {
        for (ConfigNode n : vs.node.children()) {
            switch (n.keyword()) {
                case "ip_family" -> {
                    Optional<String> v = ConfigValues.string(n, out);
                    if (v.isPresent()) {
                        int f = v.get().equals("inet") ? 4 : v.get().equals("inet6") ? 6 : 0;
                        if (f == 0) {
                            out.error(n, "unknown address family " + v.get() + "; accepted: inet, inet6");
                        } else if (vs.family != null && vs.family != f) {
                            out.error(n, "Virtual server specified family " + v.get() + " conflicts with server family");
                        } else {
                            vs.family = f;
                        }
                    }
                }
                case "retry" -> {
                    OptionalLong v = ConfigValues.integer(n, 1, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        vs.retry = (int) v.getAsLong();
                    }
                }
                case "delay_before_retry" -> ConfigValues.timer(n, 0, Duration.ZERO, null, out)
                        .ifPresent(d -> vs.delayBeforeRetry = d);
                case "warmup" -> ConfigValues.timer(n, 0, Duration.ZERO, null, out).ifPresent(d -> vs.warmup = d);
                case "connect_timeout" -> ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out)
                        .ifPresent(d -> vs.connectTimeout = d);
                case "delay_loop" -> ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out)
                        .ifPresent(d -> vs.delayLoop = d);
                case "inhibit_on_failure" -> ConfigValues.bool(n, out).ifPresent(b -> vs.inhibit = b);
                case "lb_algo", "lvs_sched" -> {
                    Optional<String> v = ConfigValues.string(n, out);
                    if (v.isPresent()) {
                        if (SCHEDULERS.contains(v.get())) {
                            vs.scheduler = v.get();
                        } else {
                            out.error(n, "Invalid lvs_scheduler '" + v.get() + "' - ignoring; accepted: "
                                    + "rr, wrr, lc, wlc, lblc, sh, mh, dh, fo, ovf, lblcr, sed, nq, twos");
                        }
                    }
                }
                case "hashed", "ops", "flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback" ->
                        schedulerFlag(vs, n);
                case "lb_kind", "lvs_method" -> {
                    String f = forwarding(n, "virtual");
                    if (f != null) {
                        vs.forwarding = f;
                    }
                }
                case "persistence_engine" -> {
                    if (ConfigValues.string(n, out).isPresent()) {
                        out.warning(n, "persistence_engine " + n.args().get(0) + " is not supported by lvs4j"
                                + " - ignoring (persistence, if set, is by client address)");
                    }
                }
                case "persistence_timeout" -> {
                    if (n.args().isEmpty()) {
                        vs.persistence = ServiceOptions.DEFAULT_PERSISTENCE_TIMEOUT;
                    } else if (n.args().get(0).equals("0")) {
                        out.warning(n, "persistence_timeout invalid - 0 is not a timeout; leave persistence_timeout"
                                + " out for a service without persistence");
                    } else {
                        OptionalLong v = ConfigValues.integer(n, 1, ServiceOptions.MAX_PERSISTENCE_TIMEOUT, out);
                        if (v.isPresent()) {
                            vs.persistence = (int) v.getAsLong();
                        }
                    }
                }
                case "persistence_granularity" -> {
                    Optional<String> v = ConfigValues.string(n, out);
                    if (v.isPresent()) {
                        vs.granularity = v.get();
                        vs.granularityNode = n;
                        if (vs.persistence == null) {
                            vs.persistence = ServiceOptions.DEFAULT_PERSISTENCE_TIMEOUT;
                        }
                    }
                }
                case "protocol" -> {
                    Optional<String> v = ConfigValues.string(n, out);
                    if (v.isPresent()) {
                        switch (v.get().toUpperCase(Locale.ROOT)) {
                            case "TCP" -> vs.protocol = Protocol.TCP;
                            case "UDP" -> vs.protocol = Protocol.UDP;
                            case "SCTP" -> vs.protocol = Protocol.SCTP;
                            default -> out.error(n, "Unknown protocol " + v.get() + " - ignoring; accepted: TCP, UDP,"
                                    + " SCTP");
                        }
                    }
                }
                case "ha_suspend" -> out.warning(n, "ha_suspend is not supported by lvs4j - ignoring (the checkers"
                        + " run whether or not the virtual address is on this host)");
                case "smtp_alert" -> ConfigValues.bool(n, out);
                case "snmp_name" -> ConfigValues.string(n, out);
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "virtual server virtualhost missing");
                    } else {
                        vs.virtualhost = n.args().get(0);
                    }
                }
                case "alpha" -> ConfigValues.bool(n, out).ifPresent(b -> vs.alpha = b);
                case "omega" -> ConfigValues.bool(n, out).ifPresent(b -> vs.omega = b);
                case "quorum_up" -> vs.quorumUp = script(n, vs.quorumUp);
                case "quorum_down" -> vs.quorumDown = script(n, vs.quorumDown);
                case "quorum" -> {
                    OptionalLong v = ConfigValues.integer(n, 1, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        vs.quorum = (int) v.getAsLong();
                    }
                }
                case "hysteresis" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        vs.hysteresis = (int) v.getAsLong();
                    }
                }
                case "weight" -> {
                    OptionalLong v = ConfigValues.integer(n, 1, MAX_WEIGHT, out);
                    if (v.isPresent()) {
                        vs.weight = (int) v.getAsLong();
                    }
                }
                case "sorry_server" -> sorryServer(vs, n);
                case "sorry_server_inhibit" -> {
                    if (vs.sorryNode == null) {
                        out.warning(n, "Ignoring sorry_server inhibit used before or without sorry_server");
                    } else {
                        ConfigValues.bool(n, out).ifPresent(b -> vs.sorryInhibit = b);
                    }
                }
                case "sorry_server_lvs_method" -> {
                    if (vs.sorryNode == null) {
                        out.warning(n, "sorry_server forwarding used without sorry_server");
                    } else {
                        String f = forwarding(n, "sorry");
                        if (f != null) {
                            vs.sorryForwarding = f;
                        }
                    }
                }
                case "real_server" -> {
                    RealServer rs = readRealServer(n);
                    if (rs != null) {
                        vs.realServers.add(rs);
                    }
                }
                default -> out.warning(n, "Unknown keyword '" + n.keyword() + "'");
            }
        }
    }

    /** keepalived's {@code lbflags_handler}: sh-/mh- flags count only when lb_algo sh/mh came before them. */
    private void schedulerFlag(VirtualServer vs, ConfigNode n) {
        String flag = n.keyword();
        switch (flag) {
            case "ops" -> {
                vs.ops = true;
                vs.opsNode = n;
            }
            case "flag-1" -> vs.flags |= SchedulerFlags.SCHED1;
            case "flag-2" -> vs.flags |= SchedulerFlags.SCHED2;
            case "flag-3" -> vs.flags |= SchedulerFlags.SCHED3;
            default -> {
                String sched = vs.scheduler == null ? "" : vs.scheduler;
                if (sched.equals("sh") && flag.startsWith("sh-") || sched.equals("mh") && flag.startsWith("mh-")) {
                    vs.flags |= flag.endsWith("-fallback") ? SchedulerFlags.SCHED1 : SchedulerFlags.SCHED2;
                } else if (!flag.equals("hashed") || !(sched.equals("sh") || sched.equals("mh"))) {
                    out.warning(n, flag + " only applies to " + (flag.startsWith("mh-") ? "mh" : "sh")
                            + " scheduler - ignoring" + (sched.isEmpty() ? " (no lb_algo before it)" : ""));
                }
            }
        }
    }

    /** {@code lb_kind}/{@code lvs_method}: NAT, DR, or TUN with its options; null when invalid. */
    private String forwarding(ConfigNode n, String what) {
        Optional<String> v = ConfigValues.string(n, out);
        if (v.isEmpty()) {
            return null;
        }
        String kind = v.get();
        if (!kind.equals("NAT") && !kind.equals("DR") && !kind.equals("TUN")) {
            out.error(n, "PARSER : unknown [" + kind + "] routing method for " + what + " server; accepted: NAT, DR,"
                    + " TUN");
            return null;
        }
        List<String> rest = n.args().subList(1, n.args().size());
        if (!rest.isEmpty() && !kind.equals("TUN")) {
            out.warning(n, n.keyword() + " " + kind + ": extra words '" + String.join(" ", rest) + "' - ignoring");
        }
        if (kind.equals("TUN")) {
            String type = "ipip";
            boolean portGiven = false;
            for (int i = 0; i < rest.size(); i++) {
                String w = rest.get(i);
                if (w.equals("type") && i + 1 < rest.size()) {
                    type = rest.get(++i);
                    if (!type.equals("ipip") && !type.equals("gue") && !type.equals("gre")) {
                        out.error(n, "Unknown tunnel type " + type + " for " + what + " server.");
                        return null;
                    }
                } else if (w.equals("port") && i + 1 < rest.size()) {
                    if (parsePort(rest.get(++i)).isEmpty()) {
                        out.error(n, "Invalid gue tunnel port " + rest.get(i) + " for " + what + " server.");
                        return null;
                    }
                    portGiven = true;
                } else if (!w.equals("nocsum") && !w.equals("csum") && !w.equals("remcsum")) {
                    out.error(n, "Invalid tunnel option " + w + " for " + what + " server.");
                    return null;
                }
            }
            if (type.equals("gue") != portGiven) {
                out.error(n, "gue tunnels require port, otherwise cannot have port.");
                return null;
            }
        }
        if (!kind.equals("NAT")) {
            out.warning(n, n.keyword() + " " + kind + ": the user-space forwarder cannot hand packets to a real server"
                    + " unchanged (" + (kind.equals("DR") ? "direct routing" : "IP tunnelling")
                    + "); forwarded as NAT: each connection is proxied and the real server sees the forwarder's address");
        }
        return kind;
    }

    private String script(ConfigNode n, String earlier) {
        if (n.args().isEmpty()) {
            out.error(n, "'" + n.keyword() + "' is missing a parameter at word position 2: expected a script,"
                    + " optionally quoted with its arguments");
            return earlier;
        }
        if (earlier != null) {
            out.warning(n, n.keyword() + " script already specified - ignoring " + n.args().get(0));
            return earlier;
        }
        String script = n.args().get(0);
        try {
            if (CommandLines.split(script).isEmpty()) {
                out.error(n, "Empty script for '" + n.keyword() + "'");
                return null;
            }
        } catch (IllegalArgumentException e) {
            out.error(n, "Invalid script '" + script + "' for '" + n.keyword() + "': " + e.getMessage());
            return null;
        }
        return script;
    }

    private void sorryServer(VirtualServer vs, ConfigNode n) {
        if (n.args().isEmpty()) {
            out.error(n, "'sorry_server' is missing a parameter at word position 2: expected an address [port]");
            return;
        }
        InetAddress a = IpAddresses.parse(n.args().get(0));
        int port = 0;
        boolean ok = a != null;
        if (ok && n.args().size() > 1 && !n.args().get(1).chars().allMatch(ch -> ch == '0')) {
            OptionalLong v = parsePort(n.args().get(1));
            ok = v.isPresent();
            port = ok ? (int) v.getAsLong() : 0;
        }
        if (!ok) {
            out.error(n, "Invalid sorry server IP address " + String.join(" ", n.args()) + " - skipping");
            return;
        }
        vs.sorryAddress = a;
        vs.sorryPort = port;
        vs.sorryNode = n;
        vs.sorryInhibit = false;
        vs.sorryForwarding = null;
    }

    // ------------------------------------------------------------------ real_server

    private RealServer readRealServer(ConfigNode node) {
        List<String> args = node.args();
        InetAddress a = args.isEmpty() ? null : IpAddresses.parse(args.get(0));
        int port = 0;
        boolean ok = a != null;
        if (ok && args.size() > 1 && !args.get(1).chars().allMatch(ch -> ch == '0')) {
            OptionalLong v = parsePort(args.get(1));
            ok = v.isPresent();
            port = ok ? (int) v.getAsLong() : 0;
        }
        if (!ok) {
            out.error(node, "Invalid real server ip address/port " + String.join("/", args) + " - skipping");
            return null;
        }
        RealServer rs = new RealServer();
        rs.node = node;
        rs.address = a;
        rs.port = port;
        for (ConfigNode n : node.children()) {
            if (CheckerReader.CHECKERS.contains(n.keyword())) {
                rs.checkers.addAll(checkers.read(n));
                continue;
            }
            switch (n.keyword()) {
                case "weight" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, MAX_WEIGHT, out);
                    if (v.isPresent()) {
                        rs.weight = (int) v.getAsLong();
                    }
                }
                case "lvs_method" -> {
                    String f = forwarding(n, "real");
                    if (f != null) {
                        rs.forwarding = f;
                    }
                }
                case "uthreshold" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        rs.upper = v.getAsLong();
                    }
                }
                case "lthreshold" -> {
                    OptionalLong v = ConfigValues.integer(n, 0, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        rs.lower = v.getAsLong();
                    }
                }
                case "inhibit_on_failure" -> ConfigValues.bool(n, out).ifPresent(b -> rs.inhibit = b);
                case "notify_up" -> rs.notifyUp = script(n, rs.notifyUp);
                case "notify_down" -> rs.notifyDown = script(n, rs.notifyDown);
                case "alpha" -> ConfigValues.bool(n, out).ifPresent(b -> rs.alpha = b);
                case "retry" -> {
                    OptionalLong v = ConfigValues.integer(n, 1, Integer.MAX_VALUE, out);
                    if (v.isPresent()) {
                        rs.retry = (int) v.getAsLong();
                    }
                }
                case "delay_before_retry" -> ConfigValues.timer(n, 0, Duration.ZERO, null, out)
                        .ifPresent(d -> rs.delayBeforeRetry = d);
                case "warmup" -> ConfigValues.timer(n, 0, Duration.ZERO, null, out).ifPresent(d -> rs.warmup = d);
                case "delay_loop" -> ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out)
                        .ifPresent(d -> rs.delayLoop = d);
                case "connect_timeout" -> ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out)
                        .ifPresent(d -> rs.connectTimeout = d);
                case "smtp_alert" -> ConfigValues.bool(n, out);
                case "snmp_name" -> ConfigValues.string(n, out);
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        out.error(n, "real server virtualhost missing");
                    } else {
                        rs.virtualhost = n.args().get(0);
                    }
                }
                default -> out.warning(n, "Unknown keyword '" + n.keyword() + "'");
            }
        }
        if (rs.lower > rs.upper && rs.upper != 0) {
            out.error(node, "real_server " + Addresses.formatAddress(a) + ": lthreshold " + rs.lower
                    + " exceeds uthreshold " + rs.upper + " - ignoring both");
            rs.lower = 0;
            rs.upper = 0;
        } else if (rs.upper == 0 && rs.lower != 0) {
            out.error(node, "real_server " + Addresses.formatAddress(a) + ": lthreshold " + rs.lower
                    + " without uthreshold - ignoring it");
            rs.lower = 0;
        }
        return rs;
    }

    // ------------------------------------------------------------------ services

    private void once(ConfigNode node, String message, boolean error) {
        if (reported.add(node.location() + "\u0000" + message)) {
            if (error) {
                out.error(node, message);
            } else {
                out.warning(node, message);
            }
        }
    }

    private List<VirtualServiceConfig> services(VirtualServer vs, List<VirtualServerGroups.Member> members) {
        ConfigNode node = vs.node;
        if (vs.realServers.isEmpty()) {
            out.warning(node, "Virtual server " + vs.label + " has no real servers - ignoring");
            return List.of();
        }
        Protocol protocol = vs.protocol;
        if (protocol == null) {
            out.warning(node, "Virtual server " + vs.label + ": no protocol set - defaulting to TCP");
            protocol = Protocol.TCP;
        }
        if (protocol == Protocol.SCTP) {
            out.error(node, "Virtual server " + vs.label + ": protocol SCTP cannot be served by the user-space"
                    + " forwarder (TCP and UDP only) - ignoring this virtual_server");
            return List.of();
        }
        String scheduler = vs.scheduler;
        if (scheduler == null) {
            out.warning(node, "Virtual server " + vs.label + ": no scheduler set, setting default 'wlc'");
            scheduler = ServiceOptions.DEFAULT_SCHEDULER;
        }
        boolean ops = vs.ops;
        if (ops && protocol != Protocol.UDP) {
            out.warning(vs.opsNode, "Virtual server " + vs.label + ": one packet scheduling requires UDP - resetting");
            ops = false;
        }
        String vsForwarding = vs.forwarding;
        boolean anyDefault = vs.realServers.stream().anyMatch(r -> r.forwarding == null)
                || (vs.sorryNode != null && vs.sorryForwarding == null);
        if (vsForwarding == null && anyDefault) {
            out.warning(node, "Virtual server " + vs.label + ": no forwarding method set, setting default NAT");
        }
        if (vsForwarding == null) {
            vsForwarding = "NAT";
        }
        boolean group = members.isEmpty() || members.get(0).node() != node;
        String fingerprint = node.format();
        CheckSettings vsSettings = new CheckSettings(vs.delayLoop, vs.connectTimeout, vs.retry, vs.delayBeforeRetry,
                vs.warmup, null, null);

        Integer persistence = vs.persistence;
        if (persistence == null && members.stream().anyMatch(m -> m.port() == 0)) {
            out.warning(node, "Virtual server " + vs.label + ": zero port only valid for persistent services - setting");
            persistence = ServiceOptions.DEFAULT_PERSISTENCE_TIMEOUT;
        }
        List<VirtualServiceConfig> result = new ArrayList<>();
        for (VirtualServerGroups.Member m : members) {
            int family = m.address() instanceof Inet6Address ? 6 : 4;
            String svcLabel = Addresses.format(m.address(), m.port());
            if (vs.family != null && vs.family != family) {
                once(m.node(), "virtual_server " + vs.label + " is ip_family inet" + (vs.family == 6 ? "6" : "")
                        + " - ignoring group member " + Addresses.formatAddress(m.address()), false);
                continue;
            }
            if (m.port() == 0) {
                once(m.node(), "Virtual server " + (group ? vs.label + " member " : "") + svcLabel + " has no port"
                        + " (every port): user space cannot receive every port, so the forwarder serves it only on"
                        + " its catch-all ports (--catch-all-ports)", false);
            }
            ServiceKey key = ServiceKey.of(protocol, m.address(), m.port());
            ServiceOptions.Builder ob = ServiceOptions.builder().scheduler(scheduler).schedulerFlags(vs.flags)
                    .onePacket(ops);
            if (persistence != null) {
                ob.persistenceTimeout(persistence);
            }
            if (vs.granularity != null) {
                Integer mask = granularity(vs, family);
                if (mask != null) {
                    ob.netmask(mask);
                }
            }
            ServiceOptions options = ob.build();

            List<RealServerConfig> table = new ArrayList<>();
            List<RealServerSpec> specs = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            long weightSum = 0;
            for (RealServer rs : vs.realServers) {
                int rsFamily = rs.address instanceof Inet6Address ? 6 : 4;
                if (rsFamily != family) {
                    once(rs.node, "Address family of virtual server and real server "
                            + Addresses.formatAddress(rs.address) + " don't match - skipping real server.", true);
                    continue;
                }
                String method = rs.forwarding != null ? rs.forwarding : vsForwarding;
                int port = realServerPort(vs, group, m, rs.address, rs.port, method, rs.node, "real server");
                if (!seen.add(Addresses.format(rs.address, port))) {
                    once(rs.node, "VS " + vs.label + ": real server " + Addresses.format(rs.address, port)
                            + " is duplicated - removing second rs", false);
                    continue;
                }
                int weight = rs.weight != null ? rs.weight : vs.weight;
                weightSum += weight;
                table.add(new RealServerConfig(rs.address, port,
                        new RealServerOptions(weight, ForwardingMethod.MASQ, (int) rs.upper, (int) rs.lower)));
                CheckSettings rsSettings = new CheckSettings(rs.delayLoop, rs.connectTimeout, rs.retry,
                        rs.delayBeforeRetry, rs.warmup, rs.alpha, null);
                specs.add(new RealServerSpec(rs.address, port, weight, rs.inhibit, rsSettings, rs.checkers, rs.notifyUp,
                        rs.notifyDown, rs.virtualhost));
            }
            if (specs.isEmpty()) {
                once(node, "Virtual server " + vs.label + " has no real servers" + (group ? " for " + svcLabel : "")
                        + " - ignoring", false);
                continue;
            }
            RealServerSpec sorry = null;
            if (vs.sorryNode != null) {
                int sorryFamily = vs.sorryAddress instanceof Inet6Address ? 6 : 4;
                if (sorryFamily != family) {
                    once(vs.sorryNode, "Address family of virtual server and sorry server "
                            + Addresses.formatAddress(vs.sorryAddress) + " don't match - skipping sorry server.", true);
                } else {
                    String method = vs.sorryForwarding != null ? vs.sorryForwarding : vsForwarding;
                    int port = realServerPort(vs, group, m, vs.sorryAddress, vs.sorryPort, method, vs.sorryNode,
                            "sorry server");
                    if (seen.contains(Addresses.format(vs.sorryAddress, port))) {
                        once(vs.sorryNode, "Virtual server " + vs.label + ": sorry server "
                                + Addresses.format(vs.sorryAddress, port) + " is also a real server - ignoring the"
                                + " sorry server (lvs4j's health checker keeps them apart)", false);
                    } else {
                        sorry = new RealServerSpec(vs.sorryAddress, port, 1, null, CheckSettings.UNSET, List.of(),
                                null, null, null);
                    }
                }
            }
            if (vs.quorum > weightSum) {
                once(node, "Warning - quorum " + vs.quorum + " for " + vs.label + " exceeds total weight of real"
                        + " servers " + weightSum + ", reducing quorum to " + weightSum, false);
            }
            VirtualServerSpec health = VirtualServerSpec.builder(key)
                    .serviceOptions(options)
                    .forwarding(ForwardingMethod.MASQ)
                    .settings(vsSettings)
                    .quorum(vs.quorum, vs.hysteresis)
                    .sorryServer(sorry, vs.sorryInhibit)
                    .quorumScripts(vs.quorumUp, vs.quorumDown)
                    .alpha(vs.alpha)
                    .omega(vs.omega)
                    .inhibitOnFailure(vs.inhibit)
                    .virtualhost(vs.virtualhost)
                    .realServers(specs)
                    .build();
            result.add(new VirtualServiceConfig(key, options, table, health, node.location(), fingerprint));
        }
        return result;
    }

    /**
     * keepalived's port rules ({@code validate_check_config}): NAT keeps the real server's port, or takes the
     * virtual server's when none is given; DR and TUN force it to the virtual server's, with a warning when
     * another was given.
     */
    private int realServerPort(VirtualServer vs, boolean group, VirtualServerGroups.Member m, InetAddress address,
                               int port, String method, ConfigNode node, String what) {
        if (method.equals("NAT")) {
            return port == 0 ? m.port() : port;
        }
        if (port != 0 && port != m.port()) {
            String rs = Addresses.format(address, port);
            if (group) {
                once(node, "virtual server " + vs.label + ":[" + Addresses.formatAddress(m.address()) + "," + m.port()
                        + "] and " + what + " " + rs + " ports don't match - using " + m.port(), false);
            } else {
                once(node, "WARNING - virtual server " + vs.label + " and " + what + " " + rs
                        + " ports don't match - resetting", false);
            }
        }
        return m.port();
    }

    /** The persistence netmask for a member of {@code family}: IPv4 a host-order mask, IPv6 a prefix length. */
    private Integer granularity(VirtualServer vs, int family) {
        String g = vs.granularity;
        if (family == 6) {
            OptionalLong v = g.chars().allMatch(Character::isDigit) && !g.isEmpty() && g.length() <= 3
                    ? OptionalLong.of(Long.parseLong(g)) : OptionalLong.empty();
            if (v.isEmpty() || v.getAsLong() < 1 || v.getAsLong() > 128) {
                once(vs.granularityNode, "Invalid IPv6 persistence_granularity specified - " + g
                        + "; accepted: a prefix length 1..128", true);
                return null;
            }
            return (int) v.getAsLong();
        }
        InetAddress mask = IpAddresses.parse(g);
        if (!(mask instanceof Inet4Address)) {
            once(vs.granularityNode, "Invalid IPv4 persistence_granularity specified - " + g
                    + "; accepted: a netmask such as 255.255.255.0", true);
            return null;
        }
        byte[] b = mask.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
