package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Hex, address and reference-checksum helpers for the tests. */
final class TestBytes {

    private TestBytes() {}

    static byte[] hex(String text) {
        String clean = text.replaceAll("\\s+", "");
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length: " + clean);
        }
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String toHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static InetAddress ip(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(toHex(raw), e);
        }
    }

    static Inet4Address ip4(String literal) {
        return (Inet4Address) ip(literal);
    }

    static Inet6Address ip6(String literal) {
        return (Inet6Address) ip(literal);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            buffer.put(p);
        }
        return buffer.array();
    }

    /**
     * A deliberately plain RFC 1071 checksum, written independently of {@link VrrpCodec}: sum the
     * 16-bit words with end-around carry using the "mod 0xFFFF" identity, then complement.
     */
    static int referenceChecksum(byte[]... parts) {
        byte[] data = concat(parts);
        if (data.length % 2 == 1) {
            data = concat(data, new byte[1]);
        }
        ByteBuffer words = ByteBuffer.wrap(data);
        long total = 0;
        while (words.hasRemaining()) {
            total += Short.toUnsignedInt(words.getShort());
        }
        long onesComplementSum = total == 0 ? 0 : ((total - 1) % 0xFFFF) + 1;
        return (int) (0xFFFF - onesComplementSum);
    }

    /** The IPv4 pseudo-header VRRPv3 covers: src, dst, 0, 112, 16-bit length. */
    static byte[] ipv4PseudoHeader(InetAddress src, InetAddress dst, int vrrpLength) {
        return ByteBuffer.allocate(12)
                .put(src.getAddress())
                .put(dst.getAddress())
                .put((byte) 0)
                .put((byte) 112)
                .putShort((short) vrrpLength)
                .array();
    }

    /** The IPv6 pseudo-header: src, dst, 32-bit length, 3 zero bytes, next header 112. */
    static byte[] ipv6PseudoHeader(InetAddress src, InetAddress dst, int vrrpLength) {
        return ByteBuffer.allocate(40)
                .put(src.getAddress())
                .put(dst.getAddress())
                .putInt(vrrpLength)
                .put(new byte[3])
                .put((byte) 112)
                .array();
    }

    /** The message with its checksum field (bytes 6-7) zeroed. */
    static byte[] withZeroChecksum(byte[] message) {
        byte[] copy = message.clone();
        copy[6] = 0;
        copy[7] = 0;
        return copy;
    }

    static int checksumField(byte[] message) {
        return ((message[6] & 0xFF) << 8) | (message[7] & 0xFF);
    }
}
