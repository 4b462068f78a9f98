package io.lvs4j.health;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link CheckTimer} with a manual clock: {@link #advance} runs the due tasks in time order, on the
 * calling thread. Synchronized, so other threads may schedule.
 */
final class ManualTimer implements CheckTimer {
    private static final class Task {
        final long time;
        final long seq;
        final Runnable runnable;
        boolean cancelled;

        Task(long time, long seq, Runnable runnable) {
            this.time = time;
            this.seq = seq;
            this.runnable = runnable;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong((Task t) -> t.time).thenComparingLong(t -> t.seq));
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        Task t = new Task(now + Math.max(0, delayNanos), seq++, task);
        queue.add(t);
        return () -> {
            synchronized (ManualTimer.this) {
                t.cancelled = true;
            }
        };
    }

    @Override
    public synchronized void execute(Runnable task) {
        schedule(0, task);
    }

    synchronized void advance(Duration d) {
        runUntil(now + d.toNanos());
    }

    synchronized void advanceSeconds(double s) {
        runUntil(now + Math.round(s * 1e9));
    }

    /** Runs everything due until absolute time {@code seconds}. */
    synchronized void advanceTo(double seconds) {
        runUntil(Math.round(seconds * 1e9));
    }

    synchronized double seconds() {
        return now / 1e9;
    }

    synchronized int pendingTasks() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    private synchronized void runUntil(long target) {
        if (target < now) {
            throw new IllegalArgumentException("time runs forward only");
        }
        int budget = 1_000_000;
        while (true) {
            Task t = queue.peek();
            if (t == null || t.time > target) {
                break;
            }
            queue.poll();
            if (t.cancelled) {
                continue;
            }
            if (--budget == 0) {
                throw new IllegalStateException("runaway timer at " + now);
            }
            now = t.time;
            t.runnable.run();
        }
        now = target;
    }
}
