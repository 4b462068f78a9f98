package io.lvs4j.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * TCP_CHECK (spec keepalived.md §1.5): a non-blocking connect that succeeds when the handshake completes
 * within connect_timeout; the connection is then closed at once, no data sent.
 *
 * <p>Reasons: {@code "success"}; {@code "timeout"}; {@code "failed (<detail>)"} for a refused connection,
 * an unreachable network, a bind error and anything else. Thread-safe; all I/O runs on the {@link IoLoop}.
 */
final class TcpProbe extends IoProbe {

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration connectTimeout;

    TcpProbe(IoLoop loop, InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout) {
        super(loop);
        this.target = Objects.requireNonNull(target, "target");
        this.bindTo = bindTo;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    @Override
    IoAttempt newAttempt(int index, Consumer<ProbeResult> done) {
        return new IoAttempt(this, done) {
            @Override
            void start() throws IOException {
                connectStream(target, bindTo, connectTimeout, "timeout");
            }

            @Override
            void connected() {
                finish(ProbeResult.ok("success"));
            }

            @Override
            void onReady(int readyOps) {
            }

            @Override
            String failureReason(Throwable cause) {
                return "failed (" + describe(cause) + ")";
            }
        };
    }

    @Override
    public String toString() {
        return "TCP_CHECK " + target;
    }
}
