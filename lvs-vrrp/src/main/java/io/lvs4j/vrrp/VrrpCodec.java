package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes and decodes VRRP messages and the IPv4 datagrams that carry them, byte-compatible with
 * keepalived (spec §3.8). Pure functions over byte arrays: no I/O, no state, thread-safe.
 *
 * <p>Encoders always compute the checksums (and the IPv4 total length), ignoring the values in the
 * records they are given, so re-encoding a decoded packet whose checksums were valid reproduces it
 * byte for byte. Decoders reject malformed input only with {@link VrrpFormatException}, whose
 * message names the offset, the value found and what is accepted.
 *
 * <p>Checksums:
 *
 * <ul>
 *   <li>v2: over the whole message (16 + 4n bytes including the 8 auth bytes), no pseudo-header.
 *   <li>v3 over IPv4: see {@link V3ChecksumMode}.
 *   <li>v3 over IPv6: the IPv6 pseudo-header (source, destination, 32-bit length, zeros, next
 *       header 112). On a real socket the kernel fills and verifies it ({@code IPV6_CHECKSUM}
 *       offset 6); it is computed here so that captures can be checked and packets built for
 *       packet sockets.
 * </ul>
 */
public final class VrrpCodec {

    /** IP protocol number of VRRP. */
    public static final int IPPROTO_VRRP = 112;
    /** IP protocol number of the IPsec Authentication Header. */
    public static final int IPPROTO_AH = 51;
    /** The VRRP IPv4 multicast group, 224.0.0.18. */
    public static final Inet4Address IPV4_MULTICAST_GROUP =
            (Inet4Address) address(new byte[] {(byte) 224, 0, 0, 18});
    /** The VRRP IPv6 multicast group, ff02::12. */
    public static final Inet6Address IPV6_MULTICAST_GROUP =
            ipv6(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private static final int CHECKSUM_OFFSET = 6;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private VrrpCodec() {}

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes a VRRPv2 message (16 + 4n bytes) with its checksum.
     *
     * @throws IllegalArgumentException if the packet is not version 2
     */
    public static byte[] encodeV2(VrrpPacket packet) {
        requireVersion(packet, 2);
        byte[] message = writeMessage(packet);
        putShort(message, CHECKSUM_OFFSET, finish(sum(0, message, 0, message.length)));
        return message;
    }

    /**
     * Encodes a VRRPv3 message with its checksum.
     *
     * @param source the IP source the datagram will carry (pseudo-header); unused with {@link
     *     V3ChecksumMode#NO_PSEUDO_HEADER} over IPv4
     * @param destination the IP destination the datagram will carry: the multicast group or the
     *     unicast peer
     * @param mode which IPv4 pseudo-header to use; ignored for IPv6, which always uses the IPv6 one
     * @throws IllegalArgumentException if the packet is not version 3, or the addresses' families
     *     disagree with one another or with the packet's
     */
    public static byte[] encodeV3(
            VrrpPacket packet, InetAddress source, InetAddress destination, V3ChecksumMode mode) {
        requireVersion(packet, 3);
        Objects.requireNonNull(mode, "mode");
        byte[] message = writeMessage(packet);
        boolean ipv6 = packet.carriesIpv6() || source instanceof Inet6Address;
        if (packet.carriesIpv6() && !(source instanceof Inet6Address)) {
            throw new IllegalArgumentException(
                    "IPv6 addresses in the packet need an IPv6 source for the pseudo-header, got " + source);
        }
        if (source instanceof Inet6Address && packet.addressCount() > 0 && !packet.carriesIpv6()) {
            throw new IllegalArgumentException(
                    "IPv4 addresses in the packet cannot go with IPv6 source " + formatAddress(source));
        }
        if (ipv6 && !(destination instanceof Inet6Address)) {
            throw new IllegalArgumentException("IPv6 source with non-IPv6 destination " + destination);
        }
        putShort(
                message,
                CHECKSUM_OFFSET,
                finish(sum(pseudoHeaderSum(3, source, destination, mode, message.length), message, 0,
                        message.length)));
        return message;
    }

    /**
     * Encodes a message of either version: {@link #encodeV2} (source, destination and mode unused)
     * or {@link #encodeV3}.
     */
    public static byte[] encode(
            VrrpPacket packet, InetAddress source, InetAddress destination, V3ChecksumMode mode) {
        return packet.version() == 2 ? encodeV2(packet) : encodeV3(packet, source, destination, mode);
    }

    /**
     * Encodes a complete IPv4 datagram the way keepalived builds it for {@code IP_HDRINCL}: the
     * header from the template (total length and header checksum computed), then the VRRP message,
     * whose v3 pseudo-header uses the header's source and destination.
     *
     * @param header see {@link Ipv4Header#forVrrp}; its protocol must be 112
     * @throws IllegalArgumentException for IPv6 packets or a protocol other than 112
     */
    public static byte[] encodeIpv4(Ipv4Header header, VrrpPacket packet, V3ChecksumMode mode) {
        if (packet.carriesIpv6()) {
            throw new IllegalArgumentException("IPv6 VRRP addresses cannot go in an IPv4 datagram");
        }
        if (header.protocol() != IPPROTO_VRRP) {
            throw new IllegalArgumentException(
                    "header protocol " + header.protocol()
                            + " (accepted: 112; use encodeIpv4WithAuthHeader for AH)");
        }
        return encodeIpv4(
                header, encode(packet, header.source(), header.destination(), mode));
    }

    /**
     * Wraps an already encoded payload in an IPv4 header, computing total length and header
     * checksum.
     */
    public static byte[] encodeIpv4(Ipv4Header header, byte[] payload) {
        int headerLength = header.headerLength();
        int total = headerLength + payload.length;
        if (total > 0xFFFF) {
            throw new IllegalArgumentException("datagram length " + total + " (accepted: at most 65535)");
        }
        byte[] out = new byte[total];
        out[0] = (byte) (0x40 | (headerLength / 4));
        out[1] = (byte) header.tos();
        putShort(out, 2, total);
        putShort(out, 4, header.identification());
        putShort(out, 6, header.flagsAndFragment());
        out[8] = (byte) header.ttl();
        out[9] = (byte) header.protocol();
        System.arraycopy(header.source().getAddress(), 0, out, 12, 4);
        System.arraycopy(header.destination().getAddress(), 0, out, 16, 4);
        byte[] options = header.options();
        System.arraycopy(options, 0, out, Ipv4Header.MIN_LENGTH, options.length);
        putShort(out, 10, finish(sum(0, out, 0, headerLength)));
        System.arraycopy(payload, 0, out, headerLength, payload.length);
        return out;
    }

    /**
     * Encodes an IPv4 datagram with an IPsec AH header, as keepalived does for {@code auth_type AH}:
     * protocol 51, AH next header 112, SPI = source address, the given sequence number, and the
     * ICV computed by {@link #authHeaderIcv}.
     *
     * @param key the 8-byte NUL-padded password ({@link VrrpPacket#passwordAuthData})
     * @param unicast whether the instance is unicast (then the TTL is also excluded from the ICV)
     * @throws IllegalArgumentException if the packet is not v2 or the key is not 8 bytes
     */
    public static byte[] encodeIpv4WithAuthHeader(
            Ipv4Header header, long sequenceNumber, VrrpPacket packet, byte[] key, boolean unicast) {
        requireVersion(packet, 2);
        requireKey(key);
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "sequence number " + sequenceNumber + " (accepted: 0..2^32-1)");
        }
        byte[] vrrp = encodeV2(packet);
        byte[] payload = new byte[IpsecAuthHeader.LENGTH + vrrp.length];
        payload[0] = (byte) IPPROTO_VRRP;
        payload[1] = (byte) IpsecAuthHeader.PAYLOAD_LENGTH;
        System.arraycopy(header.source().getAddress(), 0, payload, 4, 4);
        putInt(payload, 8, sequenceNumber);
        System.arraycopy(vrrp, 0, payload, IpsecAuthHeader.LENGTH, vrrp.length);
        byte[] datagram = encodeIpv4(header.withProtocol(IPPROTO_AH), payload);
        byte[] icv = authHeaderIcv(datagram, 0, datagram.length, key, unicast);
        System.arraycopy(icv, 0, datagram, header.headerLength() + 12, IpsecAuthHeader.ICV_LENGTH);
        return datagram;
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes a whole array as a bare VRRP message; see {@link #decode(byte[], int, int, StandardProtocolFamily)}. */
    public static VrrpPacket decode(byte[] message, StandardProtocolFamily family) {
        return decode(message, 0, message.length, family);
    }

    /**
     * Decodes a bare VRRP message (as an IPv6 raw socket delivers it, or the payload of an IPv4
     * datagram). The length must be exactly that of the message: 8 + n addresses (+ 8 auth bytes
     * for v2).
     *
     * @param family whether the addresses are IPv4 or IPv6; the bytes alone cannot tell
     * @throws VrrpFormatException if the bytes are not a well-formed VRRP message
     */
    public static VrrpPacket decode(
            byte[] buffer, int offset, int length, StandardProtocolFamily family) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Objects.requireNonNull(family, "family");
        return decodeMessage(buffer, offset, length, family, 0);
    }

