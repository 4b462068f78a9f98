package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link VrrpScheduler}: one daemon thread running every engine task, with
 * {@link System#nanoTime()} as its clock. A task that throws is logged and does not stop the
 * thread. Thread-safe: any thread may schedule; all tasks run on the scheduler thread.
 */
public final class ExecutorVrrpScheduler implements VrrpScheduler, AutoCloseable {

    private final ScheduledExecutorService executor;

    /** Creates a scheduler whose thread is named {@code threadName}. */
    public ExecutorVrrpScheduler(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : delay.toNanos();
        ScheduledFuture<?> f = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                VrrpLog.LOGGER.log(System.Logger.Level.ERROR, "VRRP task failed", e);
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** Stops the thread; tasks not yet run are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
