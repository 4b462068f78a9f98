package io.lvs4j.okhttp;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import okhttp3.Request;

/**
 * Observes what {@link LvsInterceptor} does with each call to a virtual service. Every method has an
 * empty default. Methods are called synchronously on the thread doing the work (the caller's thread, an
 * OkHttp dispatcher thread, the thread closing a response body, or the health timer for circuit changes),
 * must return quickly and should not throw: an exception is logged and otherwise ignored.
 *
 * <p>Per call: {@link #routed} once per attempt, then {@link #responded} or {@link #failed} for that
 * attempt; {@link #released} when the attempt's connection entry leaves the active state. A call refused
 * for lack of a real server gets {@link #unavailable} only.
 */
public interface LvsEventListener {

    /** Attempt {@code attempt} (1 for the first) of a call to {@code service} goes to {@code realServer}. */
    default void routed(String service, Request request, RealServer realServer, int attempt) {
    }

    /** The real server answered with {@code code} after {@code latency} (time to the response headers). */
    default void responded(String service, Request request, RealServer realServer, int code, Duration latency) {
    }

    /**
     * The attempt failed with {@code error}; {@code retrying} tells whether another attempt follows (which
     * fails with this error, without a {@link #routed}, when the scheduler names no real server the call has
     * not tried, as with a persistent client).
     */
    default void failed(String service, Request request, RealServer realServer, IOException error, boolean retrying) {
    }

    /**
     * The attempt's connection entry stopped being active: closed normally (its response body was read or
     * closed; the entry rests in TIME_WAIT) or {@code aborted} (it failed; the entry goes to CLOSE).
     */
    default void released(String service, RealServer realServer, boolean aborted) {
    }

    /** No real server could take a call to {@code service}; the call fails with {@code error}. */
    default void unavailable(String service, Request request, VirtualServiceUnavailableException error) {
    }

    /** Passive health: the circuit breaker of {@code realServer} in {@code service} moved from {@code from} to {@code to}. */
    default void circuitStateChanged(ServiceKey service, InetSocketAddress realServer, CircuitBreaker.State from,
                                     CircuitBreaker.State to) {
    }
}
