package io.lvs4j.health;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * MISC_CHECK's probe (spec keepalived.md §1.7): each attempt runs {@code misc_path} and reports how it ended.
 *
 * <ul>
 *   <li>Exit 0: success, {@code exitStatus} 0.</li>
 *   <li>Exit 2..255 with {@code misc_dynamic}: success carrying the status (the engine sets weight status − 2).</li>
 *   <li>Any other exit: failure {@code "exited with status X"} carrying X. A script killed by a signal it was
 *       not sent by us exits, as Java reports it, with 128 + the signal number.</li>
 *   <li>Still running after the resolved {@code misc_timeout}: SIGTERM to its process group, SIGKILL 2 s later
 *       if still alive (every 10 s after that until it dies), SIGKILL to the group once it exits; reported as
 *       failure {@code "timed out"}, {@code exitStatus} -1, after the script has exited, whatever status it
 *       exits with once SIGTERM was sent. Details in {@link ScriptProcess}.</li>
 *   <li>Missing, not a regular file or not executable: failure
 *       {@code "script not found or not executable: <path>"}, -1, without running anything; the engine decides
 *       whether to disable the checker as keepalived does. A bare name is looked up on {@code $PATH} with a
 *       warning, as keepalived does.</li>
 * </ul>
 *
 * <p>Never throws from {@link #attempt}; {@code done} is called exactly once per attempt, always on the
 * {@link CheckTimer} thread. Attempts may overlap (each runs its own process). {@link #close()} SIGKILLs the
 * groups of running scripts at once; their attempts report failure {@code "checker closed"}, as does any attempt
 * started after close. Thread-safe; it owns no thread.
 */
final class MiscProbe implements Probe {
    private static final System.Logger LOG = System.getLogger(MiscProbe.class.getName());

    private final CheckerSpec.Misc spec;
    private final Duration timeout;
    private final CheckTimer timer;
    private final Set<ScriptProcess> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pathWarned = new AtomicBoolean();
    private volatile boolean closed;

    MiscProbe(CheckerSpec.Misc spec, Duration timeout, CheckTimer timer) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("misc_timeout " + timeout + " is out of range; accepted: more than 0");
        }
    }

    @Override
    public void attempt(int index, Consumer<ProbeResult> done) {
        List<String> argv = spec.command();
        String script = argv.get(0);
        if (closed) {
            report(done, ProbeResult.fail("checker closed"));
            return;
        }
        Path executable = ScriptProcess.resolve(script);
        if (executable == null) {
            report(done, ProbeResult.fail("script not found or not executable: " + script));
            return;
        }
        if (script.indexOf('/') < 0 && pathWarned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WARNING - script `" + script + "` resolved by path search to `" + executable
                    + "`. Please specify full path.");
        }
        Run run = new Run(done);
        run.process = new ScriptProcess(executable, argv, timeout, timer, run);
        running.add(run.process);
        try {
            run.process.start();
        } catch (IOException | RuntimeException e) {
            running.remove(run.process);
            report(done, ProbeResult.fail("cannot run script " + script + ": " + e.getMessage()));
            return;
        }
        if (closed) {
            run.process.kill();
        }
    }

    @Override
    public void close() {
        closed = true;
        running.forEach(ScriptProcess::kill);
    }

    private ProbeResult toResult(ScriptProcess.Outcome outcome) {
        return switch (outcome.end()) {
            case TIMED_OUT -> ProbeResult.fail("timed out");
            case KILLED -> ProbeResult.fail("checker closed");
            case EXITED -> {
                int status = outcome.exitStatus();
                boolean ok = status == 0 || (spec.dynamic() && status >= 2 && status <= 255);
                yield new ProbeResult(ok, "exited with status " + status, status);
            }
        };
    }

    /** One attempt: forgets its process and reports when it ends. */
    private final class Run implements Consumer<ScriptProcess.Outcome> {
        private final Consumer<ProbeResult> done;
        private ScriptProcess process;

        Run(Consumer<ProbeResult> done) {
            this.done = done;
        }

        @Override
        public void accept(ScriptProcess.Outcome outcome) {
            running.remove(process);
            done.accept(toResult(outcome));
        }
    }

    private void report(Consumer<ProbeResult> done, ProbeResult result) {
        timer.execute(() -> done.accept(result));
    }
}