    /** Decodes a whole array as an IPv4 datagram; see {@link #decodeIpv4(byte[], int, int)}. */
    public static Ipv4VrrpPacket decodeIpv4(byte[] datagram) {
        return decodeIpv4(datagram, 0, datagram.length);
    }

    /**
     * Decodes an IPv4 datagram carrying VRRP (protocol 112) or AH + VRRP (protocol 51), as a raw
     * IPv4 socket delivers it. Bytes after the IPv4 total length (link padding) are ignored.
     *
     * @throws VrrpFormatException if the datagram is truncated, fragmented, not VRRP, or carries a
     *     malformed VRRP message; offsets are relative to {@code offset}
     */
    public static Ipv4VrrpPacket decodeIpv4(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Ipv4Header header = decodeIpv4Header(buffer, offset, length);
        int headerLength = header.headerLength();
        int total = header.totalLength();
        if ((header.flagsAndFragment() & 0x3FFF) != 0) {
            throw new VrrpFormatException(
                    6,
                    "flags/fragment 0x" + Integer.toHexString(header.flagsAndFragment())
                            + " is a fragment (accepted: MF clear and offset 0)");
        }
        int vrrpStart = headerLength;
        IpsecAuthHeader ah = null;
        if (header.protocol() == IPPROTO_AH) {
            ah = decodeAuthHeader(buffer, offset + headerLength, total - headerLength, headerLength);
            vrrpStart += IpsecAuthHeader.LENGTH;
        } else if (header.protocol() != IPPROTO_VRRP) {
            throw new VrrpFormatException(
                    9, "protocol " + header.protocol() + " (accepted: 112 VRRP, 51 AH)");
        }
        VrrpPacket vrrp =
                decodeMessage(
                        buffer, offset + vrrpStart, total - vrrpStart, StandardProtocolFamily.INET, vrrpStart);
        return new Ipv4VrrpPacket(header, ah, vrrp);
    }

