package io.lvs4j.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address helpers shared by the table, the schedulers and the ipvsadm text. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * The 32-bit value IPVS hashes for an address (spec §1.10.1): an IPv4 address as a host-order
     * integer ({@code 10.0.0.1 -> 0x0A000001}); an IPv6 address as the XOR of its four 32-bit words,
     * each read in network order.
     */
    public static int fold(InetAddress address) {
        byte[] b = address.getAddress();
        int v = 0;
        for (int i = 0; i < b.length; i += 4) {
            v ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        return v;
    }

    /**
     * True for an address the kernel accepts as a real server (unicast or local): not 0.0.0.0/8,
     * multicast or 255.255.255.255; for IPv6 not ::, multicast, link-local or IPv4-mapped.
     */
    public static boolean isUnicast(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            boolean broadcast = (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
            return first != 0 && (first & 0xF0) != 0xE0 && !broadcast;
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress() || a.isLinkLocalAddress()) {
            return false;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        return !mapped;
    }

    /** The IPv4 address whose host-order value is {@code value}. */
    public static Inet4Address ipv4(int value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as {@code ipvsadm -n} prints them. */
    public static String format(InetAddress address, int port) {
        return formatAddress(address) + ":" + port;
    }

    /** {@code a.b.c.d} or {@code [v6]} (brackets for IPv6, as ipvsadm prints addresses with ports). */
    public static String formatAddress(InetAddress address) {
        if (address instanceof Inet6Address) {
            return "[" + compactIpv6(address) + "]";
        }
        return address.getHostAddress();
    }

    /**
     * The RFC 5952 text of an IPv6 address (as inet_ntop writes it): lower case, the longest run
     * of two or more zero groups replaced by {@code ::}, no scope.
     */
    public static String compactIpv6(InetAddress address) {
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        // inet_ntop writes IPv4-mapped and IPv4-compatible addresses with a dotted tail
        boolean dottedTail = bestStart == 0 && (bestLen == 6 || (bestLen == 5 && g[5] == 0xffff));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                if (dottedTail && i == 4 && bestLen == 5) {
                    sb.append("ffff:");
                    i++;
                }
                continue;
            }
            if (dottedTail && i == 6) {
                sb.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                        .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
                break;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
