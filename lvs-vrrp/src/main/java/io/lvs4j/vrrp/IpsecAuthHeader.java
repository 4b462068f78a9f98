package io.lvs4j.vrrp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The IPsec Authentication Header keepalived inserts between the IPv4 header and a VRRPv2 message
 * when {@code auth_type AH} is configured (RFC 2338-era VRRP authentication; IPv4 only).
 *
 * <p>keepalived always sends 24 bytes: next header 112, payload length 4, reserved 0, the sender's
 * IPv4 address as SPI, a per-advert sequence number and a 96-bit ICV (HMAC-MD5 keyed with the
 * 8-byte password, truncated). Immutable and thread-safe; {@link #icv()} returns a copy.
 *
 * @param nextHeader the protocol that follows; 112 for VRRP
 * @param payloadLength AH length in 32-bit words minus 2; always 4 here
 * @param reserved the 16 reserved bits
 * @param spi the Security Parameters Index (keepalived: the source IPv4 address), unsigned 32-bit
 * @param sequenceNumber unsigned 32-bit sequence number, strictly increasing per sender
 * @param icv the 12-byte Integrity Check Value
 */
public record IpsecAuthHeader(
        int nextHeader, int payloadLength, int reserved, long spi, long sequenceNumber, byte[] icv) {

    /** Encoded length: 12 fixed bytes plus a 12-byte ICV. */
    public static final int LENGTH = 24;
    /** Length of the truncated HMAC-MD5 ICV. */
    public static final int ICV_LENGTH = 12;
    /** Payload length field value for a 24-byte header. */
    public static final int PAYLOAD_LENGTH = 4;

    public IpsecAuthHeader {
        checkRange("nextHeader", nextHeader, 0xFF);
        checkRange("payloadLength", payloadLength, 0xFF);
        checkRange("reserved", reserved, 0xFFFF);
        if (spi < 0 || spi > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("spi " + spi + " out of range (accepted: 0..2^32-1)");
        }
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "sequenceNumber " + sequenceNumber + " out of range (accepted: 0..2^32-1)");
        }
        icv = Objects.requireNonNull(icv, "icv").clone();
        if (icv.length != ICV_LENGTH) {
            throw new IllegalArgumentException("icv length " + icv.length + " (accepted: 12)");
        }
    }

    /** A copy of the ICV. */
    @Override
    public byte[] icv() {
        return icv.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpsecAuthHeader h
                && nextHeader == h.nextHeader
                && payloadLength == h.payloadLength
                && reserved == h.reserved
                && spi == h.spi
                && sequenceNumber == h.sequenceNumber
                && Arrays.equals(icv, h.icv);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nextHeader, payloadLength, reserved, spi, sequenceNumber) * 31
                + Arrays.hashCode(icv);
    }

    @Override
    public String toString() {
        return "IpsecAuthHeader[next="
                + nextHeader
                + " spi=0x"
                + Long.toHexString(spi)
                + " seq="
                + sequenceNumber
                + " icv="
                + VrrpCodec.hex(icv)
                + "]";
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(
                    name + " " + value + " out of range (accepted: 0.." + max + ")");
        }
    }
}
