package io.lvs4j.health;

import static io.lvs4j.health.Harness.ip;
import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.ServiceOptions;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Startup rules (alpha, non-alpha, inhibit), warmup, and real servers with several checkers (§1.1-§1.3). */
class StartupAndRealServerTest {
    private static final String RS = "[10.0.0.2]:tcp:8080";
    private static final String VS = "[10.0.1.1]:tcp:80";

    private final Harness h = new Harness();

    @Test
    void nonAlphaRealServersAreInIpvsBeforeAnyCheckAndTheServiceIsCreated() {
        assertThat(h.table.service(Harness.VS)).isNull();
        h.checker.add(vs().serviceOptions(ServiceOptions.builder().scheduler("wrr").build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()).withWeight(3))).build());
        assertThat(h.table.service(Harness.VS).options().scheduler()).isEqualTo("wrr");
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(3);
        assertThat(h.probes.get("10.0.0.2", 8080).attempts).isEmpty();
        RealServerStatus st = h.status("10.0.0.2", 8080);
        assertThat(st.alive()).isTrue();
        assertThat(st.inIpvs()).isTrue();
        assertThat(st.checkers()).containsExactly(new CheckerStatus("TCP_CHECK", true, false, 1));
        assertThat(h.logs).containsExactly("Gained quorum 1+0=1 <= 3 for VS " + VS);
        assertThat(h.events).containsExactly("quorum up 3 @0");
    }

    @Test
    void alphaRealServersStayOutUntilTheirFirstSuccess() {
        h.checker.add(vs().alpha(true).settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()).withNotify("/bin/up.sh", "/bin/down.sh"))).build());
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.status("10.0.0.2", 8080).alive()).isFalse();
        assertThat(h.checker.status(Harness.VS).quorumUp()).isFalse();
        assertThat(h.logs).isEmpty();                   // no sorry server: no "Starting with quorum down"

        h.checker.start();
        h.timer.advanceTo(1);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.logs).containsSubsequence("TCP connection to " + RS + " success.",
                "Adding service " + RS + " to VS " + VS, "Gained quorum 1+0=1 <= 1 for VS " + VS);
        assertThat(h.scripts).containsExactly("/bin/up.sh @1");
    }

    @Test
    void anAlphaFirstFailureConfirmsDownAndRunsNotifyDown() {
        h.checker.add(vs().alpha(true).settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()).withNotify("/bin/up.sh", "/bin/down.sh"))).build());
        h.probes.get("10.0.0.2", 8080).fail();
        h.checker.start();
        h.timer.advanceTo(1);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains("TCP_CHECK on service " + RS + " failed.");
        assertThat(h.logsContaining("Removing")).isEmpty();
        assertThat(h.scripts).containsExactly("/bin/down.sh @1");
        assertThat(h.events).containsExactly("down 10.0.0.2:8080 @1");
        h.timer.advanceTo(11);
        assertThat(h.scripts).hasSize(1);               // only the first run notifies
    }

    @Test
    void anInhibitedRealServerNeverUpIsAddedWithWeightZeroAndEnabledOnSuccess() {
        h.checker.add(vs().alpha(true).inhibitOnFailure(true).settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()).withWeight(4))).build());
        assertThat(h.weight("10.0.0.2", 8080)).isZero();
        assertThat(h.status("10.0.0.2", 8080)).extracting(RealServerStatus::alive, RealServerStatus::inIpvs)
                .containsExactly(false, true);
        h.checker.start();
        h.timer.advanceTo(1);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(4);
        assertThat(h.logs).contains("Enabling service " + RS + " of VS " + VS);
    }

    @Test
    void inhibitOnFailureSetsWeightZeroAndRestoresIt() {
        h.checker.add(vs().settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp(settings().retry(0).build()))
                        .withWeight(7).withInhibitOnFailure(true))).build());
        FakeProbe probe = h.probes.get("10.0.0.2", 8080);
        h.checker.start();
        h.timer.advanceTo(1);
        probe.fail();
        h.timer.advanceTo(6);
        assertThat(h.weight("10.0.0.2", 8080)).as("kept at weight 0: connections continue").isZero();
        assertThat(h.logs).contains("Disabling service " + RS + " of VS " + VS);
        assertThat(h.status("10.0.0.2", 8080).inIpvs()).isTrue();
        probe.succeed();
        h.timer.advanceTo(11);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(7);
        assertThat(h.logs).contains("Enabling service " + RS + " of VS " + VS);
    }

    @Test
    void aRealServerWithoutCheckersIsAddedAndStaysUp() {
        h.checker.add(vs().realServers(List.of(rs("10.0.0.2", 8080))).build());
        h.checker.start();
        h.timer.advanceTo(1000);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.status("10.0.0.2", 8080).alive()).isTrue();
        assertThat(h.timer.pendingTasks()).isZero();
    }

    @Test
    void theFirstCheckRunsAfterOneSecondPlusUniformRandomWarmup() {
        Harness seeded = new Harness();
        seeded.checker = seeded.builder().random(new SplittableRandom(42)).build();
        seeded.checker.add(vs().settings(settings().delayLoop(s(30)).warmup(s(10)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()), rs("10.0.0.3", 8080, tcp()),
                        rs("10.0.0.4", 8080, tcp(settings().warmup(s(0)).build())))).build());
        seeded.checker.start();
        seeded.timer.advanceTo(12);

        SplittableRandom expected = new SplittableRandom(42);
        long tenSeconds = s(10).toNanos();
        double first = 1 + expected.nextLong(tenSeconds + 1) / 1e9;
        double second = 1 + expected.nextLong(tenSeconds + 1) / 1e9;
        assertThat(seeded.probes.get("10.0.0.2", 8080).times()).containsExactly(first);
        assertThat(seeded.probes.get("10.0.0.3", 8080).times()).containsExactly(second);
        assertThat(seeded.probes.get("10.0.0.4", 8080).times()).as("warmup 0: exactly 1 s").containsExactly(1.0);
        assertThat(first).isBetween(1.0, 11.0).isNotEqualTo(second);
        assertThat(seeded.logs).contains("Activating healthchecker for service [10.0.0.2]:tcp:8080 for VS " + VS);
    }

    @Test
    void warmupDefaultsToDelayLoop() {
        h.checker.add(vs().settings(settings().delayLoop(s(20)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build());
        h.checker.start();
        h.timer.advanceTo(21);
        List<Double> times = h.probes.get("10.0.0.2", 8080).times();
        assertThat(times).hasSize(1);
        assertThat(times.get(0)).isBetween(1.0, 21.0);
        assertThat(h.probes.get("10.0.0.2", 8080).context.settings().warmup()).isEqualTo(s(20));
    }

    @Test
    void aRealServerIsDownWhenEitherCheckerFailsAndUpOnlyWhenBothAreUp() {
        h.checker.add(vs().settings(settings().delayLoop(s(5)).warmup(s(0)).retry(1).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp(settings().retry(0).build()),
                        tcp(settings().retry(0).build())).withNotify("/bin/up", "/bin/down"))).build());
        FakeProbe a = h.probes.get("10.0.0.2", 8080, 0);
        FakeProbe b = h.probes.get("10.0.0.2", 8080, 1);
        h.checker.start();
        h.timer.advanceTo(1);
        a.fail();
        h.timer.advanceTo(6);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.status("10.0.0.2", 8080).checkers()).extracting(CheckerStatus::up).containsExactly(false, true);
        b.fail();
        h.timer.advanceTo(11);
        assertThat(h.logsContaining("Removing service")).hasSize(1);
        a.succeed();
        h.timer.advanceTo(16);
        assertThat(h.dest("10.0.0.2", 8080)).as("one checker still down").isNull();
        b.succeed();
        h.timer.advanceTo(21);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.scripts).containsExactly("/bin/down @6", "/bin/up @21");
    }

    @Test
    void anExistingServiceIsKeptAndItsDestinationsTakenOver() {
        h.table.addService(Harness.VS, ServiceOptions.builder().scheduler("rr").build());
        h.table.addRealServer(Harness.VS, ip("10.0.0.2"), 8080, io.lvs4j.core.RealServerOptions.weight(9));
        h.checker.add(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp()).withWeight(2))).build());
        assertThat(h.table.service(Harness.VS).options().scheduler()).isEqualTo("rr");
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(2);
        h.checker.close();
        assertThat(h.table.service(Harness.VS)).as("not created by the checker: kept").isNotNull();
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
    }
}
