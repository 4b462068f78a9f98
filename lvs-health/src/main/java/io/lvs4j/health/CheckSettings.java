package io.lvs4j.health;

import java.time.Duration;

/**
 * The timing and behaviour keywords keepalived lets a virtual server, a real server and a checker
 * each set (spec keepalived.md §1.2). A {@code null} field is "not set at this level": the value is
 * inherited, checker → real server → virtual server → the checker type's default, by {@link #orElse}.
 *
 * @param delayLoop        interval between normal checks (default 60 s)
 * @param connectTimeout   connect and per-I/O timeout (default 5 s)
 * @param retry            extra attempts after a failure before the checker is declared down
 *                         (default 1; DNS_CHECK 3; MISC_CHECK 0)
 * @param delayBeforeRetry wait before a retry (default 1 s; HTTP_GET/SSL_GET 3 s; DNS_CHECK = delayLoop)
 * @param warmup           the first check runs after 1 s plus a uniform random delay in [0, warmup]
 *                         (default = delayLoop)
 * @param alpha            the checker starts failed; the real server joins only after a success
 * @param logAllFailures   also log failures during retries
 */
public record CheckSettings(Duration delayLoop, Duration connectTimeout, Integer retry, Duration delayBeforeRetry,
                            Duration warmup, Boolean alpha, Boolean logAllFailures) {

    /** Nothing set. */
    public static final CheckSettings UNSET = new CheckSettings(null, null, null, null, null, null, null);

    public CheckSettings {
        positive("delay_loop", delayLoop);
        positive("connect_timeout", connectTimeout);
        notNegative("delay_before_retry", delayBeforeRetry);
        notNegative("warmup", warmup);
        if (retry != null && retry < 0) {
            throw new IllegalArgumentException("retry " + retry + " is out of range; accepted: 0 or more");
        }
    }

    private static void positive(String name, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " " + d + " is out of range; accepted: more than 0 (at least 1 µs)");
        }
    }

    private static void notNegative(String name, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(name + " " + d + " is out of range; accepted: 0 or more");
        }
    }

    /** Each field of this, or where unset, of {@code parent}. */
    public CheckSettings orElse(CheckSettings parent) {
        return new CheckSettings(
                delayLoop != null ? delayLoop : parent.delayLoop,
                connectTimeout != null ? connectTimeout : parent.connectTimeout,
                retry != null ? retry : parent.retry,
                delayBeforeRetry != null ? delayBeforeRetry : parent.delayBeforeRetry,
                warmup != null ? warmup : parent.warmup,
                alpha != null ? alpha : parent.alpha,
                logAllFailures != null ? logAllFailures : parent.logAllFailures);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link CheckSettings}; every field starts unset. */
    public static final class Builder {
        private Duration delayLoop;
        private Duration connectTimeout;
        private Integer retry;
        private Duration delayBeforeRetry;
        private Duration warmup;
        private Boolean alpha;
        private Boolean logAllFailures;

        private Builder() {
        }

        public Builder delayLoop(Duration d) {
            this.delayLoop = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder retry(int n) {
            this.retry = n;
            return this;
        }

        public Builder delayBeforeRetry(Duration d) {
            this.delayBeforeRetry = d;
            return this;
        }

        public Builder warmup(Duration d) {
            this.warmup = d;
            return this;
        }

        public Builder alpha(boolean on) {
            this.alpha = on;
            return this;
        }

        public Builder logAllFailures(boolean on) {
            this.logAllFailures = on;
            return this;
        }

        public CheckSettings build() {
            return new CheckSettings(delayLoop, connectTimeout, retry, delayBeforeRetry, warmup, alpha, logAllFailures);
        }
    }
}
