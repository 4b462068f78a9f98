package io.lvs4j.vrrp;

import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.ConfigDiagnostics;
import io.lvs4j.vrrp.conf.ConfigNode;
import io.lvs4j.vrrp.conf.ConfigValues;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the VRRP part of a keepalived.conf ({@link KeepalivedConfig}) into a {@link VrrpDaemonConfig}, the
 * way keepalived's VRRP process reads it: {@code global_defs}, {@code vrrp_script}, {@code vrrp_sync_group}
 * and {@code vrrp_instance}, with keepalived's defaults and derived values.
 *
 * <p>What is reported, each as a {@link ConfigDiagnostic} at the offending line's file and line:
 * <ul>
 *   <li>ERROR for every value keepalived would reject (a number out of range, a word that is not a
 *       {@code <BOOL>}, an IP address that does not parse, {@code state Master}, an unknown auth type, a
 *       tracked script or sync group member that does not exist, a VRID used twice on one interface) and for
 *       every {@link VrrpConfigException} of the configuration builders; the message names the value and what
 *       is accepted;</li>
 *   <li>WARNING for {@code Unknown keyword 'x'} inside a VRRP block or at the top level, for keywords
 *       keepalived knows but lvs4j does not implement ({@code use_vmac}, {@code track_file}, ... "is not
 *       supported by lvs4j - ignoring"), for ignored options ({@code script_user}, a script's user), and for
 *       every adjustment keepalived makes with a warning (rounding {@code advert_int}, clearing
 *       {@code nopreempt} with {@code state MASTER}, truncating {@code auth_pass}, ...).</li>
 * </ul>
 * Blocks that belong to keepalived's other processes ({@code virtual_server}, {@code virtual_server_group},
 * {@code SSL}, {@code bfd_instance}) and global keywords of those processes ({@code smtp_server},
 * {@code lvs_sync_daemon}, ...) are skipped silently. The parser's own diagnostics come first in the result.
 *
 * <p>Stateless and thread-safe: {@link #load} may be called concurrently.
 */
public final class VrrpConfigLoader {

    /** Global keywords of keepalived (keepalived.conf(5), 2.2) that the VRRP process reads or may ignore. */
    private static final Set<String> KNOWN_GLOBAL = Set.of(
            "tmp_config_directory", "config_save_dir", "process_names", "process_name", "vrrp_process_name",
            "checker_process_name", "bfd_process_name", "startup_script", "startup_script_timeout",
            "shutdown_script", "shutdown_script_timeout", "notification_email", "notification_email_from",
            "smtp_server", "smtp_helo_name", "smtp_connect_timeout", "smtp_alert", "smtp_alert_vrrp",
            "smtp_alert_checker", "checker_log_all_failures", "no_email_faults", "default_interface",
            "lvs_sync_daemon", "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop", "vrrp_garp_extra_if",
            "nftables", "nftables_priority", "nftables_counters", "nftables_ifindex", "nftables_ipvs",
            "nftables_ipvs_priority", "nftables_ipvs_start_fwmark", "vrrp_iptables", "vrrp_ipsets",
            "disable_local_igmp", "max_auto_priority", "min_auto_priority_delay", "vrrp_priority",
            "checker_priority", "bfd_priority", "vrrp_no_swap", "checker_no_swap", "bfd_no_swap",
            "vrrp_cpu_affinity", "checker_cpu_affinity", "bfd_cpu_affinity", "vrrp_rt_priority",
            "checker_rt_priority", "bfd_rt_priority", "vrrp_rlimit_rttime", "checker_rlimit_rttime",
            "bfd_rlimit_rttime", "snmp_socket", "enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc",
            "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_traps", "enable_dbus", "dbus_service_name",
            "lvs_notify_fifo", "lvs_notify_fifo_script", "fifo_write_vrrp_states_on_reload",
            "dynamic_interfaces", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
            "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "lvs_netlink_cmd_rcv_bufs",
            "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
            "lvs_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force",
            "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier", "rs_init_notifies", "no_checker_emails", "umask",
            "vmac_prefix", "vmac_addr_prefix", "random_seed", "reload_check_config", "include_check",
            "reload_time_file", "reload_repeat", "reload_file", "data_use_instance", "linkbeat_use_polling",
            "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
            "child_wait_time", "enable_snmp_keepalived", "checker_rlimit_rtime", "vrrp_rlimit_rtime",
            "bfd_rlimit_rtime", "lvs_sync_daemon_interface", "enable_sni", "log_facility", "local_name");

    /** Global VRRP keywords keepalived has and lvs4j does not implement. */
    private static final Set<String> UNSUPPORTED_GLOBAL = Set.of(
            "vrrp_strict", "vrrp_garp_interval", "vrrp_gna_interval", "notify_fifo_script",
            "vrrp_notify_fifo_script");

    /** Top-level blocks of keepalived's other processes: skipped silently. */
    private static final Set<String> OTHER_PROCESS_BLOCKS = Set.of(
            "virtual_server", "virtual_server_group", "SSL", "bfd_instance");

    /** Top-level VRRP-process blocks keepalived has and lvs4j does not implement. */
    private static final Set<String> UNSUPPORTED_TOP = Set.of(
            "linkbeat_interfaces", "interface_up_down_delays", "static_ipaddress", "static_routes",
            "static_rules", "static_track_group", "track_group", "track_file", "vrrp_track_file",
            "vrrp_track_process", "garp_group");

    /** Instance keywords keepalived has and lvs4j does not implement (a warning each). */
    private static final Set<String> UNSUPPORTED_INSTANCE = Set.of(
            "use_vmac", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "vrf", "track_file", "track_process",
            "track_bfd", "mcast_dst_ip", "track_src_ip", "unicast_fault_no_peer", "garp_extra_if",
            "virtual_routes", "virtual_rules", "no_accept", "promote_secondaries", "notify_deleted",
            "auth_hmac");

    /** Instance keywords accepted and ignored without a word (no effect in keepalived either, or none here). */
    private static final Set<String> IGNORED_INSTANCE = Set.of(
            "smtp_alert", "debug", "native_ipv6", "kernel_rx_buf_size", "linkbeat_use_polling", "accept");

    private static final Set<String> UNSUPPORTED_GROUP = Set.of(
            "track_file", "track_process", "track_bfd", "notify_deleted", "notify_priority_changes");

    private static final Set<String> IGNORED_GROUP = Set.of("smtp_alert", "global_tracking");

    /** keepalived's virtual_ipaddress options lvs4j accepts and does not apply (each takes one value, or none). */
    private static final Map<String, Boolean> IGNORED_ADDRESS_OPTIONS = Map.ofEntries(
            Map.entry("brd", true), Map.entry("broadcast", true), Map.entry("scope", true),
            Map.entry("peer", true), Map.entry("preferred_lft", true), Map.entry("track_group", true),
            Map.entry("home", false), Map.entry("mngtmpaddr", false), Map.entry("noprefixroute", false),
            Map.entry("autojoin", false), Map.entry("no_track", false), Map.entry("use_vmac", false));

    /** Phrases of the builders' messages and the keyword whose line they are about. */
    private static final String[][] MESSAGE_KEYWORDS = {
        {"does not support authentication", "authentication"},
        {"Authentication specified", "authentication"},
        {"advertisement interval", "advert_int"},
        {"advert_int", "advert_int"},
        {"No VIP", "virtual_ipaddress"},
        {"virtual router id", "virtual_router_id"},
        {"preempt delay", "preempt_delay"},
        {"preempt_delay", "preempt_delay"},
        {"nopreempt", "nopreempt"},
        {"garp_master_repeat", "garp_master_repeat"},
        {"garp_master_refresh_repeat", "garp_master_refresh_repeat"},
    };

    private static final Pattern INSTANCE_PREFIX = Pattern.compile("^\\(([^)\\s]+)\\)");

    private VrrpConfigLoader() {
    }

    /** Parses {@code file} with {@code options} and loads it; see {@link #load(KeepalivedConfig)}. */
    public static Result load(Path file, KeepalivedConfig.Options options) throws IOException {
        return load(KeepalivedConfig.parse(file, options));
    }

    /**
     * Loads the VRRP configuration from a parsed keepalived.conf. Never throws for bad content: every problem is
     * a diagnostic, and the configuration is present exactly when there is no error.
     */
    public static Result load(KeepalivedConfig config) {
        Objects.requireNonNull(config, "config");
        Loader loader = new Loader(config);
        Optional<VrrpDaemonConfig> result = loader.run();
        List<ConfigDiagnostic> diagnostics = loader.out.all();
        boolean errors = diagnostics.stream().anyMatch(ConfigDiagnostic::isError);
        return new Result(errors ? Optional.empty() : result, diagnostics);
    }

    /**
     * What {@link #load} found.
     *
     * @param config the configuration, present exactly when {@code diagnostics} holds no error
     * @param diagnostics the parser's and the loader's diagnostics, in the order found
     */
    public record Result(Optional<VrrpDaemonConfig> config, List<ConfigDiagnostic> diagnostics) {

        public Result {
            Objects.requireNonNull(config, "config");
            diagnostics = List.copyOf(diagnostics);
        }

        /** Whether any diagnostic is an error. */
        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(ConfigDiagnostic::isError);
        }

        /** The errors, in order. */
        public List<ConfigDiagnostic> errors() {
            return diagnostics.stream().filter(ConfigDiagnostic::isError).toList();
        }

        /** The warnings, in order. */
        public List<ConfigDiagnostic> warnings() {
            return diagnostics.stream().filter(d -> !d.isError()).toList();
        }
    }

    // ------------------------------------------------------------------------------------------ implementation

    /** One load: the diagnostics and what has been read so far. Confined to the calling thread. */
    private static final class Loader {
        final KeepalivedConfig config;
        final ConfigDiagnostics out;
        final Globals globals = new Globals();
        final Map<String, ScriptDraft> scripts = new LinkedHashMap<>();
        final Map<String, GroupDraft> groups = new LinkedHashMap<>();
        final Map<String, InstanceDraft> instances = new LinkedHashMap<>();

        Loader(KeepalivedConfig config) {
            this.config = config;
            this.out = new ConfigDiagnostics(config.diagnostics());
        }

        Optional<VrrpDaemonConfig> run() {
            for (ConfigNode node : config.roots("global_defs")) {
                readGlobals(node);
            }
            for (ConfigNode node : config.roots()) {
                switch (node.keyword()) {
                    case "global_defs" -> {
                    }
                    case "vrrp_script" -> readScript(node);
                    case "vrrp_sync_group" -> readGroup(node);
                    case "vrrp_instance" -> {
                    }
                    default -> {
                        if (UNSUPPORTED_TOP.contains(node.keyword())) {
                            out.warning(node, node.keyword() + " is not supported by lvs4j - ignoring");
                        } else if (!OTHER_PROCESS_BLOCKS.contains(node.keyword())
                                && !KNOWN_GLOBAL.contains(node.keyword())) {
                            out.warning(node, "Unknown keyword '" + node.keyword() + "'");
                        }
                    }
                }
            }
            Map<String, GroupDraft> groupOf = resolveGroups();
            for (ConfigNode node : config.roots("vrrp_instance")) {
                readInstance(node, groupOf);
            }
            checkGroupMembers();
            return assemble();
        }

        // ------------------------------------------------------------------------------ global_defs

        void readGlobals(ConfigNode block) {
            for (ConfigNode n : block.children()) {
                switch (n.keyword()) {
                    case "router_id" -> ConfigValues.string(n, out).ifPresent(v -> globals.routerId = v);
                    case "vrrp_version" -> intValue(n, 2, 3).ifPresent(v -> globals.version = v);
                    case "vrrp_garp_master_delay" -> intValue(n, 0, 4294).ifPresent(v -> globals.garpMasterDelay = v);
                    case "vrrp_garp_master_repeat" ->
                            intValue(n, 0, Integer.MAX_VALUE).ifPresent(v -> globals.garpMasterRepeat = v);
                    case "vrrp_garp_master_refresh" ->
                            intValue(n, 0, 4294).ifPresent(v -> globals.garpMasterRefresh = v);
                    case "vrrp_garp_master_refresh_repeat" ->
                            intValue(n, 0, Integer.MAX_VALUE).ifPresent(v -> globals.garpMasterRefreshRepeat = v);
                    case "vrrp_garp_lower_prio_delay" ->
                            intValue(n, 0, 4294).ifPresent(v -> globals.garpLowerPrioDelay = v);
                    case "vrrp_garp_lower_prio_repeat" ->
                            intValue(n, 0, Integer.MAX_VALUE).ifPresent(v -> globals.garpLowerPrioRepeat = v);
                    case "vrrp_down_timer_adverts" -> intValue(n, 1, 100).ifPresent(v -> globals.downTimerAdverts = v);
                    case "vrrp_min_garp" -> ConfigValues.bool(n, out).ifPresent(v -> globals.minGarp = v);
                    case "vrrp_lower_prio_no_advert" ->
                            ConfigValues.bool(n, out).ifPresent(v -> globals.lowerPrioNoAdvert = v);
                    case "vrrp_higher_prio_send_advert" ->
                            ConfigValues.bool(n, out).ifPresent(v -> globals.higherPrioSendAdvert = v);
                    case "vrrp_notify_priority_changes" ->
                            ConfigValues.bool(n, out).ifPresent(v -> globals.notifyPriorityChanges = v);
                    case "vrrp_check_unicast_src" -> flag(n, () -> globals.checkUnicastSource = true);
                    case "vrrp_skip_check_adv_addr" -> flag(n, () -> globals.skipCheckAdvAddr = true);
                    case "v3_checksum_as_v2", "vrrp_v3_checksum_as_v2" ->
                            ConfigValues.bool(n, out).ifPresent(v -> globals.v3ChecksumAsV2 = v);
                    case "log_unknown_vrids" -> flag(n, () -> globals.logUnknownVrids = true);
                    case "vrrp_notify_fifo", "notify_fifo" -> readFifo(n);
                    case "vrrp_mcast_group4" -> ip(n, n.arg(0), "vrrp_mcast_group4").ifPresent(a -> {
                        if (a instanceof Inet4Address v4 && a.isMulticastAddress()) {
                            globals.group4 = v4;
                        } else {
                            out.error(n, "vrrp_mcast_group4 '" + n.args().get(0)
                                    + "' is not an IPv4 multicast address; accepted 224.0.0.0/4");
                        }
                    });
                    case "vrrp_mcast_group6" -> ip(n, n.arg(0), "vrrp_mcast_group6").ifPresent(a -> {
                        if (a instanceof Inet6Address v6 && a.isMulticastAddress()) {
                            globals.group6 = v6;
                        } else {
                            out.error(n, "vrrp_mcast_group6 '" + n.args().get(0)
                                    + "' is not an IPv6 multicast address; accepted ff00::/8");
                        }
                    });
                    case "vrrp_startup_delay" -> ConfigValues.timer(n, 0, Duration.ZERO, Duration.ofSeconds(3600), out)
                            .ifPresent(v -> globals.startupDelay = v);
                    case "script_user" -> out.warning(n, "script_user is ignored by lvs4j: scripts run as the"
                            + " daemon's user");
                    case "enable_script_security" -> out.warning(n, "enable_script_security is not enforced by"
                            + " lvs4j: scripts run as the daemon's user without path checks");
                    default -> {
                        if (UNSUPPORTED_GLOBAL.contains(n.keyword())) {
                            out.warning(n, n.keyword() + " is not supported by lvs4j - ignoring");
                        } else if (!KNOWN_GLOBAL.contains(n.keyword())) {
                            out.warning(n, "Unknown keyword '" + n.keyword() + "'");
                        }
                    }
                }
            }
        }

        void readFifo(ConfigNode n) {
            Optional<String> path = ConfigValues.string(n, out);
            if (path.isEmpty()) {
                return;
            }
            if (!path.get().startsWith("/")) {
                out.error(n, n.keyword() + " '" + path.get() + "' is not an absolute path; accepted /path/to/fifo");
                return;
            }
            if (n.args().size() > 1) {
                out.warning(n, n.keyword() + ": the user/group "
                        + String.join(" ", n.args().subList(1, n.args().size())) + " is ignored by lvs4j");
            }
            Path p = Path.of(path.get());
            if (!globals.fifos.contains(p)) {
                globals.fifos.add(p);
            }
        }

        // ------------------------------------------------------------------------------ vrrp_script

        void readScript(ConfigNode block) {
            Optional<String> name = blockName(block);
            if (name.isEmpty()) {
                return;
            }
            if (scripts.containsKey(name.get())) {
                out.error(block, "vrrp_script " + name.get() + " is defined twice (first at "
                        + scripts.get(name.get()).node.location() + ")");
                return;
            }
            VrrpScriptConfig.Builder b = VrrpScriptConfig.builder(name.get());
            String what = "(" + name.get() + ")";
            boolean hasScript = false;
            for (ConfigNode n : block.children()) {
                switch (n.keyword()) {
                    case "script" -> {
                        Optional<List<String>> argv = ConfigValues.scriptArgv(n, out);
                        if (argv.isPresent()) {
                            b.script(new ScriptCommand(argv.get()));
                            hasScript = true;
                            userIgnored(n, 1);
                        }
                    }
                    case "interval" -> ConfigValues.timer(n, 0, Duration.ofMillis(1), Duration.ofSeconds(4294), out)
                            .ifPresent(b::interval);
                    case "timeout" -> ConfigValues.timer(n, 0, Duration.ofMillis(1), Duration.ofSeconds(4294), out)
                            .ifPresent(b::timeout);
                    case "weight" -> {
                        OptionalInt w = intValue(n, VrrpScriptConfig.MIN_WEIGHT, VrrpScriptConfig.MAX_WEIGHT);
                        boolean reverse = false;
                        if (n.args().size() > 1) {
                            String r = n.args().get(1);
                            if (r.equals("reverse")) {
                                reverse = true;
                            } else if (!r.equals("noreverse") && !r.equals("no_reverse")) {
                                out.error(n, what + " vrrp_script weight option '" + r
                                        + "' is not valid; accepted reverse or noreverse");
                            }
                        }
                        if (w.isPresent()) {
                            b.weight(w.getAsInt(), reverse);
                        }
                    }
                    case "rise" -> intValue(n, 1, Integer.MAX_VALUE).ifPresent(b::rise);
                    case "fall" -> intValue(n, 1, Integer.MAX_VALUE).ifPresent(b::fall);
                    case "init_fail" -> flag(n, () -> b.initFail(true));
                    case "user" -> out.warning(n, what + " vrrp_script user " + String.join(" ", n.args())
                            + " is ignored by lvs4j: scripts run as the daemon's user");
                    default -> out.warning(n, "Unknown keyword '" + n.keyword() + "'");
                }
            }
            if (!hasScript) {
                out.error(block, what + " vrrp_script has no 'script'; a script is required");
                return;
            }
            try {
                scripts.put(name.get(), new ScriptDraft(block, b.build()));
            } catch (VrrpConfigException e) {
                out.error(locate(block, e.getMessage()), e.getMessage());
            }
        }

        // ------------------------------------------------------------------------------ vrrp_sync_group

        void readGroup(ConfigNode block) {
            Optional<String> name = blockName(block);
            if (name.isEmpty()) {
                return;
            }
            if (groups.containsKey(name.get())) {
                out.error(block, "vrrp_sync_group " + name.get() + " is defined twice (first at "
                        + groups.get(name.get()).node.location() + ")");
                return;
            }
            GroupDraft g = new GroupDraft(block, name.get());
            String what = "Sync group " + name.get();
            for (ConfigNode n : block.children()) {
                switch (n.keyword()) {
                    case "group" -> {
                        for (ConfigNode m : n.children()) {
                            for (String member : m.words()) {
                                if (g.members.containsKey(member)) {
                                    out.error(m, what + " lists " + member + " twice");
                                } else {
                                    g.members.put(member, m);
                                }
                            }
                        }
                    }
                    case "track_script" -> g.trackScripts.addAll(trackScripts(n, what));
                    case "track_interface" -> g.trackInterfaces.addAll(trackInterfaces(n, what));
                    case "notify_master" -> script(n, g.builder::notifyMaster);
                    case "notify_backup" -> script(n, g.builder::notifyBackup);
                    case "notify_fault" -> script(n, g.builder::notifyFault);
                    case "notify_stop" -> script(n, g.builder::notifyStop);
                    case "notify" -> script(n, g.builder::notifyScript);
                    case "sync_group_tracking_weight" -> flag(n, () -> g.keepWeights = true);
                    default -> {
                        if (UNSUPPORTED_GROUP.contains(n.keyword())) {
                            out.warning(n, what + ": " + n.keyword() + " is not supported by lvs4j - ignoring");
                        } else if (!IGNORED_GROUP.contains(n.keyword())) {
                            out.warning(n, "Unknown keyword '" + n.keyword() + "'");
                        }
                    }
                }
            }
            if (g.members.isEmpty()) {
                out.error(block, what + " has no virtual router(s); 'group { VI_1 VI_2 }' needs at least one"
                        + " vrrp_instance");
                return;
            }
            groups.put(name.get(), g);
        }

        /** Instance name to its group; an instance listed by two groups is an error at the second. */
        Map<String, GroupDraft> resolveGroups() {
            Map<String, GroupDraft> groupOf = new HashMap<>();
            for (GroupDraft g : groups.values()) {
                for (Map.Entry<String, ConfigNode> m : List.copyOf(g.members.entrySet())) {
                    GroupDraft other = groupOf.putIfAbsent(m.getKey(), g);
                    if (other != null) {
                        out.error(m.getValue(), "Virtual router " + m.getKey() + " cannot exist in more than one"
                                + " sync group (" + other.name + ", " + g.name + ")");
                        g.members.remove(m.getKey());
                    }
                }
            }
            return groupOf;
        }

        void checkGroupMembers() {
            for (GroupDraft g : groups.values()) {
                for (Map.Entry<String, ConfigNode> m : List.copyOf(g.members.entrySet())) {
                    if (!instances.containsKey(m.getKey())) {
                        out.error(m.getValue(), "Virtual router " + m.getKey() + " specified in sync group " + g.name
                                + " doesn't exist; defined vrrp_instances: " + instances.keySet());
                        g.members.remove(m.getKey());
                    }
                }
                for (TrackScriptEntry t : g.trackScripts) {
                    checkScriptExists(t, "Sync group " + g.name);
                }
            }
        }

        // ------------------------------------------------------------------------------ vrrp_instance

        void readInstance(ConfigNode block, Map<String, GroupDraft> groupOf) {
            Optional<String> nameOpt = blockName(block);
            if (nameOpt.isEmpty()) {
                return;
            }
            String name = nameOpt.get();
            if (instances.containsKey(name)) {
                out.error(block, "vrrp_instance " + name + " is defined twice (first at "
                        + instances.get(name).node.location() + ")");
                return;
            }
            String vi = "(" + name + ")";
            VrrpInstanceConfig.Builder b = VrrpInstanceConfig.builder(name);
            InstanceDraft d = new InstanceDraft(block, name);
            GroupDraft group = groupOf.get(name);

            Integer version = null;
            ConfigNode versionNode = null;
            d.lowerPrioNoAdvert = globals.lowerPrioNoAdvert;
            d.higherPrioSendAdvert = globals.higherPrioSendAdvert;
            d.notifyPriorityChanges = globals.notifyPriorityChanges;
            d.v3ChecksumAsV2 = globals.v3ChecksumAsV2;
            d.garpMasterRepeat = globals.minGarp ? 1 : orDefault(globals.garpMasterRepeat, 5);
            d.garpMasterDelay = globals.minGarp ? 0 : orDefault(globals.garpMasterDelay, 5);
            d.garpLowerPrioRepeat = globals.garpLowerPrioRepeat;
            d.garpLowerPrioDelay = globals.garpLowerPrioDelay;
            d.garpMasterRefresh = orDefault(globals.garpMasterRefresh, 0);
            d.garpMasterRefreshRepeat = orDefault(globals.garpMasterRefreshRepeat, 1);
            d.downTimerAdverts = orDefault(globals.downTimerAdverts, 3);
            List<VirtualAddress> vips = new ArrayList<>();
            Map<VirtualAddress, String> labels = new LinkedHashMap<>();
            boolean sawVrid = false;

            for (ConfigNode n : block.children()) {
                switch (n.keyword()) {
                    case "state" -> ConfigValues.string(n, out).ifPresent(s -> {
                        if (s.equals("MASTER")) {
                            b.state(VrrpState.MASTER);
                        } else if (s.equals("BACKUP")) {
                            b.state(VrrpState.BACKUP);
                        } else {
                            out.error(n, vi + " unknown state '" + s + "'; accepted MASTER or BACKUP (case-sensitive)");
                        }
                    });
                    case "interface" -> {
                        d.sawInterface = true;
                        ConfigValues.string(n, out).ifPresent(s -> {
                            if (s.isEmpty() || s.length() > 15 || s.contains("/")
                                    || s.chars().anyMatch(Character::isWhitespace)) {
                                out.error(n, vi + " interface name '" + s + "' is not valid; accepted 1 to 15"
                                        + " characters without '/' or blanks");
                            } else {
                                b.interfaceName(s);
                                d.interfaceName = s;
                            }
                        });
                    }
                    case "virtual_router_id" -> {
                        sawVrid = true;
                        intValue(n, 1, 255).ifPresent(v -> {
                            b.virtualRouterId(v);
                            d.vrid = v;
                            d.vridNode = n;
                        });
                    }
                    case "priority" -> intValue(n, 1, 255).ifPresent(b::priority);
                    case "advert_int" -> ConfigValues.timer(n, 0, Duration.ofNanos(1000), null, out)
                            .ifPresent(b::advertInterval);
                    case "version" -> {
                        OptionalInt v = intValue(n, 2, 3);
                        if (v.isPresent()) {
                            version = v.getAsInt();
                            versionNode = n;
                        }
                    }
                    case "nopreempt" -> b.nopreempt(true);
                    case "preempt" -> b.preempt();
                    case "preempt_delay" -> ConfigValues.timer(n, 0, Duration.ZERO, Duration.ofSeconds(1000), out)
                            .ifPresent(b::preemptDelay);
                    case "authentication" -> readAuthentication(n, b, vi);
                    case "virtual_ipaddress" -> {
                        for (ConfigNode a : n.children()) {
                            address(a, vi, "virtual_ipaddress", labels).ifPresent(vip -> {
                                if (vips.contains(vip)) {
                                    out.warning(a, vi + " virtual_ipaddress " + vip + " is listed twice - ignoring");
                                } else if (!vips.isEmpty() && vips.get(0).isIpv6() != vip.isIpv6()) {
                                    out.error(a, vi + " virtual_ipaddress " + vip + ": address family must match the"
                                            + " first VIP's (" + vips.get(0) + "); put other families in"
                                            + " virtual_ipaddress_excluded");
                                } else {
                                    vips.add(vip);
                                }
                            });
                        }
                    }
                    case "virtual_ipaddress_excluded" -> {
                        for (ConfigNode a : n.children()) {
                            address(a, vi, "virtual_ipaddress_excluded", labels).ifPresent(vip -> {
                                if (d.excluded.contains(vip)) {
                                    out.warning(a, vi + " virtual_ipaddress_excluded " + vip
                                            + " is listed twice - ignoring");
                                } else {
                                    d.excluded.add(vip);
                                }
                            });
                        }
                    }
                    case "mcast_src_ip", "unicast_src_ip" -> ip(n, n.arg(0), vi + " " + n.keyword())
                            .ifPresent(b::sourceAddress);
                    case "unicast_peer" -> readPeers(n, d, vi);
                    case "unicast_ttl" -> intValue(n, 0, 255).ifPresent(v -> {
                        d.unicastTtl = v;
                        d.unicastTtlNode = n;
                    });
                    case "check_unicast_src" -> flag(n, () -> d.checkUnicastSource = true);
                    case "old_unicast_checksum" -> {
                        if (n.args().isEmpty()) {
                            d.oldUnicastChecksum = true;
                        } else if (n.args().get(0).equals("never")) {
                            d.detectOldUnicastChecksum = false;
                        } else {
                            out.error(n, vi + " old_unicast_checksum '" + n.args().get(0)
                                    + "' is not valid; accepted no argument or 'never'");
                        }
                    }
                    case "skip_check_adv_addr" -> ConfigValues.bool(n, out).ifPresent(v -> d.skipCheckAdvAddr = v);
                    case "owner_ignore_adverts" -> ConfigValues.bool(n, out).ifPresent(v -> d.ownerIgnoreAdverts = v);
                    case "v3_checksum_as_v2" -> ConfigValues.bool(n, out).ifPresent(v -> d.v3ChecksumAsV2 = v);
                    case "track_script" -> d.trackScripts.addAll(trackScripts(n, vi));
                    case "track_interface" -> d.trackInterfaces.addAll(trackInterfaces(n, vi));
                    case "dont_track_primary" -> flag(n, () -> b.dontTrackPrimary(true));
                    case "notify_master" -> script(n, b::notifyMaster);
                    case "notify_backup" -> script(n, b::notifyBackup);
                    case "notify_fault" -> script(n, b::notifyFault);
                    case "notify_stop" -> script(n, b::notifyStop);
                    case "notify_master_rx_lower_pri" -> script(n, b::notifyMasterRxLowerPri);
                    case "notify" -> script(n, b::notifyScript);
                    case "notify_priority_changes" -> ConfigValues.bool(n, out)
                            .ifPresent(v -> d.notifyPriorityChanges = v);
                    case "garp_master_delay" -> intValue(n, 0, 4294).ifPresent(v -> d.garpMasterDelay = v);
                    case "garp_master_repeat" -> intValue(n, 0, Integer.MAX_VALUE)
                            .ifPresent(v -> d.garpMasterRepeat = v);
                    case "garp_lower_prio_delay" -> intValue(n, 0, 4294).ifPresent(v -> d.garpLowerPrioDelay = v);
                    case "garp_lower_prio_repeat" -> intValue(n, 0, Integer.MAX_VALUE)
                            .ifPresent(v -> d.garpLowerPrioRepeat = v);
                    case "garp_master_refresh" -> intValue(n, 0, 4294).ifPresent(v -> d.garpMasterRefresh = v);
                    case "garp_master_refresh_repeat" -> intValue(n, 0, Integer.MAX_VALUE)
                            .ifPresent(v -> d.garpMasterRefreshRepeat = v);
                    case "down_timer_adverts" -> intValue(n, 1, 100).ifPresent(v -> d.downTimerAdverts = v);
                    case "lower_prio_no_advert" -> ConfigValues.bool(n, out).ifPresent(v -> d.lowerPrioNoAdvert = v);
                    case "higher_prio_send_advert" -> ConfigValues.bool(n, out)
                            .ifPresent(v -> d.higherPrioSendAdvert = v);
                    case "strict_mode" -> {
                        Optional<Boolean> v = ConfigValues.bool(n, out);
                        if (v.isPresent() && v.get()) {
                            out.warning(n, vi + " strict_mode is not supported by lvs4j - ignoring");
                        }
                    }
                    default -> {
                        if (UNSUPPORTED_INSTANCE.contains(n.keyword())) {
                            out.warning(n, vi + " " + n.keyword() + " is not supported by lvs4j - ignoring");
                        } else if (!IGNORED_INSTANCE.contains(n.keyword())) {
                            out.warning(n, "Unknown keyword '" + n.keyword() + "'");
                        }
                    }
                }
            }

            if (!d.sawInterface) {
                out.error(block, vi + " has no 'interface'; the interface adverts are sent and received on is"
                        + " required");
                return;
            }
            if (!sawVrid) {
                out.error(block, vi + " has no 'virtual_router_id'; accepted an integer in [1, 255]");
                return;
            }
            if (d.interfaceName == null || d.vrid == 0) {
                return;
            }

            vips.forEach(b::virtualAddress);
            boolean ipv6 = !vips.isEmpty() && vips.get(0).isIpv6();
            if (version != null) {
                if (ipv6 && version == 2) {
                    out.warning(versionNode, vi + " cannot use IPv6 with VRRP version 2; setting version 3");
                    version = 3;
                }
                b.version(version);
            } else if (!ipv6 && globals.version != null) {
                b.version(globals.version);
            }
            for (InetAddress peer : d.peerAddresses) {
                b.unicastPeer(peer);
            }
            if (d.unicastTtlNode != null && d.peerAddresses.isEmpty()) {
                out.warning(d.unicastTtlNode, vi + " Cannot use unicast_ttl without unicast peers - resetting");
                d.unicastTtl = 255;
            }
            b.v3ChecksumAsV2(d.v3ChecksumAsV2)
                    .lowerPrioNoAdvert(d.lowerPrioNoAdvert)
                    .higherPrioSendAdvert(d.higherPrioSendAdvert)
                    .notifyPriorityChanges(d.notifyPriorityChanges)
                    .garpMasterRepeat(d.garpMasterRepeat)
                    .garpMasterDelay(Duration.ofSeconds(d.garpMasterDelay))
                    .garpLowerPrioRepeat(d.garpLowerPrioRepeat != null ? d.garpLowerPrioRepeat : d.garpMasterRepeat)
                    .garpLowerPrioDelay(Duration.ofSeconds(d.garpLowerPrioDelay != null ? d.garpLowerPrioDelay
                            : d.garpMasterDelay))
                    .garpMasterRefresh(Duration.ofSeconds(d.garpMasterRefresh))
                    .garpMasterRefreshRepeat(d.garpMasterRefreshRepeat)
                    .downTimerAdverts(d.downTimerAdverts);

            // trackers: existence, sync group rules
            Set<String> groupScripts = new LinkedHashSet<>();
            Set<String> groupInterfaces = new LinkedHashSet<>();
            if (group != null) {
                group.trackScripts.forEach(t -> groupScripts.add(t.track.script()));
                group.trackInterfaces.forEach(t -> groupInterfaces.add(t.track.name()));
            }
            Set<String> seen = new LinkedHashSet<>();
            for (TrackScriptEntry t : d.trackScripts) {
                if (!seen.add(t.track.script())) {
                    out.warning(t.node, vi + " track_script " + t.track.script() + " is listed twice - ignoring");
                    continue;
                }
                if (!checkScriptExists(t, vi)) {
                    continue;
                }
                if (groupScripts.contains(t.track.script())) {
                    out.warning(t.node, vi + " track_script " + t.track.script() + " is configured on VRRP instance"
                            + " and sync group. Remove vrrp instance config");
                    continue;
                }
                TrackScript track = t.track;
                if (group != null && !group.keepWeights) {
                    int w = track.weight().orElse(scripts.get(track.script()).config.weight());
                    if (w != 0) {
                        out.warning(t.node, vi + " track_script " + track.script() + " weight " + w
                                + " is set to 0 since the instance is in sync group " + group.name
                                + " (use sync_group_tracking_weight to keep weights)");
                        track = TrackScript.of(track.script(), 0, track.reverse().orElse(false));
                    }
                }
                b.trackScript(track);
                d.usedScripts.add(track.script());
            }
            seen.clear();
            for (TrackInterfaceEntry t : d.trackInterfaces) {
                if (!seen.add(t.track.name())) {
                    out.warning(t.node, vi + " track_interface " + t.track.name() + " is listed twice - ignoring");
                    continue;
                }
                if (groupInterfaces.contains(t.track.name())) {
                    out.warning(t.node, vi + " track_interface " + t.track.name() + " is configured on VRRP instance"
                            + " and sync group. Remove vrrp instance config");
                    continue;
                }
                TrackInterface track = t.track;
                if (group != null && !group.keepWeights && track.weight() != 0) {
                    out.warning(t.node, vi + " track_interface " + track.name() + " weight " + track.weight()
                            + " is set to 0 since the instance is in sync group " + group.name
                            + " (use sync_group_tracking_weight to keep weights)");
                    track = new TrackInterface(track.name(), 0, track.reverse());
                }
                b.trackInterface(track);
            }

            VrrpInstanceConfig built;
            List<String> warnings = new ArrayList<>();
            try {
                built = b.build(warnings::add);
            } catch (VrrpConfigException e) {
                out.error(locate(block, e.getMessage()), e.getMessage());
                return;
            }
            for (String w : warnings) {
                out.warning(locate(block, w), w);
            }
            for (VirtualAddress e : d.excluded) {
                if (built.virtualAddresses().contains(e)) {
                    out.warning(locate(block, "virtual_ipaddress_excluded"), vi + " virtual_ipaddress_excluded " + e
                            + " is also a virtual_ipaddress - ignoring the excluded entry");
                }
            }
            d.excluded.removeIf(built.virtualAddresses()::contains);
            Map<VirtualAddress, String> kept = new LinkedHashMap<>();
            labels.forEach((k, v) -> {
                if (built.virtualAddresses().contains(k) || d.excluded.contains(k)) {
                    kept.put(k, v);
                }
            });
            d.labels = kept;
            d.config = built;

            for (InstanceDraft other : instances.values()) {
                VrrpInstanceConfig oc = other.config;
                if (oc.interfaceName().equals(built.interfaceName()) && oc.virtualRouterId() == built.virtualRouterId()
                        && oc.isIpv6() == built.isIpv6() && oc.isUnicast() == built.isUnicast()) {
                    out.error(d.vridNode != null ? d.vridNode : block, vi + " virtual_router_id "
                            + built.virtualRouterId() + " is already used by (" + other.name + ") on interface "
                            + built.interfaceName() + " (" + other.node.location() + "); accepted a VRID unique per"
                            + " interface and address family");
                    return;
                }
            }
            instances.put(name, d);
        }

        void readAuthentication(ConfigNode block, VrrpInstanceConfig.Builder b, String vi) {
            AuthType type = null;
            String pass = null;
            ConfigNode typeNode = block;
            for (ConfigNode n : block.children()) {
                switch (n.keyword()) {
                    case "auth_type" -> {
                        typeNode = n;
                        Optional<String> t = ConfigValues.string(n, out);
                        if (t.isPresent()) {
                            switch (t.get()) {
                                case "PASS" -> type = AuthType.PASS;
                                case "AH" -> type = AuthType.AH;
                                default -> out.error(n, vi + " unknown authentication type '" + t.get()
                                        + "'; accepted PASS or AH");
                            }
                        }
                    }
                    case "auth_pass" -> {
                        Optional<String> p = ConfigValues.string(n, out);
                        if (p.isPresent()) {
                            pass = p.get();
                        }
                    }
                    default -> out.warning(n, "Unknown keyword '" + n.keyword() + "'");
                }
            }
            if (type == null) {
                if (pass != null && typeNode == block) {
                    out.error(block, vi + " auth_pass without auth_type; accepted auth_type PASS or AH");
                }
                return;
            }
            if (pass == null) {
                out.error(typeNode, vi + " Authentication specified but no password given; auth_pass is required"
                        + " for auth_type " + type);
                return;
            }
            b.authentication(type, pass);
        }

        void readPeers(ConfigNode block, InstanceDraft d, String vi) {
            for (ConfigNode n : block.children()) {
                Optional<InetAddress> addr = ip(n, Optional.of(n.keyword()), vi + " unicast_peer");
                int min = 0;
                int max = 255;
                boolean ok = addr.isPresent();
                List<String> args = n.args();
                for (int i = 0; i < args.size(); i++) {
                    String opt = args.get(i);
                    if ((opt.equals("min_ttl") || opt.equals("max_ttl")) && i + 1 < args.size()) {
                        OptionalInt v = parseInt(n, args.get(++i), 0, 255,
                                vi + " unicast_peer " + n.keyword() + " " + opt);
                        if (v.isEmpty()) {
                            ok = false;
                        } else if (opt.equals("min_ttl")) {
                            min = v.getAsInt();
                        } else {
                            max = v.getAsInt();
                        }
                    } else {
                        out.error(n, vi + " unicast_peer " + n.keyword() + ": option '" + opt
                                + "' is not valid; accepted [min_ttl {0..255}] [max_ttl {0..255}]");
                        ok = false;
                    }
                }
                if (!ok) {
                    continue;
                }
                if (min > max) {
                    out.error(n, vi + " unicast_peer " + n.keyword() + ": min_ttl " + min + " is above max_ttl " + max
                            + "; accepted min_ttl <= max_ttl");
                    continue;
                }
                InetAddress a = addr.get();
                if (d.peerAddresses.stream().anyMatch(p -> Arrays.equals(p.getAddress(), a.getAddress()))) {
                    out.warning(n, vi + " unicast_peer " + n.keyword() + " is listed twice - ignoring");
                    continue;
                }
                d.peerAddresses.add(a);
                d.peers.add(new ReceiverSettings.UnicastPeer(a, min, max));
            }
        }

        /** One {@code virtual_ipaddress} line: {@code <IPADDR>[/<MASK>] [dev X] [label Y] [options...]}. */
        Optional<VirtualAddress> address(ConfigNode n, String vi, String what, Map<VirtualAddress, String> labels) {
            String spec = n.keyword();
            String addrText = spec;
            Integer prefix = null;
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                addrText = spec.substring(0, slash);
                String len = spec.substring(slash + 1);
                OptionalInt p = parseInt(n, len, 0, 128, vi + " " + what + " " + spec + " prefix length");
                if (p.isEmpty()) {
                    return Optional.empty();
                }
                prefix = p.getAsInt();
            }
            InetAddress address;
            try {
                address = IpLiterals.parse(addrText, what);
            } catch (VrrpConfigException e) {
                out.error(n, vi + " VRRP parsed invalid IP " + spec + " in " + what + "; accepted <IPADDR>[/<MASK>]"
                        + " [dev <IFNAME>] [label <LABEL>] with a dotted-quad IPv4 or an IPv6 address");
                return Optional.empty();
            }
            int max = address instanceof Inet6Address ? 128 : 32;
            if (prefix != null && prefix > max) {
                out.error(n, vi + " " + what + " " + spec + ": prefix length " + prefix + " is out of range;"
                        + " accepted 0.." + max);
                return Optional.empty();
            }
            String dev = null;
            String label = null;
            List<String> args = n.args();
            for (int i = 0; i < args.size(); i++) {
                String opt = args.get(i);
                switch (opt) {
                    case "dev", "label" -> {
                        if (i + 1 >= args.size()) {
                            out.error(n, vi + " " + what + " " + spec + ": '" + opt + "' needs a value");
                            return Optional.empty();
                        }
                        String v = args.get(++i);
                        if (opt.equals("dev")) {
                            dev = v;
                        } else {
                            label = v;
                        }
                    }
                    case "-nodad", "nodad" -> {
                    }
                    default -> {
                        Boolean takesValue = IGNORED_ADDRESS_OPTIONS.get(opt);
                        if (takesValue == null) {
                            out.error(n, vi + " Unknown configuration entry '" + opt + "' for ip address " + spec
                                    + "; accepted dev, label, -nodad, brd, scope, peer, home, mngtmpaddr,"
                                    + " noprefixroute, autojoin, no_track, preferred_lft, track_group");
                            return Optional.empty();
                        }
                        out.warning(n, vi + " " + what + " " + spec + ": option '" + opt
                                + "' is not supported by lvs4j - ignoring");
                        if (takesValue) {
                            i++;
                        }
                    }
                }
            }
            if (label != null) {
                if (address instanceof Inet6Address) {
                    out.warning(n, vi + " " + what + " " + spec + ": label applies to IPv4 addresses only - ignoring");
                    label = null;
                } else if (label.isEmpty() || label.length() > 15) {
                    out.error(n, vi + " " + what + " " + spec + ": label '" + label + "' is not valid; accepted 1 to"
                            + " 15 characters, conventionally <dev>:<anything>");
                    return Optional.empty();
                }
            }
            VirtualAddress vip;
            try {
                vip = new VirtualAddress(address, prefix != null ? prefix : max, Optional.ofNullable(dev));
            } catch (VrrpConfigException e) {
                out.error(n, vi + " " + e.getMessage());
                return Optional.empty();
            }
            if (label != null) {
                labels.put(vip, label);
            }
            return Optional.of(vip);
        }

        List<TrackScriptEntry> trackScripts(ConfigNode block, String owner) {
            List<TrackScriptEntry> list = new ArrayList<>();
            for (ConfigNode n : block.children()) {
                String name = n.keyword();
                List<String> args = n.args();
                Integer weight = null;
                Boolean reverse = null;
                boolean ok = true;
                for (int i = 0; i < args.size() && ok; i++) {
                    String opt = args.get(i);
                    if (opt.equals("weight") && i + 1 < args.size()) {
                        OptionalInt w = parseInt(n, args.get(++i), VrrpScriptConfig.MIN_WEIGHT,
                                VrrpScriptConfig.MAX_WEIGHT,
                                owner + " track script " + name + " weight");
                        ok = w.isPresent();
                        weight = ok ? w.getAsInt() : null;
                    } else if (weight != null && opt.equals("reverse")) {
                        reverse = true;
                    } else if (weight != null && (opt.equals("noreverse") || opt.equals("no_reverse"))) {
                        reverse = false;
                    } else {
                        out.error(n, owner + " track script " + name + ": option '" + opt + "' is not valid; accepted"
                                + " <SCRIPT_NAME> [weight <-253..253> [reverse|noreverse]]");
                        ok = false;
                    }
                }
                if (!ok) {
                    continue;
                }
                TrackScript t = weight == null ? TrackScript.of(name)
                        : reverse == null ? TrackScript.of(name, weight) : TrackScript.of(name, weight, reverse);
                list.add(new TrackScriptEntry(n, t));
            }
            return list;
        }

        List<TrackInterfaceEntry> trackInterfaces(ConfigNode block, String owner) {
            List<TrackInterfaceEntry> list = new ArrayList<>();
            for (ConfigNode n : block.children()) {
                String name = n.keyword();
                List<String> args = n.args();
                int weight = 0;
                boolean reverse = false;
                boolean weighted = false;
                boolean ok = true;
                for (int i = 0; i < args.size() && ok; i++) {
                    String opt = args.get(i);
                    if (opt.equals("weight") && i + 1 < args.size()) {
                        OptionalInt w = parseInt(n, args.get(++i), VrrpScriptConfig.MIN_WEIGHT,
                                VrrpScriptConfig.MAX_WEIGHT,
                                owner + " track_interface " + name + " weight");
                        ok = w.isPresent();
                        weight = w.orElse(0);
                        weighted = true;
                    } else if (weighted && opt.equals("reverse")) {
                        reverse = true;
                    } else if (weighted && (opt.equals("noreverse") || opt.equals("no_reverse"))) {
                        reverse = false;
                    } else {
                        out.error(n, owner + " track_interface " + name + ": option '" + opt + "' is not valid;"
                                + " accepted <IFNAME> [weight <-253..253> [reverse|noreverse]]");
                        ok = false;
                    }
                }
                if (!ok) {
                    continue;
                }
                try {
                    list.add(new TrackInterfaceEntry(n, new TrackInterface(name, weight, reverse)));
                } catch (VrrpConfigException e) {
                    out.error(n, owner + " " + e.getMessage());
                }
            }
            return list;
        }

        boolean checkScriptExists(TrackScriptEntry t, String owner) {
            if (scripts.containsKey(t.track.script())) {
                return true;
            }
            out.error(t.node, owner + " track script " + t.track.script() + " not found; defined vrrp_scripts: "
                    + scripts.keySet());
            return false;
        }

        // ------------------------------------------------------------------------------ assembly

        Optional<VrrpDaemonConfig> assemble() {
            VrrpDaemonConfig.Builder cfg = VrrpDaemonConfig.builder()
                    .routerId(globals.routerId)
                    .logUnknownVrids(globals.logUnknownVrids)
                    .multicastGroup4(globals.group4)
                    .multicastGroup6(globals.group6)
                    .startupDelay(globals.startupDelay);
            globals.fifos.forEach(cfg::notifyFifo);

            List<VrrpSyncGroupConfig> builtGroups = new ArrayList<>();
            Set<String> used = new LinkedHashSet<>();
            instances.values().forEach(i -> used.addAll(i.usedScripts));
            for (GroupDraft g : groups.values()) {
                if (g.members.isEmpty()) {
                    continue;
                }
                g.members.keySet().forEach(g.builder::member);
                for (TrackScriptEntry t : g.trackScripts) {
                    if (scripts.containsKey(t.track.script())) {
                        g.builder.trackScript(t.track);
                        used.add(t.track.script());
                    }
                }
                g.trackInterfaces.forEach(t -> g.builder.trackInterface(t.track));
                List<String> warnings = new ArrayList<>();
                try {
                    builtGroups.add(g.builder.build(warnings::add));
                } catch (VrrpConfigException e) {
                    out.error(g.node, e.getMessage());
                    continue;
                }
                warnings.forEach(w -> out.warning(g.node, w));
            }
            for (ScriptDraft s : scripts.values()) {
                if (used.contains(s.config.name())) {
                    cfg.script(s.config);
                } else if (!out.hasErrors()) {
                    out.warning(s.node, "Warning - script " + s.config.name() + " is not used");
                }
            }
            for (InstanceDraft d : instances.values()) {
                try {
                    cfg.instance(d.config, new VrrpInstanceHostOptions(d.excluded, d.labels, d.peers, d.unicastTtl,
                            d.checkUnicastSource || globals.checkUnicastSource,
                            d.skipCheckAdvAddr != null ? d.skipCheckAdvAddr : globals.skipCheckAdvAddr,
                            d.ownerIgnoreAdverts, d.oldUnicastChecksum, d.detectOldUnicastChecksum));
                } catch (VrrpConfigException e) {
                    out.error(d.node, e.getMessage());
                }
            }
            builtGroups.forEach(cfg::syncGroup);
            if (out.hasErrors()) {
                return Optional.empty();
            }
            VrrpDaemonConfig result;
            try {
                result = cfg.build();
            } catch (VrrpConfigException e) {
                out.error(config.file(), 1, e.getMessage());
                return Optional.empty();
            }
            trialBuild(result);
            return Optional.of(result);
        }

        /** Builds an engine (no I/O) so that whatever the engine refuses is reported now, at a line. */
        void trialBuild(VrrpDaemonConfig c) {
            VrrpEngine.Builder b = VrrpEngine.builder(new ManualVrrpScheduler(), new VrrpActions() {
                @Override
                public void sendAdvert(VrrpInstance instance, int priority) {
                }

                @Override
                public void addAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
                }

                @Override
                public void removeAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
                }

                @Override
                public void sendGratuitousArps(VrrpInstance instance, List<VirtualAddress> addresses) {
                }
            }).scriptExecutor((argv, timeout) -> new CompletableFuture<>()).logSink(line -> { });
            try {
                c.scripts().forEach(b::script);
                c.instances().forEach(b::instance);
                c.syncGroups().forEach(b::syncGroup);
                b.build();
            } catch (VrrpConfigException e) {
                out.error(locateAnywhere(e.getMessage()), e.getMessage());
            }
        }

        // ------------------------------------------------------------------------------ helpers

        Optional<String> blockName(ConfigNode block) {
            if (block.args().isEmpty() || block.args().get(0).isBlank()) {
                out.error(block, block.keyword() + " has no name; accepted " + block.keyword() + " <NAME> { ... }");
                return Optional.empty();
            }
            if (block.args().size() > 1) {
                out.warning(block, block.keyword() + " " + block.args().get(0) + ": extra words after the name are"
                        + " ignored: " + String.join(" ", block.args().subList(1, block.args().size())));
            }
            if (!block.block()) {
                out.error(block, block.keyword() + " " + block.args().get(0) + " has no { ... } block");
                return Optional.empty();
            }
            return Optional.of(block.args().get(0));
        }

        OptionalInt intValue(ConfigNode n, int min, int max) {
            OptionalLong v = ConfigValues.integer(n, min, max, out);
            return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
        }

        OptionalInt parseInt(ConfigNode n, String text, int min, int max, String what) {
            String s = text.startsWith("+") ? text.substring(1) : text;
            try {
                int v = Integer.parseInt(s);
                if (v >= min && v <= max) {
                    return OptionalInt.of(v);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            out.error(n, what + " '" + text + "' is not valid; accepted an integer in [" + min + ", " + max + "]");
            return OptionalInt.empty();
        }

        Optional<InetAddress> ip(ConfigNode n, Optional<String> text, String what) {
            if (text.isEmpty()) {
                out.error(n, "'" + n.keyword() + "' is missing a parameter at word position 2: expected an IP address");
                return Optional.empty();
            }
            try {
                return Optional.of(IpLiterals.parse(text.get(), what));
            } catch (VrrpConfigException e) {
                out.error(n, e.getMessage());
                return Optional.empty();
            }
        }

        void flag(ConfigNode n, Runnable set) {
            if (n.args().isEmpty()) {
                set.run();
                return;
            }
            Optional<Boolean> v = ConfigValues.bool(n, out);
            if (v.isPresent() && v.get()) {
                set.run();
            }
        }

        void userIgnored(ConfigNode n, int from) {
            if (n.args().size() > from) {
                out.warning(n, n.keyword() + ": running as " + String.join(" ", n.args().subList(from, n.args().size()))
                        + " is not supported by lvs4j - the script runs as the daemon's user");
            }
        }

        void script(ConfigNode n, java.util.function.Consumer<String> setter) {
            Optional<List<String>> argv = ConfigValues.scriptArgv(n, out);
            if (argv.isEmpty()) {
                return;
            }
            userIgnored(n, 1);
            try {
                setter.accept(commandLine(argv.get()));
            } catch (VrrpConfigException e) {
                out.error(n, n.keyword() + ": " + e.getMessage());
            }
        }

        /** The node of {@code block} whose keyword the message names, else the block itself. */
        ConfigNode locate(ConfigNode block, String message) {
            for (String[] alias : MESSAGE_KEYWORDS) {
                if (message.contains(alias[0])) {
                    ConfigNode node = findKeyword(block, alias[1]);
                    if (node != null) {
                        return node;
                    }
                }
            }
            ConfigNode found = find(block, message);
            return found != null ? found : block;
        }

        private ConfigNode findKeyword(ConfigNode block, String keyword) {
            for (ConfigNode child : block.children()) {
                if (child.keyword().equals(keyword)) {
                    return child;
                }
                ConfigNode nested = child.block() && !child.children().isEmpty() ? findKeyword(child, keyword) : null;
                if (nested != null) {
                    return nested;
                }
            }
            return null;
        }

        private ConfigNode find(ConfigNode block, String message) {
            for (ConfigNode child : block.children()) {
                if (!child.keyword().isEmpty() && Pattern.compile("(^|[^A-Za-z0-9_.:])" + Pattern.quote(child.keyword())
                        + "($|[^A-Za-z0-9_.:])").matcher(message).find()) {
                    return child;
                }
                ConfigNode nested = find(child, message);
                if (nested != null) {
                    return nested;
                }
            }
            return null;
        }

        /** For an engine message: the instance it names (by its {@code (NAME)} prefix or name), else the file. */
        ConfigNode locateAnywhere(String message) {
            Matcher m = INSTANCE_PREFIX.matcher(message);
            if (m.find() && instances.containsKey(m.group(1))) {
                return locate(instances.get(m.group(1)).node, message);
            }
            for (InstanceDraft d : instances.values()) {
                if (message.contains(" " + d.name + " ") || message.endsWith(" " + d.name)) {
                    return d.node;
                }
            }
            for (GroupDraft g : groups.values()) {
                if (message.contains(g.name)) {
                    return g.node;
                }
            }
            List<ConfigNode> roots = config.roots("vrrp_instance");
            return roots.isEmpty() ? new ConfigNode("", List.of(), List.of(), false, config.file(), 1, "")
                    : roots.get(0);
        }
    }

    /** A command line that {@link ScriptCommand#parse} splits back into exactly {@code argv}. */
    static String commandLine(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String word : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static final class Globals {
        String routerId;
        Integer version;
        Integer garpMasterDelay;
        Integer garpMasterRepeat;
        Integer garpMasterRefresh;
        Integer garpMasterRefreshRepeat;
        Integer garpLowerPrioDelay;
        Integer garpLowerPrioRepeat;
        Integer downTimerAdverts;
        boolean minGarp;
        boolean lowerPrioNoAdvert;
        boolean higherPrioSendAdvert;
        boolean notifyPriorityChanges;
        boolean checkUnicastSource;
        boolean skipCheckAdvAddr;
        boolean v3ChecksumAsV2;
        boolean logUnknownVrids;
        final List<Path> fifos = new ArrayList<>();
        Inet4Address group4 = VrrpCodec.IPV4_MULTICAST_GROUP;
        Inet6Address group6 = VrrpCodec.IPV6_MULTICAST_GROUP;
        Duration startupDelay = Duration.ZERO;
    }

    private record ScriptDraft(ConfigNode node, VrrpScriptConfig config) {
    }

    private record TrackScriptEntry(ConfigNode node, TrackScript track) {
    }

    private record TrackInterfaceEntry(ConfigNode node, TrackInterface track) {
    }

    private static final class GroupDraft {
        final ConfigNode node;
        final String name;
        final Map<String, ConfigNode> members = new LinkedHashMap<>();
        final List<TrackScriptEntry> trackScripts = new ArrayList<>();
        final List<TrackInterfaceEntry> trackInterfaces = new ArrayList<>();
        final VrrpSyncGroupConfig.Builder builder;
        boolean keepWeights;

        GroupDraft(ConfigNode node, String name) {
            this.node = node;
            this.name = name;
            this.builder = VrrpSyncGroupConfig.builder(name);
        }
    }

    private static final class InstanceDraft {
        final ConfigNode node;
        final String name;
        String interfaceName;
        boolean sawInterface;
        int vrid;
        ConfigNode vridNode;
        VrrpInstanceConfig config;
        final List<VirtualAddress> excluded = new ArrayList<>();
        Map<VirtualAddress, String> labels = Map.of();
        final List<InetAddress> peerAddresses = new ArrayList<>();
        final List<ReceiverSettings.UnicastPeer> peers = new ArrayList<>();
        int unicastTtl = 255;
        ConfigNode unicastTtlNode;
        boolean checkUnicastSource;
        Boolean skipCheckAdvAddr;
        boolean ownerIgnoreAdverts;
        boolean oldUnicastChecksum;
        boolean detectOldUnicastChecksum = true;
        final List<TrackScriptEntry> trackScripts = new ArrayList<>();
        final List<TrackInterfaceEntry> trackInterfaces = new ArrayList<>();
        final Set<String> usedScripts = new LinkedHashSet<>();
        // instance-level values, seeded from global_defs and overridden by the instance's own keywords
        boolean lowerPrioNoAdvert;
        boolean higherPrioSendAdvert;
        boolean notifyPriorityChanges;
        boolean v3ChecksumAsV2;
        int garpMasterRepeat;
        int garpMasterDelay;
        Integer garpLowerPrioRepeat;
        Integer garpLowerPrioDelay;
        int garpMasterRefresh;
        int garpMasterRefreshRepeat;
        int downTimerAdverts;

        InstanceDraft(ConfigNode node, String name) {
            this.node = node;
            this.name = name;
        }
    }
}
