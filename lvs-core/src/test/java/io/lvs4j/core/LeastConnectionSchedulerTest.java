package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeastConnectionSchedulerTest {

    @Test
    void specVectorPicksTheSmallestOverhead() {
        SchedulerFixture f = new SchedulerFixture("lc").servers("A", "B", "C");
        f.active("A", 2).inactive("A", 5);
        f.active("B", 2).inactive("B", 3);
        f.active("C", 1).inactive("C", 300);
        assertThat(f.get("A").overhead()).isEqualTo(517);
        assertThat(f.get("B").overhead()).isEqualTo(515);
        assertThat(f.get("C").overhead()).isEqualTo(556);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void tiesGoToTheFirstInScanOrder() {
        SchedulerFixture f = new SchedulerFixture("lc").servers("A", "B", "C");
        f.inactive("A", 1).inactive("B", 0).inactive("C", 0);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightOnlyMattersAsZeroOrNot() {
        SchedulerFixture f = new SchedulerFixture("lc").servers("A100", "B1", "C0");
        f.inactive("A", 2).inactive("B", 1);
        assertThat(f.pick()).isEqualTo("B");
    }

    @Test
    void weightZeroAndOverloadAreSkipped() {
        SchedulerFixture f = new SchedulerFixture("lc").servers("A0", "Bx", "C");
        f.overload("B").active("C", 3);
        assertThat(f.pick()).isEqualTo("C");
        f.edit("C", 0);
        assertThat(f.pick()).isEqualTo("-");
    }

    @Test
    void overheadFormulaFollowsTheKernelFlavor() {
        SchedulerFixture classic = new SchedulerFixture("lc", 0, KernelFlavor.CLASSIC).servers("A", "B");
        classic.active("A", 1).inactive("B", 256);
        assertThat(classic.pick()).isEqualTo("A");
        SchedulerFixture modern = new SchedulerFixture("lc", 0, KernelFlavor.TOTALCONNS_2026).servers("A", "B");
        modern.active("A", 1).inactive("B", 256);
        assertThat(modern.pick()).isEqualTo("B");
    }
}
