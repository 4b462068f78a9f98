package io.lvs4j.health;

import java.util.function.Consumer;

/**
 * Performs check attempts for one checker against one real server, without blocking the caller.
 * Implementations: TCP, HTTP/HTTPS, UDP, DNS, SMTP (network, on an {@link IoLoop}) and MISC (a process).
 */
public interface Probe {
    /**
     * Starts one attempt against target {@code index} (the URL index for HTTP_GET/SSL_GET, 0 otherwise)
     * and calls {@code done} exactly once with its outcome, from any thread. Never throws for a failed
     * check: a failure is a {@link ProbeResult}.
     */
    void attempt(int index, Consumer<ProbeResult> done);

    /** Number of targets (URLs for HTTP_GET/SSL_GET; 1 otherwise). */
    default int targets() {
        return 1;
    }

    /** Releases resources (open sockets, running processes). */
    default void close() {
    }
}
