package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.SchedulerFlags;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TimeoutSettings;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.Kind;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.ListFlag;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.Server;
import io.lvs4j.core.ipvsadm.OptionRules.Opt;
import io.lvs4j.core.ipvsadm.PoptScanner.Arg;
import io.lvs4j.core.ipvsadm.PoptScanner.Option;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an argument vector into an {@link IpvsadmCommand} with ipvsadm 1.31's rules, in its order:
 * the first option must be the command; the other options are read left to right, each checked as
 * it is read (so of two bad values the first is reported, and {@code -M}, {@code -r} and {@code -6}
 * see only what was given before them, as in ipvsadm); then the leftover words, the scheduler
 * flags, the option/command table, and the per-command checks. Every refusal is an
 * {@link IpvsadmException} with ipvsadm's text and exit status.
 *
 * <p>Differences from ipvsadm, all because lvs4j does no name service lookups: host names are not
 * resolved (only numeric addresses are accepted), and port names come from {@link ServiceNames}.
 */
final class CommandParser {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int MAX_TIMEOUT = 86400 * 31;
    static final int DEFAULT_PERSISTENCE_TIMEOUT = 360;
    static final String DEFAULT_SCHEDULER = "wlc";
    private static final int SCHEDNAME_MAXLEN = 16;
    private static final int PENAME_MAXLEN = 16;

    private static final int F_PERSISTENT = 0x1;
    private static final int F_ONEPACKET = 0x4;

    private static final int SERVICE_ADDR = 1;
    private static final int SERVICE_PORT = 2;

    private static final int TAG_SET = 128;
    private static final int TAG_START_DAEMON = 129;
    private static final int TAG_STOP_DAEMON = 130;
    private static final int TAG_MCAST_INTERFACE = 131;
    private static final int TAG_TIMEOUT = 132;
    private static final int TAG_DAEMON = 133;
    private static final int TAG_STATS = 134;
    private static final int TAG_RATE = 135;
    private static final int TAG_THRESHOLDS = 136;
    private static final int TAG_PERSISTENTCONN = 137;
    private static final int TAG_SORT = 138;
    private static final int TAG_NO_SORT = 139;
    private static final int TAG_PERSISTENCE_ENGINE = 140;
    private static final int TAG_SCTP_SERVICE = 141;
    private static final int TAG_MCAST_GROUP = 142;
    private static final int TAG_MCAST_PORT = 143;
    private static final int TAG_MCAST_TTL = 144;
    private static final int TAG_SYNC_MAXLEN = 145;
    private static final int TAG_TUN_INFO = 146;
    private static final int TAG_TUN_TYPE = 147;
    private static final int TAG_TUN_PORT = 148;
    private static final int TAG_TUN_NOCSUM = 149;
    private static final int TAG_TUN_CSUM = 150;
    private static final int TAG_TUN_REMCSUM = 151;
    private static final int TAG_SYNCID = 'I';

    static final String[] TUNNEL_TYPES = {"ipip", "gue", "gre"};

