package io.lvs4j.health;

import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP_GET/SSL_GET multi-URL rules (§1.6 "Multiple URLs"). */
class HttpCheckerTest {
    private static final String RS = "[10.0.0.2]:tcp:8080";
    private static final String VS = "[10.0.1.1]:tcp:80";

    private final Harness h = new Harness();

    /** delay_loop 5, retry 1, delay_before_retry 8, urls /a /b /c. */
    private FakeProbe start(boolean ssl, boolean fastRecovery, boolean logAll) {
        CheckerSpec.Http http = new CheckerSpec.Http(
                settings().retry(1).delayBeforeRetry(s(8)).logAllFailures(logAll).build(), ConnectOptions.DEFAULT, ssl,
                List.of(UrlSpec.path("/a"), UrlSpec.path("/b"), UrlSpec.path("/c")), HttpProtocol.HTTP_1_0, null,
                fastRecovery, TlsOptions.KEEPALIVED);
        h.checker.add(vs().settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .realServers(List.of(rs("10.0.0.2", 8080, http))).build());
        h.checker.start();
        return h.probes.get("10.0.0.2", 8080);
    }

    private static ProbeResult urlFails(int target, int failing) {
        return target == failing ? ProbeResult.fail("HTTP status code error") : ProbeResult.ok("HTTP status code success");
    }

    @Test
    void oneUrlPerDelayLoopFailedUrlPolledAndFullRecoveryPass() {
        FakeProbe probe = start(false, false, false);
        h.timer.advanceTo(16);
        assertThat(probe.attempts).containsExactly(a(1, 0), a(6, 1), a(11, 2), a(16, 0));
        assertThat(h.logs).contains("Remote Web server " + RS + " succeed on service.");

        probe.respond(i -> urlFails(i, 1));
        h.timer.advanceTo(29);                        // /b fails at 21, retried (same url) after 8 s, fails again
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).contains("HTTP_CHECK on service " + RS + " failed after 1 retries.",
                "Removing service " + RS + " from VS " + VS);

        h.timer.advanceTo(44);                        // down: only /b, every max(8, 5) = 8 s
        assertThat(probe.attempts.subList(4, probe.attempts.size())).containsExactly(a(21, 1), a(29, 1), a(37, 1));

        probe.respond(i -> ProbeResult.ok("HTTP status code success"));
        h.timer.advanceTo(59);                        // /b passes at 45; restart at /a, then /b: not up yet
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        h.timer.advanceTo(60);                        // /c at 60 completes the pass
        assertThat(probe.attempts.subList(7, probe.attempts.size()))
                .containsExactly(a(45, 1), a(50, 0), a(55, 1), a(60, 2));
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.logs.subList(h.logs.indexOf("Lost quorum 1-0=1 > 0 for VS " + VS) + 1, h.logs.size()))
                .containsExactly(
                        "HTTP status code success to " + RS + " url(/b)",
                        "HTTP status code success to " + RS + " url(/a)",
                        "HTTP status code success to " + RS + " url(/b)",
                        "HTTP status code success to " + RS + " url(/c)",
                        "Remote Web server " + RS + " succeed on service.",
                        "Adding service " + RS + " to VS " + VS,
                        "Gained quorum 1+0=1 <= 1 for VS " + VS);
        h.timer.advanceTo(65);
        assertThat(probe.attempts.get(probe.attempts.size() - 1)).isEqualTo(a(65, 0));
    }

    @Test
    void fastRecoveryChecksAllUrlsBackToBackBeforeTheFirstPassAndAfterTheFailedUrlPasses() {
        FakeProbe probe = start(false, true, false);
        h.timer.advanceTo(1);
        assertThat(probe.attempts).containsExactly(a(1, 0), a(1, 1), a(1, 2));
        h.timer.advanceTo(11);
        assertThat(probe.attempts.subList(3, 5)).containsExactly(a(6, 0), a(11, 1));

        probe.respond(i -> urlFails(i, 2));
        h.timer.advanceTo(24);                        // /c fails at 16 and 24: down
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        probe.respond(i -> ProbeResult.ok(""));
        h.timer.advanceTo(32);                        // /c passes at 32: /a /b /c at once, up at 32
        assertThat(probe.attempts.subList(5, probe.attempts.size()))
                .containsExactly(a(16, 2), a(24, 2), a(32, 2), a(32, 0), a(32, 1), a(32, 2));
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        h.timer.advanceTo(37);
        assertThat(probe.attempts.get(probe.attempts.size() - 1)).isEqualTo(a(37, 0));
    }

    @Test
    void aFailureDuringTheRecoveryPassIsRetriedAfterDelayBeforeRetry() {
        FakeProbe probe = start(false, true, false);
        h.timer.advanceTo(1);
        probe.respond(i -> urlFails(i, 0));
        h.timer.advanceTo(14);                        // /a fails at 6 and 14: down, failed_url /a
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        probe.respond(i -> urlFails(i, 1));
        h.timer.advanceTo(22);                        // /a passes at 22, /b fails at once in the recovery pass
        h.timer.advanceTo(30);                        // ... and is retried 8 s later (not in a tight loop)
        assertThat(probe.attempts.subList(3, probe.attempts.size()))
                .containsExactly(a(6, 0), a(14, 0), a(22, 0), a(22, 0), a(22, 1), a(30, 1));
    }

    @Test
    void theFirstFailureOfAnHttpCheckerLogsKeepalivedsRetryCountAndSslSaysSslCheck() {
        FakeProbe probe = start(true, false, true);
        probe.respond(i -> ProbeResult.fail("HTTP status code error"));
        h.timer.advanceTo(1);
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.logs).containsSubsequence("HTTP status code error to server " + RS + ".",
                "SSL_CHECK on service " + RS + " failed after 1 retries.");
        h.timer.advanceTo(9);
        assertThat(probe.attempts).containsExactly(a(1, 0), a(9, 0));
        assertThat(h.logsContaining("HTTP status code error to server")).hasSize(1);
    }

    private static FakeProbe.Attempt a(double at, int url) {
        return new FakeProbe.Attempt(at, url);
    }
}
