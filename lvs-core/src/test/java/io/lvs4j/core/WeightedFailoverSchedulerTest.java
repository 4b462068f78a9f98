package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightedFailoverSchedulerTest {

    @Test
    void highestWeightWinsAndTiesGoToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("fo").servers("A2", "B5", "C5");
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void connectionsDoNotMatter() {
        SchedulerFixture f = new SchedulerFixture("fo").servers("A2", "B5", "C5");
        f.active("B", 1000);
        assertThat(f.picks(3)).isEqualTo("BBB");
    }

    @Test
    void overloadFailsOverToTheNextHighest() {
        SchedulerFixture f = new SchedulerFixture("fo").servers("A2", "B5x", "C5");
        f.overload("B");
        assertThat(f.pick()).isEqualTo("C");
    }

    @Test
    void weightZeroFailsOver() {
        SchedulerFixture f = new SchedulerFixture("fo").servers("A2", "B5", "C5");
        f.edit("B", 0);
        f.edit("C", 0);
        assertThat(f.pick()).isEqualTo("A");
        f.edit("A", 0);
        assertThat(f.pick()).isEqualTo("-");
    }
}
