package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundRobinSchedulerTest {

    @Test
    void addedAThenBThenCPicksInScanOrderCBA() {
        SchedulerFixture f = new SchedulerFixture("rr");
        f.add("A");
        f.add("B");
        f.add("C");
        assertThat(f.scanOrder()).isEqualTo("CBA");
        assertThat(f.picks(7)).isEqualTo("CBACBAC");
    }

    @Test
    void weightZeroIsSkipped() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B0", "C");
        assertThat(f.picks(6)).isEqualTo("ACACAC");
    }

    @Test
    void overloadedIsSkipped() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "Bx", "C");
        f.overload("B");
        assertThat(f.picks(4)).isEqualTo("ACAC");
    }

    @Test
    void otherWeightsDoNotMatter() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A5", "B1", "C100");
        assertThat(f.picks(6)).isEqualTo("ABCABC");
    }

    @Test
    void deletingThePointedAtServerContinuesWithItsFormerSuccessor() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C", "D");
        assertThat(f.picks(2)).isEqualTo("AB");
        f.delete("B");
        assertThat(f.picks(4)).isEqualTo("CDAC");
    }

    @Test
    void deletingThePointedAtFirstServerRestartsFromTheHead() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        assertThat(f.picks(1)).isEqualTo("A");
        f.delete("A");
        assertThat(f.picks(3)).isEqualTo("BCB");
    }

    @Test
    void deletingThePointedAtLastServerWrapsToTheFirst() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        assertThat(f.picks(3)).isEqualTo("ABC");
        f.delete("C");
        assertThat(f.picks(3)).isEqualTo("ABA");
    }

    @Test
    void deletingAnotherServerKeepsThePointer() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        assertThat(f.picks(2)).isEqualTo("AB");
        f.delete("A");
        assertThat(f.picks(3)).isEqualTo("CBC");
    }

    @Test
    void addingAndEditingDoNotMoveThePointer() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        assertThat(f.picks(1)).isEqualTo("A");
        f.add("D");
        assertThat(f.scanOrder()).isEqualTo("DABC");
        assertThat(f.picks(1)).isEqualTo("B");
        f.edit("A", 7);
        assertThat(f.picks(4)).isEqualTo("CDAB");
    }

    @Test
    void nothingEligibleGivesNoneAndLeavesThePointer() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        assertThat(f.picks(1)).isEqualTo("A");
        f.edit("A", 0);
        f.edit("B", 0);
        f.edit("C", 0);
        assertThat(f.picks(2)).isEqualTo("--");
        f.edit("B", 1);
        f.edit("A", 1);
        assertThat(f.picks(1)).isEqualTo("B");
    }

    @Test
    void aSingleEligibleServerIsPickedAgain() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A0", "B", "C0");
        assertThat(f.picks(3)).isEqualTo("BBB");
    }

    @Test
    void emptyServiceGivesNone() {
        SchedulerFixture f = new SchedulerFixture("rr");
        assertThat(f.pick()).isEqualTo("-");
    }
}