    private static final List<Option> OPTIONS = List.of(
            opt("add-service", 'A', Arg.NONE, 'A'),
            opt("edit-service", 'E', Arg.NONE, 'E'),
            opt("delete-service", 'D', Arg.NONE, 'D'),
            opt("clear", 'C', Arg.NONE, 'C'),
            opt("list", 'L', Arg.NONE, 'L'),
            opt("list", 'l', Arg.NONE, 'l'),
            opt("zero", 'Z', Arg.NONE, 'Z'),
            opt("add-server", 'a', Arg.NONE, 'a'),
            opt("edit-server", 'e', Arg.NONE, 'e'),
            opt("delete-server", 'd', Arg.NONE, 'd'),
            opt("set", (char) 0, Arg.NONE, TAG_SET),
            opt("help", 'h', Arg.NONE, 'h'),
            opt("version", 'v', Arg.NONE, 'v'),
            opt("restore", 'R', Arg.NONE, 'R'),
            opt("save", 'S', Arg.NONE, 'S'),
            opt("start-daemon", (char) 0, Arg.REQUIRED, TAG_START_DAEMON),
            opt("stop-daemon", (char) 0, Arg.REQUIRED, TAG_STOP_DAEMON),
            opt("tcp-service", 't', Arg.REQUIRED, 't'),
            opt("udp-service", 'u', Arg.REQUIRED, 'u'),
            opt("sctp-service", (char) 0, Arg.REQUIRED, TAG_SCTP_SERVICE),
            opt("fwmark-service", 'f', Arg.REQUIRED, 'f'),
            opt("scheduler", 's', Arg.REQUIRED, 's'),
            opt("persistent", 'p', Arg.OPTIONAL, 'p'),
            opt("netmask", 'M', Arg.REQUIRED, 'M'),
            opt("real-server", 'r', Arg.REQUIRED, 'r'),
            opt("masquerading", 'm', Arg.NONE, 'm'),
            opt("ipip", 'i', Arg.NONE, 'i'),
            opt("gatewaying", 'g', Arg.NONE, 'g'),
            opt("weight", 'w', Arg.REQUIRED, 'w'),
            opt("u-threshold", 'x', Arg.REQUIRED, 'x'),
            opt("l-threshold", 'y', Arg.REQUIRED, 'y'),
            opt("numeric", 'n', Arg.NONE, 'n'),
            opt("connection", 'c', Arg.NONE, 'c'),
            opt("mcast-interface", (char) 0, Arg.REQUIRED, TAG_MCAST_INTERFACE),
            opt("syncid", (char) 0, Arg.REQUIRED, TAG_SYNCID),
            opt("timeout", (char) 0, Arg.NONE, TAG_TIMEOUT),
            opt("daemon", (char) 0, Arg.NONE, TAG_DAEMON),
            opt("stats", (char) 0, Arg.NONE, TAG_STATS),
            opt("rate", (char) 0, Arg.NONE, TAG_RATE),
            opt("thresholds", (char) 0, Arg.NONE, TAG_THRESHOLDS),
            opt("persistent-conn", (char) 0, Arg.NONE, TAG_PERSISTENTCONN),
            opt("nosort", (char) 0, Arg.NONE, TAG_NO_SORT),
            opt("sort", (char) 0, Arg.NONE, TAG_SORT),
            opt("exact", 'X', Arg.NONE, 'X'),
            opt("ipv6", '6', Arg.NONE, '6'),
            opt("ops", 'o', Arg.NONE, 'o'),
            opt("pe", (char) 0, Arg.REQUIRED, TAG_PERSISTENCE_ENGINE),
            opt("sched-flags", 'b', Arg.REQUIRED, 'b'),
            opt("mcast-group", (char) 0, Arg.REQUIRED, TAG_MCAST_GROUP),
            opt("mcast-port", (char) 0, Arg.REQUIRED, TAG_MCAST_PORT),
            opt("mcast-ttl", (char) 0, Arg.REQUIRED, TAG_MCAST_TTL),
            opt("sync-maxlen", (char) 0, Arg.REQUIRED, TAG_SYNC_MAXLEN),
            opt("tun-info", (char) 0, Arg.NONE, TAG_TUN_INFO),
            opt("tun-type", (char) 0, Arg.REQUIRED, TAG_TUN_TYPE),
            opt("tun-port", (char) 0, Arg.REQUIRED, TAG_TUN_PORT),
            opt("tun-nocsum", (char) 0, Arg.NONE, TAG_TUN_NOCSUM),
            opt("tun-csum", (char) 0, Arg.NONE, TAG_TUN_CSUM),
            opt("tun-remcsum", (char) 0, Arg.NONE, TAG_TUN_REMCSUM));

    /** The fields of a virtual service as ipvsadm fills them while it reads the options. */
    private static final class Svc {
        int af;
        int protocol;
        InetAddress addr;
        int port;
        long fwmark;
        String sched = "";
        int flags;
        int timeout;
        long netmask = 0xFFFFFFFFL;
        String pe = "";

        Svc copy() {
            Svc c = new Svc();
            c.af = af;
            c.protocol = protocol;
            c.addr = addr;
            c.port = port;
            c.fwmark = fwmark;
            c.netmask = netmask;
            return c;
        }
    }