    /**
     * Decodes the IPv4 header at the start of the buffer, checking version, IHL and that the total
     * length fits in {@code length}.
     *
     * @throws VrrpFormatException if the header is malformed or truncated
     */
    public static Ipv4Header decodeIpv4Header(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length < Ipv4Header.MIN_LENGTH) {
            throw new VrrpFormatException(
                    length,
                    "IPv4 datagram of " + length + " bytes is shorter than the 20-byte header");
        }
        int versionIhl = u8(buffer, offset);
        if (versionIhl >> 4 != 4) {
            throw new VrrpFormatException(0, "IP version " + (versionIhl >> 4) + " (accepted: 4)");
        }
        int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < Ipv4Header.MIN_LENGTH) {
            throw new VrrpFormatException(
                    0, "IHL " + (versionIhl & 0x0F) + " (accepted: 5..15 words)");
        }
        if (headerLength > length) {
            throw new VrrpFormatException(
                    length,
                    "IHL says the header is " + headerLength + " bytes but only " + length
                            + " were received");
        }
        int total = u16(buffer, offset + 2);
        if (total < headerLength || total > length) {
            throw new VrrpFormatException(
                    2,
                    "total length " + total + " (accepted: " + headerLength + ".." + length
                            + ", the header length up to the bytes received)");
        }
        byte[] options = new byte[headerLength - Ipv4Header.MIN_LENGTH];
        System.arraycopy(buffer, offset + Ipv4Header.MIN_LENGTH, options, 0, options.length);
        return new Ipv4Header(
                u8(buffer, offset + 1),
                total,
                u16(buffer, offset + 4),
                u16(buffer, offset + 6),
                u8(buffer, offset + 8),
                u8(buffer, offset + 9),
                u16(buffer, offset + 10),
                (Inet4Address) address(slice(buffer, offset + 12, 4)),
                (Inet4Address) address(slice(buffer, offset + 16, 4)),
                options);
    }

    /**
     * The VRID byte of a received packet without decoding it, for dispatching to an instance.
     *
     * @param withIpv4Header true for an IPv4 raw-socket datagram (protocol 112 or AH + 112), false
     *     for a bare VRRP message
     * @return the VRID, 0..255, or -1 if the buffer is too short or not VRRP
     */
    public static int peekVrid(byte[] buffer, int offset, int length, boolean withIpv4Header) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        int index = 1;
        if (withIpv4Header) {
            if (length < Ipv4Header.MIN_LENGTH || u8(buffer, offset) >> 4 != 4) {
                return -1;
            }
            int headerLength = (u8(buffer, offset) & 0x0F) * 4;
            if (headerLength < Ipv4Header.MIN_LENGTH) {
                return -1;
            }
            int protocol = u8(buffer, offset + 9);
            if (protocol == IPPROTO_VRRP) {
                index = headerLength + 1;
            } else if (protocol == IPPROTO_AH
                    && length > headerLength
                    && u8(buffer, offset + headerLength) == IPPROTO_VRRP) {
                index = headerLength + IpsecAuthHeader.LENGTH + 1;
            } else {
                return -1;
            }
        }
        return index < length ? u8(buffer, offset + index) : -1;
    }

    // ---------------------------------------------------------------- checksums

    /**
     * The Internet checksum (RFC 1071) of a byte range: the one's complement of the one's
     * complement sum of its 16-bit big-endian words, an odd last byte padded with zero.
     */
    public static int internetChecksum(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return finish(sum(0, buffer, offset, length));
    }

    /**
     * The checksum a VRRP message should carry, computed as if its checksum field were zero.
     *
     * @param source the IP source; needed only for v3 with a pseudo-header
     * @param destination the IP destination; needed only for v3 with a pseudo-header
     * @throws VrrpFormatException if the message is shorter than 8 bytes or its version is not 2/3
     */
    public static int computeChecksum(
            byte[] message,
            int offset,
            int length,
            InetAddress source,
            InetAddress destination,
            V3ChecksumMode mode) {
        Objects.checkFromIndexSize(offset, length, message.length);
        int version = checkedVersion(message, offset, length);
        long acc = pseudoHeaderSum(version, source, destination, mode, length);
        acc = sum(acc, message, offset, CHECKSUM_OFFSET);
        acc = sum(acc, message, offset + CHECKSUM_OFFSET + 2, length - CHECKSUM_OFFSET - 2);
        return finish(acc);
    }

    /**
     * Whether a received VRRP message's checksum verifies (the one's complement sum over
     * pseudo-header and message, checksum field included, is 0xFFFF), as keepalived checks it. The
     * version nibble decides whether a pseudo-header applies; a message shorter than 8 bytes or of
     * another version than 2 or 3 is reported invalid.
     *
     * @see #computeChecksum
     */
    public static boolean isChecksumValid(
            byte[] message,
            int offset,
            int length,
            InetAddress source,
            InetAddress destination,
            V3ChecksumMode mode) {
        Objects.checkFromIndexSize(offset, length, message.length);
        if (length < VrrpPacket.HEADER_LENGTH) {
            return false;
        }
        int version = u8(message, offset) >> 4;
        if (version != 2 && version != 3) {
            return false;
        }
        long acc = pseudoHeaderSum(version, source, destination, mode, length);
        return finish(sum(acc, message, offset, length)) == 0;
    }

    /** Whether the IPv4 header checksum of a datagram verifies. */
    public static boolean isIpv4HeaderChecksumValid(byte[] datagram, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        if (length < Ipv4Header.MIN_LENGTH) {
            return false;
        }
        int headerLength = (u8(datagram, offset) & 0x0F) * 4;
        if (headerLength < Ipv4Header.MIN_LENGTH || headerLength > length) {
            return false;
        }
        return finish(sum(0, datagram, offset, headerLength)) == 0;
    }

    /**
     * The 96-bit AH ICV of an IPv4 datagram as keepalived computes it: HMAC-MD5 keyed with the
     * 8-byte password over the whole datagram with TOS, flags/fragment, header checksum (and TTL for
     * a unicast instance) zeroed in the IP header and the ICV zeroed in the AH header, truncated to
     * 12 bytes.
     *
     * @param length the datagram length (normally the IPv4 total length; the header's total length
     *     field itself is not checked here)
     * @throws VrrpFormatException if the bytes are not an IPv4 datagram with a 24-byte AH header
     */
    public static byte[] authHeaderIcv(
            byte[] datagram, int offset, int length, byte[] key, boolean unicast) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        requireKey(key);
        if (length < Ipv4Header.MIN_LENGTH) {
            throw new VrrpFormatException(
                    length, "IPv4 datagram of " + length + " bytes is shorter than the 20-byte header");
        }
        int versionIhl = u8(datagram, offset);
        int headerLength = (versionIhl & 0x0F) * 4;
        if (versionIhl >> 4 != 4 || headerLength < Ipv4Header.MIN_LENGTH) {
            throw new VrrpFormatException(
                    0, "version/IHL byte 0x" + Integer.toHexString(versionIhl) + " (accepted: 0x45..0x4f)");
        }
        int protocol = u8(datagram, offset + 9);
        if (protocol != IPPROTO_AH) {
            throw new VrrpFormatException(9, "protocol " + protocol + " (accepted: 51 AH)");
        }
        if (length < headerLength + IpsecAuthHeader.LENGTH) {
            throw new VrrpFormatException(
                    length,
                    "datagram of " + length + " bytes has no room for the 24-byte AH header after "
                            + headerLength + " bytes of IPv4 header");
        }
        byte[] copy = slice(datagram, offset, length);
        copy[1] = 0;
        copy[6] = 0;
        copy[7] = 0;
        copy[10] = 0;
        copy[11] = 0;
        if (unicast) {
            copy[8] = 0;
        }
        Arrays.fill(copy, headerLength + 12, headerLength + IpsecAuthHeader.LENGTH, (byte) 0);
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            byte[] digest = mac.doFinal(copy);
            return Arrays.copyOf(digest, IpsecAuthHeader.ICV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is not available in this JVM", e);
        }
    }

    /** Whether the AH ICV of an IPv4 datagram verifies; see {@link #authHeaderIcv}. */
    public static boolean isAuthHeaderIcvValid(
            byte[] datagram, int offset, int length, byte[] key, boolean unicast) {
        byte[] expected = authHeaderIcv(datagram, offset, length, key, unicast);
        int icvStart = offset + (u8(datagram, offset) & 0x0F) * 4 + 12;
        return MessageDigest.isEqual(expected, slice(datagram, icvStart, IpsecAuthHeader.ICV_LENGTH));
    }

    // ---------------------------------------------------------------- text

    /**
     * An address as {@code inet_ntop} prints it, as keepalived's log lines show it: dotted quad for
     * IPv4; for IPv6 lowercase hex with the longest run of two or more zero groups (the first, on
     * a tie) shortened to {@code ::}, and IPv4-mapped/compatible forms with a dotted quad.
     */
    public static String formatAddress(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            if (i == 6
                    && bestStart == 0
                    && (bestLength == 6 || (bestLength == 5 && words[5] == 0xFFFF))) {
                sb.append((b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "."
                        + (b[15] & 0xFF));
                break;
            }
            sb.append(Integer.toHexString(words[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0x0F];
            out[2 * i + 1] = HEX[bytes[i] & 0x0F];
        }
        return new String(out);
    }

    // ---------------------------------------------------------------- internals

    static VrrpPacket decodeMessage(
            byte[] buffer, int offset, int length, StandardProtocolFamily family, int errorBase) {
        if (length < VrrpPacket.HEADER_LENGTH) {
            throw new VrrpFormatException(
                    errorBase + length,
                    "VRRP message of " + length + " bytes is shorter than the 8-byte VRRP header");
        }
        int versionType = u8(buffer, offset);
        int version = versionType >> 4;
        if (version != 2 && version != 3) {
            throw new VrrpFormatException(
                    errorBase, "VRRP version " + version + " (accepted: 2, 3)");
        }
        boolean ipv6 = family == StandardProtocolFamily.INET6;
        if (version == 2 && ipv6) {
            throw new VrrpFormatException(
                    errorBase, "VRRP version 2 over IPv6 (accepted: version 3 only for IPv6)");
        }
        int count = u8(buffer, offset + 3);
        int addressLength = ipv6 ? 16 : 4;
        int expected =
                VrrpPacket.HEADER_LENGTH
                        + count * addressLength
                        + (version == 2 ? VrrpPacket.AUTH_DATA_LENGTH : 0);
        if (length != expected) {
            throw new VrrpFormatException(
                    errorBase + Math.min(length, expected),
                    "VRRP message length " + length + " (accepted: exactly " + expected + " for a v"
                            + version + " message with " + count + (ipv6 ? " IPv6" : " IPv4")
                            + " addresses)");
        }
        int authType = version == 2 ? u8(buffer, offset + 4) : 0;
        int interval =
                version == 2 ? u8(buffer, offset + 5) : u16(buffer, offset + 4) & VrrpPacket.MAX_V3_INTERVAL;
        List<InetAddress> addresses = new ArrayList<>(count);
        int at = offset + VrrpPacket.HEADER_LENGTH;
        for (int i = 0; i < count; i++, at += addressLength) {
            byte[] raw = slice(buffer, at, addressLength);
            addresses.add(ipv6 ? ipv6(raw) : address(raw));
        }
        byte[] authData =
                version == 2 ? slice(buffer, at, VrrpPacket.AUTH_DATA_LENGTH) : new byte[0];
        return new VrrpPacket(
                version,
                versionType & 0x0F,
                u8(buffer, offset + 1),
                u8(buffer, offset + 2),
                count,
                authType,
                interval,
                u16(buffer, offset + CHECKSUM_OFFSET),
                addresses,
                authData);
    }

    private static IpsecAuthHeader decodeAuthHeader(
            byte[] buffer, int offset, int length, int errorBase) {
        if (length < IpsecAuthHeader.LENGTH) {
            throw new VrrpFormatException(
                    errorBase + length,
                    "AH header truncated: " + length + " bytes after the IPv4 header (accepted: at least 24)");
        }
        int next = u8(buffer, offset);
        if (next != IPPROTO_VRRP) {
            throw new VrrpFormatException(
                    errorBase, "AH next header " + next + " (accepted: 112 VRRP)");
        }
        int payloadLength = u8(buffer, offset + 1);
        if (payloadLength != IpsecAuthHeader.PAYLOAD_LENGTH) {
            throw new VrrpFormatException(
                    errorBase + 1,
                    "AH payload length " + payloadLength + " (accepted: 4, a 96-bit ICV as keepalived sends)");
        }
        return new IpsecAuthHeader(
                next,
                payloadLength,
                u16(buffer, offset + 2),
                u32(buffer, offset + 4),
                u32(buffer, offset + 8),
                slice(buffer, offset + 12, IpsecAuthHeader.ICV_LENGTH));
    }

    private static byte[] writeMessage(VrrpPacket p) {
        byte[] out = new byte[p.encodedLength()];
        out[0] = (byte) ((p.version() << 4) | p.type());
        out[1] = (byte) p.vrid();
        out[2] = (byte) p.priority();
        out[3] = (byte) p.addressCount();
        if (p.version() == 2) {
            out[4] = (byte) p.authType();
            out[5] = (byte) p.advertInterval();
        } else {
            putShort(out, 4, p.advertInterval() & VrrpPacket.MAX_V3_INTERVAL);
        }
        int at = VrrpPacket.HEADER_LENGTH;
        for (InetAddress a : p.addresses()) {
            byte[] raw = a.getAddress();
            System.arraycopy(raw, 0, out, at, raw.length);
            at += raw.length;
        }
        if (p.version() == 2) {
            System.arraycopy(p.authData(), 0, out, at, VrrpPacket.AUTH_DATA_LENGTH);
        }
        return out;
    }

    private static long pseudoHeaderSum(
            int version, InetAddress source, InetAddress destination, V3ChecksumMode mode, int length) {
        if (version == 2) {
            return 0;
        }
        Objects.requireNonNull(mode, "mode");
        if (source instanceof Inet6Address || destination instanceof Inet6Address) {
            if (!(source instanceof Inet6Address) || !(destination instanceof Inet6Address)) {
                throw new IllegalArgumentException(
                        "IPv6 pseudo-header needs IPv6 source and destination, got " + source + " and "
                                + destination);
            }
            byte[] ph = new byte[40];
            System.arraycopy(source.getAddress(), 0, ph, 0, 16);
            System.arraycopy(destination.getAddress(), 0, ph, 16, 16);
            putInt(ph, 32, length);
            ph[39] = (byte) IPPROTO_VRRP;
            return sum(0, ph, 0, ph.length);
        }
        if (mode == V3ChecksumMode.NO_PSEUDO_HEADER) {
            return 0;
        }
        Objects.requireNonNull(source, "source (needed for the IPv4 pseudo-header)");
        InetAddress dst =
                mode == V3ChecksumMode.OLD_UNICAST
                        ? IPV4_MULTICAST_GROUP
                        : Objects.requireNonNull(destination, "destination (needed for the IPv4 pseudo-header)");
        byte[] ph = new byte[12];
        System.arraycopy(source.getAddress(), 0, ph, 0, 4);
        System.arraycopy(dst.getAddress(), 0, ph, 4, 4);
        ph[9] = (byte) IPPROTO_VRRP;
        putShort(ph, 10, length);
        return sum(0, ph, 0, ph.length);
    }

    private static int checkedVersion(byte[] message, int offset, int length) {
        if (length < VrrpPacket.HEADER_LENGTH) {
            throw new VrrpFormatException(
                    length, "VRRP message of " + length + " bytes is shorter than the 8-byte VRRP header");
        }
        int version = u8(message, offset) >> 4;
        if (version != 2 && version != 3) {
            throw new VrrpFormatException(0, "VRRP version " + version + " (accepted: 2, 3)");
        }
        return version;
    }

    private static long sum(long acc, byte[] b, int offset, int length) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            acc += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            acc += (b[i] & 0xFF) << 8;
        }
        return acc;
    }

    private static int finish(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }

    private static void requireVersion(VrrpPacket packet, int version) {
        if (packet.version() != version) {
            throw new IllegalArgumentException(
                    "packet version " + packet.version() + " (accepted here: " + version + ")");
        }
    }

    private static void requireKey(byte[] key) {
        if (key.length != VrrpPacket.AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException(
                    "AH key of " + key.length
                            + " bytes (accepted: the 8-byte NUL-padded password, see passwordAuthData)");
        }
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static void putShort(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static byte[] slice(byte[] b, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, offset, out, 0, length);
        return out;
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + raw.length + " bytes", e);
        }
    }

    private static Inet6Address ipv6(byte[] raw) {
        try {
            return Inet6Address.getByAddress(null, raw, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("IPv6 address of " + raw.length + " bytes", e);
        }
    }
}
