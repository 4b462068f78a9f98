package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceHashingSchedulerTest {

    private static Map<String, Integer> counts(SchedulerFixture f, int size) {
        SourceHashingScheduler s = f.scheduler();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < size; i++) {
            counts.merge(f.name(s.bucket(i)), 1, Integer::sum);
        }
        return counts;
    }

    private static Flow from(SchedulerFixture f, String client, int port) {
        return f.flow(client, port, "192.0.2.1");
    }

    @Test
    void tableGivesEachServerWeightConsecutiveBuckets() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A3", "B1", "C0");
        SourceHashingScheduler s = f.scheduler();
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            first.append(f.name(s.bucket(i)));
        }
        assertThat(first).hasToString("AAABCAAABC");
        assertThat(counts(f, 256)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 154, "B", 51, "C", 51));
        assertThat(f.name(s.bucket(39))).isEqualTo("C");
        assertThat(f.name(s.bucket(78))).isEqualTo("B");
    }

    @Test
    void weightZeroBucketGivesNoneWithoutFallback() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A3", "B1", "C0");
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("-");
        assertThat(f.pick(from(f, "10.0.0.1", 5555))).as("port ignored without sh-port").isEqualTo("-");
    }

    @Test
    void fallbackProbesBucketTwiceTheHashFirst() {
        SchedulerFixture f = new SchedulerFixture("sh", SchedulerFlags.SCHED1).servers("A3", "B1", "C0");
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("B");
    }

    @Test
    void fallbackKeepsProbingPastUnusableServers() {
        SchedulerFixture f = new SchedulerFixture("sh", SchedulerFlags.SCHED1).servers("A3", "B1x", "C0");
        f.overload("B");
        // probes 78 (B, overloaded), 79 (C, weight 0), 80 (A)
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("A");
        f.edit("A", 0);
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("-");
    }

    @Test
    void shPortAddsTheClientPort() {
        SchedulerFixture f = new SchedulerFixture("sh", SchedulerFlags.SCHED2).servers("A3", "B1", "C0");
        SourceHashingScheduler s = f.scheduler();
        assertThat(f.name(s.bucket(203))).isEqualTo("B");
        assertThat(f.pick(from(f, "10.0.0.1", 40000))).isEqualTo("B");
        assertThat(f.pick(from(f, "10.0.0.2", 12345))).isEqualTo(f.name(s.bucket(232)));
        assertThat(f.pick(from(f, "192.168.1.101", 12345))).isEqualTo(f.name(s.bucket(26)));
    }

    @Test
    void usableBucketIsReturnedDirectly() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A3", "B1", "C0");
        SourceHashingScheduler s = f.scheduler();
        // 192.168.1.100 -> bucket 89 = 89 mod 5 = 4 -> C; 10.0.0.2 -> 137 mod 5 = 2 -> A; 172.16.5.9 -> 115 mod 5 = 0 -> A
        assertThat(f.name(s.bucket(137))).isEqualTo("A");
        assertThat(f.pick(from(f, "10.0.0.2", 0))).isEqualTo("A");
        assertThat(f.pick(from(f, "172.16.5.9", 0))).isEqualTo("A");
        assertThat(f.pick(from(f, "192.168.1.100", 0))).isEqualTo("-");
    }

    @Test
    void overloadGivesNoneWithoutFallback() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A3x", "B1", "C0");
        f.overload("A");
        assertThat(f.pick(from(f, "10.0.0.2", 0))).isEqualTo("-");
    }

    @Test
    void everyEditRebuildsTheTable() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A3", "B1", "C0");
        f.edit("A", 1);
        assertThat(counts(f, 256)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 86, "B", 85, "C", 85));
        f.edit("C", 2);
        assertThat(counts(f, 256)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 64, "B", 64, "C", 128));
    }

    @Test
    void addAndDeleteRebuildTheTable() {
        SchedulerFixture f = new SchedulerFixture("sh").servers("A", "B");
        f.add("C");
        assertThat(counts(f, 256)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 85, "B", 85, "C", 86));
        f.delete("A");
        assertThat(counts(f, 256)).containsExactlyInAnyOrderEntriesOf(Map.of("B", 128, "C", 128));
    }

    @Test
    void tableSizeFollowsShTabBits() {
        SchedulerFixture f = new SchedulerFixture("sh", 0, b -> b.shTabBits(4)).servers("A3", "B1");
        assertThat(counts(f, 16)).containsExactlyInAnyOrderEntriesOf(Map.of("A", 12, "B", 4));
        // hash_32(0x0A000001, 4) = 39 >> 4 = 2: bucket 2 is A
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("A");
    }

    @Test
    void emptyServiceGivesNone() {
        SchedulerFixture f = new SchedulerFixture("sh", SchedulerFlags.SCHED1);
        assertThat(f.pick(from(f, "10.0.0.1", 0))).isEqualTo("-");
    }
}
