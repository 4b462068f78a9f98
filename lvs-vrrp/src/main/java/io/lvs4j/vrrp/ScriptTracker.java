package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Runs one {@code vrrp_script} every interval and keeps keepalived's rise/fall counter: {@code
 * result} ranges over 0..rise+fall-1 and the script is OK iff {@code result >= rise}. Confined to
 * the scheduler thread.
 */
final class ScriptTracker {

    /** What tracking instances see. */
    enum Status {
        /** No result yet (and not {@code init_fail}). */
        UNKNOWN,
        OK,
        KO
    }

    private enum InitState {
        INIT,
        FAILED,
        DONE
    }

    private final VrrpScriptConfig config;
    private final VrrpScheduler scheduler;
    private final ScriptExecutor executor;
    private final VrrpLog log;
    private final Runnable onStatusChange;

    private int result;
    private InitState initState;
    private int lastStatus;
    private boolean running;
    private long runStartedNanos;
    private VrrpScheduler.Cancellable nextRun;
    private boolean stopped;

    ScriptTracker(VrrpScriptConfig config, VrrpScheduler scheduler, ScriptExecutor executor, VrrpLog log,
            Runnable onStatusChange) {
        this.config = config;
        this.scheduler = scheduler;
        this.executor = executor;
        this.log = log;
        this.onStatusChange = onStatusChange;
        if (config.initFail()) {
            initState = InitState.FAILED;
            result = 0;
        } else {
            initState = InitState.INIT;
            result = config.rise() - 1;
        }
    }

    VrrpScriptConfig config() {
        return config;
    }

    Status status() {
        if (initState == InitState.INIT) {
            return Status.UNKNOWN;
        }
        return result >= config.rise() ? Status.OK : Status.KO;
    }

    /** The first run is as soon as possible, then one every interval. */
    void start() {
        nextRun = scheduler.schedule(Duration.ZERO, this::run);
    }

    void stop() {
        stopped = true;
        if (nextRun != null) {
            nextRun.cancel();
        }
    }

    private void run() {
        if (stopped) {
            return;
        }
        nextRun = scheduler.schedule(config.interval(), this::run);
        if (running) {
            boolean timingOut = scheduler.nanoTime() - runStartedNanos >= config.timeout().toNanos();
            log.info("Track script " + config.name() + " is " + (timingOut ? "being timed out" : "already running")
                    + ", expect idle - skipping run");
            return;
        }
        CompletionStage<ScriptResult> stage;
        try {
            stage = executor.run(config.command().argv(), config.timeout());
        } catch (RuntimeException e) {
            log.warn("VRRP_Script(" + config.name() + ") could not be started: " + e.getMessage());
            return;
        }
        running = true;
        runStartedNanos = scheduler.nanoTime();
        stage.whenComplete((r, e) -> scheduler.execute(() -> finished(r, e)));
    }

    private void finished(ScriptResult r, Throwable error) {
        running = false;
        if (stopped) {
            return;
        }
        if (error != null || r == null) {
            log.warn("VRRP_Script(" + config.name() + ") could not be run: "
                    + (error != null ? error.getMessage() : "no result"));
            return;
        }
        onResult(r);
    }

    /** Applies one result to the rise/fall counter (keepalived's {@code vrrp_script_child_thread}). */
    void onResult(ScriptResult r) {
        Status before = status();
        String name = config.name();
        int rise = config.rise();
        int top = rise + config.fall() - 1;
        if (r.outcome() == ScriptResult.Outcome.EXITED) {
            if (r.code() != lastStatus) {
                log.info("Script `" + name + "` now returning " + r.code());
            }
            lastStatus = r.code();
        }
        if (r.success()) {
            if (result < rise - 1) {
                result++;
            } else if (result != top) {
                if (result < rise) {
                    log.info("VRRP_Script(" + name + ") succeeded");
                }
                result = top;
            }
        } else {
            if (result > rise) {
                result--;
            } else {
                if (result == rise || initState == InitState.INIT) {
                    log.info("VRRP_Script(" + name + ") " + describeFailure(r));
                }
                result = 0;
            }
        }
        initState = InitState.DONE;
        if (status() != before) {
            onStatusChange.run();
        }
    }

    private static String describeFailure(ScriptResult r) {
        return switch (r.outcome()) {
            case EXITED -> "failed (exited with status " + r.code() + ")";
            case SIGNALED -> "failed (due to signal " + r.code() + ")";
            case TIMED_OUT -> "timed_out";
        };
    }
}
