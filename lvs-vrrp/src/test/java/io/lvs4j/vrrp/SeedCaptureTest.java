package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.hex;
import static io.lvs4j.vrrp.TestBytes.ip4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tcpdump dumps in shared/seeds/004_2853a0f534597f52.txt (lines 237-250 and 370-373): adverts
 * of keepalived instances "vrid 51, prio 200/100, auth 1111, VIP 10.1.1.166" captured with {@code
 * tcpdump -X} on eth0. The dumps start at the IPv4 header (no Ethernet header to strip); the ASCII
 * column is left out here.
 */
class SeedCaptureTest {

    /** Line 238: 10.1.1.160 > 224.0.0.18, id 51508, vrid 51, prio 200. */
    static final byte[] VRID51_PRIO200 =
            hex("4500 0028 c934 0000 ff70 067e 0a01 01a0"
                    + "e000 0012 2133 c801 0101 a7c0 0a01 01a6"
                    + "3131 3131 0000 0000");
    /** Line 243: 10.1.1.162 > 224.0.0.18, id 55831, vrid 52, prio 100. */
    static final byte[] VRID52_PRIO100 =
            hex("4500 0028 da17 0000 ff70 f598 0a01 01a2"
                    + "e000 0012 2134 6401 0101 0bc0 0a01 01a6"
                    + "3131 3131 0000 0000");
    /** Line 248: the next advert of the vrid 51 master, id 51509. */
    static final byte[] VRID51_PRIO200_NEXT =
            hex("4500 0028 c935 0000 ff70 067d 0a01 01a0"
                    + "e000 0012 2133 c801 0101 a7c0 0a01 01a6"
                    + "3131 3131 0000 0000");
    /** Line 371: id 2250, vrid 51, prio 100. */
    static final byte[] VRID51_PRIO100 =
            hex("4500 0028 08ca 0000 ff70 c6e8 0a01 01a0"
                    + "e000 0012 2133 6401 0101 0bc1 0a01 01a6"
                    + "3131 3131 0000 0000");

    static final InetAddress VIP = ip4("10.1.1.166");

    @Test
    void decodesEveryFieldOfTheVrid51Advert() {
        Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(VRID51_PRIO200);

        Ipv4Header ip = decoded.header();
        assertThat(ip.tos()).isZero();
        assertThat(ip.totalLength()).isEqualTo(40);
        assertThat(ip.identification()).isEqualTo(51508);
        assertThat(ip.flagsAndFragment()).isZero();
        assertThat(ip.ttl()).isEqualTo(255);
        assertThat(ip.protocol()).isEqualTo(112);
        assertThat(ip.headerChecksum()).isEqualTo(0x067e);
        assertThat(ip.source()).isEqualTo(ip4("10.1.1.160"));
        assertThat(ip.destination()).isEqualTo(ip4("224.0.0.18"));
        assertThat(ip.options()).isEmpty();
        assertThat(decoded.authHeader()).isNull();

        VrrpPacket vrrp = decoded.vrrp();
        assertThat(vrrp.version()).isEqualTo(2);
        assertThat(vrrp.type()).isEqualTo(VrrpPacket.TYPE_ADVERTISEMENT);
        assertThat(vrrp.vrid()).isEqualTo(51);
        assertThat(vrrp.priority()).isEqualTo(200);
        assertThat(vrrp.addressCount()).isEqualTo(1);
        assertThat(vrrp.authType()).isEqualTo(VrrpPacket.AUTH_PASS);
        assertThat(vrrp.advertInterval()).isEqualTo(1);
        assertThat(vrrp.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vrrp.checksum()).isEqualTo(0xa7c0);
        assertThat(vrrp.addresses()).containsExactly(VIP);
        assertThat(vrrp.authData()).isEqualTo(new byte[] {'1', '1', '1', '1', 0, 0, 0, 0});
        assertThat(vrrp.authData()).isEqualTo(VrrpPacket.passwordAuthData("1111"));
    }

    @Test
    void checksumsOfEverySeedPacketVerify() {
        for (byte[] packet : List.of(VRID51_PRIO200, VRID52_PRIO100, VRID51_PRIO200_NEXT, VRID51_PRIO100)) {
            assertThat(VrrpCodec.isIpv4HeaderChecksumValid(packet, 0, packet.length)).isTrue();
            assertThat(VrrpCodec.isChecksumValid(packet, 20, 20, null, null, V3ChecksumMode.PSEUDO_HEADER))
                    .isTrue();
        }
    }

    @Test
    void reEncodesEverySeedPacketByteForByte() {
        for (byte[] packet : List.of(VRID51_PRIO200, VRID52_PRIO100, VRID51_PRIO200_NEXT, VRID51_PRIO100)) {
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(packet);
            assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER))
                    .isEqualTo(packet);
        }
    }

    @Test
    void buildsTheSeedPacketFromConfigurationValues() {
        // This keepalived sent TOS 0 (older versions did); current keepalived sends 0xC0.
        Ipv4Header header = Ipv4Header.forVrrp(ip4("10.1.1.160"), VrrpCodec.IPV4_MULTICAST_GROUP, 0xc934).withTos(0);
        VrrpPacket advert =
                VrrpPacket.advertV2(
                        51, 200, VrrpPacket.AUTH_PASS, VrrpPacket.passwordAuthData("1111"),
                        AdvertInterval.toV2Seconds(Duration.ofSeconds(1)), List.of(VIP));

        assertThat(VrrpCodec.encodeIpv4(header, advert, V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(VRID51_PRIO200);
        assertThat(VrrpCodec.encodeIpv4(header.withIdentification(2250), advert.withPriority(100), V3ChecksumMode.PSEUDO_HEADER))
                .isEqualTo(VRID51_PRIO100);
    }

    @Test
    void aBackupConfiguredLikeTheSeedAcceptsTheMasterAndIgnoresVrid52() {
        AdvertValidator backup =
                new AdvertValidator(
                        ReceiverSettings.builder("VI_1", 51)
                                .passwordAuth("1111")
                                .advertInterval(Duration.ofSeconds(1))
                                .virtualAddresses(List.of(VIP))
                                .build());

        assertThat(backup.validateIpv4(VRID51_PRIO200).verdict()).isEqualTo(ValidationResult.Verdict.ACCEPT);
        assertThat(backup.validateIpv4(VRID51_PRIO100).verdict()).isEqualTo(ValidationResult.Verdict.ACCEPT);
        assertThat(backup.validateIpv4(VRID52_PRIO100).dropReason())
                .isEqualTo(ValidationResult.DropReason.VRID_MISMATCH);
        assertThat(VrrpCodec.peekVrid(VRID52_PRIO100, 0, VRID52_PRIO100.length, true)).isEqualTo(52);
    }

    @Test
    void flippingAnyBitOfTheSeedMessageBreaksItsChecksum() {
        for (int bit = 0; bit < 20 * 8; bit++) {
            byte[] copy = VRID51_PRIO200.clone();
            copy[20 + bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(VrrpCodec.isChecksumValid(copy, 20, 20, ip4("10.1.1.160"), ip4("224.0.0.18"), V3ChecksumMode.PSEUDO_HEADER))
                    .as("bit %d", bit)
                    .isFalse();
        }
    }
}
