package io.lvs4j.health;

import io.lvs4j.core.ServiceKey;
import java.net.InetSocketAddress;

/**
 * Observes what the {@link HealthChecker} decides. Every method has an empty default. Calls come on
 * the checker's timer thread (or the thread calling {@link HealthChecker#add}/{@link HealthChecker#close}),
 * one at a time and in the order of the events, while the checker's state is consistent; a listener
 * must return quickly and may call {@link HealthChecker#status()}.
 *
 * <p>{@link #realServerUp}/{@link #realServerDown} fire exactly when keepalived runs a real server's
 * {@code notify_up}/{@code notify_down} script, and {@link #quorumGained}/{@link #quorumLost} when it runs
 * {@code quorum_up}/{@code quorum_down}, whether or not a script is configured.
 */
public interface HealthListener {

    /** The real server became alive (all its checkers up): it is back in the pool. */
    default void realServerUp(ServiceKey virtualServer, InetSocketAddress realServer) {
    }

    /**
     * The real server is down: a checker failed, an alpha checker confirmed "down" on its first run,
     * or (with {@code omega}) the checker is shutting down.
     */
    default void realServerDown(ServiceKey virtualServer, InetSocketAddress realServer) {
    }

    /** The virtual server reached quorum; {@code weightSum} is the sum of the alive real servers' weights. */
    default void quorumGained(ServiceKey virtualServer, long weightSum) {
    }

    /** The virtual server lost quorum (or, with {@code omega}, is shutting down). */
    default void quorumLost(ServiceKey virtualServer, long weightSum) {
    }

    /**
     * One check attempt finished. {@code checker} is the index of the checker in the real server's
     * list, {@code target} the URL index for HTTP_GET/SSL_GET (0 otherwise).
     */
    default void checkerResult(ServiceKey virtualServer, InetSocketAddress realServer, int checker, String type,
                               int target, ProbeResult result) {
    }
}
