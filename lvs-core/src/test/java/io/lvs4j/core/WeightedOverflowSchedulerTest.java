package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightedOverflowSchedulerTest {

    @Test
    void specVectorSkipsTheOverflowedServer() {
        SchedulerFixture f = new SchedulerFixture("ovf").servers("A2", "B5", "C3");
        f.active("A", 2).active("B", 6);
        assertThat(f.pick()).isEqualTo("C");
    }

    @Test
    void aServerTakesUpToWeightPlusOneActiveConnections() {
        SchedulerFixture f = new SchedulerFixture("ovf").servers("A2", "B1");
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String p = f.pick();
            picks.append(p);
            if (!p.equals("-")) {
                f.active(p, 1);
            }
        }
        assertThat(picks).hasToString("AAABB-");
    }

    @Test
    void inactiveConnectionsNeverOverflow() {
        SchedulerFixture f = new SchedulerFixture("ovf").servers("A1", "B2");
        f.inactive("B", 1000);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void tieGoesToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("ovf").servers("A1", "B3", "C3");
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightZeroAndOverloadAreSkipped() {
        SchedulerFixture f = new SchedulerFixture("ovf").servers("A1", "B0", "C9x");
        f.overload("C");
        assertThat(f.pick()).isEqualTo("A");
        f.edit("A", 0);
        assertThat(f.pick()).isEqualTo("-");
    }
}
