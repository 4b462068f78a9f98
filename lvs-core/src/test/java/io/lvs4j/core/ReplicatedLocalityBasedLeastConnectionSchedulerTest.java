package io.lvs4j.core;

import static io.lvs4j.core.LocalityBasedLeastConnectionSchedulerTest.pickAndHold;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicatedLocalityBasedLeastConnectionSchedulerTest {

    private static Flow to(SchedulerFixture f, String daddr) {
        return f.flow("198.51.100.7", 40000, daddr);
    }

    private static String set(SchedulerFixture f, String daddr) {
        ReplicatedLocalityBasedLeastConnectionScheduler s = f.scheduler();
        ReplicatedLocalityBasedLeastConnectionScheduler.Entry e = s.table().get(SchedulerFixture.ip(daddr));
        if (e == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (RealServer d : e.set) {
            sb.append(f.name(d));
        }
        return sb.toString();
    }

    private static SchedulerFixture afterFivePicks(int expirationSeconds) {
        SchedulerFixture f = new SchedulerFixture("lblcr", 0, b -> b.lblcrExpirationSeconds(expirationSeconds))
                .servers("A", "B");
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            picks.append(pickAndHold(f, to(f, "203.0.113.5")));
            if (i == 2) {
                assertThat(set(f, "203.0.113.5")).isEqualTo("BA");
            }
        }
        assertThat(picks).hasToString("AABBB");
        return f;
    }

    @Test
    void specSequenceAndSetOrder() {
        SchedulerFixture f = afterFivePicks(86400);
        // unlike lblc, the set's least-loaded member serves from then on: A (2 active) before B (3)
        StringBuilder more = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            more.append(pickAndHold(f, to(f, "203.0.113.5")));
        }
        assertThat(more).hasToString("ABAB");
        assertThat(set(f, "203.0.113.5")).isEqualTo("BA");
    }

    @Test
    void leastLoadedMemberServesAndTiesGoToTheFirstInTheSet() {
        SchedulerFixture f = afterFivePicks(86400); // A 2 active, B 3 active, set [B, A]
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.active("A", 1);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
    }

    @Test
    void mostLoadedMemberIsDroppedOncePerExpirationWhenUsed() {
        SchedulerFixture f = afterFivePicks(60);
        f.ticker.advanceSeconds(60);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        assertThat(set(f, "203.0.113.5")).as("not yet strictly after lastmod + 60 s").isEqualTo("BA");
        f.active("A", 1); // A 3, B 3: ties make B (first in the set) both the least and the most loaded
        f.ticker.advanceNanos(1);
        assertThat(f.pick(to(f, "203.0.113.5"))).as("chosen before the shrink step").isEqualTo("B");
        assertThat(set(f, "203.0.113.5")).isEqualTo("A");
    }

    @Test
    void leastLoadedIsChosenBeforeTheShrinkStep() {
        SchedulerFixture f = afterFivePicks(60); // A 2, B 3: min is A, max is B
        f.ticker.advanceSeconds(61);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        assertThat(set(f, "203.0.113.5")).isEqualTo("A");
        f.ticker.advanceSeconds(61);
        assertThat(f.pick(to(f, "203.0.113.5"))).as("a single member is never dropped").isEqualTo("A");
        assertThat(set(f, "203.0.113.5")).isEqualTo("A");
    }

    @Test
    void removalRestartsTheExpirationPeriod() {
        SchedulerFixture f = new SchedulerFixture("lblcr", 0, b -> b.lblcrExpirationSeconds(60)).servers("A", "B", "C");
        // build the set [C, B, A] by overloading members one after the other
        for (int i = 0; i < 6; i++) {
            pickAndHold(f, to(f, "203.0.113.5"));
        }
        assertThat(set(f, "203.0.113.5")).isEqualTo("CBA");
        f.ticker.advanceSeconds(61);
        f.pick(to(f, "203.0.113.5"));
        assertThat(set(f, "203.0.113.5")).hasSize(2);
        f.ticker.advanceSeconds(30);
        f.pick(to(f, "203.0.113.5"));
        assertThat(set(f, "203.0.113.5")).hasSize(2);
        f.ticker.advanceSeconds(31);
        f.pick(to(f, "203.0.113.5"));
        assertThat(set(f, "203.0.113.5")).hasSize(1);
    }

    @Test
    void deletedMemberIsNotChosen() {
        SchedulerFixture f = new SchedulerFixture("lblcr").servers("A", "B");
        for (int i = 0; i < 3; i++) {
            pickAndHold(f, to(f, "203.0.113.5"));
        }
        assertThat(set(f, "203.0.113.5")).isEqualTo("BA");
        f.delete("B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
    }

    @Test
    void overloadedAndWeightZeroMembersAreSkipped() {
        SchedulerFixture f = new SchedulerFixture("lblcr").servers("A", "Bx", "C");
        for (int i = 0; i < 3; i++) {
            pickAndHold(f, to(f, "203.0.113.5"));
        }
        assertThat(set(f, "203.0.113.5")).isEqualTo("BA");
        f.overload("B"); // set min: A (2 active, lblc-overloaded since C is idle): wlc over the service -> C
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("C");
        assertThat(set(f, "203.0.113.5")).isEqualTo("CBA");
        f.edit("C", 0);
        f.active("A", 5);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
    }

    @Test
    void noEligibleServerGivesNoneAndNoEntry() {
        SchedulerFixture f = new SchedulerFixture("lblcr").servers("A0", "Bx");
        f.overload("B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("-");
        assertThat(set(f, "203.0.113.5")).isNull();
    }

    @Test
    void fullCheckRemovesWholeExpiredEntries() {
        SchedulerFixture f = new SchedulerFixture("lblcr", 0, b -> b.lblcrExpirationSeconds(600)).servers("A", "B");
        f.pick(to(f, "203.0.113.5"));
        f.pick(to(f, "203.0.113.6"));
        for (int tick = 1; tick <= 29; tick++) {
            f.ticker.advanceSeconds(60);
            f.table.runMaintenance();
            if (tick == 25) {
                f.pick(to(f, "203.0.113.6"));
            }
        }
        assertThat(set(f, "203.0.113.5")).isEqualTo("A");
        f.ticker.advanceSeconds(60);
        f.table.runMaintenance();
        assertThat(set(f, "203.0.113.5")).isNull();
        assertThat(set(f, "203.0.113.6")).isEqualTo("A");
    }

    @Test
    void totalconnsCapsNewEntriesButStillSchedules() {
        assertThat(LocalityBasedLeastConnectionSchedulerTest.fill("lblcr", KernelFlavor.TOTALCONNS_2026,
                LocalityTable.CAP_2026 + 5)).isEqualTo(LocalityTable.CAP_2026);
        assertThat(LocalityBasedLeastConnectionSchedulerTest.fill("lblcr", KernelFlavor.CLASSIC,
                LocalityTable.CAP_2026 + 5)).isEqualTo(LocalityTable.CAP_2026 + 5);
    }
}
