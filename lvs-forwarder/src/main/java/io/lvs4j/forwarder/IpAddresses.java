package io.lvs4j.forwarder;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric IP addresses as keepalived reads them ({@code inet_stosockaddr}): an IPv4 dotted quad or an IPv6
 * literal, never a host name (so parsing never touches the name service), and the address ranges of a
 * {@code virtual_server_group}. Stateless.
 */
final class IpAddresses {
    private IpAddresses() {
    }

    /** The address {@code text} names, or null when it is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            String t = text;
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            int scope = t.indexOf('%');
            String body = scope < 0 ? t : t.substring(0, scope);
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return null;
                }
            }
            try {
                InetAddress a = InetAddress.getByName(t);
                return a instanceof Inet6Address ? a : null;
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The address as an unsigned integer (32 bits for IPv4, 128 for IPv6). */
    static BigInteger toInteger(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    /** The address of {@code value} in the family of {@code like}. */
    static InetAddress fromInteger(BigInteger value, InetAddress like) {
        int len = like.getAddress().length;
        byte[] raw = value.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every address from {@code first} to {@code last}, both included; the caller bounds the count. */
    static List<InetAddress> range(InetAddress first, InetAddress last) {
        BigInteger a = toInteger(first);
        BigInteger b = toInteger(last);
        List<InetAddress> list = new ArrayList<>();
        for (BigInteger v = a; v.compareTo(b) <= 0; v = v.add(BigInteger.ONE)) {
            list.add(fromInteger(v, first));
        }
        return list;
    }

    /** How many addresses {@code first..last} holds (0 when last is before first). */
    static BigInteger count(InetAddress first, InetAddress last) {
        BigInteger n = toInteger(last).subtract(toInteger(first)).add(BigInteger.ONE);
        return n.signum() < 0 ? BigInteger.ZERO : n;
    }

    /** {@code 10.0.0.1} or {@code [2001:db8::1]}: as keepalived writes an address next to a port. */
    static String bracketed(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        if (scope >= 0) {
            s = s.substring(0, scope);
        }
        return a instanceof Inet6Address ? "[" + s + "]" : s;
    }
}
