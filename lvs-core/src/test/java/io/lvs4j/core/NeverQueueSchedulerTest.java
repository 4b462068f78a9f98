package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeverQueueSchedulerTest {

    @Test
    void firstIdleServerWinsWhateverItsWeight() {
        SchedulerFixture f = new SchedulerFixture("nq").servers("A5", "B1", "C1");
        f.active("A", 3);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void withoutIdleServerTheSedRuleApplies() {
        SchedulerFixture f = new SchedulerFixture("nq").servers("A5", "B1");
        f.active("A", 3).active("B", 1);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void sedRuleTieGoesToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("nq").servers("A3", "B1");
        f.active("A", 5).active("B", 1);
        assertThat(f.pick()).isEqualTo("A");
        f.active("A", 1);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void inactiveConnectionsDoNotMakeAServerBusy() {
        SchedulerFixture f = new SchedulerFixture("nq").servers("A1", "B9");
        f.inactive("A", 100);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void idleButIneligibleServersAreSkipped() {
        SchedulerFixture f = new SchedulerFixture("nq").servers("A0", "Bx", "C");
        f.overload("B").active("C", 4);
        assertThat(f.get("B").activeConnections()).isZero();
        assertThat(f.pick()).isEqualTo("C");
        f.edit("C", 0);
        assertThat(f.pick()).isEqualTo("-");
    }
}
