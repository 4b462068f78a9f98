package io.lvs4j.health;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One run of an external script with keepalived's kill policy (spec keepalived.md §1.7, {@code check_misc.c}).
 *
 * <p><b>Process group.</b> The script is started through util-linux {@code setsid(1)}, which (the JVM's child
 * never being a group leader) calls {@code setsid()} and execs the script in place: the script's pid is its
 * session and process-group id, and its children share that group. Group signals are sent with
 * {@code kill -s SIG -- -PGID} ({@code kill(1)}, else the {@code /bin/sh} builtin), a single {@code kill(2)} on
 * the whole group as keepalived does. Without {@code setsid} the script stays in the JVM's group and each signal
 * goes to the script and its live descendants ({@link ProcessHandle#descendants()}) one by one; children already
 * orphaned are then out of reach. stdin is {@code /dev/null}; stdout and stderr are discarded.
 *
 * <p><b>Kill policy and timings.</b> {@code timeout} after the start the group gets SIGTERM. If the script has not
 * exited {@value #KILL_GRACE_SECONDS} s later, the group gets SIGKILL, repeated every
 * {@value #KILL_REPEAT_SECONDS} s (with a warning) until the script exits. When a script that was signalled
 * exits, its group gets SIGKILL (unless already sent) so children that ignored or outlived SIGTERM die too, and
 * the outcome is reported once that kill has been sent. {@link #kill()} sends SIGKILL at once. Every SIGKILL also
 * goes straight to the script's pid, in case {@code setsid} has not yet made it a group leader. A script that exits
 * by itself is reported at once and its background children are left alone, as keepalived does. Once SIGTERM has
 * been sent the run counts as timed out however the script then ends (keepalived would use the status of a script
 * that catches SIGTERM and exits). Java reports a death by signal N as status 128 + N, indistinguishable from
 * {@code exit(128 + N)}; keepalived tells the two apart.
 *
 * <p><b>Threads.</b> No thread of its own: the exit is observed through {@link Process#onExit()} (the JDK's
 * shared process reaper) and every state change, timer and the outcome callback run on the {@link CheckTimer}
 * thread. {@link #start()} and {@link #kill()} may be called from any thread.
 */
final class ScriptProcess {
    static final long KILL_GRACE_SECONDS = 2;
    static final long KILL_REPEAT_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger(ScriptProcess.class.getName());
    private static final String SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    private static final String KILL = firstExecutable("/bin/kill", "/usr/bin/kill");
    private static final File DEV_NULL = new File("/dev/null");

    /** How a run ended. */
    enum End {
        /** The script exited by itself; {@link Outcome#exitStatus()} is its status. */
        EXITED,
        /** The timeout expired and the script was terminated. */
        TIMED_OUT,
        /** {@link #kill()} ended it. */
        KILLED
    }

    /** The end of a run: {@code exitStatus} is 0..255 for {@link End#EXITED}, else -1. */
    record Outcome(End end, int exitStatus) {
    }

    private enum Phase { NEW, RUNNING, TERM_SENT, KILL_SENT, ENDED }

    private final List<String> command;
    private final long timeoutNanos;
    private final CheckTimer timer;
    private final Consumer<Outcome> onEnd;

    private volatile Process process;
    private volatile boolean killed;
    private volatile CompletableFuture<?> killSent;
    private Phase phase = Phase.NEW;
    private CheckTimer.Cancellable pending;

    /**
     * @param executable the resolved script path (see {@link #resolve})
     * @param argv       argv; {@code argv[0]} is replaced by {@code executable} when executing
     * @param onEnd      called exactly once, on the timer thread, unless {@link #start()} throws
     */
    ScriptProcess(Path executable, List<String> argv, Duration timeout, CheckTimer timer, Consumer<Outcome> onEnd) {
        List<String> cmd = new ArrayList<>(argv.size() + 1);
        if (SETSID != null) {
            cmd.add(SETSID);
        }
        cmd.add(executable.toString());
        cmd.addAll(argv.subList(1, argv.size()));
        this.command = List.copyOf(cmd);
        this.timeoutNanos = timeout.toNanos();
        this.timer = timer;
        this.onEnd = onEnd;
    }

    /**
     * The file {@code command} (argv[0]) names if it is a regular file this process may execute: the path
     * itself when it contains a '/', else the first match on {@code $PATH} (default {@code /bin:/usr/bin}), as
     * keepalived resolves it. Null when there is none.
     */
    static Path resolve(String command) {
        if (command.isEmpty() || command.indexOf('\0') >= 0) {
            return null;
        }
        if (command.indexOf('/') >= 0) {
            return runnable(Path.of(command)) ? Path.of(command) : null;
        }
        String path = System.getenv("PATH");
        for (String dir : (path != null ? path : "/bin:/usr/bin").split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(command);
            if (runnable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Starts the script and arms the timeout. */
    void start() throws IOException {
        process = new ProcessBuilder(command)
                .redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (killed) {
            killSent = signal("KILL");
        }
        timer.execute(this::arm);
    }

    /** Sends SIGKILL to the script's group now (any thread; idempotent); the outcome will be {@link End#KILLED}. */
    void kill() {
        killed = true;
        if (process != null) {
            killSent = signal("KILL");
        }
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    private void arm() {
        if (phase != Phase.NEW) {
            return;
        }
        phase = Phase.RUNNING;
        pending = timer.schedule(timeoutNanos, this::onTimeout);
        process.onExit().whenComplete((p, error) -> timer.execute(this::onExit));
    }

    private void onTimeout() {
        if (phase != Phase.RUNNING) {
            return;
        }
        phase = Phase.TERM_SENT;
        signal("TERM");
        pending = timer.schedule(Duration.ofSeconds(KILL_GRACE_SECONDS).toNanos(), this::onGraceOver);
    }

    private void onGraceOver() {
        if (phase == Phase.KILL_SENT) {
            LOG.log(Level.WARNING, "Child (PID {0}) failed to terminate after kill", String.valueOf(pid()));
        } else if (phase != Phase.TERM_SENT) {
            return;
        }
        phase = Phase.KILL_SENT;
        killSent = signal("KILL");
        pending = timer.schedule(Duration.ofSeconds(KILL_REPEAT_SECONDS).toNanos(), this::onGraceOver);
    }

    private void onExit() {
        if (phase == Phase.ENDED) {
            return;
        }
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        Phase was = phase;
        phase = Phase.ENDED;
        if (was == Phase.RUNNING && !killed) {
            onEnd.accept(new Outcome(End.EXITED, process.exitValue()));
            return;
        }
        Outcome outcome = new Outcome(killed ? End.KILLED : End.TIMED_OUT, -1);
        CompletableFuture<?> sent = killSent;
        if (sent == null) {
            sent = signal("KILL");
        }
        sent.whenComplete((r, e) -> timer.execute(() -> onEnd.accept(outcome)));
    }

    /** Signals the group; completes when the signal has been sent. */
    private CompletableFuture<?> signal(String sig) {
        Process p = process;
        boolean force = sig.equals("KILL");
        if (SETSID != null) {
            List<String> kill = KILL != null
                    ? List.of(KILL, "-s", sig, "--", "-" + p.pid())
                    : List.of("/bin/sh", "-c", "kill -s \"$1\" -- \"-$2\"", "sh", sig, String.valueOf(p.pid()));
            try {
                Process helper = new ProcessBuilder(kill)
                        .redirectInput(DEV_NULL)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (force) {
                    p.destroyForcibly();
                }
                return helper.onExit();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot run " + kill.get(0) + " to signal process group " + p.pid()
                        + " (" + e.getMessage() + "); signalling the script and its descendants");
            }
        }
        p.descendants().forEach(h -> {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
        if (force) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        return CompletableFuture.completedFuture(null);
    }

    private static boolean runnable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    private static String firstExecutable(String... candidates) {
        for (String c : candidates) {
            if (runnable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }
}
