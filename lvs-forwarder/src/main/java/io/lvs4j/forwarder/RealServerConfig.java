package io.lvs4j.forwarder;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.RealServerOptions;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One {@code real_server} of a virtual service as the forwarder puts it into the IPVS table: its address,
 * its port after keepalived's port rules (a NAT real server without a port takes the virtual server's;
 * for {@code DR}/{@code TUN} the port is forced to the virtual server's), and the IPVS options: the
 * configured weight, {@code uthreshold}/{@code lthreshold}, and the forwarding method the forwarder
 * actually uses ({@link io.lvs4j.core.ForwardingMethod#MASQ}: user space always proxies, as NAT does).
 * Immutable.
 *
 * @param address the real server's address
 * @param port    1..65535
 * @param options weight, forwarding method and thresholds
 */
public record RealServerConfig(InetAddress address, int port, RealServerOptions options) {

    public RealServerConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("real_server port " + port + " is out of range; accepted: 0..65535");
        }
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    @Override
    public String toString() {
        return Addresses.format(address, port) + " " + options;
    }
}
