package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationHashingSchedulerTest {

    private static SchedulerFixture addedABC() {
        SchedulerFixture f = new SchedulerFixture("dh");
        f.add("A");
        f.add("B");
        f.add("C");
        return f;
    }

    private static Flow to(SchedulerFixture f, String daddr) {
        return f.flow("198.51.100.7", 1234, daddr);
    }

    @Test
    void specVectorDestination10001GoesToC() {
        SchedulerFixture f = addedABC();
        assertThat(f.scanOrder()).isEqualTo("CBA");
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("C");
    }

    @ParameterizedTest(name = "{0} -> bucket {1}")
    @CsvSource({
            "10.0.0.1,      39",
            "10.0.0.2,      137",
            "192.168.1.100, 89",
            "192.168.1.101, 187",
            "172.16.5.9,    115",
    })
    void bucketHoldsThePositionModuloN(String daddr, int bucket) {
        SchedulerFixture f = addedABC();
        String expected = String.valueOf("CBA".charAt(bucket % 3));
        assertThat(f.pick(to(f, daddr))).isEqualTo(expected);
    }

    @Test
    void tableCyclesThroughTheScanOrderIgnoringWeights() {
        SchedulerFixture f = new SchedulerFixture("dh").servers("A5", "B1", "C0");
        DestinationHashingScheduler s = f.scheduler();
        for (int i = 0; i < DestinationHashingScheduler.TAB_SIZE; i++) {
            assertThat(f.name(s.bucket(i))).isEqualTo(String.valueOf("ABC".charAt(i % 3)));
        }
    }

    @Test
    void clientAddressDoesNotMatter() {
        SchedulerFixture f = addedABC();
        for (int i = 1; i < 50; i++) {
            assertThat(f.pick(f.flow("198.51.100." + i, 1000 + i, "10.0.0.1"))).isEqualTo("C");
        }
    }

    @Test
    void weightZeroOrOverloadGivesNoneWithoutFallback() {
        SchedulerFixture f = new SchedulerFixture("dh").servers("Cx", "B", "A");
        f.overload("C");
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("-");
        assertThat(f.pick(to(f, "10.0.0.2"))).isEqualTo("A"); // bucket 137: position 2
        f.edit("A", 0);
        assertThat(f.pick(to(f, "10.0.0.2"))).isEqualTo("-");
        f.edit("A", 1);
        assertThat(f.pick(to(f, "10.0.0.2"))).isEqualTo("A");
    }

    @Test
    void addAndDeleteRebuildTheTable() {
        SchedulerFixture f = addedABC();
        f.add("D"); // [D, C, B, A]: bucket 39 -> position 3
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("A");
        f.delete("A"); // [D, C, B]: 39 mod 3 = 0
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("D");
        f.delete("D");
        f.delete("C");
        f.delete("B");
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("-");
    }

    @Test
    void editKeepsTheMapping() {
        SchedulerFixture f = addedABC();
        f.edit("C", 9);
        f.edit("B", 0);
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("C");
        assertThat(f.pick(to(f, "10.0.0.2"))).isEqualTo("A");
    }

    @Test
    void emptyServiceGivesNone() {
        SchedulerFixture f = new SchedulerFixture("dh");
        assertThat(f.pick(to(f, "10.0.0.1"))).isEqualTo("-");
    }
}
