package io.lvs4j.health;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.ServiceKey;
import java.net.Inet6Address;
import java.net.InetAddress;

/** keepalived's text for addresses in log lines: {@code FMT_VS} and {@code FMT_RS}/{@code FMT_CHK}. */
final class KeepalivedFormat {
    private KeepalivedFormat() {
    }

    /** {@code [10.0.1.1]:tcp:80}, {@code [2001:db8::1]:udp:53} or {@code FWM 7}. */
    static String virtualServer(ServiceKey key) {
        if (key.isFwmark()) {
            return "FWM " + Integer.toUnsignedString(key.fwmark());
        }
        return trio(key.address(), key.port(), key);
    }

    /** A real server as keepalived prints it: the address, the service's protocol and the port. */
    static String trio(InetAddress address, int port, ServiceKey key) {
        String ip = address instanceof Inet6Address ? Addresses.compactIpv6(address) : address.getHostAddress();
        return "[" + ip + "]:" + protocol(key) + ":" + port;
    }

    private static String protocol(ServiceKey key) {
        return switch (key.protocol()) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case SCTP -> "sctp";
            case IP -> "none";
        };
    }
}
