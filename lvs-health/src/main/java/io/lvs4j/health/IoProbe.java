package io.lvs4j.health;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Base of the network probes: moves each attempt onto the {@link IoLoop} thread, keeps the attempts in
 * flight so {@link #close} can end them, and guarantees that {@code done} is called exactly once per
 * attempt, on the loop thread (or, only when the loop is already closed, on the caller's thread with
 * the reason {@code "I/O loop closed"}).
 *
 * <p>Thread-safe: {@link #attempt} and {@link #close} may be called from any thread.
 */
abstract class IoProbe implements Probe {

    private static final System.Logger LOG = System.getLogger(IoProbe.class.getName());

    final IoLoop loop;
    private final Set<IoAttempt> inFlight = new HashSet<>();
    private volatile boolean closed;

    IoProbe(IoLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** Makes the attempt for {@code index}; called on the loop thread. */
    abstract IoAttempt newAttempt(int index, Consumer<ProbeResult> done);

    @Override
    public final void attempt(int index, Consumer<ProbeResult> done) {
        Objects.checkIndex(index, targets());
        Objects.requireNonNull(done, "done");
        start(() -> newAttempt(index, done), done);
    }

    final void start(Supplier<IoAttempt> factory, Consumer<ProbeResult> done) {
        if (!loop.submit(() -> begin(factory, done))) {
            done.accept(ProbeResult.fail("I/O loop closed"));
        }
    }

    private void begin(Supplier<IoAttempt> factory, Consumer<ProbeResult> done) {
        if (closed) {
            done.accept(ProbeResult.fail("probe closed"));
            return;
        }
        IoAttempt attempt;
        try {
            attempt = factory.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot start a health check attempt", e);
            done.accept(ProbeResult.fail("failed (" + IoAttempt.describe(e) + ")"));
            return;
        }
        inFlight.add(attempt);
        try {
            attempt.start();
        } catch (Throwable t) {
            if (!(t instanceof IOException)) {
                LOG.log(Level.WARNING, "health check attempt failed to start", t);
            }
            attempt.abort(t);
        }
    }

    void finished(IoAttempt attempt) {
        inFlight.remove(attempt);
    }

    /** Ends the attempts in flight (they fail with {@code "probe closed"}); later attempts fail the same way. */
    @Override
    public void close() {
        closed = true;
        loop.submit(() -> {
            for (IoAttempt a : new ArrayList<>(inFlight)) {
                a.finish(ProbeResult.fail("probe closed"));
            }
        });
    }
}
