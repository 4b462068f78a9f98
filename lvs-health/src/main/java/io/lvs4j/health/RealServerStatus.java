package io.lvs4j.health;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The state of one real server of a virtual server, as of a {@link HealthChecker#status()} call.
 *
 * @param address          the real server's address and port (after keepalived's port adjustments)
 * @param alive            every checker is up (a real server without checkers is always alive)
 * @param inIpvs           the health checker has the destination in the IPVS table (at weight 0 when
 *                         inhibited, or removed while the sorry server stands in)
 * @param configuredWeight {@code weight} of the real_server block
 * @param effectiveWeight  the weight health checking gives it: the configured weight plus MISC_CHECK
 *                         {@code misc_dynamic} contributions, clamped to 0..2^31-1
 * @param checkers         its checkers in configuration order
 */
public record RealServerStatus(InetSocketAddress address, boolean alive, boolean inIpvs, int configuredWeight,
                               int effectiveWeight, List<CheckerStatus> checkers) {
    public RealServerStatus {
        checkers = List.copyOf(checkers);
    }
}
