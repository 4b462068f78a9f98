package io.lvs4j.vrrp.interop;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose stdout and stderr go to a file that is followed line by line as it grows,
 * each line stamped with {@link System#nanoTime()} (within 5 ms) and kept in memory. Tests wait for lines
 * with a bound ({@link #await}); the index returned by {@link #mark()} lets them wait only for lines
 * that come after an action.
 *
 * <p>Thread-safe. {@link #close()} SIGKILLs the process and its descendants if they still run.
 */
final class LoggedProcess implements AutoCloseable {

    /** One line of output and when it was read. */
    record Line(int index, long nanos, String text) {}

    private final String name;
    private final Process process;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private LoggedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(() -> tail(logFile), "log-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the command (stdin from /dev/null) with stdout and stderr going to the file, which a
     * thread then follows. A file rather than a pipe: the JDK closes a child's stdout pipe as soon as
     * the child exits, and a reader blocked on it then loses the last lines (exactly the lines a
     * process prints while it shuts down).
     */
    static LoggedProcess start(String name, Path logFile, List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            return new LoggedProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Follows the log file every 5 ms until the process has exited and the file is read to its end. */
    private void tail(Path logFile) {
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = Files.newInputStream(logFile)) {
            while (true) {
                boolean exited = !process.isAlive();
                int n = in.read(buffer);
                if (n > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            add(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        } else {
                            partial.write(buffer[i]);
                        }
                    }
                    continue;
                }
                if (exited) {
                    break;
                }
                Thread.sleep(5);
            }
            if (partial.size() > 0) {
                add(partial.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException | InterruptedException e) {
            add("[harness: stopped reading " + logFile + ": " + e + "]");
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    private void add(String text) {
        long now = System.nanoTime();
        synchronized (lines) {
            lines.add(new Line(lines.size(), now, text));
            lines.notifyAll();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The number of lines read so far: pass it to {@link #await(int, String, Duration)}. */
    int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Lines from index {@code from} on that contain the text. */
    List<Line> linesContaining(int from, String text) {
        synchronized (lines) {
            return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                    .filter(l -> l.text().contains(text))
                    .toList();
        }
    }

    boolean contains(String text) {
        return !linesContaining(0, text).isEmpty();
    }

    /** Waits for a line containing the text, from the beginning of the output. */
    Line await(String text, Duration timeout) {
        return await(0, text, timeout);
    }

    /** Waits for a line at index {@code from} or later containing the text; fails with the transcript. */
    Line await(int from, String text, Duration timeout) {
        return awaitMatching(from, l -> l.contains(text), "\"" + text + "\"", timeout)
                .orElseThrow(() -> new AssertionError(name + ": no line containing \"" + text
                        + "\" within " + timeout + "\n" + transcript()));
    }

    /** Waits for a line at index {@code from} or later that matches; empty if the time runs out. */
    Optional<Line> awaitMatching(int from, Predicate<String> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int next = from;
            while (true) {
                for (; next < lines.size(); next++) {
                    if (match.test(lines.get(next).text())) {
                        return Optional.of(lines.get(next));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for " + what, e);
                }
            }
        }
    }

    /** Everything read so far, prefixed with the process name, for failure messages. */
    String transcript() {
        StringBuilder sb = new StringBuilder("---- ").append(name).append(" (pid ").append(pid())
                .append(isAlive() ? ", running" : ", exited " + process.exitValue()).append(") ----\n");
        for (Line line : lines()) {
            sb.append(line.text()).append('\n');
        }
        return sb.toString();
    }

    /** SIGKILLs the descendants first (so none outlives or is signalled by its parent), then the process. */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERMs the process and waits for it to exit; SIGKILLs it if it does not in time. */
    boolean terminate(Duration timeout) {
        process.destroy();
        if (awaitExit(timeout)) {
            return true;
        }
        kill();
        return false;
    }

    /** Sends SIGTERM without waiting. */
    void sendTerm() {
        process.destroy();
    }

    boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                reader.join(2_000);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Optional<Integer> exitValue() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
    }
}
