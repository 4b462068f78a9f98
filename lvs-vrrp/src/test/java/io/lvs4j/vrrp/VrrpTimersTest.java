package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VrrpTimersTest {

    @Test
    void v2SkewIsQuarterMillisecondExact() {
        // spec 3.1: prio 100 gives 0.609375 s
        assertThat(VrrpTimers.skewMicros(2, 100, 1_000_000)).isEqualTo(609_375);
        // (256-255)/256 s = 3906.25 µs, truncated
        assertThat(VrrpTimers.skewMicros(2, 255, 1_000_000)).isEqualTo(3_906);
        assertThat(VrrpTimers.skewMicros(2, 1, 1_000_000)).isEqualTo(996_093);
        // v2 skew does not depend on the interval
        assertThat(VrrpTimers.skewMicros(2, 100, 5_000_000)).isEqualTo(609_375);
    }

    @Test
    void v2MasterDownInterval() {
        // spec 3.1 / task: 3.609375 s with interval 1 and prio 100
        assertThat(VrrpTimers.masterDownMicros(2, 100, 1_000_000, 3)).isEqualTo(3_609_375);
        assertThat(VrrpTimers.masterDownMicros(2, 150, 1_000_000, 3)).isEqualTo(3_414_062);
        assertThat(VrrpTimers.masterDownMicros(2, 100, 2_000_000, 5)).isEqualTo(10_609_375);
    }

    @Test
    void v3SkewKeepsMicrosecondsWhereTheRfcRoundsToCentiseconds() {
        // spec 3.1: 1 s interval, prio 100 -> 609375 µs, where RFC integer cs maths gives 60 cs
        assertThat(VrrpTimers.skewMicros(3, 100, 1_000_000)).isEqualTo(609_375);
        assertThat((256 - 100) * 100 / 256 * 10_000L).isEqualTo(600_000);
        // (256-200) * 50 cs * 625/16 = 109375 µs
        assertThat(VrrpTimers.skewMicros(3, 200, 500_000)).isEqualTo(109_375);
        // (256-254) * 3 cs * 625 / 16 = 234.375 -> 234 µs
        assertThat(VrrpTimers.skewMicros(3, 254, 30_000)).isEqualTo(234);
        assertThat(VrrpTimers.minSkewMicros(3, 1_000_000)).isEqualTo(3_906);
    }

    @Test
    void v3MasterDownUsesTheMasterAdvertInterval() {
        assertThat(VrrpTimers.masterDownMicros(3, 100, 500_000, 3)).isEqualTo(1_500_000 + 304_687);
        assertThat(VrrpTimers.masterDownMicros(3, 100, 1_000_000, 3)).isEqualTo(3_609_375);
    }
}
