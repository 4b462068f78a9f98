package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaglevHashingSchedulerTest {

    private static final int M = 4093;

    private static SchedulerFixture abc(int flags) {
        SchedulerFixture f = new SchedulerFixture("mh", flags);
        f.add("A");
        f.add("B");
        f.add("C");
        return f;
    }

    private static String[] snapshot(SchedulerFixture f) {
        MaglevHashingScheduler s = f.scheduler();
        String[] t = new String[s.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = f.name(s.bucket(i));
        }
        return t;
    }

    private static Map<String, Integer> counts(String[] table) {
        Map<String, Integer> counts = new HashMap<>();
        for (String n : table) {
            counts.merge(n, 1, Integer::sum);
        }
        return counts;
    }

    private static Flow from(SchedulerFixture f, String client, int port) {
        return f.flow(client, port, "192.0.2.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.0.0.1, 439c0cbe, 3167, 700",
            "10.0.0.2, a1cf683b, 1231, 3544",
            "10.0.0.3, 2cdf0afa, 1631, 3453",
    })
    void destPermutations(String address, String raw, int offset, int skip) {
        int addr = Addresses.fold(SchedulerFixture.ip(address));
        int h1 = MaglevHashingScheduler.hash(MaglevHashingScheduler.KEY1, addr, 80, 0);
        int h2 = MaglevHashingScheduler.hash(MaglevHashingScheduler.KEY2, addr, 80, 0);
        assertThat(h1).isEqualTo(Integer.parseUnsignedInt(raw, 16));
        assertThat(Integer.remainderUnsigned(h1, M)).isEqualTo(offset);
        assertThat(Integer.remainderUnsigned(h2, M - 1) + 1).isEqualTo(skip);
    }

    @Test
    void tableCountsAndFirstBuckets() {
        SchedulerFixture f = abc(0);
        assertThat(f.scanOrder()).isEqualTo("CBA");
        String[] t = snapshot(f);
        assertThat(t).hasSize(M);
        assertThat(counts(t)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 1364, "B", 1364, "C", 1365));
        assertThat(String.join("", java.util.Arrays.copyOf(t, 16))).isEqualTo("ABBCCABCCAABBAAC");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "192.168.1.100, c15d2cf8, 1341, B",
            "192.168.1.101, ff352081, 881,  C",
            "10.1.2.3,      2b298ba1, 1263, A",
    })
    void clientLookups(String client, String raw, int bucket, String dest) {
        SchedulerFixture f = abc(0);
        int h = MaglevHashingScheduler.hash(MaglevHashingScheduler.KEY1, Addresses.fold(SchedulerFixture.ip(client)), 0, 0);
        assertThat(h).isEqualTo(Integer.parseUnsignedInt(raw, 16));
        assertThat(Integer.remainderUnsigned(h, M)).isEqualTo(bucket);
        assertThat(snapshot(f)[bucket]).isEqualTo(dest);
        assertThat(f.pick(from(f, client, 0))).isEqualTo(dest);
        assertThat(f.pick(from(f, client, 5555))).as("port ignored without mh-port").isEqualTo(dest);
    }

    @Test
    void weightZeroKeepsTheTableAndGivesNoneWithoutFallback() {
        SchedulerFixture f = abc(0);
        String[] before = snapshot(f);
        f.edit("B", 0);
        assertThat(snapshot(f)).isEqualTo(before);
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("-");
        assertThat(f.pick(from(f, "192.168.1.101", 0))).isEqualTo("C");
    }

    @Test
    void fallbackRehashesWithIncreasingOffsets() {
        SchedulerFixture f = abc(SchedulerFlags.SCHED1);
        f.edit("B", 0);
        int addr = Addresses.fold(SchedulerFixture.ip("192.168.1.100"));
        int firstProbe = Integer.remainderUnsigned(
                MaglevHashingScheduler.hash(MaglevHashingScheduler.KEY1, addr, 0, 1341), M);
        assertThat(firstProbe).isEqualTo(2215);
        assertThat(snapshot(f)[2215]).isEqualTo("A");
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("A");
    }

    @Test
    void fallbackWithNoUsableServerGivesNone() {
        SchedulerFixture f = abc(SchedulerFlags.SCHED1);
        f.edit("A", 0);
        f.edit("B", 0);
        f.edit("C", 0);
        assertThat(counts(snapshot(f))).containsOnlyKeys("A", "B", "C");
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("-");
    }

    @Test
    void overloadGivesNoneOrFallsBack() {
        SchedulerFixture plain = new SchedulerFixture("mh").servers("C", "Bx", "A");
        plain.overload("B");
        assertThat(plain.pick(from(plain, "192.168.1.100", 0))).isEqualTo("-");
        SchedulerFixture fallback = new SchedulerFixture("mh", SchedulerFlags.SCHED1).servers("C", "Bx", "A");
        fallback.overload("B");
        assertThat(fallback.pick(from(fallback, "192.168.1.100", 0))).isEqualTo("A");
    }

    @Test
    void weightsTwoOneOne() {
        SchedulerFixture f = new SchedulerFixture("mh").servers("C1", "B1", "A2");
        assertThat(counts(snapshot(f))).containsExactlyInAnyOrderEntriesOf(Map.of("A", 2046, "B", 1023, "C", 1024));
    }

    @Test
    void removingBMovesOnlyFourOtherBuckets() {
        SchedulerFixture f = abc(0);
        String[] before = snapshot(f);
        f.delete("B");
        String[] after = snapshot(f);
        int moved = 0;
        for (int i = 0; i < M; i++) {
            if (!before[i].equals("B") && !before[i].equals(after[i])) {
                moved++;
            }
        }
        assertThat(moved).isEqualTo(4);
        assertThat(counts(after)).doesNotContainKey("B");
    }

    @Test
    void serverAddedWithWeightZeroGetsNoBuckets() {
        SchedulerFixture f = abc(0);
        String[] before = snapshot(f);
        f.add("D0");
        assertThat(snapshot(f)).isEqualTo(before);
        f.edit("D", 1);
        assertThat(counts(snapshot(f))).containsKey("D");
    }

    @Test
    void mhPortHashesTheClientPort() {
        SchedulerFixture f = abc(SchedulerFlags.SCHED2);
        String[] t = snapshot(f);
        int addr = Addresses.fold(SchedulerFixture.ip("192.168.1.100"));
        for (int port : new int[] {0, 1, 80, 40000, 65535}) {
            int bucket = Integer.remainderUnsigned(
                    MaglevHashingScheduler.hash(MaglevHashingScheduler.KEY1, addr, port, 0), M);
            assertThat(f.pick(from(f, "192.168.1.100", port))).as("port %d", port).isEqualTo(t[bucket]);
        }
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("B");
    }

    @Test
    void allLastWeightsZeroEmptiesTheTable() {
        SchedulerFixture f = new SchedulerFixture("mh", SchedulerFlags.SCHED1).servers("A0", "B0");
        assertThat(counts(snapshot(f))).containsOnlyKeys("-");
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("-");
    }

    @Test
    void largeWeightsAreShiftedToTabBits() {
        // max/gcd = 1000 has 10 bits, TAB_BITS is 6: shift 4, turns 62 and 1; 4093 = 64 rounds of 63 + 61 for A
        SchedulerFixture f = new SchedulerFixture("mh").servers("A1000", "B1");
        assertThat(counts(snapshot(f))).containsExactlyInAnyOrderEntriesOf(Map.of("A", 4029, "B", 64));
    }

    @Test
    void smallerTableIndex() {
        SchedulerFixture f = new SchedulerFixture("mh", 0, b -> b.mhTabIndex(8)).servers("A", "B");
        MaglevHashingScheduler s = f.scheduler();
        assertThat(s.size()).isEqualTo(251);
        assertThat(counts(snapshot(f)).values()).containsExactlyInAnyOrder(125, 126);
    }
}
