package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortestExpectedDelaySchedulerTest {

    @Test
    void tieGoesToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("sed").servers("A3", "B1");
        f.active("A", 5).active("B", 1);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void strictlyShorterDelayWins() {
        SchedulerFixture f = new SchedulerFixture("sed").servers("A3", "B1");
        f.active("A", 6).active("B", 1);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void inactiveConnectionsAreIgnored() {
        SchedulerFixture f = new SchedulerFixture("sed").servers("A", "B");
        f.inactive("A", 1000);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void withoutActiveConnectionsTheHeaviestWins() {
        SchedulerFixture f = new SchedulerFixture("sed").servers("A1", "B5", "C5");
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightZeroAndOverloadAreSkipped() {
        SchedulerFixture f = new SchedulerFixture("sed").servers("Ax", "B0", "C");
        f.overload("A").active("C", 9);
        assertThat(f.pick()).isEqualTo("C");
        f.edit("C", 0);
        assertThat(f.pick()).isEqualTo("-");
    }
}
