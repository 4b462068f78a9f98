package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalityBasedLeastConnectionSchedulerTest {

    private static Flow to(SchedulerFixture f, String daddr) {
        return f.flow("198.51.100.7", 40000, daddr);
    }

    /** Picks for {@code flow} and keeps the connection active on the chosen server. */
    static String pickAndHold(SchedulerFixture f, Flow flow) {
        String p = f.pick(flow);
        if (!p.equals("-")) {
            f.active(p, 1);
        }
        return p;
    }

    private static LocalityTable<LocalityBasedLeastConnectionScheduler.Entry> table(SchedulerFixture f) {
        LocalityBasedLeastConnectionScheduler s = f.scheduler();
        return s.table();
    }

    @Test
    void specSequenceStaysThenMovesThenStays() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            picks.append(pickAndHold(f, to(f, "203.0.113.5")));
        }
        assertThat(picks).hasToString("AABBBBBB");
        assertThat(table(f).get(SchedulerFixture.ip("203.0.113.5")).dest).isSameAs(f.get("B"));
    }

    @Test
    void cachedServerIsUsedEvenWhenOverloaded() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("Ax", "B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.overload("A");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        assertThat(f.pick(to(f, "203.0.113.6"))).as("the wlc part skips OVERLOAD").isEqualTo("B");
    }

    @Test
    void keyIsTheDestinationAddressNotTheClient() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.active("A", 1).active("B", 5);
        for (int i = 1; i < 20; i++) {
            assertThat(f.pick(f.flow("198.51.100." + i, 1000 + i, "203.0.113.5"))).isEqualTo("A");
        }
        assertThat(f.pick(to(f, "203.0.113.6"))).isEqualTo("A");
        f.active("A", 5);
        assertThat(f.pick(to(f, "203.0.113.7"))).isEqualTo("B");
        assertThat(table(f).size()).isEqualTo(3);
    }

    @Test
    void deletedCachedServerIsReplaced() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.delete("A");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
        assertThat(table(f).get(SchedulerFixture.ip("203.0.113.5")).dest).isSameAs(f.get("B"));
    }

    @Test
    void weightZeroCachedServerIsReplaced() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.edit("A", 0);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
        f.edit("A", 1);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
    }

    @Test
    void overloadTestComparesActiveConnectionsWithTheAbsoluteWeight() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A10", "B10");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.active("A", 10);
        assertThat(f.pick(to(f, "203.0.113.5"))).as("10 active is not more than weight 10").isEqualTo("A");
        f.active("A", 1);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
    }

    @Test
    void busyCachedServerStaysWhenNoServerIsUnderHalfItsWeight() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A2", "B2");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.active("A", 9).active("B", 1);
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("A");
        f.edit("B", 3); // 2*1 < 3
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("B");
    }

    @Test
    void noEligibleServerGivesNoneAndNoEntry() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A0", "Bx");
        f.overload("B");
        assertThat(f.pick(to(f, "203.0.113.5"))).isEqualTo("-");
        assertThat(table(f).size()).isZero();
    }

    @Test
    void lookupRefreshesLastUse() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        f.pick(to(f, "203.0.113.5"));
        long created = table(f).get(SchedulerFixture.ip("203.0.113.5")).lastUse;
        f.ticker.advanceSeconds(5);
        f.pick(to(f, "203.0.113.5"));
        assertThat(table(f).get(SchedulerFixture.ip("203.0.113.5")).lastUse).isEqualTo(created + 5_000_000_000L);
    }

    @Test
    void fullCheckRunsOnTheThirtiethTickAndRemovesExpiredEntries() {
        SchedulerFixture f = new SchedulerFixture("lblc", 0, b -> b.lblcExpirationSeconds(120)).servers("A", "B");
        f.pick(to(f, "203.0.113.5"));
        f.pick(to(f, "203.0.113.6"));
        for (int tick = 1; tick <= 29; tick++) {
            f.ticker.advanceSeconds(59);
            f.table.runMaintenance();
            f.ticker.advanceSeconds(1);
            f.table.runMaintenance();
        }
        assertThat(table(f).size()).as("no full check before the 30th tick").isEqualTo(2);
        f.pick(to(f, "203.0.113.6"));
        f.ticker.advanceSeconds(59);
        f.table.runMaintenance();
        assertThat(table(f).size()).isEqualTo(2);
        f.ticker.advanceSeconds(1);
        f.table.runMaintenance();
        assertThat(table(f).get(SchedulerFixture.ip("203.0.113.5"))).isNull();
        assertThat(table(f).get(SchedulerFixture.ip("203.0.113.6"))).isNotNull();
        assertThat(table(f).entryCount()).isEqualTo(1);
    }

    @Test
    void fullCheckKeepsEntriesYoungerThanTheExpiration() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        f.pick(to(f, "203.0.113.5"));
        for (int tick = 1; tick <= 30; tick++) {
            f.ticker.advanceSeconds(60);
            f.table.runMaintenance();
        }
        assertThat(table(f).size()).as("24 h default expiration").isEqualTo(1);
    }

    @Test
    void partialCollectionAboveMaxSizeRemovesSixMinuteIdleEntriesBucketByBucket() {
        SchedulerFixture f = new SchedulerFixture("lblc").servers("A", "B");
        int n = LocalityTable.MAX_SIZE + 300;
        List<InetAddress> addresses = new ArrayList<>();
        int[] perBucket = new int[LocalityTable.TAB_SIZE];
        for (int i = 0; i < n; i++) {
            int value = 0x0A010000 + i;
            InetAddress a = Addresses.ipv4(value);
            addresses.add(a);
            perBucket[IpvsHash.hash32(value, LocalityTable.TAB_BITS)]++;
            f.pick(Flow.of(Protocol.TCP, SchedulerFixture.ip("198.51.100.7"), 40000, a, 80));
        }
        LocalityTable<LocalityBasedLeastConnectionScheduler.Entry> t = table(f);
        assertThat(t.size()).isEqualTo(n);
        for (int tick = 1; tick <= 5; tick++) {
            f.ticker.advanceSeconds(60);
            f.table.runMaintenance();
            assertThat(t.size()).as("nothing idle for 6 minutes at tick %d", tick).isEqualTo(n);
        }
        f.ticker.advanceSeconds(60);
        f.table.runMaintenance();
        int goal = Math.min((n - LocalityTable.MAX_SIZE) * 4 / 3, LocalityTable.MAX_SIZE / 2);
        assertThat(goal).isEqualTo(400);
        int removed = 0;
        int lastBucket = 0;
        while (removed < goal) {
            lastBucket++;
            removed += perBucket[lastBucket];
        }
        assertThat(t.size()).isEqualTo(n - removed);
        for (InetAddress a : addresses) {
            int b = IpvsHash.hash32(Addresses.fold(a), LocalityTable.TAB_BITS);
            boolean expectGone = b >= 1 && b <= lastBucket;
            assertThat(t.get(a) == null).as("%s in bucket %d", a, b).isEqualTo(expectGone);
        }
    }

    @Test
    void classicCounterIsNotDecrementedOnReplacement() {
        SchedulerFixture f = new SchedulerFixture("lblc", 0, KernelFlavor.CLASSIC).servers("A", "B");
        for (int i = 0; i < 3; i++) {
            pickAndHold(f, to(f, "203.0.113.5"));
        }
        assertThat(table(f).size()).isEqualTo(1);
        assertThat(table(f).entryCount()).isEqualTo(2);
    }

    @Test
    void totalconnsCounterIsDecrementedOnReplacement() {
        SchedulerFixture f = new SchedulerFixture("lblc", 0, KernelFlavor.TOTALCONNS_2026).servers("A", "B");
        for (int i = 0; i < 3; i++) {
            pickAndHold(f, to(f, "203.0.113.5"));
        }
        assertThat(table(f).size()).isEqualTo(1);
        assertThat(table(f).entryCount()).isEqualTo(1);
    }

    @Test
    void totalconnsCapsNewEntriesButStillSchedules() {
        assertThat(fill("lblc", KernelFlavor.TOTALCONNS_2026, LocalityTable.CAP_2026 + 5)).isEqualTo(LocalityTable.CAP_2026);
        assertThat(fill("lblc", KernelFlavor.CLASSIC, LocalityTable.CAP_2026 + 5)).isEqualTo(LocalityTable.CAP_2026 + 5);
    }

    /** Schedules {@code n} distinct destination addresses; returns the entries the cache then holds. */
    static int fill(String scheduler, KernelFlavor flavor, int n) {
        SchedulerFixture f = new SchedulerFixture(scheduler, 0, flavor).servers("A", "B");
        for (int i = 0; i < n; i++) {
            Flow flow = Flow.of(Protocol.TCP, SchedulerFixture.ip("198.51.100.7"), 40000,
                    Addresses.ipv4(0x0A010000 + i), 80);
            assertThat(f.pick(flow)).isNotEqualTo("-");
        }
        Scheduler s = f.scheduler();
        return s instanceof LocalityBasedLeastConnectionScheduler l ? l.table().size()
                : ((ReplicatedLocalityBasedLeastConnectionScheduler) s).table().size();
    }
}
