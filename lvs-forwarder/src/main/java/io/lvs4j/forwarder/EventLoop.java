package io.lvs4j.forwarder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One NIO selector and the thread that runs it. Every channel registered here, and every object that
 * owns such a channel (relays, UDP listeners and sessions), is touched only by this thread; other
 * threads hand work over with {@link #execute}. Timers are a heap on the loop thread.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    /** Buffers kept for reuse per loop; beyond this, released buffers are left to the GC. */
    private static final int POOLED_BUFFERS = 64;

    /** What a selection key's attachment does when its channel is ready. */
    interface Handler {
        void ready(SelectionKey key);

        /** An unexpected exception escaped {@link #ready}: release everything. */
        void failed(RuntimeException e);
    }

    /** A timer; {@link #cancel} is cheap (the entry stays in the heap until its deadline). */
    static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private Runnable task;
        private boolean cancelled;

        private Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
            task = null; // a cancelled timer waits in the queue until its deadline: let the relay it captured go
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    private final int bufferSize;
    private final ByteBuffer datagramBuffer;
    private long timerSeq;
    private volatile boolean running = true;

    /** Relays owned by this loop (loop thread only). */
    final Set<TcpRelay> relays = new HashSet<>();
    /** UDP listeners owned by this loop (loop thread only). */
    final Set<UdpListener> udpListeners = new HashSet<>();

    EventLoop(String name, int bufferSize, int maxDatagramSize) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.bufferSize = bufferSize;
        this.datagramBuffer = ByteBuffer.allocateDirect(maxDatagramSize);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop thread and completes with its result (or exception). */
    <T> CompletableFuture<T> submit(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        });
        if (!running && !thread.isAlive()) {
            f.completeExceptionally(new IllegalStateException("event loop stopped"));
        }
        return f;
    }

    /** Runs {@code task} on the loop thread after {@code delayNanos}. Loop thread only. */
    Timer schedule(long delayNanos, Runnable task) {
        Timer t = new Timer(System.nanoTime() + delayNanos, timerSeq++, task);
        timers.add(t);
        return t;
    }

    /** Runs {@code task} every {@code periodNanos} until the loop stops. Loop thread only. */
    void scheduleRepeating(long periodNanos, Runnable task) {
        schedule(periodNanos, () -> {
            try {
                task.run();
            } finally {
                scheduleRepeating(periodNanos, task);
            }
        });
    }

    /** A relay buffer (direct, {@code bufferSize} bytes, cleared). Loop thread only. */
    ByteBuffer takeBuffer() {
        ByteBuffer b = buffers.poll();
        return b != null ? b : ByteBuffer.allocateDirect(bufferSize);
    }

    /** Returns a buffer taken with {@link #takeBuffer}. Loop thread only. */
    void releaseBuffer(ByteBuffer b) {
        if (buffers.size() < POOLED_BUFFERS) {
            b.clear();
            buffers.push(b);
        }
    }

    /** The loop's scratch buffer for one datagram; its content is valid until the handler returns. */
    ByteBuffer datagramBuffer() {
        return datagramBuffer.clear();
    }

    /**
     * Makes the selector drop cancelled keys now, so channels closed while registered are really
     * closed (the JDK defers their close until deregistration). Loop thread only.
     */
    void flushCancelledKeys() {
        try {
            selector.selectNow();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "selectNow failed", e);
        }
    }

    /** Stops the loop; {@link #join} waits for it. The selector is closed by the loop thread. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        try {
            while (running) {
                long timeoutMillis = nextTimeoutMillis();
                if (!tasks.isEmpty() || timeoutMillis == 0) {
                    selector.selectNow();
                } else if (timeoutMillis < 0) {
                    selector.select();
                } else {
                    selector.select(timeoutMillis);
                }
                wakeupPending.set(false);
                processSelectedKeys();
                runTimers();
                runTasks();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.ERROR, "event loop " + thread.getName() + " failed", e);
        } finally {
            runTasks();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the selector failed", e);
            }
        }
    }

    /** Milliseconds to the next timer: 0 when one is due, -1 when there is none. */
    private long nextTimeoutMillis() {
        Timer t = timers.peek();
        if (t == null) {
            return -1;
        }
        long nanos = t.deadline - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000);
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
            Handler h = (Handler) key.attachment();
            if (!key.isValid() || h == null) {
                continue;
            }
            try {
                h.ready(key);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected failure in " + h, e);
                try {
                    h.failed(e);
                } catch (RuntimeException e2) {
                    e.addSuppressed(e2);
                    LOG.log(Level.ERROR, "cleanup failed too", e2);
                }
            }
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timer t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            if (!t.cancelled) {
                runSafely(t.task);
            }
        }
    }

    private void runTasks() {
        Runnable r;
        // tasks added while running are picked up in the next round, after a selectNow
        int n = tasks.size();
        while (n-- > 0 && (r = tasks.poll()) != null) {
            runSafely(r);
        }
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "task failed on " + thread.getName(), e);
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
