package io.lvs4j.vrrp;

import io.lvs4j.vrrp.ValidationResult.DropReason;
import io.lvs4j.vrrp.ValidationResult.Verdict;
import io.lvs4j.vrrp.ValidationResult.Warning;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a received advert the way keepalived's {@code vrrp_check_packet} does (spec §3.7), in the
 * same order, and returns the verdict with keepalived's log lines.
 *
 * <p>Order of checks: headers present, VRID (the dispatcher's job; dropped silently here), AH
 * presence matches auth type, exact length (Ethernet minimum-frame padding tolerated), TTL/hop
 * limit 255 unless unicast, version, v2 auth type valid and equal, PASS password or AH ICV and SPI,
 * v2 interval equal, type 1, IPv4 total length, v3 interval (logged only), checksum, destination
 * multicast vs unicast, {@code owner_ignore_adverts}, VIP count and list (logged only), unicast
 * peer and its TTL range.
 *
 * <p>Log wording is keepalived 2.4's where the spec quotes it ({@code invalid TTL/HL from X},
 * {@code wrong VRRP version from X}, {@code received a T auth from X, expecting U!}, {@code received
 * an invalid passwd from X!}, {@code advertisement interval mismatch with X mine=A sec rcv'd=B
 * sec}, {@code Invalid VRRPv2 checksum from X}, {@code expected N VIPs but received M}); the tails
 * of those lines ({@code . Received N and expect M}) and the lines the spec does not quote are
 * keepalived 2.2.7's (Debian 12's binary). Two lines are lvs4j's own: {@code Invalid auth type from
 * X: T} (keepalived 2.4 starts a line so; its tail is not known) and {@code malformed advert from
 * X: ...} for datagrams a raw socket never delivers (fragments). Stateful checks are left to the
 * caller: the AH sequence number, rate limiting of log lines, and switching to the old unicast
 * checksum once {@link Warning#OLD_UNICAST_CHECKSUM} is reported.
 *
 * <p>Immutable and thread-safe; allocation is a few small objects per packet. Never throws for
 * malformed input: such input is a DROP.
 */
public final class AdvertValidator {

    /** Largest IP packet carried in a minimum-size Ethernet frame: 60 bytes minus 14 of header. */
    static final int ETHERNET_MIN_PAYLOAD = 46;

    private final ReceiverSettings settings;
    private final String prefix;
    private final int expectedInterval;

    public AdvertValidator(ReceiverSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.prefix = settings.logPrefix();
        this.expectedInterval = AdvertInterval.toField(settings.version(), settings.advertInterval());
    }

    /** The settings this validator checks against. */
    public ReceiverSettings settings() {
        return settings;
    }

    /** Validates a whole array as an IPv4 datagram; see {@link #validateIpv4(byte[], int, int)}. */
    public ValidationResult validateIpv4(byte[] datagram) {
        return validateIpv4(datagram, 0, datagram.length);
    }

    /**
     * Validates an IPv4 datagram as a raw socket delivers it (IPv4 header included, then AH if
     * present, then VRRP).
     */
    public ValidationResult validateIpv4(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Run run = new Run();
        if (length >= Ipv4Header.MIN_LENGTH) {
            run.source = ipv4At(buffer, offset + 12);
        }
        if (length < Ipv4Header.MIN_LENGTH) {
            return run.drop(DropReason.TOO_SHORT, "IPv4 VRRP packet too short - " + length + " bytes");
        }
        int versionIhl = buffer[offset] & 0xFF;
        int ihl = (versionIhl & 0x0F) * 4;
        int protocol = buffer[offset + 9] & 0xFF;
        if (versionIhl >> 4 != 4
                || ihl < Ipv4Header.MIN_LENGTH
                || (protocol != VrrpCodec.IPPROTO_VRRP && protocol != VrrpCodec.IPPROTO_AH)) {
            return run.dropSilently(DropReason.NOT_VRRP);
        }
        boolean hasAh = protocol == VrrpCodec.IPPROTO_AH;
        int vrrpOffset = ihl + (hasAh ? IpsecAuthHeader.LENGTH : 0);
        if (length < vrrpOffset + VrrpPacket.HEADER_LENGTH) {
            return run.drop(
                    DropReason.TOO_SHORT,
                    "IPv4 VRRP packet" + (hasAh ? " with AH" : "") + " too short - " + length + " bytes");
        }
        if (hasAh && (buffer[offset + ihl] & 0xFF) != VrrpCodec.IPPROTO_VRRP) {
            return run.dropSilently(DropReason.NOT_VRRP);
        }
        int vrrp = offset + vrrpOffset;
        if ((buffer[vrrp + 1] & 0xFF) != settings.vrid()) {
            return run.dropSilently(DropReason.VRID_MISMATCH);
        }
        if (hasAh != (settings.authType() == VrrpPacket.AUTH_AH)) {
            return run.drop(
                    DropReason.AUTH_HEADER_MISMATCH,
                    prefix + (hasAh ? "Received AH header but auth type not AH" : "No AH header but auth type is AH"));
        }

        int packetVersion = (buffer[vrrp] & 0xFF) >> 4;
        int count = buffer[vrrp + 3] & 0xFF;
        int expected =
                vrrpOffset
                        + VrrpPacket.HEADER_LENGTH
                        + 4 * count
                        + (packetVersion == 2 ? VrrpPacket.AUTH_DATA_LENGTH : 0);
        int totalLength = ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
        int received = length;
        if (length > expected && totalLength == expected && length <= ETHERNET_MIN_PAYLOAD) {
            received = expected;
        }
        if (received != expected) {
            return run.drop(DropReason.LENGTH_MISMATCH, lengthLine(received, expected));
        }

        int ttl = buffer[offset + 8] & 0xFF;
        if (!settings.unicast() && ttl != Ipv4Header.VRRP_TTL) {
            return run.drop(DropReason.TTL, ttlLine(run.source, ttl));
        }
        if (packetVersion != settings.version()) {
            return run.drop(DropReason.VERSION, versionLine(run.source, packetVersion));
        }
        if (packetVersion == 2) {
            ValidationResult authFailure =
                    checkV2Auth(run, buffer, offset, vrrp, expected - VrrpPacket.AUTH_DATA_LENGTH, ihl,
                            received);
            if (authFailure != null) {
                return authFailure;
            }
        }
        ValidationResult typeFailure = checkType(run, buffer[vrrp] & 0x0F);
        if (typeFailure != null) {
            return typeFailure;
        }
        if (totalLength != received) {
            return run.drop(
                    DropReason.TOTAL_LENGTH_MISMATCH,
                    prefix + "ip_tot_len mismatch against received length. " + totalLength
                            + " and received " + received);
        }

        Ipv4VrrpPacket decoded;
        try {
            decoded = VrrpCodec.decodeIpv4(buffer, offset, received);
        } catch (VrrpFormatException e) {
            return run.drop(
                    DropReason.MALFORMED,
                    prefix + "malformed advert from " + VrrpCodec.formatAddress(run.source) + ": "
                            + e.getMessage());
        }
        run.packet = decoded.vrrp();
        run.ipv4Header = decoded.header();
        run.authHeader = decoded.authHeader();
        checkV3Interval(run);

        Inet4Address destination = decoded.header().destination();
        int vrrpLength = received - vrrpOffset;
        if (packetVersion == 2) {
            if (!VrrpCodec.isChecksumValid(buffer, vrrp, vrrpLength, null, null, V3ChecksumMode.PSEUDO_HEADER)) {
                return run.drop(
                        DropReason.CHECKSUM,
                        prefix + "Invalid VRRPv2 checksum from " + VrrpCodec.formatAddress(run.source));
            }
        } else if (settings.v3Checksum() != V3ChecksumMode.NO_PSEUDO_HEADER
                && !VrrpCodec.isChecksumValid(
                        buffer, vrrp, vrrpLength, run.source, destination, settings.v3Checksum())) {
            boolean oldForm =
                    settings.unicast()
                            && settings.v3Checksum() == V3ChecksumMode.PSEUDO_HEADER
                            && settings.detectOldUnicastChecksum()
                            && !destination.equals(VrrpCodec.IPV4_MULTICAST_GROUP)
                            && VrrpCodec.isChecksumValid(
                                    buffer, vrrp, vrrpLength, run.source, destination, V3ChecksumMode.OLD_UNICAST);
            if (!oldForm) {
                return run.drop(
                        DropReason.CHECKSUM,
                        prefix + "Invalid VRRPv3 checksum from " + VrrpCodec.formatAddress(run.source));
            }
            run.warn(Warning.OLD_UNICAST_CHECKSUM, prefix + "Setting unicast VRRPv3 checksum to old version");
        }
        return finish(run, destination.isMulticastAddress(), ttl);
    }

    /**
     * Validates a bare VRRP message received on an IPv6 raw socket.
     *
     * @param hopLimit the hop limit the socket reported ({@code IPV6_RECVHOPLIMIT}), or -1 if
     *     unknown (then it is not checked, as in keepalived)
     * @param source the sender, from the socket address
     * @param destination the destination, from {@code IPV6_PKTINFO}
     * @throws IllegalArgumentException if the settings are for VRRPv2, which is IPv4-only
     */
    public ValidationResult validateIpv6(
            int hopLimit,
            Inet6Address source,
            Inet6Address destination,
            byte[] buffer,
            int offset,
            int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (settings.version() != 3) {
            throw new IllegalArgumentException(
                    "settings " + settings.instanceName() + " are VRRPv2 (accepted for IPv6: version 3)");
        }
        Run run = new Run();
        run.source = source;
        if (length < VrrpPacket.HEADER_LENGTH) {
            return run.drop(DropReason.TOO_SHORT, "IPv6 VRRP packet too short - " + length + " bytes");
        }
        if ((buffer[offset + 1] & 0xFF) != settings.vrid()) {
            return run.dropSilently(DropReason.VRID_MISMATCH);
        }
        int packetVersion = (buffer[offset] & 0xFF) >> 4;
        int count = buffer[offset + 3] & 0xFF;
        int expected = VrrpPacket.HEADER_LENGTH + 16 * count;
        if (length != expected) {
            return run.drop(DropReason.LENGTH_MISMATCH, lengthLine(length, expected));
        }
        if (!settings.unicast() && hopLimit != -1 && hopLimit != Ipv4Header.VRRP_TTL) {
            return run.drop(DropReason.TTL, ttlLine(source, hopLimit));
        }
        if (packetVersion != settings.version()) {
            return run.drop(DropReason.VERSION, versionLine(source, packetVersion));
        }
        ValidationResult typeFailure = checkType(run, buffer[offset] & 0x0F);
        if (typeFailure != null) {
            return typeFailure;
        }
        run.packet = VrrpCodec.decodeMessage(buffer, offset, length, StandardProtocolFamily.INET6, 0);
        checkV3Interval(run);
        if (settings.verifyIpv6Checksum()
                && !VrrpCodec.isChecksumValid(
                        buffer, offset, length, source, destination, V3ChecksumMode.PSEUDO_HEADER)) {
            return run.drop(
                    DropReason.CHECKSUM,
                    prefix + "Invalid VRRPv3 checksum from " + VrrpCodec.formatAddress(source));
        }
        return finish(run, destination.isMulticastAddress(), hopLimit);
    }

    /** Validates a whole array as a bare IPv6 VRRP message. */
    public ValidationResult validateIpv6(
            int hopLimit, Inet6Address source, Inet6Address destination, byte[] message) {
        return validateIpv6(hopLimit, source, destination, message, 0, message.length);
    }

    private ValidationResult checkV2Auth(
            Run run, byte[] buffer, int offset, int vrrp, int authOffset, int ihl, int received) {
        int authType = buffer[vrrp + 4] & 0xFF;
        String from = VrrpCodec.formatAddress(run.source);
        if (authType > VrrpPacket.AUTH_AH) {
            return run.drop(
                    DropReason.INVALID_AUTH_TYPE, prefix + "Invalid auth type from " + from + ": " + authType);
        }
        if (authType != settings.authType()) {
            return run.drop(
                    DropReason.AUTH_TYPE_MISMATCH,
                    prefix + "received a " + authType + " auth from " + from + ", expecting "
                            + settings.authType() + "!");
        }
        if (authType == VrrpPacket.AUTH_PASS) {
            byte[] received8 = Arrays.copyOfRange(buffer, offset + authOffset, offset + authOffset + 8);
            if (!MessageDigest.isEqual(received8, settings.authData())) {
                return run.drop(
                        DropReason.INVALID_PASSWORD, prefix + "received an invalid passwd from " + from + "!");
            }
        } else if (authType == VrrpPacket.AUTH_AH) {
            if (!VrrpCodec.isAuthHeaderIcvValid(
                    buffer, offset, received, settings.authData(), settings.unicast())) {
                return run.drop(
                        DropReason.INVALID_AH_ICV,
                        prefix + "IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad"
                                + " password !");
            }
            InetAddress spi = ipv4At(buffer, offset + ihl + 4);
            if (!spi.equals(run.source)) {
                return run.drop(
                        DropReason.INVALID_AH_SPI,
                        "IPSEC AH : invalid IPSEC SPI value. " + from + " and expect "
                                + VrrpCodec.formatAddress(spi));
            }
        }
        int interval = buffer[vrrp + 5] & 0xFF;
        if (interval != expectedInterval) {
            return run.drop(
                    DropReason.INTERVAL_MISMATCH,
                    prefix + "advertisement interval mismatch with " + from + " mine=" + expectedInterval
                            + " sec rcv'd=" + interval + " sec");
        }
        return null;
    }

    private ValidationResult checkType(Run run, int type) {
        if (type != VrrpPacket.TYPE_ADVERTISEMENT) {
            return run.drop(
                    DropReason.PACKET_TYPE,
                    prefix + "Invalid packet type. " + type + " and expect " + VrrpPacket.TYPE_ADVERTISEMENT);
        }
        return null;
    }

    private void checkV3Interval(Run run) {
        if (run.packet.version() == 3 && run.packet.advertInterval() != expectedInterval) {
            run.warn(
                    Warning.INTERVAL_MISMATCH,
                    prefix + "advertisement interval mismatch with " + VrrpCodec.formatAddress(run.source)
                            + " mine=" + expectedInterval * 10 + " milli-sec rcv'd="
                            + run.packet.advertInterval() * 10 + " milli-sec");
        }
    }

    private ValidationResult finish(Run run, boolean multicastDestination, int ttl) {
        if (multicastDestination == settings.unicast()) {
            return run.drop(
                    DropReason.DESTINATION_MISMATCH,
                    prefix + "Expected " + (settings.unicast() ? "un" : "mult") + "icast packet but received "
                            + (settings.unicast() ? "mult" : "un") + "icast packet");
        }
        if (settings.ignoreAdverts()) {
            return run.dropSilently(DropReason.OWNER_IGNORES_ADVERTS);
        }
        String from = VrrpCodec.formatAddress(run.source);
        if (settings.checkAdvertAddresses()) {
            List<InetAddress> advertised = run.packet.addresses();
            List<InetAddress> configured = settings.virtualAddresses();
            if (advertised.size() != configured.size()) {
                run.warn(
                        Warning.ADDRESS_COUNT_MISMATCH,
                        prefix + "expected " + configured.size() + " VIPs but received " + advertised.size());
            } else {
                for (InetAddress vip : configured) {
                    if (!containsAddress(advertised, vip)) {
                        run.warn(
                                Warning.ADDRESS_NOT_PRESENT,
                                prefix + "ip address associated with VRID " + settings.vrid()
                                        + " not present in advert from " + from);
                        break;
                    }
                }
            }
        }
        if (settings.unicast()) {
            boolean anyRange =
                    settings.unicastPeers().stream().anyMatch(ReceiverSettings.UnicastPeer::hasTtlRange);
            if (settings.checkUnicastSource() || anyRange) {
                ReceiverSettings.UnicastPeer peer = null;
                for (ReceiverSettings.UnicastPeer p : settings.unicastPeers()) {
                    if (Arrays.equals(p.address().getAddress(), run.source.getAddress())) {
                        peer = p;
                        break;
                    }
                }
                if (peer == null) {
                    return run.drop(
                            DropReason.NOT_A_UNICAST_PEER,
                            prefix + "unicast source address " + from + " not a unicast peer");
                }
                if (ttl != -1 && (ttl < peer.minTtl() || ttl > peer.maxTtl())) {
                    return run.drop(
                            DropReason.TTL_OUT_OF_RANGE,
                            prefix + "TTL/HL " + ttl + " from " + from + " not in range " + peer.minTtl() + " - "
                                    + peer.maxTtl());
                }
            }
        }
        return run.result(run.warnings.isEmpty() ? Verdict.ACCEPT : Verdict.ACCEPT_WITH_WARNING, null);
    }

    private String lengthLine(int received, int expected) {
        return prefix + "vrrp packet too " + (received > expected ? "long" : "short") + ", length "
                + received + " and expect " + expected;
    }

    private String ttlLine(InetAddress source, int ttl) {
        return prefix + "invalid TTL/HL from " + VrrpCodec.formatAddress(source) + ". Received " + ttl
                + " and expect " + Ipv4Header.VRRP_TTL;
    }

    private String versionLine(InetAddress source, int packetVersion) {
        return prefix + "wrong VRRP version from " + VrrpCodec.formatAddress(source) + ". Received "
                + packetVersion + " and expect " + settings.version();
    }

    private static boolean containsAddress(List<InetAddress> addresses, InetAddress wanted) {
        byte[] raw = wanted.getAddress();
        for (InetAddress a : addresses) {
            if (Arrays.equals(a.getAddress(), raw)) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress ipv4At(byte[] buffer, int index) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(buffer, index, index + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accumulates one validation's lines and warnings. */
    private static final class Run {
        final List<String> lines = new ArrayList<>(2);
        final Set<Warning> warnings = EnumSet.noneOf(Warning.class);
        InetAddress source;
        VrrpPacket packet;
        Ipv4Header ipv4Header;
        IpsecAuthHeader authHeader;

        void warn(Warning warning, String line) {
            warnings.add(warning);
            lines.add(line);
        }

        ValidationResult drop(DropReason reason, String line) {
            lines.add(line);
            return result(Verdict.DROP, reason);
        }

        ValidationResult dropSilently(DropReason reason) {
            return result(Verdict.DROP, reason);
        }

        ValidationResult result(Verdict verdict, DropReason reason) {
            return new ValidationResult(
                    verdict, reason, warnings, lines, source, packet, ipv4Header, authHeader);
        }
    }
}
