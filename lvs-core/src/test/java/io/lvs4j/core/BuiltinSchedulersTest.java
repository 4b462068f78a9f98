package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltinSchedulersTest {

    @Test
    void registersEveryIpvsSchedulerUnderItsName() {
        SchedulerRegistry r = SchedulerRegistry.defaults();
        Map<String, Class<?>> expected = Map.ofEntries(
                Map.entry("rr", RoundRobinScheduler.class),
                Map.entry("wrr", WeightedRoundRobinScheduler.class),
                Map.entry("lc", LeastConnectionScheduler.class),
                Map.entry("wlc", WeightedLeastConnectionScheduler.class),
                Map.entry("lblc", LocalityBasedLeastConnectionScheduler.class),
                Map.entry("lblcr", ReplicatedLocalityBasedLeastConnectionScheduler.class),
                Map.entry("dh", DestinationHashingScheduler.class),
                Map.entry("sh", SourceHashingScheduler.class),
                Map.entry("sed", ShortestExpectedDelayScheduler.class),
                Map.entry("nq", NeverQueueScheduler.class),
                Map.entry("mh", MaglevHashingScheduler.class),
                Map.entry("fo", WeightedFailoverScheduler.class),
                Map.entry("ovf", WeightedOverflowScheduler.class),
                Map.entry("twos", PowerOfTwoChoicesScheduler.class));
        assertThat(r.names()).containsExactlyInAnyOrderElementsOf(
                new java.util.TreeSet<>(java.util.stream.Stream.concat(expected.keySet().stream(),
                        java.util.stream.Stream.of("none")).toList()));
        TableOptions options = TableOptions.defaults();
        expected.forEach((name, type) -> assertThat(r.create(name, options)).as(name).isInstanceOf(type));
    }

    @Test
    void eachServiceGetsItsOwnSchedulerState() {
        SchedulerRegistry r = SchedulerRegistry.defaults();
        assertThat(r.create("rr", TableOptions.defaults())).isNotSameAs(r.create("rr", TableOptions.defaults()));
    }

    @Test
    void noneNeverSchedules() {
        SchedulerFixture f = new SchedulerFixture("none").servers("A", "B");
        assertThat(f.picks(3)).isEqualTo("---");
        assertThat(f.table.connect(f.anyFlow())).isNull();
    }

    @Test
    void customSchedulerRegisteredByNameIsUsedByAService() {
        SchedulerRegistry registry = SchedulerRegistry.defaults()
                .register("last", options -> (svc, flow) -> {
                    RealServer[] list = svc.scanArray();
                    return list.length == 0 ? null : list[list.length - 1];
                });
        SchedulerFixture f = new SchedulerFixture("last", 0, b -> b.schedulers(registry)).servers("A", "B", "C");
        assertThat(f.picks(3)).isEqualTo("CCC");
        Connection c = f.table.connect(f.anyFlow());
        assertThat(c).isNotNull();
        assertThat(f.name(c.realServer())).isEqualTo("C");
        assertThat(f.get("C").inactiveConnections() + f.get("C").activeConnections()).isEqualTo(1);
    }

    @Test
    void unknownSchedulerIsRejectedNamingTheKnownOnes() {
        SchedulerFixture f = new SchedulerFixture("rr");
        assertThatThrownBy(() -> f.table.addService(ServiceKey.tcp(SchedulerFixture.ip("192.0.2.2"), 80),
                ServiceOptions.builder().scheduler("nope").build()))
                .hasMessageContaining("nope").hasMessageContaining("wlc").hasMessageContaining("twos");
    }

    @Test
    void connectGoesThroughTheScheduler() {
        SchedulerFixture f = new SchedulerFixture("rr").servers("A", "B", "C");
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            Connection c = f.table.connect(f.flow("198.51.100.7", 1000 + i, "192.0.2.1"));
            picks.append(f.name(c.realServer()));
        }
        assertThat(picks).hasToString("ABCA");
    }
}
