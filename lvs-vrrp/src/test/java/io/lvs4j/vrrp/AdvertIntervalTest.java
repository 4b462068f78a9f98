package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.ip4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvertIntervalTest {

    @Test
    void v2IsWholeSecondsRoundedHalfUpWithMinimumOneAndCapAt255() {
        assertThat(AdvertInterval.toV2Seconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(400))).isEqualTo(1);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(500))).isEqualTo(1);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(1499))).isEqualTo(1);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(2490))).isEqualTo(2);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofSeconds(255))).isEqualTo(255);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(255_400))).isEqualTo(255);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofMillis(255_500))).as("capped, not wrapped to 0").isEqualTo(255);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofSeconds(256))).isEqualTo(255);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofHours(2))).isEqualTo(255);
        assertThat(AdvertInterval.toV2Seconds(Duration.ofDays(400))).isEqualTo(255);
    }

    @Test
    void v3IsCentisecondsIn12BitsRoundedHalfUp() {
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofSeconds(1))).isEqualTo(100);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(40_950))).isEqualTo(4095);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(40_960))).isEqualTo(4095);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(40_954))).isEqualTo(4095);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(40_955))).as("capped, not wrapped").isEqualTo(4095);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofSeconds(100))).isEqualTo(4095);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(10))).isEqualTo(1);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(14))).isEqualTo(1);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(15))).isEqualTo(2);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(1234))).isEqualTo(123);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(1235))).isEqualTo(124);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofNanos(1_234_999_999))).as("truncated to µs first").isEqualTo(123);
        assertThat(AdvertInterval.toV3Centiseconds(Duration.ofMillis(500))).isEqualTo(50);
    }

    @Test
    void zeroAndNegativeIntervalsAreRejected() {
        assertThatThrownBy(() -> AdvertInterval.toV2Seconds(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> AdvertInterval.toV3Centiseconds(Duration.ofMillis(-10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdvertInterval.toField(4, Duration.ofSeconds(1)))
                .hasMessageContaining("version 4");
    }

    @Test
    void fieldsConvertBackToDurations() {
        assertThat(AdvertInterval.fromV2Seconds(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(AdvertInterval.fromV3Centiseconds(4095)).isEqualTo(Duration.ofMillis(40_950));
        assertThat(AdvertInterval.fromV3Centiseconds(100)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> AdvertInterval.fromV3Centiseconds(4096)).hasMessageContaining("4096");
        assertThatThrownBy(() -> AdvertInterval.fromV2Seconds(256)).hasMessageContaining("256");
    }

    @Test
    void v3IntervalIsEncodedAs12BitsAfterFourReservedZeroBits() {
        byte[] oneSecond = VrrpCodec.encodeV3(VrrpPacket.advertV3(1, 100, 100, List.of()), null, null, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertThat(oneSecond[4]).isEqualTo((byte) 0x00);
        assertThat(oneSecond[5]).isEqualTo((byte) 0x64);
        byte[] max = VrrpCodec.encodeV3(VrrpPacket.advertV3(1, 100, 4095, List.of()), null, null, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertThat(max[4]).isEqualTo((byte) 0x0F);
        assertThat(max[5]).isEqualTo((byte) 0xFF);
        assertThat(VrrpCodec.decode(max, StandardProtocolFamily.INET).interval()).isEqualTo(Duration.ofMillis(40_950));
    }

    @Test
    void receivedReservedBitsAreIgnored() {
        byte[] message = VrrpCodec.encodeV3(VrrpPacket.advertV3(1, 100, 100, List.of(ip4("198.18.0.9"))), null, null, V3ChecksumMode.NO_PSEUDO_HEADER);
        message[4] |= (byte) 0xF0;
        assertThat(VrrpCodec.decode(message, StandardProtocolFamily.INET).advertInterval()).isEqualTo(100);
    }

    @Test
    void packetsRejectIntervalsOutsideTheirField() {
        assertThatThrownBy(() -> VrrpPacket.advertV3(1, 100, 4096, List.of())).hasMessageContaining("4096").hasMessageContaining("0..4095");
        assertThatThrownBy(() -> VrrpPacket.advertV2(1, 100, 0, new byte[8], 256, List.of())).hasMessageContaining("0..255");
    }
}
