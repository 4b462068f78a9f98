package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spec's vectors start from {@code cw = mw}, which is the state after the scheduler is attached to a
 * service that already has its servers ({@code ipvsadm -E -s wrr}, or init_svc). Servers added one by one
 * to a wrr service start from the first server's weight instead (the add rule keeps a non-zero cw), which
 * shifts the phase of the same cycle; {@link #serversAddedOneByOneRunTheSameCycleInAnotherPhase} shows it.
 */
class WeightedRoundRobinSchedulerTest {

    /** A wrr service whose scan order is {@code specs}, attached after the servers were added. */
    private static SchedulerFixture wrr(String... specs) {
        return new SchedulerFixture("rr").servers(specs).attach("wrr");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'A3,B1',    AAAB",
            "'B1,A3',    AABA",
            "'A4,B3,C2', AABABCABC",
            "'A5,B1,C1', AAAAABC",
            "'A4,B2',    AAB",
            "'A3,B2,C0', AABAB",
    })
    void specTableRepeatsForThreeCycles(String servers, String cycle) {
        SchedulerFixture f = wrr(servers.split(","));
        assertThat(f.svc.scheduler()).isInstanceOf(WeightedRoundRobinScheduler.class);
        assertThat(f.picks(3 * cycle.length())).isEqualTo(cycle.repeat(3));
    }

    @Test
    void serversAddedOneByOneRunTheSameCycleInAnotherPhase() {
        // add A3 (di 3, mw 1: cw 0 -> 1), then B1 (mw 3, cw 1 stays): scan [B1, A3]
        SchedulerFixture f = new SchedulerFixture("wrr");
        f.add("A3");
        f.add("B1");
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(1);
        assertThat(f.picks(12)).isEqualTo("BAAA".repeat(3));
        // the same list attached at once starts at cw = mw, as in the spec's table
        f.attach("rr").attach("wrr");
        assertThat(f.picks(12)).isEqualTo("AABA".repeat(3));
    }

    @Test
    void serversAddedOneByOneInScanOrderAB() {
        SchedulerFixture f = new SchedulerFixture("wrr").servers("A3", "B1"); // adds B1, then A3: cw = 1
        assertThat(f.picks(10)).isEqualTo("AB" + "AAAB".repeat(2));
    }

    @Test
    void di2mw3() {
        SchedulerFixture f = wrr("A4", "B2");
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(3);
    }

    @Test
    void overloadedServerIsSkipped() {
        SchedulerFixture f = wrr("A3x", "B1");
        f.overload("A");
        assertThat(f.picks(5)).isEqualTo("BBBBB");
    }

    @Test
    void allOverloadedGivesNone() {
        SchedulerFixture f = wrr("A1x", "B2x");
        f.overload("A").overload("B");
        assertThat(f.picks(3)).isEqualTo("---");
    }

    @Test
    void allWeightZeroGivesNoneAndAWeightRestoresIt() {
        SchedulerFixture f = wrr("A0", "B0");
        assertThat(f.picks(2)).isEqualTo("--");
        f.edit("A", 2); // cw was 0: cw = mw
        assertThat(f.picks(3)).isEqualTo("AAA");
    }

    @Test
    void editResetsThePositionToTheHead() {
        SchedulerFixture f = wrr("A4", "B3", "C2");
        assertThat(f.picks(2)).isEqualTo("AA"); // cw = 3, position on A
        f.edit("C", 2);
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(3);
        // from the head with cw = 3; without the reset the next pick would be B
        assertThat(f.picks(17)).isEqualTo("ABABCABC" + "AABABCABC");
    }

    @Test
    void thresholdAboveTheNewMaximumDropsToIt() {
        SchedulerFixture f = wrr("A4", "B3", "C2");
        assertThat(f.picks(1)).isEqualTo("A"); // cw = 4
        f.edit("A", 2); // mw = 3 < cw
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(3);
        assertThat(f.picks(10)).isEqualTo("BABCABC" + "BAB");
    }

    @Test
    void thresholdIsAlignedToTheNewGcd() {
        SchedulerFixture f = wrr("A4", "B1");
        assertThat(f.picks(3)).isEqualTo("AAA"); // cw = 4, 3, 2
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(2);
        f.edit("B", 2); // di = 2, mw = 3: cw = 2/2*2 + 1 = 3
        assertThat(s.currentWeight()).isEqualTo(3);
        assertThat(f.picks(6)).isEqualTo("AABAAB");
    }

    @Test
    void deleteRecomputesAndRestartsFromTheHead() {
        SchedulerFixture f = wrr("A4", "B3", "C2");
        assertThat(f.picks(2)).isEqualTo("AA"); // cw = 3
        f.delete("C");
        assertThat(f.picks(9)).isEqualTo("ABABAB" + "AAB");
    }

    @Test
    void addRecomputesAndRestartsFromTheHead() {
        SchedulerFixture f = wrr("A2", "B1");
        assertThat(f.picks(2)).isEqualTo("AA"); // cw 2 then 1... position on A, cw = 1
        f.add("C4"); // [C4, A2, B1]: mw = 4, cw = 1 stays (not > mw, di = 1)
        WeightedRoundRobinScheduler s = f.scheduler();
        assertThat(s.currentWeight()).isEqualTo(1);
        assertThat(f.picks(3 + 7)).isEqualTo("CAB" + "CCCACAB");
    }
}
