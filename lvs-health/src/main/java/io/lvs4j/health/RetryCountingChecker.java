package io.lvs4j.health;

import java.util.Locale;

/**
 * TCP_CHECK, UDP_CHECK, DNS_CHECK and SMTP_CHECK: keepalived's {@code tcp_epilog}/{@code udp_epilog}
 * counting (spec §1.3). While the checker is up (or has not run), a failure is retried after
 * delay_before_retry until {@code retry} retries have failed; then the checker goes down. A success,
 * a final failure and a failure while down all wait delay_loop.
 */
final class RetryCountingChecker extends CheckerState {

    RetryCountingChecker(HealthEngine engine, RealServerState rs, CheckerSpec spec, int index,
                         CheckSettings resolved, Probe probe) {
        super(engine, rs, spec, index, resolved, probe);
    }

    @Override
    long handle(int target, ProbeResult result) {
        boolean success = result.success();
        if (!success && up && logAllFailures) {
            engine.log.info(attemptFailedLine(result));
        }
        long delay = delayLoop;
        if (success || ((up || !hasRun) && retryIt >= retry)) {
            retryIt = 0;
            if (success && (!up || !hasRun)) {
                engine.log.info(successLine());
                engine.updateCheckerState(this, true);
            } else if (!success && (up || !hasRun)) {
                engine.log.info(spec.type() + " on service " + target() + " failed"
                        + (retry > 0 && hasRun ? " after " + retry + " retries." : "."));
                engine.updateCheckerState(this, false);
            }
        } else if (up) {
            delay = delayBeforeRetry;
            retryIt++;
        }
        hasRun = true;
        return delay;
    }

    private String successLine() {
        if (spec instanceof CheckerSpec.Tcp) {
            return "TCP connection to " + target() + " success.";
        }
        if (spec instanceof CheckerSpec.Udp) {
            return "UDP connection to " + target() + " success.";
        }
        return spec.type() + " on service " + target() + " succeeded.";
    }

    private String attemptFailedLine(ProbeResult result) {
        String reason = result.reason() == null ? "" : result.reason();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (spec instanceof CheckerSpec.Tcp) {
            return "TCP connection to " + target()
                    + (lower.contains("timeout") || lower.contains("timed out") ? " timedout." : " failed.");
        }
        if (spec instanceof CheckerSpec.Udp) {
            return lower.contains("mismatch")
                    ? "UDP check to " + target() + " reply data mismatch."
                    : "UDP connection to " + target() + " failed.";
        }
        if (spec instanceof CheckerSpec.Dns) {
            return "DNS_CHECK (" + target() + ") " + (reason.isEmpty() ? "failed." : reason);
        }
        return spec.type() + " on service " + target() + " failed" + (reason.isEmpty() ? "." : ": " + reason);
    }
}
