package io.lvs4j.okhttp;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link LvsInterceptor} sends a failed call again, to another real server. Immutable.
 *
 * <p>A failure is retried when the request cannot have reached a server (the connection was refused,
 * unreachable or timed out while connecting), or, with {@code retryIdempotent}, when the request may have
 * reached it but its method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE; RFC 9110 §9.2.2) and its
 * body is not one-shot. A POST or PATCH that may have reached a server is never retried, nor is a call the
 * caller cancelled, nor an HTTP response of any status. Attempts run through a Resilience4j {@code Retry}.
 *
 * @param maxAttempts     attempts in all, the first included: 1 (no retry) to 100
 * @param backoff         wait between two attempts, zero or more
 * @param retryIdempotent also retry idempotent requests after a failure that may have reached the server
 */
public record RetryPolicy(int maxAttempts, Duration backoff, boolean retryIdempotent) {

    public RetryPolicy {
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " is out of range; accepted: 1..100");
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff " + backoff + " is negative; accepted: zero or more");
        }
    }

    /** Three attempts, no wait, idempotent requests retried. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ZERO, true);
    }

    /** One attempt: nothing is retried. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, false);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, backoff, retryIdempotent);
    }

    public RetryPolicy withBackoff(Duration wait) {
        return new RetryPolicy(maxAttempts, wait, retryIdempotent);
    }

    public RetryPolicy withRetryIdempotent(boolean on) {
        return new RetryPolicy(maxAttempts, backoff, on);
    }
}
