package io.lvs4j.health;

/**
 * One checker of one real server at run time: keepalived's {@code checker_t} ({@code is_up},
 * {@code has_run}, {@code retry_it}) plus the plumbing that runs attempts on the {@link CheckTimer}.
 * Subclasses implement the type's epilog: what a result does to the counters, which log line it
 * writes, and when the next attempt runs. Everything here runs under the engine lock.
 */
abstract class CheckerState {
    final HealthEngine engine;
    final RealServerState rs;
    final CheckerSpec spec;
    final int index;
    final Probe probe;
    final long delayLoop;
    final long delayBeforeRetry;
    final long warmup;
    final int retry;
    final boolean alpha;
    final boolean logAllFailures;

    boolean up;
    boolean hasRun;
    int retryIt;

    private CheckTimer.Cancellable pending;
    private long attemptSeq;
    private long completedSeq;

    CheckerState(HealthEngine engine, RealServerState rs, CheckerSpec spec, int index, CheckSettings resolved,
                 Probe probe) {
        this.engine = engine;
        this.rs = rs;
        this.spec = spec;
        this.index = index;
        this.probe = probe;
        this.delayLoop = resolved.delayLoop().toNanos();
        this.delayBeforeRetry = resolved.delayBeforeRetry().toNanos();
        this.warmup = resolved.warmup().toNanos();
        this.retry = resolved.retry();
        this.alpha = Boolean.TRUE.equals(resolved.alpha());
        this.logAllFailures = Boolean.TRUE.equals(resolved.logAllFailures());
        // Startup: alpha checkers start failed; "one failure is enough initially" (retry_it = retry).
        this.up = !alpha;
        this.retryIt = retry;
    }

    /** FMT_CHK: the real server as keepalived prints it in checker lines. */
    final String target() {
        return rs.label;
    }

    final void schedule(long delayNanos) {
        pending = engine.timer.schedule(Math.max(0, delayNanos), this::fire);
    }

    final void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        attemptSeq++;
    }

    private void fire() {
        synchronized (engine.lock) {
            if (engine.closed) {
                return;
            }
            pending = null;
            long seq = ++attemptSeq;
            int target = nextTarget();
            attemptStarted(engine.timer.nanoTime());
            try {
                probe.attempt(target, result -> engine.timer.execute(() -> complete(seq, target, result)));
            } catch (RuntimeException e) {
                engine.timer.execute(() -> complete(seq, target, ProbeResult.fail(String.valueOf(e))));
            }
        }
    }

    private void complete(long seq, int target, ProbeResult result) {
        synchronized (engine.lock) {
            if (engine.closed || seq != attemptSeq || seq == completedSeq) {
                return;
            }
            completedSeq = seq;
            ProbeResult r = result != null ? result : ProbeResult.fail("no result");
            try {
                engine.checkerResult(this, target, r);
                schedule(handle(target, r));
            } finally {
                engine.flushEffects();
            }
        }
    }

    /** The target index of the next attempt (URL index for HTTP, 0 otherwise). */
    int nextTarget() {
        return 0;
    }

    /** Called when an attempt starts, with the timer's time. */
    void attemptStarted(long nanoTime) {
    }

    /** Applies one attempt's result (keepalived's epilog) and returns the delay to the next attempt. */
    abstract long handle(int target, ProbeResult result);
}
