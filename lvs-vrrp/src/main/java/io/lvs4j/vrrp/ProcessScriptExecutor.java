package io.lvs4j.vrrp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs scripts as child processes, the way keepalived does: no shell, stdin from /dev/null,
 * output discarded, each script in its own process group (via {@code setsid} when installed) so
 * that a timeout can kill everything it started. On timeout the group gets SIGTERM, then SIGKILL
 * after the grace period (keepalived: 2 s), and the result is {@link ScriptResult#timedOut()}.
 *
 * <p>A command that cannot be started (missing or not executable) yields exit status 127, as a
 * shell would, with a warning. The JVM reports a child killed by signal N as exit status 128+N,
 * so such runs appear as {@code EXITED} with that status. Thread-safe; one waiting thread per
 * running script.
 */
public final class ProcessScriptExecutor implements ScriptExecutor, AutoCloseable {

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final List<Path> KILL = List.of(Path.of("/usr/bin/kill"), Path.of("/bin/kill"));
    private static final File DEV_NULL = new File("/dev/null");

    private final Duration killGrace;
    private final Path setsid;
    private final Path kill;
    private final ExecutorService waiters;

    /** keepalived's behaviour: SIGKILL 2 s after SIGTERM. */
    public ProcessScriptExecutor() {
        this(Duration.ofSeconds(2));
    }

    /** @param killGrace time between SIGTERM and SIGKILL on timeout */
    public ProcessScriptExecutor(Duration killGrace) {
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("killGrace " + killGrace + " is negative; accepted >= 0");
        }
        this.killGrace = killGrace;
        this.setsid = firstExecutable(SETSID);
        this.kill = firstExecutable(KILL);
        AtomicInteger n = new AtomicInteger();
        this.waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vrrp-script-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static Path firstExecutable(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether scripts run in their own process group (setsid found). */
    public boolean usesProcessGroups() {
        return setsid != null && kill != null;
    }

    @Override
    public CompletionStage<ScriptResult> run(List<String> argv, Duration timeout) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty; a program is required");
        }
        List<String> command = new ArrayList<>();
        if (usesProcessGroups()) {
            command.add(setsid.toString());
        }
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "Failed to exec script " + String.join(" ", argv)
                    + ": " + e.getMessage());
            return CompletableFuture.completedFuture(ScriptResult.exited(127));
        }
        CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        waiters.execute(() -> await(process, timeout, result));
        return result;
    }

    private void await(Process process, Duration timeout, CompletableFuture<ScriptResult> result) {
        try {
            boolean exited;
            if (timeout.isZero() || timeout.isNegative()) {
                process.waitFor();
                exited = true;
            } else {
                exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (exited) {
                result.complete(ScriptResult.exited(process.exitValue()));
                return;
            }
            signal(process, false);
            if (process.waitFor(killGrace.toNanos(), TimeUnit.NANOSECONDS)) {
                // the script is gone; make sure anything it started goes too (keepalived does the same)
                signalGroup(process, true);
            } else {
                signal(process, true);
                process.waitFor();
            }
            result.complete(ScriptResult.timedOut());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            result.completeExceptionally(e);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void signal(Process process, boolean forcibly) {
        List<ProcessHandle> descendants = process.descendants().toList();
        signalGroup(process, forcibly);
        for (ProcessHandle h : descendants) {
            if (forcibly) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    private void signalGroup(Process process, boolean forcibly) {
        if (!usesProcessGroups()) {
            return;
        }
        try {
            Process k = new ProcessBuilder(kill.toString(), "-s", forcibly ? "KILL" : "TERM", "--", "-" + process.pid())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!k.waitFor(1, TimeUnit.SECONDS)) {
                k.destroyForcibly();
            }
        } catch (IOException e) {
            VrrpLog.LOGGER.log(System.Logger.Level.DEBUG, "kill of process group " + process.pid() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops waiting; running scripts are killed. */
    @Override
    public void close() {
        waiters.shutdownNow();
    }
}
