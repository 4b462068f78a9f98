package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.ipvsadm.IpvsadmCommand.Kind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which options each ipvsadm command requires, accepts, or accepts only one of, and the messages
 * ipvsadm prints when a command line breaks those rules (ipvsadm 1.31's option/command table).
 * Options are checked in ipvsadm's option order, so the first offending option is the one named.
 */
final class OptionRules {

    /** ipvsadm's options in its own order; {@link #label} is the name its messages use. */
    enum Opt {
        NUMERIC("numeric"),
        CONNECTION("connection"),
        SERVICE("service-address"),
        SCHEDULER("scheduler"),
        PERSISTENT("persistent"),
        NETMASK("netmask"),
        SERVER("real-server"),
        FORWARD("forwarding-method"),
        WEIGHT("weight"),
        UTHRESHOLD("u-threshold"),
        LTHRESHOLD("l-threshold"),
        MCAST("mcast-interface"),
        TIMEOUT("timeout"),
        DAEMON("daemon"),
        STATS("stats"),
        RATE("rate"),
        THRESHOLDS("thresholds"),
        PERSISTENTCONN("persistent-conn"),
        NOSORT("nosort"),
        SYNCID("syncid"),
        EXACT("exact"),
        ONEPACKET("ops"),
        PERSISTENCE_ENGINE("pe"),
        SCHED_FLAGS("sched-flags"),
        MCAST_GROUP("mcast-group"),
        MCAST_PORT("mcast-port"),
        MCAST_TTL("mcast-ttl"),
        SYNC_MAXLEN("sync-maxlen"),
        TUN_INFO("tun-info"),
        TUN_TYPE("tun-type"),
        TUN_PORT("tun-port"),
        TUN_NOCSUM("tun-nocsum"),
        TUN_CSUM("tun-csum"),
        TUN_REMCSUM("tun-remcsum");

        final String label;

        Opt(String label) {
            this.label = label;
        }
    }

    private record Rule(Set<Opt> required, Set<Opt> optional, Set<Opt> exclusive) {
    }

    private static final Map<Kind, Rule> RULES = new EnumMap<>(Kind.class);
    private static final Map<Kind, String> NAMES = new EnumMap<>(Kind.class);

    static {
        Set<Opt> serviceEdit = EnumSet.of(Opt.SCHEDULER, Opt.PERSISTENT, Opt.NETMASK, Opt.ONEPACKET,
                Opt.PERSISTENCE_ENGINE, Opt.SCHED_FLAGS);
        Set<Opt> serverEdit = EnumSet.of(Opt.FORWARD, Opt.WEIGHT, Opt.UTHRESHOLD, Opt.LTHRESHOLD, Opt.TUN_TYPE,
                Opt.TUN_PORT, Opt.TUN_NOCSUM, Opt.TUN_CSUM, Opt.TUN_REMCSUM);
        rule(Kind.ADD_SERVICE, "add-service", EnumSet.of(Opt.SERVICE), serviceEdit, none());
        rule(Kind.EDIT_SERVICE, "edit-service", EnumSet.of(Opt.SERVICE), serviceEdit, none());
        rule(Kind.DELETE_SERVICE, "delete-service", EnumSet.of(Opt.SERVICE), none(), none());
        rule(Kind.CLEAR, "flush", none(), none(), none());
        rule(Kind.LIST, "list", none(),
                EnumSet.of(Opt.NUMERIC, Opt.STATS, Opt.RATE, Opt.THRESHOLDS, Opt.PERSISTENTCONN, Opt.NOSORT,
                        Opt.SYNCID, Opt.EXACT, Opt.TUN_INFO),
                EnumSet.of(Opt.CONNECTION, Opt.SERVICE, Opt.TIMEOUT, Opt.DAEMON));
        rule(Kind.ADD_SERVER, "add-server", EnumSet.of(Opt.SERVICE, Opt.SERVER), serverEdit, none());
        rule(Kind.DELETE_SERVER, "delete-server", EnumSet.of(Opt.SERVICE, Opt.SERVER), none(), none());
        rule(Kind.EDIT_SERVER, "edit-server", EnumSet.of(Opt.SERVICE, Opt.SERVER), serverEdit, none());
        rule(Kind.SET_TIMEOUTS, "set", none(), none(), none());
        rule(Kind.START_DAEMON, "start-daemon", none(),
                EnumSet.of(Opt.MCAST, Opt.SYNCID, Opt.MCAST_GROUP, Opt.MCAST_PORT, Opt.MCAST_TTL, Opt.SYNC_MAXLEN),
                none());
        rule(Kind.STOP_DAEMON, "stop-daemon", none(), EnumSet.of(Opt.SYNCID), none());
        rule(Kind.RESTORE, "restore", none(), none(), none());
        rule(Kind.SAVE, "save", none(), EnumSet.of(Opt.NUMERIC), none());
        rule(Kind.ZERO, "zero", none(), EnumSet.of(Opt.SERVICE), none());
    }

    private OptionRules() {
    }

    private static Set<Opt> none() {
        return EnumSet.noneOf(Opt.class);
    }

    private static void rule(Kind kind, String name, Set<Opt> required, Set<Opt> optional, Set<Opt> exclusive) {
        RULES.put(kind, new Rule(required, optional, exclusive));
        NAMES.put(kind, name);
    }

    /** ipvsadm's name for the command in its messages. */
    static String commandName(Kind kind) {
        return NAMES.get(kind);
    }

    /** ipvsadm's generic_opt_check: throws the first rule the given options break. */
    static void check(Kind kind, Set<Opt> given) {
        Rule rule = RULES.get(kind);
        String cmd = NAMES.get(kind);
        Opt firstExclusive = null;
        for (Opt o : Opt.values()) {
            if (!given.contains(o)) {
                if (rule.required().contains(o)) {
                    throw IpvsadmException.fail("You need to supply the '" + o.label + "' option for the '" + cmd
                            + "' command");
                }
                continue;
            }
            if (rule.required().contains(o) || rule.optional().contains(o)) {
                continue;
            }
            if (rule.exclusive().contains(o)) {
                if (firstExclusive == null) {
                    firstExclusive = o;
                    continue;
                }
                throw IpvsadmException.fail("The option '" + o.label + "' conflicts with the '" + firstExclusive.label
                        + "' option in the '" + cmd + "' command");
            }
            throw IpvsadmException.fail("Illegal '" + o.label + "' option with the '" + cmd + "' command");
        }
    }

    /** ipvsadm's tunnel_opt_check for tunnel type 0 (ipip), 1 (gue) or 2 (gre). */
    static void checkTunnel(int tunnelType, Set<Opt> given) {
        String[] types = {"ipip", "gue", "gre"};
        Opt[] opts = {Opt.TUN_PORT, Opt.TUN_NOCSUM, Opt.TUN_CSUM, Opt.TUN_REMCSUM};
        // per type: '+' required, 'x' illegal, '1' at most one of them
        String[] table = {"xxxx", "+111", "x11x"};
        String row = table[tunnelType];
        Opt firstExclusive = null;
        for (int j = 0; j < opts.length; j++) {
            Opt o = opts[j];
            char r = row.charAt(j);
            if (!given.contains(o)) {
                if (r == '+') {
                    throw IpvsadmException.fail("You need to supply the '" + o.label + "' option for the '"
                            + types[tunnelType] + "' tunnel type");
                }
                continue;
            }
            if (r == 'x') {
                throw IpvsadmException.fail("Illegal '" + o.label + "' option with the '" + types[tunnelType]
                        + "' tunnel type");
            }
            if (r == '1') {
                if (firstExclusive == null) {
                    firstExclusive = o;
                    continue;
                }
                throw IpvsadmException.fail("The option '" + o.label + "' conflicts with the '" + firstExclusive.label
                        + "' option in the '" + types[tunnelType] + "' tunnel type");
            }
        }
    }
}
