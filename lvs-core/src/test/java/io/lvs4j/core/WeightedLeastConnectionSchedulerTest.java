package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightedLeastConnectionSchedulerTest {

    @Test
    void specVectorOneClassic() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("A3", "B1");
        f.active("A", 10).inactive("A", 5).active("B", 3);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void specVectorTwoTiesUnderClassicAccounting() {
        SchedulerFixture f = new SchedulerFixture("wlc", 0, KernelFlavor.CLASSIC).servers("A", "B");
        f.active("A", 1).inactive("B", 256);
        assertThat(f.get("A").overhead()).isEqualTo(256);
        assertThat(f.get("B").overhead()).isEqualTo(256);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void specVectorTwoFlipsUnderTotalconns() {
        SchedulerFixture f = new SchedulerFixture("wlc", 0, KernelFlavor.TOTALCONNS_2026).servers("A", "B");
        f.active("A", 1).inactive("B", 256);
        assertThat(f.get("A").overhead()).isEqualTo(257);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void isTheDefaultScheduler() {
        SchedulerFixture f = new SchedulerFixture(ServiceOptions.DEFAULT_SCHEDULER).servers("A3", "B1");
        f.active("A", 10).inactive("A", 5).active("B", 3);
        assertThat(f.svc.scheduler()).isInstanceOf(WeightedLeastConnectionScheduler.class);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightedTieGoesToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("A1", "B2");
        f.active("A", 1).active("B", 2);
        assertThat(f.pick()).isEqualTo("A");
        f.inactive("A", 1);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightZeroNeverWinsEvenWhenIdle() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("A", "B0");
        f.active("A", 50);
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void overloadedFirstServerIsNotTheCandidate() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("Ax", "B", "C");
        f.overload("A").active("B", 1).active("C", 2);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void overloadedLaterServerIsSkipped() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("A", "Bx");
        f.active("A", 5).overload("B");
        assertThat(f.pick()).isEqualTo("A");
    }

    @Test
    void noEligibleServerGivesNone() {
        SchedulerFixture f = new SchedulerFixture("wlc").servers("A0", "Bx");
        f.overload("B");
        assertThat(f.pick()).isEqualTo("-");
    }
}
