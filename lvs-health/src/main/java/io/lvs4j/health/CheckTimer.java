package io.lvs4j.health;

/**
 * Time and task scheduling for the health checker: one thread runs every task in order, so checker
 * state needs no locks. The real one is an {@link IoLoop}; tests use a manual fake.
 */
public interface CheckTimer {
    /** Monotonic nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the timer's thread after {@code delayNanos}; the handle cancels it. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the timer's thread as soon as possible (safe from any thread). */
    void execute(Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
