package io.lvs4j.health;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs notify scripts ({@code notify_up}, {@code notify_down}, {@code quorum_up}, {@code quorum_down}) fire and
 * forget, with only their configured arguments, as keepalived does.
 *
 * <p>The script runs in its own process group with stdin from {@code /dev/null} and output discarded. keepalived
 * never times notify scripts out; lvs4j bounds them: after the timeout (default {@link #DEFAULT_TIMEOUT}) the
 * group gets SIGTERM, then SIGKILL 2 s later if the script is still alive (the policy of {@link ScriptProcess},
 * shared with MISC_CHECK). A script that cannot be parsed, is missing or not executable, cannot be started,
 * exits non-zero or times out is logged at WARNING, naming the script; nothing is thrown.
 *
 * <p>{@code run} never blocks on the script (it forks it, like keepalived) and may be called from any thread;
 * the returned stage completes on the {@link CheckTimer} thread and may be ignored. Thread-safe; it owns no
 * thread.
 */
public final class ScriptRunner {
    /** How long a notify script may run before it is terminated (lvs4j's bound; keepalived has none). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger(ScriptRunner.class.getName());

    private final CheckTimer timer;
    private final Duration timeout;

    /** A runner with {@link #DEFAULT_TIMEOUT}. */
    public ScriptRunner(CheckTimer timer) {
        this(timer, DEFAULT_TIMEOUT);
    }

    public ScriptRunner(CheckTimer timer, Duration timeout) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("script timeout " + timeout + " is out of range; accepted: more than 0");
        }
    }

    /**
     * Runs {@code script}, split by {@link CommandLines#split}: the keyword's argument as keepalived's config
     * lexer yields it, e.g. {@code /usr/bin/notify.sh up 'two words'} for
     * {@code notify_up "/usr/bin/notify.sh up 'two words'"}.
     *
     * @return how it ended: success for exit 0; otherwise failure with the reason ({@code exitStatus} as in
     *         {@link ProbeResult}, -1 when it did not run or timed out)
     */
    public CompletionStage<ProbeResult> run(String script) {
        List<String> argv;
        try {
            argv = CommandLines.split(script);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Unable to parse script '" + script + "' - ignoring: " + e.getMessage());
            return finished(ProbeResult.fail("unparsable script"));
        }
        if (argv.isEmpty()) {
            LOG.log(Level.WARNING, "Unable to parse script '" + script + "' - ignoring: no command");
            return finished(ProbeResult.fail("unparsable script"));
        }
        return run(argv);
    }

    /** Runs the script {@code argv} (argv[0] is the script); see {@link #run(String)}. */
    public CompletionStage<ProbeResult> run(List<String> argv) {
        List<String> args = List.copyOf(argv);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("empty argv; accepted: the script path, then its arguments");
        }
        String name = String.join(" ", args);
        Path executable = ScriptProcess.resolve(args.get(0));
        if (executable == null) {
            LOG.log(Level.WARNING, "Script '" + name + "' not run: script not found or not executable: " + args.get(0));
            return finished(ProbeResult.fail("script not found or not executable: " + args.get(0)));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        ScriptProcess process = new ScriptProcess(executable, args, timeout, timer, outcome -> {
            ProbeResult r = switch (outcome.end()) {
                case EXITED -> new ProbeResult(outcome.exitStatus() == 0, "exited with status " + outcome.exitStatus(),
                        outcome.exitStatus());
                case TIMED_OUT -> ProbeResult.fail("timed out");
                case KILLED -> ProbeResult.fail("killed");
            };
            if (r.success()) {
                LOG.log(Level.DEBUG, "Script '" + name + "' " + r.reason());
            } else if (outcome.end() == ScriptProcess.End.TIMED_OUT) {
                LOG.log(Level.WARNING, "Script '" + name + "' timed out after " + timeout.toMillis()
                        + " ms; terminated (SIGTERM, then SIGKILL " + ScriptProcess.KILL_GRACE_SECONDS + " s later)");
            } else {
                LOG.log(Level.WARNING, "Script '" + name + "' failed: " + r.reason());
            }
            result.complete(r);
        });
        try {
            process.start();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Error exec-ing command '" + name + "': " + e.getMessage());
            return finished(ProbeResult.fail("cannot run script: " + e.getMessage()));
        }
        return result.minimalCompletionStage();
    }

    private CompletionStage<ProbeResult> finished(ProbeResult r) {
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        timer.execute(() -> f.complete(r));
        return f.minimalCompletionStage();
    }
}