    private final Set<Opt> options = EnumSet.noneOf(Opt.class);
    private final Set<ListFlag> format = EnumSet.noneOf(ListFlag.class);
    private final Svc svc = new Svc();
    private int destAf;
    private InetAddress destAddr;
    private int destPort;
    private ForwardingMethod fwd = ForwardingMethod.ROUTE;
    private int weight = 1;
    private int uThreshold;
    private int lThreshold;
    private int tunType;
    private int tcpTimeout;
    private int tcpFinTimeout;
    private int udpTimeout;

    private CommandParser() {
    }

    private static Option opt(String longName, char shortName, Arg arg, int tag) {
        return new Option(longName, shortName, arg, tag);
    }

    /**
     * Parses one command line (without the program name).
     *
     * @param readingStdin true for a line read by {@code -R}, where {@code -R} itself is refused
     */
    static IpvsadmCommand parse(List<String> argv, boolean readingStdin) {
        return new CommandParser().run(argv, readingStdin);
    }

    private IpvsadmCommand run(List<String> argv, boolean readingStdin) {
        PoptScanner scanner = new PoptScanner(OPTIONS, argv);
        int c = scanner.nextOption();
        if (c < 0) {
            throw IpvsadmException.tryHelp();
        }
        Kind cmd = switch (c) {
            case 'A' -> Kind.ADD_SERVICE;
            case 'E' -> Kind.EDIT_SERVICE;
            case 'D' -> Kind.DELETE_SERVICE;
            case 'a' -> Kind.ADD_SERVER;
            case 'e' -> Kind.EDIT_SERVER;
            case 'd' -> Kind.DELETE_SERVER;
            case 'C' -> Kind.CLEAR;
            case 'L', 'l' -> Kind.LIST;
            case 'Z' -> Kind.ZERO;
            case TAG_SET -> Kind.SET_TIMEOUTS;
            case 'R' -> Kind.RESTORE;
            case 'S' -> Kind.SAVE;
            case TAG_START_DAEMON -> {
                if (!"master".equals(scanner.optArg()) && !"backup".equals(scanner.optArg())) {
                    throw IpvsadmException.fail("illegal start-daemon parameter specified");
                }
                yield Kind.START_DAEMON;
            }
            case TAG_STOP_DAEMON -> {
                if (!"master".equals(scanner.optArg()) && !"backup".equals(scanner.optArg())) {
                    throw IpvsadmException.fail("illegal start_daemon specified");
                }
                yield Kind.STOP_DAEMON;
            }
            case 'h' -> Kind.HELP;
            case 'v' -> Kind.VERSION;
            default -> throw IpvsadmException.tryHelp();
        };
        if (cmd == Kind.HELP || cmd == Kind.VERSION) {
            return new IpvsadmCommand(cmd, null, null, null, null, null, null);
        }

        String schedFlagsArg = "";
        while ((c = scanner.nextOption()) >= 0) {
            String arg = scanner.optArg();
            switch (c) {
                case 't', 'u', TAG_SCTP_SERVICE -> {
                    setOption(Opt.SERVICE);
                    svc.protocol = c == 't' ? Protocol.TCP.number() : c == 'u' ? Protocol.UDP.number()
                            : Protocol.SCTP.number();
                    int parsed = parseService(arg, svc);
                    if ((parsed & SERVICE_ADDR) == 0) {
                        throw IpvsadmException.fail("illegal virtual server address[:port] specified");
                    }
                }
                case 'f' -> {
                    setOption(Opt.SERVICE);
                    svc.af = AF_INET;
                    svc.protocol = Protocol.TCP.number();
                    svc.fwmark = parseFwmark(arg);
                }
                case 's' -> {
                    setOption(Opt.SCHEDULER);
                    svc.sched = truncate(arg, SCHEDNAME_MAXLEN - 1);
                }
                case 'p' -> {
                    setOption(Opt.PERSISTENT);
                    svc.flags |= F_PERSISTENT;
                    svc.timeout = parseTimeout(arg, 1, MAX_TIMEOUT);
                }
                case 'M' -> {
                    setOption(Opt.NETMASK);
                    if (svc.af != AF_INET6) {
                        long mask = CText.inetAton(arg);
                        if (mask < 0) {
                            throw IpvsadmException.fail("illegal virtual server persistent mask specified");
                        }
                        svc.netmask = mask;
                    } else {
                        int prefix = CText.atoi(arg);
                        if (prefix < 1 || prefix > 128) {
                            throw IpvsadmException.fail("illegal ipv6 netmask specified");
                        }
                        svc.netmask = prefix;
                    }
                }
                case 'r' -> {
                    setOption(Opt.SERVER);
                    Svc target = svc.copy();
                    int parsed = parseService(arg, target);
                    destAf = target.af;
                    destAddr = target.addr;
                    destPort = target.port;
                    if ((parsed & SERVICE_ADDR) == 0) {
                        throw IpvsadmException.fail("illegal real server address[:port] specified");
                    }
                    if (parsed == SERVICE_ADDR) {
                        destPort = svc.port;
                    }
                }
                case 'i' -> {
                    setOption(Opt.FORWARD);
                    fwd = ForwardingMethod.TUNNEL;
                }
                case 'g' -> {
                    setOption(Opt.FORWARD);
                    fwd = ForwardingMethod.ROUTE;
                }
                case 'm' -> {
                    setOption(Opt.FORWARD);
                    fwd = ForwardingMethod.MASQ;
                }
                case 'w' -> {
                    setOption(Opt.WEIGHT);
                    weight = (int) CText.stringToNumber(arg, 0, 65535);
                    if (weight == -1) {
                        throw IpvsadmException.fail("illegal weight specified");
                    }
                }
                case 'x' -> {
                    setOption(Opt.UTHRESHOLD);
                    uThreshold = (int) CText.stringToNumber(arg, 0, Integer.MAX_VALUE);
                    if (uThreshold == -1) {
                        throw IpvsadmException.fail("illegal u_threshold specified");
                    }
                }
                case 'y' -> {
                    setOption(Opt.LTHRESHOLD);
                    lThreshold = (int) CText.stringToNumber(arg, 0, Integer.MAX_VALUE);
                    if (lThreshold == -1) {
                        throw IpvsadmException.fail("illegal l_threshold specified");
                    }
                }
                case 'c' -> setOption(Opt.CONNECTION);
                case 'n' -> {
                    setOption(Opt.NUMERIC);
                    format.add(ListFlag.NUMERIC);
                }
                case TAG_MCAST_INTERFACE -> setOption(Opt.MCAST);
                case TAG_SYNCID -> {
                    setOption(Opt.SYNCID);
                    if (CText.stringToNumber(arg, 0, 255) == -1) {
                        throw IpvsadmException.fail("illegal syncid specified");
                    }
                }
                case TAG_TIMEOUT -> setOption(Opt.TIMEOUT);
                case TAG_DAEMON -> setOption(Opt.DAEMON);
                case TAG_STATS -> flag(Opt.STATS, ListFlag.STATS);
                case TAG_RATE -> flag(Opt.RATE, ListFlag.RATE);
                case TAG_THRESHOLDS -> flag(Opt.THRESHOLDS, ListFlag.THRESHOLDS);
                case TAG_PERSISTENTCONN -> flag(Opt.PERSISTENTCONN, ListFlag.PERSISTENT_CONN);
                case TAG_NO_SORT -> flag(Opt.NOSORT, ListFlag.NOSORT);
                case TAG_SORT -> {
                    // sorting is the default; accepted for compatibility
                }
                case 'X' -> flag(Opt.EXACT, ListFlag.EXACT);
                case '6' -> {
                    if (svc.fwmark != 0) {
                        svc.af = AF_INET6;
                        svc.netmask = 128;
                    } else {
                        throw new IpvsadmException(2, "-6 used before -f\n\n");
                    }
                }
                case 'o' -> {
                    setOption(Opt.ONEPACKET);
                    svc.flags |= F_ONEPACKET;
                }
                case TAG_PERSISTENCE_ENGINE -> {
                    setOption(Opt.PERSISTENCE_ENGINE);
                    svc.pe = truncate(arg, PENAME_MAXLEN - 1);
                }
                case 'b' -> {
                    setOption(Opt.SCHED_FLAGS);
                    schedFlagsArg = truncate(arg, 127);
                }
                case TAG_MCAST_GROUP -> {
                    setOption(Opt.MCAST_GROUP);
                    checkMcastGroup(arg);
                }
                case TAG_MCAST_PORT -> {
                    setOption(Opt.MCAST_PORT);
                    if (CText.stringToNumber(arg, 1, 65535) == -1) {
                        throw IpvsadmException.fail("illegal mcast-port specified");
                    }
                }
                case TAG_MCAST_TTL -> {
                    setOption(Opt.MCAST_TTL);
                    if (CText.stringToNumber(arg, 1, 255) == -1) {
                        throw IpvsadmException.fail("illegal mcast-ttl specified");
                    }
                }
                case TAG_SYNC_MAXLEN -> {
                    setOption(Opt.SYNC_MAXLEN);
                    if (CText.stringToNumber(arg, 1, 65535 - 20 - 8) == -1) {
                        throw IpvsadmException.fail("illegal sync-maxlen specified");
                    }
                }
                case TAG_TUN_INFO -> flag(Opt.TUN_INFO, ListFlag.TUN_INFO);
                case TAG_TUN_TYPE -> {
                    setOption(Opt.TUN_TYPE);
                    tunType = List.of(TUNNEL_TYPES).indexOf(arg);
                    if (tunType < 0) {
                        throw IpvsadmException.fail("illegal tunnel type specified");
                    }
                }
                case TAG_TUN_PORT -> {
                    setOption(Opt.TUN_PORT);
                    if (CText.stringToNumber(arg, 1, 65535) == -1) {
                        throw IpvsadmException.fail("illegal tunnel port specified");
                    }
                }
                case TAG_TUN_NOCSUM -> setOption(Opt.TUN_NOCSUM);
                case TAG_TUN_CSUM -> setOption(Opt.TUN_CSUM);
                case TAG_TUN_REMCSUM -> setOption(Opt.TUN_REMCSUM);
                default -> throw IpvsadmException.fail("invalid option `" + scanner.badOption() + "'");
            }
        }
        if (c < PoptScanner.END) {
            throw new IpvsadmException(255, scanner.badOption() + ": " + PoptScanner.strerror(c) + "\n");
        }

        if (cmd == Kind.SET_TIMEOUTS) {
            String a0 = scanner.nextLeftover();
            String a1 = a0 == null ? null : scanner.nextLeftover();
            String a2 = a1 == null ? null : scanner.nextLeftover();
            if (a2 == null) {
                throw IpvsadmException.fail("--set option requires 3 timeout values");
            }
            tcpTimeout = parseTimeout(a0, 0, MAX_TIMEOUT);
            tcpFinTimeout = parseTimeout(a1, 0, MAX_TIMEOUT);
            udpTimeout = parseTimeout(a2, 0, MAX_TIMEOUT);
        }
        String extra = scanner.nextLeftover();
        if (extra != null) {
            throw IpvsadmException.fail("unexpected argument " + extra);
        }
        if (!schedFlagsArg.isEmpty()) {
            svc.flags &= ~SchedulerFlags.ALL;
            svc.flags |= parseSchedFlags(svc.sched, schedFlagsArg);
        }

        OptionRules.check(cmd, options);

        if (cmd == Kind.ADD_SERVICE || cmd == Kind.EDIT_SERVICE) {
            if (svc.fwmark == 0 && svc.port == 0 && (svc.flags & F_PERSISTENT) == 0) {
                throw IpvsadmException.fail("Zero port specified for non-persistent service");
            }
            if ((svc.flags & F_ONEPACKET) != 0 && svc.fwmark == 0 && svc.protocol != Protocol.UDP.number()) {
                throw IpvsadmException.fail("One-Packet Scheduling is only for UDP virtual services");
            }
            if (svc.sched.isEmpty()) {
                svc.sched = DEFAULT_SCHEDULER;
            }
        }
        if (cmd == Kind.ADD_SERVER || cmd == Kind.EDIT_SERVER) {
            if (svc.fwmark == 0 && (fwd == ForwardingMethod.TUNNEL || fwd == ForwardingMethod.ROUTE)) {
                destPort = svc.port;
            }
            if (destAf != svc.af && fwd != ForwardingMethod.TUNNEL) {
                throw IpvsadmException.fail("Different address family is allowed only for tunneling servers");
            }
            boolean tunnelOptions = options.contains(Opt.TUN_TYPE) || options.contains(Opt.TUN_PORT)
                    || options.contains(Opt.TUN_NOCSUM) || options.contains(Opt.TUN_CSUM)
                    || options.contains(Opt.TUN_REMCSUM);
            if (tunnelOptions && fwd != ForwardingMethod.TUNNEL) {
                throw IpvsadmException.fail("Tunnel options conflict with forward method");
            }
            OptionRules.checkTunnel(tunType, options);
        }
        if (cmd == Kind.LIST) {
            boolean table = options.contains(Opt.CONNECTION) || options.contains(Opt.TIMEOUT)
                    || options.contains(Opt.DAEMON);
            boolean counters = options.contains(Opt.STATS) || options.contains(Opt.RATE)
                    || options.contains(Opt.THRESHOLDS);
            boolean settings = options.contains(Opt.TIMEOUT) || options.contains(Opt.DAEMON);
            if ((table && counters) || (settings && options.contains(Opt.PERSISTENTCONN))) {
                throw IpvsadmException.fail("options conflicts in the list command");
            }
        }
        if (cmd == Kind.RESTORE && readingStdin) {
            throw IpvsadmException.tryHelp();
        }
        return build(cmd);
    }

