package io.lvs4j.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Identifies a virtual service the way IPVS keys it: protocol + virtual address + port, or a
 * firewall mark (with its address family).
 *
 * @param protocol TCP, UDP or SCTP for address services; {@link Protocol#IP} for fwmark services
 * @param address  the virtual address; {@code null} for fwmark services
 * @param port     0..65535; 0 is the catch-all "port-0" service, which must be persistent
 * @param fwmark   the firewall mark (1..2^32-1 as unsigned), 0 for address services
 * @param ipv6     the address family of a fwmark service (ignored for address services)
 */
public record ServiceKey(Protocol protocol, InetAddress address, int port, int fwmark, boolean ipv6) {

    public ServiceKey {
        Objects.requireNonNull(protocol, "protocol");
        if (fwmark != 0) {
            if (address != null || port != 0 || protocol != Protocol.IP) {
                throw new IllegalArgumentException("a firewall-mark service has no protocol, address or port");
            }
        } else {
            if (protocol == Protocol.IP) {
                throw new IllegalArgumentException("protocol IP is only for firewall-mark services; accepted: TCP, UDP, SCTP");
            }
            Objects.requireNonNull(address, "address");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range; accepted: 0..65535");
            }
            ipv6 = address instanceof Inet6Address;
        }
    }

    /** A TCP service on {@code address:port}. */
    public static ServiceKey tcp(InetAddress address, int port) {
        return new ServiceKey(Protocol.TCP, address, port, 0, false);
    }

    /** A UDP service on {@code address:port}. */
    public static ServiceKey udp(InetAddress address, int port) {
        return new ServiceKey(Protocol.UDP, address, port, 0, false);
    }

    /** An SCTP service on {@code address:port}. */
    public static ServiceKey sctp(InetAddress address, int port) {
        return new ServiceKey(Protocol.SCTP, address, port, 0, false);
    }

    /** A service on {@code protocol address:port}. */
    public static ServiceKey of(Protocol protocol, InetAddress address, int port) {
        return new ServiceKey(protocol, address, port, 0, false);
    }

    /** A firewall-mark service; {@code mark} is read as an unsigned 32-bit value and must not be 0. */
    public static ServiceKey fwmark(int mark, boolean ipv6) {
        if (mark == 0) {
            throw new IllegalArgumentException("firewall mark 0 is not a service; accepted: 1..4294967295");
        }
        return new ServiceKey(Protocol.IP, null, 0, mark, ipv6);
    }

    /** True for firewall-mark services. */
    public boolean isFwmark() {
        return fwmark != 0;
    }

    /** {@code TCP 10.0.0.1:80}, {@code UDP [::1]:53} or {@code FWM 1}: for messages. */
    @Override
    public String toString() {
        if (isFwmark()) {
            return "FWM " + Integer.toUnsignedString(fwmark) + (ipv6 ? " IPv6" : "");
        }
        return protocol.label() + " " + Addresses.format(address, port);
    }
}
