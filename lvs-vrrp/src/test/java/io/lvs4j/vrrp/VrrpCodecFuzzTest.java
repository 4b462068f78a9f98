package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.StandardProtocolFamily;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input: every decoder either returns a packet or throws {@link
 * VrrpFormatException} naming an offset inside (or just past) the input; nothing else escapes.
 * Whatever decodes re-encodes to the same bytes once checksums are recomputed.
 */
class VrrpCodecFuzzTest {

    static final long SEED = 0x5652525043L;
    static final int ROUNDS = 60_000;

    static final List<byte[]> IPV4_SEEDS =
            List.of(
                    SeedCaptureTest.VRID51_PRIO200,
                    VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 9),
                            VrrpPacket.advertV3(52, 150, 100, List.of(ip4("198.18.0.101"), ip4("198.18.0.102"))), V3ChecksumMode.PSEUDO_HEADER),
                    VrrpCodec.encodeIpv4WithAuthHeader(Ipv4Header.forVrrp(ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, 9), 3,
                            VrrpPacket.advertV2(55, 150, VrrpPacket.AUTH_AH, VrrpPacket.noAuthData(), 1, List.of(ip4("198.18.0.105"))),
                            VrrpPacket.passwordAuthData("secret12345"), false));
    static final byte[] IPV6_SEED =
            VrrpCodec.encodeV3(VrrpPacket.advertV3(54, 150, 100, List.of(ip6("fe80::5400:1"), ip6("2001:db8::100"))),
                    ip6("fe80::1"), VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER);

    @Test
    void randomBytesNeverEscapeAsAnythingButVrrpFormatException() {
        Random random = new Random(SEED);
        int decoded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = new byte[random.nextInt(96)];
            random.nextBytes(bytes);
            if (round % 4 == 0 && bytes.length > 0) {
                bytes[0] = (byte) (0x45 + random.nextInt(3));
            }
            if (round % 8 == 0 && bytes.length > 10) {
                bytes[9] = (byte) (random.nextBoolean() ? 112 : 51);
                bytes[2] = 0;
                bytes[3] = (byte) bytes.length;
                bytes[6] = 0;
                bytes[7] = 0;
            }
            decoded += exercise(bytes);
        }
        assertThat(decoded).as("some random inputs are valid enough to decode").isPositive();
    }

    @Test
    void mutatedPacketsNeverEscapeAsAnythingButVrrpFormatException() {
        Random random = new Random(SEED + 1);
        int decoded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] seed = round % 4 == 3 ? IPV6_SEED : IPV4_SEEDS.get(random.nextInt(IPV4_SEEDS.size()));
            byte[] bytes = seed.clone();
            for (int flips = random.nextInt(4); flips >= 0; flips--) {
                int index = random.nextInt(bytes.length);
                if (random.nextBoolean()) {
                    bytes[index] ^= (byte) (1 << random.nextInt(8));
                } else {
                    bytes[index] = (byte) random.nextInt(256);
                }
            }
            int newLength = Math.max(0, bytes.length + random.nextInt(9) - 6);
            decoded += exercise(Arrays.copyOf(bytes, newLength));
        }
        assertThat(decoded).isPositive();
    }

    @Test
    void everyTruncationOfAValidPacketIsRejectedCleanly() {
        for (byte[] seed : IPV4_SEEDS) {
            for (int length = 0; length < seed.length; length++) {
                try {
                    VrrpCodec.decodeIpv4(seed, 0, length);
                    fail("decoded a %d-byte truncation of a %d-byte packet", length, seed.length);
                } catch (VrrpFormatException e) {
                    assertThat(e.offset()).isBetween(0, length);
                    assertThat(e.getMessage()).startsWith("at offset " + e.offset() + ": ");
                }
            }
        }
        for (int length = 0; length < IPV6_SEED.length; length++) {
            try {
                VrrpCodec.decode(IPV6_SEED, 0, length, StandardProtocolFamily.INET6);
                fail("decoded a %d-byte truncation", length);
            } catch (VrrpFormatException e) {
                assertThat(e.offset()).isBetween(0, length);
            }
        }
    }

    /** Runs every decoder on the bytes; returns how many succeeded. */
    private static int exercise(byte[] bytes) {
        int ok = 0;
        try {
            Ipv4VrrpPacket packet = VrrpCodec.decodeIpv4(bytes, 0, bytes.length);
            ok++;
            if (packet.authHeader() == null) {
                byte[] again = VrrpCodec.encodeIpv4(packet.header(), packet.vrrp(), V3ChecksumMode.PSEUDO_HEADER);
                Ipv4VrrpPacket reDecoded = VrrpCodec.decodeIpv4(again);
                assertThat(reDecoded.vrrp().withChecksum(0)).isEqualTo(packet.vrrp().withChecksum(0));
                assertThat(VrrpCodec.isIpv4HeaderChecksumValid(again, 0, again.length)).isTrue();
            }
        } catch (VrrpFormatException e) {
            assertThat(e.offset()).isBetween(0, bytes.length);
        }
        for (StandardProtocolFamily family : StandardProtocolFamily.values()) {
            if (family == StandardProtocolFamily.UNIX) {
                continue;
            }
            try {
                VrrpPacket packet = VrrpCodec.decode(bytes, 0, bytes.length, family);
                ok++;
                assertThat(packet.encodedLength()).isEqualTo(bytes.length);
            } catch (VrrpFormatException e) {
                assertThat(e.offset()).isBetween(0, bytes.length);
            }
        }
        VrrpCodec.peekVrid(bytes, 0, bytes.length, true);
        VrrpCodec.peekVrid(bytes, 0, bytes.length, false);
        VrrpCodec.isIpv4HeaderChecksumValid(bytes, 0, bytes.length);
        VrrpCodec.isChecksumValid(bytes, 0, bytes.length, ip4("198.18.0.1"), VrrpCodec.IPV4_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER);
        try {
            VrrpCodec.isAuthHeaderIcvValid(bytes, 0, bytes.length, new byte[8], false);
        } catch (VrrpFormatException e) {
            assertThat(e.offset()).isBetween(0, bytes.length);
        }
        return ok;
    }
}
