package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.hex;
import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static io.lvs4j.vrrp.TestBytes.referenceChecksum;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checksums of constructed v2, v3/IPv4 (multicast, unicast, old unicast form, as v2) and v3/IPv6
 * messages, each recomputed with {@link TestBytes#referenceChecksum} over the pseudo-header the
 * spec prescribes, then verified both ways: the encoded message verifies, and any single flipped
 * bit, or a wrong pseudo-header address, makes it fail.
 */
class VrrpChecksumTest {

    static final Inet4Address SRC = ip4("198.18.0.1");
    static final Inet4Address PEER = ip4("198.18.0.2");
    static final Inet4Address GROUP = VrrpCodec.IPV4_MULTICAST_GROUP;
    static final Inet6Address SRC6 = ip6("fe80::1");
    static final Inet6Address GROUP6 = VrrpCodec.IPV6_MULTICAST_GROUP;

    static final VrrpPacket V2 =
            VrrpPacket.advertV2(
                    7, 100, VrrpPacket.AUTH_PASS, VrrpPacket.passwordAuthData("s3cret-password"), 3,
                    List.of(ip4("198.18.1.1"), ip4("198.18.1.2"), ip4("198.18.1.3")));
    static final VrrpPacket V3 = VrrpPacket.advertV3(9, 254, 4095, List.of(ip4("198.18.1.9"), ip4("198.18.1.10")));
    static final VrrpPacket V3_IPV6 =
            VrrpPacket.advertV3(9, 1, 25, List.of(ip6("fe80::9"), ip6("2001:db8::9"), ip6("2001:db8:0:1::9")));

    @Test
    void rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2 (with end-around carry).
        assertThat(VrrpCodec.internetChecksum(hex("0001 f203 f4f5 f6f7"), 0, 8)).isEqualTo(~0xddf2 & 0xFFFF);
        assertThat(referenceChecksum(hex("0001 f203 f4f5 f6f7"))).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void ipv4HeaderExample() {
        byte[] header = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        assertThat(VrrpCodec.isIpv4HeaderChecksumValid(header, 0, header.length)).isTrue();
        byte[] zeroed = header.clone();
        zeroed[10] = 0;
        zeroed[11] = 0;
        assertThat(VrrpCodec.internetChecksum(zeroed, 0, zeroed.length)).isEqualTo(0xb861);
    }

    @Test
    void oddLengthsArePaddedWithZero() {
        assertThat(VrrpCodec.internetChecksum(hex("01"), 0, 1)).isEqualTo(referenceChecksum(hex("0100")));
        assertThat(VrrpCodec.internetChecksum(hex("0102 03"), 0, 3)).isEqualTo(referenceChecksum(hex("0102 0300")));
    }

    @Test
    void v2ChecksumCoversTheWholeMessageWithoutPseudoHeader() {
        byte[] message = VrrpCodec.encodeV2(V2);
        assertThat(message).hasSize(16 + 4 * 3);
        assertThat(TestBytes.checksumField(message)).isEqualTo(referenceChecksum(TestBytes.withZeroChecksum(message)));
        assertThat(VrrpCodec.computeChecksum(message, 0, message.length, null, null, V3ChecksumMode.PSEUDO_HEADER))
                .isEqualTo(TestBytes.checksumField(message));
        assertVerifiesAndEveryBitFlipFails(message, null, null, V3ChecksumMode.PSEUDO_HEADER);
    }

    @Test
    void v3MulticastChecksumCoversThePseudoHeaderWithTheGroup() {
        byte[] message = VrrpCodec.encodeV3(V3, SRC, GROUP, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(message).hasSize(8 + 4 * 2);
        assertThat(TestBytes.checksumField(message))
                .isEqualTo(referenceChecksum(TestBytes.ipv4PseudoHeader(SRC, GROUP, message.length), TestBytes.withZeroChecksum(message)));
        assertVerifiesAndEveryBitFlipFails(message, SRC, GROUP, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, PEER, GROUP, V3ChecksumMode.PSEUDO_HEADER)).isFalse();
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SRC, PEER, V3ChecksumMode.PSEUDO_HEADER)).isFalse();
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, null, null, V3ChecksumMode.NO_PSEUDO_HEADER)).isFalse();
    }

    @Test
    void v3UnicastChecksumPutsThePeerInThePseudoHeader() {
        byte[] message = VrrpCodec.encodeV3(V3, SRC, PEER, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(TestBytes.checksumField(message))
                .isEqualTo(referenceChecksum(TestBytes.ipv4PseudoHeader(SRC, PEER, message.length), TestBytes.withZeroChecksum(message)));
        assertVerifiesAndEveryBitFlipFails(message, SRC, PEER, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SRC, PEER, V3ChecksumMode.OLD_UNICAST)).isFalse();
    }

    @Test
    void oldUnicastChecksumPutsTheGroupInThePseudoHeaderWhateverTheDestination() {
        byte[] message = VrrpCodec.encodeV3(V3, SRC, PEER, V3ChecksumMode.OLD_UNICAST);
        assertThat(TestBytes.checksumField(message))
                .isEqualTo(referenceChecksum(TestBytes.ipv4PseudoHeader(SRC, GROUP, message.length), TestBytes.withZeroChecksum(message)));
        assertThat(message).isEqualTo(VrrpCodec.encodeV3(V3, SRC, GROUP, V3ChecksumMode.PSEUDO_HEADER));
        assertVerifiesAndEveryBitFlipFails(message, SRC, PEER, V3ChecksumMode.OLD_UNICAST);
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SRC, PEER, V3ChecksumMode.PSEUDO_HEADER)).isFalse();
    }

    @Test
    void v3ChecksumAsV2HasNoPseudoHeader() {
        byte[] message = VrrpCodec.encodeV3(V3, SRC, GROUP, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertThat(TestBytes.checksumField(message)).isEqualTo(referenceChecksum(TestBytes.withZeroChecksum(message)));
        assertThat(VrrpCodec.encodeV3(V3, null, null, V3ChecksumMode.NO_PSEUDO_HEADER)).isEqualTo(message);
        assertVerifiesAndEveryBitFlipFails(message, SRC, GROUP, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SRC, GROUP, V3ChecksumMode.PSEUDO_HEADER)).isFalse();
    }

    @Test
    void v3Ipv6ChecksumCoversTheIpv6PseudoHeader() {
        byte[] message = VrrpCodec.encodeV3(V3_IPV6, SRC6, GROUP6, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(message).hasSize(8 + 16 * 3);
        assertThat(TestBytes.checksumField(message))
                .isEqualTo(referenceChecksum(TestBytes.ipv6PseudoHeader(SRC6, GROUP6, message.length), TestBytes.withZeroChecksum(message)));
        assertThat(VrrpCodec.encodeV3(V3_IPV6, SRC6, GROUP6, V3ChecksumMode.NO_PSEUDO_HEADER))
                .as("the IPv4 mode does not apply to IPv6")
                .isEqualTo(message);
        assertVerifiesAndEveryBitFlipFails(message, SRC6, GROUP6, V3ChecksumMode.PSEUDO_HEADER);
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, ip6("fe80::2"), GROUP6, V3ChecksumMode.PSEUDO_HEADER)).isFalse();
    }

    @Test
    void fullIpv4DatagramsCarryBothChecksums() {
        for (VrrpPacket packet : List.of(V2, V3)) {
            for (InetAddress dst : List.of(GROUP, PEER)) {
                byte[] datagram = VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(SRC, (Inet4Address) dst, 4242), packet, V3ChecksumMode.PSEUDO_HEADER);
                assertThat(VrrpCodec.isIpv4HeaderChecksumValid(datagram, 0, datagram.length)).isTrue();
                assertThat(referenceChecksum(Arrays.copyOf(datagram, 20))).as("header sums to zero").isZero();
                byte[] message = Arrays.copyOfRange(datagram, 20, datagram.length);
                assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SRC, dst, V3ChecksumMode.PSEUDO_HEADER)).isTrue();
                for (int bit = 0; bit < 160; bit++) {
                    byte[] copy = datagram.clone();
                    copy[bit / 8] ^= (byte) (1 << (bit % 8));
                    assertThat(VrrpCodec.isIpv4HeaderChecksumValid(copy, 0, copy.length)).as("header bit %d", bit).isFalse();
                }
            }
        }
    }

    @Test
    void theChecksumFieldAnEncoderIsGivenIsIgnored() {
        assertThat(VrrpCodec.encodeV2(V2.withChecksum(0x1234))).isEqualTo(VrrpCodec.encodeV2(V2));
    }

    private static void assertVerifiesAndEveryBitFlipFails(
            byte[] message, InetAddress src, InetAddress dst, V3ChecksumMode mode) {
        assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, src, dst, mode)).isTrue();
        for (int bit = 0; bit < message.length * 8; bit++) {
            byte[] copy = message.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(VrrpCodec.isChecksumValid(copy, 0, copy.length, src != null ? src : SRC, dst != null ? dst : GROUP, mode))
                    .as("bit %d flipped", bit)
                    .isFalse();
        }
    }
}
