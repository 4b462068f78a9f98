package io.lvs4j.vrrp;

import java.time.Duration;

/**
 * The clock and timer service the VRRP engine runs on. Every engine callback (timers, script
 * results, and the integrator's calls made through {@link #execute(Runnable)}) must run on one
 * thread at a time, in submission order for equal due times; the engine relies on that instead of
 * locks. {@link ExecutorVrrpScheduler} is the real implementation, {@link ManualVrrpScheduler}
 * the fake for tests and simulations.
 */
public interface VrrpScheduler {

    /** A monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /**
     * Runs {@code task} once, {@code delay} from now (zero or negative: as soon as possible, after
     * the tasks already due).
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} as soon as possible on the scheduler's thread. */
    default void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** A scheduled task that can be cancelled; cancelling twice or after it ran is harmless. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