    private IpvsadmCommand build(Kind cmd) {
        Set<ListFlag> flags = EnumSet.copyOf(format);
        if (options.contains(Opt.CONNECTION)) {
            flags.add(ListFlag.CONNECTIONS);
        }
        if (options.contains(Opt.TIMEOUT)) {
            flags.add(ListFlag.TIMEOUT);
        }
        if (options.contains(Opt.DAEMON)) {
            flags.add(ListFlag.DAEMON);
        }
        ServiceKey key = options.contains(Opt.SERVICE) ? serviceKey() : null;
        ServiceOptions serviceOptions = null;
        if (cmd == Kind.ADD_SERVICE || cmd == Kind.EDIT_SERVICE) {
            boolean persistent = (svc.flags & F_PERSISTENT) != 0;
            serviceOptions = new ServiceOptions(svc.sched, svc.flags & SchedulerFlags.ALL,
                    persistent ? svc.timeout : 0, coreNetmask(persistent), (svc.flags & F_ONEPACKET) != 0);
        }
        Server server = null;
        if (cmd == Kind.ADD_SERVER || cmd == Kind.EDIT_SERVER || cmd == Kind.DELETE_SERVER) {
            server = new Server(destAddr, destPort, fwd, weight, uThreshold, lThreshold,
                    fwd == ForwardingMethod.TUNNEL ? TUNNEL_TYPES[tunType] : null);
        }
        TimeoutSettings timeouts = cmd == Kind.SET_TIMEOUTS
                ? new TimeoutSettings(tcpTimeout, tcpFinTimeout, udpTimeout) : null;
        return new IpvsadmCommand(cmd, key, serviceOptions, svc.pe, server, timeouts, flags);
    }

