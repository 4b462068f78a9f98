package io.lvs4j.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real scripts and a real timer for the MISC_CHECK and notify-script tests. */
final class ScriptTestSupport {
    static final String TIMER_THREAD = "script-test-timer";

    private ScriptTestSupport() {
    }

    /** A {@link CheckTimer} on one real scheduler thread named {@value #TIMER_THREAD}. */
    static final class RealTimer implements CheckTimer, AutoCloseable {
        private final ScheduledExecutorService exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, TIMER_THREAD);
            t.setDaemon(true);
            return t;
        });

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            ScheduledFuture<?> f = exec.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void execute(Runnable task) {
            exec.execute(task);
        }

        @Override
        public void close() {
            exec.shutdownNow();
        }
    }

    /** Writes an executable {@code #!/bin/sh} script. */
    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** True while {@code pid} exists and is not a zombie (orphans here may stay zombies: pid 1 may not reap). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True once {@code pid} has died (or is a zombie) within {@code limit}. A signal's delivery and the
     * target's death are asynchronous, so "killed" is asserted as "gone within a bound", polling /proc.
     */
    static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (running(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits (inotify, bounded) until {@code file} exists; the writer should create it by rename. */
    static void awaitFile(Path file, Duration limit) throws IOException, InterruptedException {
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + limit.toNanos();
            while (!Files.exists(file)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(file + " did not appear within " + limit);
                }
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    static long readPid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }
}
