package io.lvs4j.okhttp;

import io.lvs4j.health.CheckTimer;
import java.util.ArrayList;
import java.util.List;

/** A {@link CheckTimer} whose time moves only when a test advances it; tasks run on the advancing thread. */
final class ManualTimer implements CheckTimer {
    private final List<long[]> due = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private long now;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        long[] at = {now + delayNanos};
        due.add(at);
        tasks.add(task);
        return () -> {
            synchronized (ManualTimer.this) {
                int i = due.indexOf(at);
                if (i >= 0) {
                    due.remove(i);
                    tasks.remove(i);
                }
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    /** Moves time on and runs what became due, in order. */
    void advanceNanos(long nanos) {
        List<Runnable> run = new ArrayList<>();
        synchronized (this) {
            now += nanos;
            for (int i = 0; i < due.size(); ) {
                if (due.get(i)[0] <= now) {
                    due.remove(i);
                    run.add(tasks.remove(i));
                } else {
                    i++;
                }
            }
        }
        run.forEach(Runnable::run);
    }

    synchronized int pending() {
        return due.size();
    }
}
