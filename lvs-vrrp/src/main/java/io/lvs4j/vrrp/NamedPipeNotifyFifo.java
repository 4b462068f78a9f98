package io.lvs4j.vrrp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes notify lines to a named pipe ({@code notify_fifo}) without ever blocking the caller. The
 * pipe is opened read-write, which on Linux never waits for a reader (keepalived does the same), and
 * a background thread writes queued lines in order. If nobody reads and the pipe and the queue
 * fill up, new lines are dropped and counted rather than blocking the VRRP engine. Thread-safe.
 */
public final class NamedPipeNotifyFifo implements NotifyFifo, AutoCloseable {

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Path path;
    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private NamedPipeNotifyFifo(Path path, int capacity) {
        this.path = path;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::writeLoop, "vrrp-notify-fifo");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens {@code path}, creating the FIFO with {@code mkfifo -m 0600} if it does not exist.
     *
     * @throws IOException if the path exists and is not a FIFO, or cannot be created
     */
    public static NamedPipeNotifyFifo open(Path path) throws IOException {
        return open(path, 4096);
    }

    /** As {@link #open(Path)}, queueing at most {@code capacity} unwritten lines. */
    public static NamedPipeNotifyFifo open(Path path, int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " is invalid; accepted >= 1");
        }
        ensureFifo(path);
        return new NamedPipeNotifyFifo(path, capacity);
    }

    private static void ensureFifo(Path path) throws IOException {
        if (!Files.exists(path)) {
            Process p = new ProcessBuilder("mkfifo", "-m", "0600", path.toString())
                    .redirectErrorStream(true).start();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException("notify_fifo " + path + ": mkfifo failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("notify_fifo " + path + ": interrupted while creating it", e);
            }
        }
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m && (m & S_IFMT) != S_IFIFO) {
                throw new IOException("notify_fifo " + path + " exists and is not a FIFO");
            }
        } catch (UnsupportedOperationException e) {
            // no unix attribute view: trust the caller
        }
    }

    @Override
    public void write(String line) {
        if (closed) {
            return;
        }
        if (!queue.offer(line + "\n")) {
            if (dropped.getAndIncrement() == 0) {
                VrrpLog.LOGGER.log(System.Logger.Level.WARNING,
                        "notify_fifo " + path + " is not being read; dropping notifications");
            }
        }
    }

    /** Lines dropped because nobody was reading. */
    public long droppedLines() {
        return dropped.get();
    }

    private void writeLoop() {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (!closed) {
                String line = queue.take();
                ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!closed) {
                VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "notify_fifo " + path + " write failed", e);
            }
        }
    }

    /** Stops the writer; lines still queued are discarded. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
