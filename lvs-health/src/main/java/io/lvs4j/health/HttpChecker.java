package io.lvs4j.health;

import java.util.List;

/**
 * HTTP_GET and SSL_GET: keepalived's URL walk ({@code epilog} in {@code check_http.c}, spec §1.6).
 *
 * <ul>
 *   <li>While up, one URL per delay_loop, in order; the index advances only on success.</li>
 *   <li>A failure re-requests the same URL after delay_before_retry; {@code retry_it} is incremented
 *       first and the checker fails when it exceeds {@code retry}. The URL becomes {@code failed_url}.</li>
 *   <li>While down only {@code failed_url} is polled, every max(delay_before_retry, delay_loop).</li>
 *   <li>When it passes, the walk restarts at the first URL and every URL must pass in sequence
 *       (spaced by delay_loop; back-to-back with fast_recovery, which also applies before the first
 *       complete pass) before the checker is up.</li>
 * </ul>
 *
 * <p>One deliberate difference: a URL failing during the recovery pass is retried after
 * delay_before_retry (keepalived's computed delay) even with fast_recovery, where keepalived re-runs it
 * immediately in a tight loop.
 */
final class HttpChecker extends CheckerState {
    private static final int NONE = -1;

    private final List<UrlSpec> urls;
    private final boolean fastRecovery;
    private final String checkName;
    private int urlIt;
    private int failedUrl = NONE;

    private enum Method { NEW, RETRY, FAILED }

    HttpChecker(HealthEngine engine, RealServerState rs, CheckerSpec.Http spec, int index, CheckSettings resolved,
                Probe probe) {
        super(engine, rs, spec, index, resolved, probe);
        this.urls = spec.urls();
        this.fastRecovery = spec.fastRecovery();
        this.checkName = spec.ssl() ? "SSL_CHECK" : "HTTP_CHECK";
    }

    @Override
    int nextTarget() {
        return urlIt;
    }

    @Override
    long handle(int target, ProbeResult result) {
        if (result.success()) {
            if (!up) {
                engine.log.info(successMessage(result) + " to " + target() + " url(" + urls.get(target).path() + ")");
            }
            return epilog(Method.NEW);
        }
        if (up || !hasRun) {
            if (logAllFailures) {
                engine.log.info(failureMessage(result));
            }
            hasRun = true;
            return epilog(Method.RETRY);
        }
        return epilog(Method.FAILED);
    }

    private long epilog(Method method) {
        if (method == Method.NEW) {
            urlIt = urlIt == urls.size() - 1 ? NONE : urlIt + 1;
            retryIt = 0;
        } else if (method == Method.RETRY) {
            retryIt++;
        }

        if (method == Method.NEW && urlIt == NONE && failedUrl == NONE) {
            if (!up || !hasRun) {
                engine.log.info("Remote Web server " + target() + " succeed on service.");
                engine.updateCheckerState(this, true);
                hasRun = true;
            }
            urlIt = 0;
            retryIt = 0;
        } else if (method == Method.RETRY && retryIt > retry) {
            if (up || !hasRun) {
                engine.log.info(checkName + " on service " + target() + " failed"
                        + (hasRun && retry > 0 ? " after " + (retryIt - 1) + " retries." : "."));
                engine.updateCheckerState(this, false);
            }
            failedUrl = urlIt;
        } else if (method == Method.NEW && failedUrl != NONE) {
            failedUrl = NONE;
            urlIt = 0;
            retryIt = 0;
        }

        long delay;
        if (method == Method.NEW) {
            delay = delayLoop;
            if (!hasRun) {
                retryIt = retry;
            }
        } else if (failedUrl != NONE) {
            delay = Math.max(delayBeforeRetry, delayLoop);
        } else {
            delay = delayBeforeRetry;
        }
        if (fastRecovery && method == Method.NEW && (!hasRun || (!up && failedUrl == NONE))) {
            delay = 0;
        }
        return delay;
    }

    private static String successMessage(ProbeResult result) {
        String reason = result.reason() == null ? "" : result.reason().trim();
        if (reason.isEmpty()) {
            return "HTTP status code success";
        }
        return reason.endsWith("success") ? reason : reason + " success";
    }

    private String failureMessage(ProbeResult result) {
        String reason = result.reason() == null ? "" : result.reason().trim();
        if (reason.isEmpty()) {
            reason = "HTTP request failed";
        }
        if (reason.endsWith(" to") || reason.endsWith(" from") || reason.startsWith("Timeout")) {
            return reason + " server " + target() + ".";
        }
        return reason + " to server " + target() + ".";
    }
}
