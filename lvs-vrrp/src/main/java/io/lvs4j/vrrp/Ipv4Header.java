package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.Objects;

/**
 * The IPv4 header of a VRRP datagram, as a raw socket delivers it on receive and as keepalived
 * builds it for sending with {@code IP_HDRINCL}.
 *
 * <p>Immutable and thread-safe. When decoded, every field is the received value. When used as a
 * template for {@link VrrpCodec#encodeIpv4}, {@code totalLength} and {@code headerChecksum} are
 * ignored: the encoder computes both.
 *
 * @param tos type of service byte; keepalived sends 0xC0 (network control)
 * @param totalLength total length of the datagram in bytes
 * @param identification the 16-bit ID; keepalived increments it per advert, skipping 0
 * @param flagsAndFragment the 3 flag bits and 13-bit fragment offset; keepalived sends 0 (no DF)
 * @param ttl time to live; 255 for VRRP
 * @param protocol 112 (VRRP) or 51 (AH)
 * @param headerChecksum the header checksum field
 * @param source the sender's address
 * @param destination 224.0.0.18 or a unicast peer
 * @param options IP options (usually none), a multiple of 4 bytes, at most 40
 */
public record Ipv4Header(
        int tos,
        int totalLength,
        int identification,
        int flagsAndFragment,
        int ttl,
        int protocol,
        int headerChecksum,
        Inet4Address source,
        Inet4Address destination,
        byte[] options) {

    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** TOS keepalived sets on adverts: precedence 6, internetwork control. */
    public static final int TOS_NETWORK_CONTROL = 0xC0;
    /** The only TTL a multicast VRRP advert may arrive with. */
    public static final int VRRP_TTL = 255;

    public Ipv4Header {
        checkRange("tos", tos, 0, 0xFF);
        checkRange("totalLength", totalLength, 0, 0xFFFF);
        checkRange("identification", identification, 0, 0xFFFF);
        checkRange("flagsAndFragment", flagsAndFragment, 0, 0xFFFF);
        checkRange("ttl", ttl, 0, 0xFF);
        checkRange("protocol", protocol, 0, 0xFF);
        checkRange("headerChecksum", headerChecksum, 0, 0xFFFF);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        options = Objects.requireNonNull(options, "options").clone();
        if (options.length % 4 != 0 || options.length > 40) {
            throw new IllegalArgumentException(
                    "options length " + options.length + " (accepted: a multiple of 4, at most 40)");
        }
    }

    /**
     * The header keepalived puts on a VRRP advert: TOS 0xC0, no DF, TTL 255, protocol 112, no
     * options. Total length and checksum are left 0 for the encoder to fill in.
     */
    public static Ipv4Header forVrrp(Inet4Address source, Inet4Address destination, int identification) {
        return new Ipv4Header(
                TOS_NETWORK_CONTROL,
                0,
                identification,
                0,
                VRRP_TTL,
                VrrpCodec.IPPROTO_VRRP,
                0,
                source,
                destination,
                new byte[0]);
    }

    /** This header with another TTL (keepalived's {@code unicast_ttl}). */
    public Ipv4Header withTtl(int newTtl) {
        return new Ipv4Header(
                tos, totalLength, identification, flagsAndFragment, newTtl, protocol, headerChecksum,
                source, destination, options);
    }

    /** This header with another TOS byte. */
    public Ipv4Header withTos(int newTos) {
        return new Ipv4Header(
                newTos, totalLength, identification, flagsAndFragment, ttl, protocol, headerChecksum,
                source, destination, options);
    }

    /** This header with another identification. */
    public Ipv4Header withIdentification(int newIdentification) {
        return new Ipv4Header(
                tos, totalLength, newIdentification, flagsAndFragment, ttl, protocol, headerChecksum,
                source, destination, options);
    }

    /** This header with another protocol number (51 when AH follows). */
    public Ipv4Header withProtocol(int newProtocol) {
        return new Ipv4Header(
                tos, totalLength, identification, flagsAndFragment, ttl, newProtocol, headerChecksum,
                source, destination, options);
    }

    /** Header length in bytes: 20 plus the options. */
    public int headerLength() {
        return MIN_LENGTH + options.length;
    }

    /** A copy of the options. */
    @Override
    public byte[] options() {
        return options.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Header h
                && tos == h.tos
                && totalLength == h.totalLength
                && identification == h.identification
                && flagsAndFragment == h.flagsAndFragment
                && ttl == h.ttl
                && protocol == h.protocol
                && headerChecksum == h.headerChecksum
                && source.equals(h.source)
                && destination.equals(h.destination)
                && Arrays.equals(options, h.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                        tos, totalLength, identification, flagsAndFragment, ttl, protocol, headerChecksum,
                        source, destination)
               * 31
                + Arrays.hashCode(options);
    }

    @Override
    public String toString() {
        return "Ipv4Header[tos=0x"
                + Integer.toHexString(tos)
                + " len="
                + totalLength
                + " id="
                + identification
                + " frag=0x"
                + Integer.toHexString(flagsAndFragment)
                + " ttl="
                + ttl
                + " proto="
                + protocol
                + " csum=0x"
                + String.format("%04x", headerChecksum)
                + " "
                + source.getHostAddress()
                + " > "
                + destination.getHostAddress()
                + (options.length == 0 ? "" : " options=" + VrrpCodec.hex(options))
                + "]";
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " " + value + " out of range (accepted: " + min + ".." + max + ")");
        }
    }
}
