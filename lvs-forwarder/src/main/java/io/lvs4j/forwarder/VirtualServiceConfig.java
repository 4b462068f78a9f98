package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.VirtualServerSpec;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One IPVS virtual service a {@code keepalived.conf} asks for, ready to apply: a {@code virtual_server
 * IP PORT} block gives one, a {@code virtual_server group NAME} block one per address and port of the
 * group. Immutable.
 *
 * @param key         protocol, virtual address and port
 * @param options     scheduler ({@code lb_algo}), scheduler flags, persistence, one-packet scheduling
 * @param realServers the real servers with their IPVS options, in configuration order (what the table holds
 *                    when every checker is up)
 * @param health      the same virtual server for {@link io.lvs4j.health.HealthChecker}: checkers, quorum,
 *                    sorry server, notifiers (its forwarding method is NAT, its real server ports final)
 * @param source      {@code file:line} of the {@code virtual_server} block
 * @param fingerprint the block in a canonical layout (comments, blank lines and layout ignored): two
 *                    services with equal fingerprints are configured identically, which is how a reload
 *                    tells unchanged services from changed ones
 */
public record VirtualServiceConfig(ServiceKey key, ServiceOptions options, List<RealServerConfig> realServers,
                                   VirtualServerSpec health, String source, String fingerprint) {

    public VirtualServiceConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fingerprint, "fingerprint");
        realServers = List.copyOf(realServers);
    }

    /** The real server at {@code address:port}, or null. */
    public RealServerConfig realServer(InetAddress address, int port) {
        for (RealServerConfig rs : realServers) {
            if (rs.port() == port && rs.address().equals(address)) {
                return rs;
            }
        }
        return null;
    }
}
