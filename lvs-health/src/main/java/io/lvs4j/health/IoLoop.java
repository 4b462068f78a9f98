package io.lvs4j.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single thread that runs every network health check and every checker timer: one daemon thread
 * ({@code lvs4j-health-io}) multiplexing non-blocking channels with a {@link Selector}, plus a timer
 * heap whose tasks run in deadline order (ties in scheduling order).
 *
 * <p>Thread safety: {@link #schedule}, {@link #execute}, {@link CheckTimer.Cancellable#cancel} and
 * {@link #close} may be called from any thread; every task, timer and I/O callback runs on the loop
 * thread, one at a time, so code running there needs no locks. A task or callback that throws is
 * logged (through {@link System.Logger}) and the loop carries on.
 *
 * <p>After {@link #close}, channels still registered are aborted (their checks fail), pending timers
 * are dropped, and tasks submitted later are ignored.
 */
public final class IoLoop implements CheckTimer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());
    private static final String THREAD_NAME = "lvs4j-health-io";

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final TimerHeap timers = new TimerHeap();
    private final Set<Registration> registrations = new LinkedHashSet<>();
    private volatile boolean closing;

    /** Opens the selector and starts the loop thread. */
    public IoLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the health checker", e);
        }
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        TimerHeap.Entry entry = new TimerHeap.Entry(this, nanoTime() + Math.max(0, delayNanos), task);
        if (inLoop()) {
            if (!closing) {
                timers.add(entry);
            }
        } else if (!submit(() -> {
            if (!entry.cancelled()) {
                timers.add(entry);
            }
        })) {
            LOG.log(Level.DEBUG, "timer scheduled after the I/O loop closed; ignored");
        }
        return entry;
    }

    @Override
    public void execute(Runnable task) {
        if (!submit(task)) {
            LOG.log(Level.DEBUG, "task submitted after the I/O loop closed; ignored");
        }
    }

    /**
     * Stops the loop: aborts the registered channels, drops pending timers, closes the selector and,
     * unless called from the loop thread itself, waits for the thread to end.
     */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (!inLoop()) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Queues {@code task} for the loop thread; false (and not queued) when the loop is closed. */
    boolean submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        tasks.add(task);
        if (closing && tasks.remove(task)) {
            return false;
        }
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
        return true;
    }

    void unschedule(TimerHeap.Entry entry) {
        if (inLoop()) {
            timers.remove(entry);
        } else {
            submit(() -> timers.remove(entry));
        }
    }

    /**
     * Registers {@code channel} (made non-blocking) with {@code ops} and {@code handler}. Loop thread only.
     * On failure the channel is closed and the exception thrown.
     */
    Registration register(SelectableChannel channel, int ops, IoHandler handler) throws IOException {
        assertInLoop();
        try {
            if (closing) {
                throw new ClosedChannelException();
            }
            channel.configureBlocking(false);
            Registration r = new Registration(channel, handler);
            r.key = channel.register(selector, ops, r);
            registrations.add(r);
            return r;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Channels registered and not yet closed. Loop thread only. */
    int openChannels() {
        assertInLoop();
        return registrations.size();
    }

    /** Keys the selector still holds (cancelled keys go at the next select). Loop thread only. */
    int selectorKeys() throws IOException {
        assertInLoop();
        selector.selectNow();
        return selector.keys().size();
    }

    private void assertInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must run on the " + THREAD_NAME + " thread");
        }
    }

    private void run() {
        try {
            while (!closing) {
                runTasks();
                select();
                processSelectedKeys();
                runTimers();
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "health checker I/O loop stopped unexpectedly", t);
        } finally {
            shutdown();
        }
    }

    private void select() throws IOException {
        wakeupPending.set(false);
        if (!tasks.isEmpty()) {
            selector.selectNow();
            return;
        }
        TimerHeap.Entry next = timers.peek();
        if (next == null) {
            selector.select();
            return;
        }
        long delay = next.deadline - nanoTime();
        if (delay <= 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay + 999_999)));
        }
    }

    private void runTasks() {
        Runnable task;
        int budget = 4096;
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            runSafely(task);
        }
    }

    private void runTimers() {
        long now = nanoTime();
        int budget = timers.size();
        TimerHeap.Entry e;
        while (budget-- > 0 && (e = timers.peek()) != null && e.deadline - now <= 0) {
            timers.poll();
            if (!e.cancelled()) {
                runSafely(e.task);
            }
        }
    }

    private void processSelectedKeys() {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return;
        }
        Iterator<SelectionKey> it = selected.iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            Registration r = (Registration) key.attachment();
            if (!key.isValid() || r.closed) {
                continue;
            }
            int ready;
            try {
                ready = key.readyOps();
            } catch (RuntimeException cancelled) {
                continue;
            }
            try {
                r.handler.ready(ready);
            } catch (Throwable t) {
                if (!(t instanceof IOException)) {
                    LOG.log(Level.WARNING, "health check I/O callback failed", t);
                }
                abortSafely(r, t);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "health checker task failed", t);
        }
    }

    private void abortSafely(Registration r, Throwable cause) {
        r.close();
        try {
            r.handler.abort(cause);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "health check abort failed", t);
        }
    }

    private void shutdown() {
        closing = true;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runSafely(task);
        }
        IOException cause = new IOException("I/O loop closed");
        for (Registration r : new ArrayList<>(registrations)) {
            abortSafely(r, cause);
        }
        timers.clear();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the selector failed", e);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed", e);
        }
    }

    /**
     * A channel registered with the loop. Loop thread only. {@link #close} cancels the key and closes
     * the channel; it is idempotent.
     */
    final class Registration {
        private final SelectableChannel channel;
        private final IoHandler handler;
        private SelectionKey key;
        private boolean closed;

        private Registration(SelectableChannel channel, IoHandler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        /** Replaces the interest ops. */
        void interest(int ops) {
            if (!closed && key.isValid()) {
                key.interestOps(ops);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            registrations.remove(this);
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }
}
