package io.lvs4j.core;

/**
 * The service's scheduler flag bits (IP_VS_SVC_F_SCHED1..3) and the names ipvsadm uses for them.
 * sh and mh name the first two {@code sh-fallback}/{@code sh-port} and {@code mh-fallback}/{@code mh-port};
 * every other scheduler calls them {@code flag-1}, {@code flag-2}, {@code flag-3}.
 */
public final class SchedulerFlags {
    /** IP_VS_SVC_F_SCHED1: sh-fallback / mh-fallback / flag-1. */
    public static final int SCHED1 = 0x08;
    /** IP_VS_SVC_F_SCHED2: sh-port / mh-port / flag-2. */
    public static final int SCHED2 = 0x10;
    /** IP_VS_SVC_F_SCHED3: flag-3. */
    public static final int SCHED3 = 0x20;
    /** All three. */
    public static final int ALL = SCHED1 | SCHED2 | SCHED3;

    private SchedulerFlags() {
    }

    /**
     * The comma-separated names ipvsadm prints for {@code flags} under scheduler {@code scheduler}, or "":
     * sh and mh name only their two flags ({@code sh-fallback,sh-port}); others print {@code flag-1..3}.
     */
    public static String names(String scheduler, int flags) {
        StringBuilder sb = new StringBuilder();
        boolean named = "sh".equals(scheduler) || "mh".equals(scheduler);
        if ((flags & SCHED1) != 0) {
            sb.append(named ? scheduler + "-fallback," : "flag-1,");
        }
        if ((flags & SCHED2) != 0) {
            sb.append(named ? scheduler + "-port," : "flag-2,");
        }
        if (!named && (flags & SCHED3) != 0) {
            sb.append("flag-3,");
        }
        if (sb.length() > 0) {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /**
     * Parses ipvsadm's {@code -b} argument: a comma-separated list of {@code sh-fallback}, {@code sh-port},
     * {@code mh-fallback}, {@code mh-port}, {@code flag-1}, {@code flag-2}, {@code flag-3}.
     */
    public static int parse(String list) {
        int flags = 0;
        for (String name : list.split(",", -1)) {
            switch (name) {
                case "sh-fallback", "mh-fallback", "flag-1" -> flags |= SCHED1;
                case "sh-port", "mh-port", "flag-2" -> flags |= SCHED2;
                case "flag-3" -> flags |= SCHED3;
                default -> throw new IllegalArgumentException("invalid scheduler flag '" + name
                        + "'; accepted: sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3");
            }
        }
        return flags;
    }
}
