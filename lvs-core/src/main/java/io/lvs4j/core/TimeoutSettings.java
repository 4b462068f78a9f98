package io.lvs4j.core;

/**
 * The three timeouts {@code ipvsadm --set tcp tcpfin udp} changes, in seconds (spec §2.4):
 * TCP ESTABLISHED, TCP FIN_WAIT and UDP. In {@link IpvsTable#setTimeouts} a 0 leaves a value unchanged.
 */
public record TimeoutSettings(int tcp, int tcpFin, int udp) {
    /** The largest value ipvsadm accepts: 31 days. */
    public static final int MAX_SECONDS = 31 * 24 * 3600;

    public TimeoutSettings {
        check("tcp", tcp);
        check("tcpfin", tcpFin);
        check("udp", udp);
    }

    private static void check(String what, int v) {
        if (v < 0 || v > MAX_SECONDS) {
            throw new IllegalArgumentException(what + " timeout " + v + " is out of range; accepted: 0.." + MAX_SECONDS
                    + " seconds (0 leaves it unchanged)");
        }
    }
}
