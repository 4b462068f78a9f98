package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link VrrpScheduler} whose time only moves when {@link #advance(Duration)} is called: the
 * fake clock for tests and simulations. Tasks run on the caller's thread, in due-time order and,
 * for equal due times, in submission order; tasks scheduled while advancing run in the same call
 * if they fall due. Not thread-safe: use it from one thread.
 */
public final class ManualVrrpScheduler implements VrrpScheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    /** A clock starting at an arbitrary non-zero time, so code never relies on time zero. */
    public ManualVrrpScheduler() {
        this.now = 1_000_000_000_000L;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long d = delay.isNegative() ? 0 : delay.toNanos();
        Task t = new Task(now + d, sequence++, task);
        queue.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves time forward by {@code by}, running every task that falls due, then sets the time. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("cannot go back in time: " + by);
        }
        long target = now + by.toNanos();
        while (true) {
            Task next = queue.peek();
            if (next == null || next.due > target) {
                break;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            now = next.due;
            next.task.run();
        }
        now = target;
    }

    /** Advances by {@code micros} microseconds. */
    public void advanceMicros(long micros) {
        advance(Duration.ofNanos(micros * 1000));
    }

    /** Runs the tasks already due without moving time. */
    public void runPending() {
        advance(Duration.ZERO);
    }

    /** Number of tasks scheduled and not cancelled. */
    public int pendingTasks() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
