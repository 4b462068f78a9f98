package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.hex;
import static io.lvs4j.vrrp.TestBytes.ip;
import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static io.lvs4j.vrrp.TestBytes.toHex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecTest {

    static final VrrpPacket V2 =
            VrrpPacket.advertV2(51, 150, VrrpPacket.AUTH_PASS, VrrpPacket.passwordAuthData("1111"), 1, List.of(ip4("198.18.0.100")));
    static final VrrpPacket V3 = VrrpPacket.advertV3(52, 150, 100, List.of(ip4("198.18.0.101"), ip4("198.18.0.102")));

    @Test
    void v2LayoutIsSixteenPlusFourNBytes() {
        byte[] message = VrrpCodec.encodeV2(V2);
        assertThat(toHex(message)).isEqualTo("21339601010100000000000000000000".substring(0, 12) + toHex(Arrays.copyOfRange(message, 6, 8))
                + "c61200643131313100000000");
        assertThat(message).hasSize(20);
    }

    @Test
    void v3LayoutHasNoAuthBytes() {
        byte[] message = VrrpCodec.encodeV3(V3, ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER);
        // Same bytes keepalived 2.2.7 sent for this instance (captures/keepalived-adverts.hex).
        assertThat(toHex(message)).isEqualTo("31349602006404cec6120065c6120066");
    }

    @Test
    void keepalivedStyleIpv4HeaderIsTheDefault() {
        byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), V2, V3ChecksumMode.PSEUDO_HEADER);
        // Identical to keepalived 2.2.7's first VI_V2 advert.
        assertThat(toHex(datagram)).isEqualTo("45c0002800010000ff70147fc6120001e00000122133960101011ef1c61200643131313100000000");
        Ipv4Header header = VrrpCodec.decodeIpv4(datagram).header();
        assertThat(header.tos()).isEqualTo(0xC0);
        assertThat(header.flagsAndFragment()).as("no DF").isZero();
        assertThat(header.ttl()).isEqualTo(255);
        assertThat(header.protocol()).isEqualTo(112);
    }

    @Test
    void unicastTtlAndOptionsAreEncoded() {
        Ipv4Header header =
                new Ipv4Header(0xC0, 0, 7, 0, 64, 112, 0, ip4("198.18.0.1"), ip4("198.18.0.2"), hex("94040000"));
        byte[] datagram = VrrpCodec.encodeIpv4(header, V3, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(datagram[0]).isEqualTo((byte) 0x46);
        assertThat(datagram[8]).isEqualTo((byte) 64);
        Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(datagram);
        assertThat(decoded.header().options()).isEqualTo(hex("94040000"));
        assertThat(decoded.header().headerLength()).isEqualTo(24);
        assertThat(decoded.vrrp()).isEqualTo(V3.withChecksum(decoded.vrrp().checksum()));
        assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(datagram);
    }

    @Test
    void roundTripsEveryShape() {
        List<VrrpPacket> packets =
                List.of(
                        V2,
                        V2.withPriority(0),
                        VrrpPacket.advertV2(255, 255, VrrpPacket.AUTH_NONE, VrrpPacket.noAuthData(), 255, List.of()),
                        V3,
                        VrrpPacket.advertV3(1, 1, 1, List.of()),
                        VrrpPacket.advertV3(200, 100, 4095, List.of(ip6("fe80::1"), ip6("2001:db8::1"))));
        for (VrrpPacket packet : packets) {
            InetAddress src = packet.carriesIpv6() ? ip6("fe80::2") : ip4("198.18.0.1");
            InetAddress dst = packet.carriesIpv6() ? VrrpCodec.IPV6_MULTICAST_GROUP : VrrpCodec.IPV4_MULTICAST_GROUP;
            byte[] message = VrrpCodec.encode(packet, src, dst, V3ChecksumMode.PSEUDO_HEADER);
            assertThat(message).hasSize(packet.encodedLength());
            VrrpPacket decoded =
                    VrrpCodec.decode(message, packet.carriesIpv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            assertThat(decoded.withChecksum(0)).isEqualTo(packet);
            assertThat(VrrpCodec.encode(decoded, src, dst, V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(message);
        }
    }

    @Test
    void passwordsAreTruncatedToEightBytesAndNulPadded() {
        assertThat(VrrpPacket.passwordAuthData("secret12345")).isEqualTo("secret12".getBytes());
        assertThat(VrrpPacket.passwordAuthData("ab")).isEqualTo(new byte[] {'a', 'b', 0, 0, 0, 0, 0, 0});
        assertThat(VrrpPacket.passwordAuthData("")).isEqualTo(new byte[8]);
    }

    @Test
    void truncatedAndMalformedMessagesAreRejectedWithTheOffset() {
        byte[] message = VrrpCodec.encodeV2(V2);
        assertThatThrownBy(() -> VrrpCodec.decode(message, 0, 7, StandardProtocolFamily.INET))
                .isInstanceOf(VrrpFormatException.class)
                .hasMessage("at offset 7: VRRP message of 7 bytes is shorter than the 8-byte VRRP header");
        assertThatThrownBy(() -> VrrpCodec.decode(message, 0, 19, StandardProtocolFamily.INET))
                .isInstanceOf(VrrpFormatException.class)
                .hasMessage("at offset 19: VRRP message length 19 (accepted: exactly 20 for a v2 message with 1 IPv4 addresses)")
                .extracting(e -> ((VrrpFormatException) e).offset())
                .isEqualTo(19);
        byte[] wrongVersion = message.clone();
        wrongVersion[0] = 0x41;
        assertThatThrownBy(() -> VrrpCodec.decode(wrongVersion, StandardProtocolFamily.INET))
                .hasMessage("at offset 0: VRRP version 4 (accepted: 2, 3)");
        assertThatThrownBy(() -> VrrpCodec.decode(message, StandardProtocolFamily.INET6))
                .hasMessage("at offset 0: VRRP version 2 over IPv6 (accepted: version 3 only for IPv6)");
    }

    @Test
    void malformedIpv4DatagramsAreRejectedWithTheOffset() {
        byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), V2, V3ChecksumMode.PSEUDO_HEADER);
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(datagram, 0, 12))
                .isInstanceOf(VrrpFormatException.class)
                .hasMessage("at offset 12: IPv4 datagram of 12 bytes is shorter than the 20-byte header");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(datagram, 0, 39))
                .hasMessage("at offset 2: total length 40 (accepted: 20..39, the header length up to the bytes received)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 0, 0x65)))
                .hasMessage("at offset 0: IP version 6 (accepted: 4)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 0, 0x44)))
                .hasMessage("at offset 0: IHL 4 (accepted: 5..15 words)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 0, 0x4f)))
                .hasMessage("at offset 40: IHL says the header is 60 bytes but only 40 were received");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 9, 6)))
                .hasMessage("at offset 9: protocol 6 (accepted: 112 VRRP, 51 AH)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 6, 0x20)))
                .hasMessage("at offset 6: flags/fragment 0x2000 is a fragment (accepted: MF clear and offset 0)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 23, 2)))
                .hasMessage("at offset 40: VRRP message length 20 (accepted: exactly 24 for a v2 message with 2 IPv4 addresses)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(datagram, 20, 0x11)))
                .hasMessage("at offset 20: VRRP version 1 (accepted: 2, 3)");
        byte[] ah = with(datagram, 9, 51);
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(ah))
                .hasMessage("at offset 40: AH header truncated: 20 bytes after the IPv4 header (accepted: at least 24)");
        byte[] withAh = VrrpCodec.encodeIpv4WithAuthHeader(
                Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), 1,
                VrrpPacket.advertV2(51, 150, VrrpPacket.AUTH_AH, VrrpPacket.noAuthData(), 1, List.of(ip4("198.18.0.100"))),
                VrrpPacket.passwordAuthData("secret"), false);
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(withAh, 20, 6)))
                .hasMessage("at offset 20: AH next header 6 (accepted: 112 VRRP)");
        assertThatThrownBy(() -> VrrpCodec.decodeIpv4(with(withAh, 21, 5)))
                .hasMessage("at offset 21: AH payload length 5 (accepted: 4, a 96-bit ICV as keepalived sends)");
        assertThat(VrrpCodec.decodeIpv4(withAh).authHeader().sequenceNumber()).isEqualTo(1);
    }

    @Test
    void dfIsNotAFragment() {
        byte[] datagram = VrrpCodec.encodeIpv4(
                new Ipv4Header(0xC0, 0, 1, 0x4000, 255, 112, 0, ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, new byte[0]),
                V2, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(VrrpCodec.decodeIpv4(datagram).header().flagsAndFragment()).isEqualTo(0x4000);
    }

    @Test
    void linkPaddingAfterTheTotalLengthIsIgnored() {
        byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), V2, V3ChecksumMode.PSEUDO_HEADER);
        byte[] padded = Arrays.copyOf(datagram, 46);
        assertThat(VrrpCodec.decodeIpv4(padded)).isEqualTo(VrrpCodec.decodeIpv4(datagram));
    }

    @Test
    void decodesAtAnOffset() {
        byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), V2, V3ChecksumMode.PSEUDO_HEADER);
        byte[] framed = TestBytes.concat(new byte[14], datagram, new byte[4]);
        assertThat(VrrpCodec.decodeIpv4(framed, 14, datagram.length)).isEqualTo(VrrpCodec.decodeIpv4(datagram));
        assertThat(VrrpCodec.peekVrid(framed, 14, datagram.length, true)).isEqualTo(51);
        assertThat(VrrpCodec.peekVrid(framed, 34, 20, false)).isEqualTo(51);
    }

    @Test
    void peekVridNeverThrowsOnShortOrForeignInput() {
        assertThat(VrrpCodec.peekVrid(new byte[0], 0, 0, false)).isEqualTo(-1);
        assertThat(VrrpCodec.peekVrid(new byte[1], 0, 1, false)).isEqualTo(-1);
        assertThat(VrrpCodec.peekVrid(new byte[20], 0, 20, true)).isEqualTo(-1);
        byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), V2, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(VrrpCodec.peekVrid(datagram, 0, 21, true)).isEqualTo(-1);
        assertThat(VrrpCodec.peekVrid(datagram, 0, 22, true)).isEqualTo(51);
        assertThat(VrrpCodec.peekVrid(with(datagram, 9, 17), 0, 40, true)).isEqualTo(-1);
    }

    @Test
    void encodersRefuseMismatchedInput() {
        assertThatThrownBy(() -> VrrpCodec.encodeV2(V3)).hasMessage("packet version 3 (accepted here: 2)");
        VrrpPacket v6 = VrrpPacket.advertV3(1, 1, 100, List.of(ip6("fe80::1")));
        assertThatThrownBy(() -> VrrpCodec.encodeV3(v6, ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.encodeV3(V3, ip6("fe80::1"), VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), v6, V3ChecksumMode.PSEUDO_HEADER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpCodec.encodeIpv4WithAuthHeader(
                        Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 1), 1, V2, "secret12345".getBytes(), false))
                .hasMessageContaining("AH key of 11 bytes");
    }

    @Test
    void packetsRejectOutOfRangeFields() {
        assertThatThrownBy(() -> VrrpPacket.advertV2(256, 1, 0, new byte[8], 1, List.of())).hasMessage("vrid 256 out of range (accepted: 0..255)");
        assertThatThrownBy(() -> VrrpPacket.advertV2(1, -1, 0, new byte[8], 1, List.of())).hasMessageContaining("priority -1");
        assertThatThrownBy(() -> VrrpPacket.advertV2(1, 1, 0, new byte[7], 1, List.of())).hasMessageContaining("exactly 8 bytes");
        assertThatThrownBy(() -> VrrpPacket.advertV2(1, 1, 0, new byte[8], 1, List.of(ip6("fe80::1")))).hasMessageContaining("IPv4 addresses only");
        assertThatThrownBy(() -> VrrpPacket.advertV3(1, 1, 1, List.of(ip4("198.18.0.1"), ip6("fe80::1")))).hasMessageContaining("mix IPv4 and IPv6");
        assertThatThrownBy(() -> new VrrpPacket(4, 1, 1, 1, 0, 0, 1, 0, List.of(), new byte[0])).hasMessage("version 4 (accepted: 2, 3)");
        assertThatThrownBy(() -> new VrrpPacket(3, 1, 1, 1, 2, 0, 1, 0, List.of(), new byte[0])).hasMessageContaining("addressCount 2");
    }

    @Test
    void packetsAreImmutableValues() {
        byte[] auth = VrrpPacket.passwordAuthData("1111");
        VrrpPacket packet = VrrpPacket.advertV2(1, 1, 1, auth, 1, List.of());
        auth[0] = 'x';
        assertThat(packet.authData()[0]).isEqualTo((byte) '1');
        packet.authData()[0] = 'y';
        assertThat(packet.authData()[0]).isEqualTo((byte) '1');
        assertThat(packet).isEqualTo(VrrpPacket.advertV2(1, 1, 1, VrrpPacket.passwordAuthData("1111"), 1, List.of()));
        assertThat(packet.hashCode()).isEqualTo(VrrpPacket.advertV2(1, 1, 1, VrrpPacket.passwordAuthData("1111"), 1, List.of()).hashCode());
        assertThat(packet.toString()).doesNotContain("1111").contains("vrid=1");
    }

    @Test
    void addressesAreFormattedLikeInetNtop() throws Exception {
        assertThat(VrrpCodec.formatAddress(ip("198.18.0.1"))).isEqualTo("198.18.0.1");
        assertThat(VrrpCodec.formatAddress(ip("fe80:0:0:0:c6ff:fe12:0:1"))).isEqualTo("fe80::c6ff:fe12:0:1");
        assertThat(VrrpCodec.formatAddress(ip("::"))).isEqualTo("::");
        assertThat(VrrpCodec.formatAddress(ip("::1"))).isEqualTo("::1");
        assertThat(VrrpCodec.formatAddress(ip("ff02::12"))).isEqualTo("ff02::12");
        assertThat(VrrpCodec.formatAddress(ip("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(VrrpCodec.formatAddress(ip("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(VrrpCodec.formatAddress(ip("1:0:0:1:0:0:0:1"))).isEqualTo("1:0:0:1::1");
        assertThat(VrrpCodec.formatAddress(ip("2001:db8::"))).isEqualTo("2001:db8::");
        assertThat(VrrpCodec.formatAddress(java.net.Inet6Address.getByAddress(null, hex("00000000000000000000ffffc6120001"), -1)))
                .isEqualTo("::ffff:198.18.0.1");
        assertThat(VrrpCodec.formatAddress(java.net.Inet6Address.getByAddress(null, hex("000000000000000000000000c6120001"), -1)))
                .isEqualTo("::198.18.0.1");
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
