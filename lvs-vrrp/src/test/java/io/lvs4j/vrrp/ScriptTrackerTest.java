package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.ScriptTracker.Status.KO;
import static io.lvs4j.vrrp.ScriptTracker.Status.OK;
import static io.lvs4j.vrrp.ScriptTracker.Status.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_script rise/fall counter, driven result by result. */
class ScriptTrackerTest {

    private final ManualVrrpScheduler scheduler = new ManualVrrpScheduler();
    private final FakeScriptExecutor executor = new FakeScriptExecutor();
    private final List<String> log = new ArrayList<>();
    private final List<ScriptTracker.Status> changes = new ArrayList<>();

    private ScriptTracker tracker(VrrpScriptConfig.Builder b) {
        ScriptTracker[] t = new ScriptTracker[1];
        t[0] = new ScriptTracker(b.script("chk").build(), scheduler, executor, new VrrpLog(log::add, false),
                () -> changes.add(t[0].status()));
        return t[0];
    }

    private static final ScriptResult S = ScriptResult.exited(0);
    private static final ScriptResult F = ScriptResult.exited(1);

    @Test
    void riseTwoFallThree() {
        ScriptTracker t = tracker(VrrpScriptConfig.builder("chk").rise(2).fall(3));
        assertThat(t.status()).isEqualTo(UNKNOWN);
        t.onResult(S); // initial result = rise-1: the first result decides
        assertThat(t.status()).isEqualTo(OK);
        assertThat(log).containsExactly("VRRP_Script(chk) succeeded");
        t.onResult(F);
        t.onResult(F);
        assertThat(t.status()).isEqualTo(OK); // fall 3: two failures are not enough
        assertThat(log).containsExactly("VRRP_Script(chk) succeeded", "Script `chk` now returning 1");
        t.onResult(F);
        assertThat(t.status()).isEqualTo(KO);
        assertThat(log).last().isEqualTo("VRRP_Script(chk) failed (exited with status 1)");
        t.onResult(S);
        assertThat(t.status()).isEqualTo(KO); // rise 2
        t.onResult(F); // a single opposite result resets progress, silently
        t.onResult(S);
        assertThat(t.status()).isEqualTo(KO);
        t.onResult(S);
        assertThat(t.status()).isEqualTo(OK);
        assertThat(log).containsExactly("VRRP_Script(chk) succeeded", "Script `chk` now returning 1",
                "VRRP_Script(chk) failed (exited with status 1)", "Script `chk` now returning 0",
                "Script `chk` now returning 1", "Script `chk` now returning 0", "VRRP_Script(chk) succeeded");
        assertThat(changes).containsExactly(OK, KO, OK);
        // a success while fully OK and a failure recovered before fall do not log
        t.onResult(F);
        t.onResult(S);
        assertThat(t.status()).isEqualTo(OK);
        assertThat(changes).containsExactly(OK, KO, OK);
    }

    @Test
    void firstFailureDecidesImmediatelyEvenWithFall() {
        ScriptTracker t = tracker(VrrpScriptConfig.builder("chk").rise(3).fall(3));
        t.onResult(ScriptResult.exited(2));
        assertThat(t.status()).isEqualTo(KO);
        assertThat(log).containsExactly("Script `chk` now returning 2", "VRRP_Script(chk) failed (exited with status 2)");
        assertThat(changes).containsExactly(KO);
    }

    @Test
    void initFailStartsKoAndNeedsRiseSuccesses() {
        ScriptTracker t = tracker(VrrpScriptConfig.builder("chk").rise(2).initFail(true));
        assertThat(t.status()).isEqualTo(KO);
        t.onResult(F);
        assertThat(log).containsExactly("Script `chk` now returning 1"); // no "failed": it already was
        t.onResult(S);
        assertThat(t.status()).isEqualTo(KO);
        t.onResult(S);
        assertThat(t.status()).isEqualTo(OK);
        assertThat(log).containsExactly("Script `chk` now returning 1", "Script `chk` now returning 0",
                "VRRP_Script(chk) succeeded");
        assertThat(changes).containsExactly(OK);
    }

    @Test
    void timeoutAndSignalAreFailures() {
        ScriptTracker t = tracker(VrrpScriptConfig.builder("chk"));
        t.onResult(S);
        t.onResult(ScriptResult.timedOut());
        assertThat(log).last().isEqualTo("VRRP_Script(chk) timed_out");
        t.onResult(S);
        t.onResult(ScriptResult.signaled(9));
        assertThat(log).last().isEqualTo("VRRP_Script(chk) failed (due to signal 9)");
        assertThat(log).noneMatch(l -> l.contains("now returning"));
    }

    @Test
    void runsEveryIntervalAndSkipsWhileStillRunning() {
        ScriptTracker t = tracker(VrrpScriptConfig.builder("chk").interval(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(2)));
        executor.manual("chk");
        t.start();
        scheduler.runPending();
        assertThat(executor.calls).hasSize(1);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(log).containsExactly("Track script chk is already running, expect idle - skipping run");
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(log).last().isEqualTo("Track script chk is being timed out, expect idle - skipping run");
        executor.pending.poll().complete(ScriptResult.timedOut());
        scheduler.runPending();
        assertThat(log).last().isEqualTo("VRRP_Script(chk) timed_out");
        assertThat(t.status()).isEqualTo(KO);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(executor.calls).hasSize(2);
        executor.pending.poll().complete(S);
        scheduler.runPending();
        assertThat(t.status()).isEqualTo(OK);
        assertThat(executor.calls.get(1)).containsExactly("chk");
        t.stop();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(executor.calls).hasSize(2);
    }
}
