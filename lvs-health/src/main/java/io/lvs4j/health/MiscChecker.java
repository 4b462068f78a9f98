package io.lvs4j.health;

import java.util.Locale;

/**
 * MISC_CHECK: keepalived's {@code misc_check_child_thread} (spec §1.7). The same counting as the other
 * checkers (default {@code retry} 0), but the next run is timed from the <em>start</em> of the previous
 * one. With {@code misc_dynamic}, exit 2..255 is a success that sets this checker's weight contribution
 * to {@code status − 2 − weight} (so one dynamic checker gives the real server weight {@code status − 2}),
 * exit 0 a success with contribution 0, exit 1 a failure; the contribution is re-applied only when the
 * exit status changes and removed when the checker fails.
 *
 * <p>The exit status decides success whenever the probe reports one ({@code exitStatus ≥ 0});
 * otherwise (killed, timed out) {@link ProbeResult#success()} does.
 */
final class MiscChecker extends CheckerState {
    private final boolean dynamic;
    private final String script;
    private long lastRan;
    private int lastExitStatus;
    /** This checker's contribution to the real server's effective weight. */
    long weightDelta;

    MiscChecker(HealthEngine engine, RealServerState rs, CheckerSpec.Misc spec, int index, CheckSettings resolved,
                Probe probe) {
        super(engine, rs, spec, index, resolved, probe);
        this.dynamic = spec.dynamic();
        this.script = spec.command().get(0);
    }

    @Override
    void attemptStarted(long nanoTime) {
        lastRan = nanoTime;
    }

    @Override
    long handle(int target, ProbeResult result) {
        int status = result.exitStatus();
        boolean success = status >= 0 ? status == 0 || (dynamic && status >= 2 && status <= 255) : result.success();
        boolean timedOut = status < 0 && !success && isTimeout(result.reason());
        Boolean transition = null;

        if (success) {
            if (dynamic && status >= 0 && status != lastExitStatus) {
                weightDelta = status >= 2 ? (long) status - 2 - rs.configuredWeight : 0;
                lastExitStatus = status;
                engine.applyDynamicWeight(rs);
            }
            if (!up || !hasRun) {
                engine.log.info(prefix() + " succeeded.");
                transition = Boolean.TRUE;
            }
            retryIt = 0;
        } else if (up || !hasRun) {
            if (retryIt < retry) {
                retryIt++;
                if (logAllFailures) {
                    String how = retryIt == 1 ? ", will do " + retry + " retries" : " on retry " + (retryIt - 1) + "/" + retry;
                    engine.log.info(prefix() + " " + verb(timedOut) + how + detail(result, timedOut) + ".");
                }
            } else {
                String how = retry == 0 ? " with retry disabled" : hasRun ? " after " + retry + " retries" : "";
                engine.log.info(prefix() + " " + verb(timedOut) + how + detail(result, timedOut) + ".");
                retryIt = 0;
                lastExitStatus = status;
                transition = Boolean.FALSE;
            }
        }

        if (transition != null) {
            engine.updateCheckerState(this, transition);
            if (!transition && weightDelta != 0) {
                weightDelta = 0;
                engine.applyDynamicWeight(rs);
            }
        }
        hasRun = true;
        long interval = retryIt > 0 ? delayBeforeRetry : delayLoop;
        return Math.max(1_000L, lastRan + interval - engine.timer.nanoTime());
    }

    private String prefix() {
        return "Misc check for [" + target() + " VS " + rs.vs.label + "] by [" + script + "]";
    }

    private static String verb(boolean timedOut) {
        return timedOut ? "timed out" : "failed";
    }

    private static String detail(ProbeResult result, boolean timedOut) {
        if (result.exitStatus() >= 0) {
            return " (exited with status " + result.exitStatus() + ")";
        }
        String reason = result.reason() == null ? "" : result.reason().trim();
        return timedOut || reason.isEmpty() ? "" : " (" + reason + ")";
    }

    private static boolean isTimeout(String reason) {
        if (reason == null) {
            return false;
        }
        String r = reason.toLowerCase(Locale.ROOT);
        return r.contains("timed out") || r.contains("timeout");
    }
}
