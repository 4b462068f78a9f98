package io.lvs4j.health;

import io.lvs4j.core.ServiceKey;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The health state of one virtual server, as of a {@link HealthChecker#status()} call: an immutable
 * snapshot.
 *
 * @param key               the IPVS service
 * @param quorum            the quorum in force (after keepalived's config-time reduction)
 * @param hysteresis        the hysteresis in force (at most quorum − 1)
 * @param quorumUp          whether the virtual server has quorum
 * @param aliveWeightSum    sum of the effective weights of its alive real servers
 * @param sorryServerActive the sorry server is serving in place of the real servers
 * @param realServers       its real servers in configuration order
 */
public record VirtualServerStatus(ServiceKey key, int quorum, int hysteresis, boolean quorumUp, long aliveWeightSum,
                                  boolean sorryServerActive, List<RealServerStatus> realServers) {
    public VirtualServerStatus {
        realServers = List.copyOf(realServers);
    }

    /** The real server at {@code address}, or null. */
    public RealServerStatus realServer(InetSocketAddress address) {
        for (RealServerStatus rs : realServers) {
            if (rs.address().equals(address)) {
                return rs;
            }
        }
        return null;
    }
}
