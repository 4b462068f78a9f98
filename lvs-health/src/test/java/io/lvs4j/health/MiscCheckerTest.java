package io.lvs4j.health;

import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MISC_CHECK: misc_dynamic weights, default retry 0, intervals from the start of the run (§1.7). */
class MiscCheckerTest {
    private static final String RS = "[10.0.0.2]:tcp:8080";
    private static final String VS = "[10.0.1.1]:tcp:80";
    private static final String CHECK = "Misc check for [" + RS + " VS " + VS + "] by [/bin/check]";

    private final Harness h = new Harness();

    private FakeProbe start(boolean dynamic, CheckSettings checker, CheckerSpec... more) {
        CheckerSpec.Misc misc = new CheckerSpec.Misc(checker, List.of("/bin/check", "--fast"), null, dynamic);
        CheckerSpec[] all = new CheckerSpec[1 + more.length];
        all[0] = misc;
        System.arraycopy(more, 0, all, 1, more.length);
        h.checker.add(vs().settings(settings().delayLoop(s(6)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, all))).build());
        h.checker.start();
        return h.probes.get("10.0.0.2", 8080);
    }

    @Test
    void dynamicWeightIsExitStatusMinusTwoAndChangesOnlyWhenTheStatusChanges() {
        FakeProbe probe = start(true, CheckSettings.UNSET).exit(10);
        h.timer.advanceTo(1);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(8);
        assertThat(h.status("10.0.0.2", 8080).effectiveWeight()).isEqualTo(8);
        assertThat(h.logs).containsSubsequence(
                "Changing weight from 1 to 8 for active service " + RS + " of VS " + VS,
                CHECK + " succeeded.");
        h.timer.advanceTo(7);
        assertThat(h.logsContaining("Changing weight")).hasSize(1);

        probe.exit(255);
        h.timer.advanceTo(13);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(253);
        probe.exit(0);
        h.timer.advanceTo(19);
        assertThat(h.weight("10.0.0.2", 8080)).as("exit 0: contribution 0, the configured weight").isEqualTo(1);
        probe.exit(12);
        h.timer.advanceTo(25);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(10);
        assertThat(h.logsContaining("succeeded")).hasSize(1);

        probe.exit(1);                                 // failure; default retry 0 for MISC_CHECK
        h.timer.advanceTo(31);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.status("10.0.0.2", 8080).effectiveWeight()).as("contribution removed").isEqualTo(1);
        assertThat(h.logs).containsSubsequence(
                CHECK + " failed with retry disabled (exited with status 1).",
                "Removing service " + RS + " from VS " + VS,
                "Changing weight from 10 to 1 for inactive service " + RS + " of VS " + VS);

        probe.exit(12);
        h.timer.advanceTo(37);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(10);
        assertThat(h.logs.subList(h.logs.size() - 4, h.logs.size())).containsExactly(
                "Changing weight from 1 to 10 for inactive service " + RS + " of VS " + VS,
                CHECK + " succeeded.",
                "Adding service " + RS + " to VS " + VS,
                "Gained quorum 1+0=1 <= 10 for VS " + VS);
    }

    @Test
    void withoutMiscDynamicAnyNonZeroExitIsAFailure() {
        FakeProbe probe = start(false, CheckSettings.UNSET).exit(10);
        h.timer.advanceTo(1);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains(CHECK + " failed with retry disabled (exited with status 10).");
        assertThat(h.logsContaining("Changing weight")).isEmpty();
        probe.exit(0);
        h.timer.advanceTo(7);
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
    }

    @Test
    void intervalsAreMeasuredFromTheStartOfThePreviousRun() {
        FakeProbe probe = start(false, settings().retry(2).delayBeforeRetry(s(3)).logAllFailures(true).build());
        probe.duration = 2;
        h.timer.advanceTo(6.9);
        probe.exit(1);
        h.timer.advanceTo(30);
        // starts: 1 ok; 7 fail (ends 9) -> retry 3 s after 7; 10 fail; 13 fail -> down; next 6 s after 13
        assertThat(probe.times()).containsExactly(1.0, 7.0, 10.0, 13.0, 19.0, 25.0);
        assertThat(h.logs).containsSubsequence(
                CHECK + " failed, will do 2 retries (exited with status 1).",
                CHECK + " failed on retry 1/2 (exited with status 1).",
                CHECK + " failed after 2 retries (exited with status 1).",
                "Removing service " + RS + " from VS " + VS);
    }

    @Test
    void aTimedOutScriptIsAFailure() {
        FakeProbe probe = start(false, CheckSettings.UNSET);
        probe.respond(i -> new ProbeResult(false, "timed out", -1));
        h.timer.advanceTo(1);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains(CHECK + " timed out with retry disabled.");
    }

    @Test
    void twoDynamicCheckersAddTheirContributionsAsKeepalivedDoes() {
        CheckerSpec.Misc second = new CheckerSpec.Misc(CheckSettings.UNSET, List.of("/bin/other"), null, true);
        start(true, CheckSettings.UNSET, second).exit(10);
        h.probes.get("10.0.0.2", 8080, 1).exit(5);
        assertThat(h.logs).anyMatch(l -> l.startsWith("Warning - more than one dynamic misc checker"));
        h.timer.advanceTo(1);
        // 1 + (10 - 2 - 1) + (5 - 2 - 1)
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(10);
    }
}