    private ServiceKey serviceKey() {
        if (svc.fwmark != 0) {
            return ServiceKey.fwmark((int) svc.fwmark, svc.af == AF_INET6);
        }
        Protocol p = svc.protocol == Protocol.UDP.number() ? Protocol.UDP
                : svc.protocol == Protocol.SCTP.number() ? Protocol.SCTP : Protocol.TCP;
        return ServiceKey.of(p, svc.addr, svc.port);
    }

    /**
     * ipvsadm's netmask in lvs-core's terms: IPv4 host-order mask (255.255.255.255 is
     * {@link ServiceOptions#FULL_NETMASK}), IPv6 prefix with /128 as {@link ServiceOptions#FULL_NETMASK}.
     */
    private int coreNetmask(boolean persistent) {
        if (svc.af == AF_INET6) {
            return svc.netmask == 128 ? ServiceOptions.FULL_NETMASK : (int) svc.netmask;
        }
        return (int) svc.netmask;
    }

    private void setOption(Opt o) {
        if (!options.add(o)) {
            throw IpvsadmException.fail("multiple '" + o.label + "' options specified");
        }
    }

    private void flag(Opt o, ListFlag f) {
        setOption(o);
        format.add(f);
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static int parseTimeout(String text, int min, int max) {
        if (text == null) {
            return DEFAULT_PERSISTENCE_TIMEOUT;
        }
        long v = CText.stringToNumber(text, min, max);
        if (v == -1) {
            throw IpvsadmException.fail("invalid timeout value `" + text + "' specified");
        }
        return (int) v;
    }

    private static long parseFwmark(String text) {
        Long v = CText.strtolWhole(text);
        if (v == null || v <= 0 || v > 0xFFFFFFFFL) {
            throw IpvsadmException.fail("invalid fwmark value `" + text + "' specified");
        }
        return v;
    }

    private static int parseSchedFlags(String sched, String list) {
        String scheduler = sched.isEmpty() ? DEFAULT_SCHEDULER : sched;
        int flags = 0;
        boolean any = false;
        for (String flag : list.split(",")) {
            if (flag.isEmpty()) {
                continue; // strtok skips empty fields
            }
            any = true;
            switch (flag) {
                case "flag-1" -> flags |= SchedulerFlags.SCHED1;
                case "flag-2" -> flags |= SchedulerFlags.SCHED2;
                case "flag-3" -> flags |= SchedulerFlags.SCHED3;
                case "sh-fallback", "sh-port", "mh-fallback", "mh-port" -> {
                    flags |= flag.endsWith("fallback") ? SchedulerFlags.SCHED1 : SchedulerFlags.SCHED2;
                    if (!scheduler.equals(flag.substring(0, 2))) {
                        throw IpvsadmException.fail("incompatible scheduler flag `" + flag + "'");
                    }
                }
                default -> throw IpvsadmException.fail("invalid scheduler flag `" + flag + "'");
            }
        }
        if (!any) {
            throw IpvsadmException.fail("invalid scheduler flag `" + list + "'");
        }
        return flags;
    }

    private static void checkMcastGroup(String text) {
        if (text.indexOf(':') >= 0) {
            Inet6Address a = CText.inetPton6(text);
            if (a == null || !a.isMulticastAddress()) {
                throw IpvsadmException.fail("invalid IPv6 mcast-group `" + text + "'");
            }
        } else {
            byte[] b = CText.inetPton4(text);
            if (b == null || (b[0] & 0xF0) != 0xE0) {
                throw IpvsadmException.fail("invalid IPv4 mcast-group `" + text + "'");
            }
        }
    }

    /**
     * ipvsadm's parse_service: {@code addr}, {@code addr:port}, {@code [v6]:port} or a bare IPv6
     * address; the port a number or a service name of the target's protocol. Fills {@code target}
     * (an IPv6 address also sets its netmask to 128) and returns SERVICE_ADDR|SERVICE_PORT bits, 0
     * when the text is not accepted.
     */
    private static int parseService(String buf, Svc target) {
        if (buf == null || isAllDigits(buf)) {
            return 0;
        }
        String text = buf;
        String portText = null;
        boolean hasPort = false;
        if (text.startsWith("[")) {
            text = text.substring(1);
            int close = text.indexOf(']');
            if (close < 0) {
                return 0;
            }
            String after = text.substring(close + 1);
            text = text.substring(0, close);
            if (!after.startsWith(":")) {
                return 0;
            }
            portText = after.substring(1);
            hasPort = true;
        }
        Inet6Address v6 = CText.inetPton6(text);
        if (v6 != null) {
            target.addr = v6;
            target.af = AF_INET6;
            target.netmask = 128;
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                portText = text.substring(colon + 1);
                text = text.substring(0, colon);
                hasPort = true;
            } else {
                portText = null;
                hasPort = false;
            }
            InetAddress v4 = CText.inetAtonAddress(text);
            if (v4 == null) {
                return 0; // ipvsadm would try a host name lookup here; lvs4j does none
            }
            target.addr = v4;
            target.af = AF_INET;
        }
        int result = SERVICE_ADDR;
        if (hasPort) {
            result |= SERVICE_PORT;
            long port = CText.stringToNumber(portText, 0, 65535);
            if (port == -1) {
                port = ServiceNames.port(portText, target.protocol);
            }
            if (port == -1) {
                return 0;
            }
            target.port = (int) port;
        }
        return result;
    }

    private static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
