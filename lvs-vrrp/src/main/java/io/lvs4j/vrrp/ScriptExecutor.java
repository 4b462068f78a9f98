package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs external commands for {@code vrrp_script} checks and notify scripts. {@link
 * ProcessScriptExecutor} is the real implementation; tests use a fake. Implementations must be
 * thread-safe and must not block the caller: the returned stage completes when the command ends.
 */
public interface ScriptExecutor {

    /**
     * Starts {@code argv} (no shell).
     *
     * @param timeout after this long the command is terminated (SIGTERM, then SIGKILL after a
     *                grace period) and the result is {@link ScriptResult#timedOut()};
     *                {@link Duration#ZERO} means no timeout
     * @return a stage completed with the result; completed exceptionally only if the command
     *         could not be started at all
     */
    CompletionStage<ScriptResult> run(List<String> argv, Duration timeout);
}
