package io.lvs4j.vrrp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parsing and comparison of IP address literals; never resolves host names. */
final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * Parses a dotted-quad IPv4 or an IPv6 literal.
     *
     * @param what a description used in the error message, e.g. {@code "(VI_1) unicast_peer"}
     * @throws VrrpConfigException if {@code text} is not an IP literal
     */
    static InetAddress parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new VrrpConfigException(what + ": an IP address is required");
        }
        String s = text.strip();
        try {
            if (s.indexOf(':') >= 0) {
                if (s.indexOf('%') >= 0) {
                    throw new VrrpConfigException(what + ": '" + text + "' has a zone id; give the device with 'dev'");
                }
                return InetAddress.getByName(s);
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                throw invalid(text, what);
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                    throw invalid(text, what);
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    throw invalid(text, what);
                }
                bytes[i] = (byte) v;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw invalid(text, what);
        }
    }

    private static VrrpConfigException invalid(String text, String what) {
        return new VrrpConfigException(what + ": '" + text
                + "' is not an IP address literal; accepted: dotted-quad IPv4 or IPv6");
    }

    static boolean isIpv6(InetAddress address) {
        return address instanceof Inet6Address;
    }

    /**
     * Numeric comparison in network byte order, as keepalived's {@code inet_sockaddrcmp}.
     * Addresses of different families compare equal (0), as keepalived does.
     */
    static int compare(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return 0;
        }
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static String format(InetAddress address) {
        return address.getHostAddress();
    }
}
