package io.lvs4j.health;

import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker failure and recovery state machine of spec §1.3, with TCP_CHECK. */
class CheckerStateMachineTest {
    private static final String RS = "[10.0.0.2]:tcp:8080";
    private static final String VS = "[10.0.1.1]:tcp:80";

    private final Harness h = new Harness();

    private FakeProbe addOne(CheckSettings vsSettings, CheckSettings checkerSettings) {
        h.checker.add(vs().settings(vsSettings).realServers(List.of(rs("10.0.0.2", 8080, tcp(checkerSettings)))).build());
        return h.probes.get("10.0.0.2", 8080);
    }

    @Test
    void workedExampleDelayLoop6Retry3DelayBeforeRetry3() {
        FakeProbe probe = addOne(settings().delayLoop(s(6)).warmup(s(0)).build(),
                settings().retry(3).delayBeforeRetry(s(3)).build());
        h.checker.start();
        h.timer.advanceTo(1);                        // first check succeeds
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);

        probe.fail();                                 // the next check (t0 = 7) is the first failure
        h.timer.advanceTo(7 + 8.999);
        assertThat(probe.times()).containsExactly(1.0, 7.0, 10.0, 13.0);
        assertThat(h.dest("10.0.0.2", 8080)).as("three failures: still in the pool").isNotNull();

        h.timer.advanceTo(7 + 9);                     // the 4th consecutive failure at t0+9 removes it
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.status("10.0.0.2", 8080).alive()).isFalse();
        assertThat(h.logs).contains("TCP_CHECK on service " + RS + " failed after 3 retries.",
                "Removing service " + RS + " from VS " + VS);

        probe.succeed();
        h.timer.advanceTo(7 + 14.999);
        assertThat(probe.times()).hasSize(5);
        h.timer.advanceTo(7 + 15);                    // next check at t0+15; one success re-adds it
        assertThat(probe.times()).containsExactly(1.0, 7.0, 10.0, 13.0, 16.0, 22.0);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.logs.subList(h.logs.size() - 3, h.logs.size())).containsExactly(
                "TCP connection to " + RS + " success.",
                "Adding service " + RS + " to VS " + VS,
                "Gained quorum 1+0=1 <= 1 for VS " + VS);
        assertThat(h.events).containsExactly("quorum up 1 @0", "down 10.0.0.2:8080 @16", "quorum down 0 @16",
                "up 10.0.0.2:8080 @22", "quorum up 1 @22");
    }

    @Test
    void theFirstEverCheckFailsOnOneFailure() {
        FakeProbe probe = addOne(settings().delayLoop(s(6)).warmup(s(0)).build(),
                settings().retry(3).delayBeforeRetry(s(3)).build());
        assertThat(h.weight("10.0.0.2", 8080)).as("non-alpha: in IPVS before any check").isEqualTo(1);
        probe.fail();
        h.checker.start();
        h.timer.advanceTo(1);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains("TCP_CHECK on service " + RS + " failed.");
        h.timer.advanceTo(13);
        assertThat(probe.times()).as("down: no retries, one check per delay_loop").containsExactly(1.0, 7.0, 13.0);
    }

    @Test
    void defaultRetryOneMeansTwoConsecutiveFailures() {
        FakeProbe probe = addOne(settings().warmup(s(0)).build(), CheckSettings.UNSET);
        h.checker.start();
        h.timer.advanceTo(1);
        probe.fail();
        h.timer.advanceTo(61);                        // delay_loop 60: first failure
        assertThat(h.dest("10.0.0.2", 8080)).isNotNull();
        h.timer.advanceTo(62);                        // delay_before_retry 1: second failure
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains("TCP_CHECK on service " + RS + " failed after 1 retries.");
        h.timer.advanceTo(200);
        assertThat(probe.times()).containsExactly(1.0, 61.0, 62.0, 122.0, 182.0);
    }

    @Test
    void retryZeroMarksDownOnTheFirstFailure() {
        FakeProbe probe = addOne(settings().delayLoop(s(5)).warmup(s(0)).build(), settings().retry(0).build());
        h.checker.start();
        h.timer.advanceTo(1);
        probe.fail();
        h.timer.advanceTo(6);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains("TCP_CHECK on service " + RS + " failed.");
    }

    @Test
    void aSuccessDuringRetriesResetsTheCounter() {
        FakeProbe probe = addOne(settings().delayLoop(s(6)).warmup(s(0)).build(),
                settings().retry(2).delayBeforeRetry(s(2)).build());
        h.checker.start();
        h.timer.advanceTo(1);
        probe.fail();
        h.timer.advanceTo(9);                         // failures at 7 and 9
        probe.succeed();
        h.timer.advanceTo(11);                        // success at 11: counter back to 0
        probe.fail();
        h.timer.advanceTo(21);                        // failures at 17, 19, 21: third removes
        assertThat(probe.times()).containsExactly(1.0, 7.0, 9.0, 11.0, 17.0, 19.0, 21.0);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logsContaining("Removing service")).hasSize(1);
    }

    @Test
    void perAttemptFailuresAreLoggedOnlyWithLogAllFailures() {
        FakeProbe probe = addOne(settings().delayLoop(s(6)).warmup(s(0)).build(),
                settings().retry(1).delayBeforeRetry(s(1)).logAllFailures(true).build());
        h.checker.start();
        h.timer.advanceTo(1);
        probe.respond(i -> ProbeResult.fail("timeout"));
        h.timer.advanceTo(8);
        assertThat(h.logsContaining("TCP connection to " + RS + " timedout.")).hasSize(2);
        h.timer.advanceTo(14);                        // down: attempts are not logged
        assertThat(h.logsContaining("timedout")).hasSize(2);

        Harness quiet = new Harness();
        quiet.checker.add(vs().settings(settings().delayLoop(s(6)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp(settings().retry(1).build())))).build());
        quiet.checker.start();
        quiet.timer.advanceTo(1);
        quiet.probes.get("10.0.0.2", 8080).fail();
        quiet.timer.advanceTo(8);
        assertThat(quiet.logsContaining("TCP connection to")).containsExactly("TCP connection to " + RS + " success.");
    }
}
