package io.lvs4j.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lvs4j.core.ServiceKey;
import java.net.InetSocketAddress;

/**
 * Observes the circuit breakers of a {@link PassiveHealth}. Called synchronously on the thread that
 * caused the transition (a caller reporting a result, or the timer moving an open breaker to
 * half-open), after the IPVS weight was changed; must return quickly.
 */
@FunctionalInterface
public interface PassiveHealthListener {
    /** The breaker of {@code realServer} moved from {@code from} to {@code to}. */
    void stateChanged(ServiceKey service, InetSocketAddress realServer, CircuitBreaker.State from,
                      CircuitBreaker.State to);
}
