package io.lvs4j.vrrp;

import java.util.Objects;

/**
 * How a script run ended. Immutable.
 *
 * @param outcome whether it exited, was killed by a signal, or was timed out by us
 * @param code    the exit status (EXITED) or the signal number (SIGNALED); 0 for TIMED_OUT
 */
public record ScriptResult(Outcome outcome, int code) {

    /** The ways a run can end. */
    public enum Outcome {
        EXITED,
        SIGNALED,
        TIMED_OUT
    }

    public ScriptResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static ScriptResult exited(int status) {
        return new ScriptResult(Outcome.EXITED, status);
    }

    public static ScriptResult signaled(int signal) {
        return new ScriptResult(Outcome.SIGNALED, signal);
    }

    public static ScriptResult timedOut() {
        return new ScriptResult(Outcome.TIMED_OUT, 0);
    }

    /** Exit status 0: the only success. */
    public boolean success() {
        return outcome == Outcome.EXITED && code == 0;
    }
}
