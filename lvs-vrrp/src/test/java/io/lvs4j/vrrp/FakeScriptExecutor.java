package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link ScriptExecutor} for tests: records every argv, and answers by program name either with
 * a fixed result, the next of a queue of results, or a future the test completes by hand.
 */
final class FakeScriptExecutor implements ScriptExecutor {
    final List<List<String>> calls = new ArrayList<>();
    private final Map<String, ScriptResult> fixed = new HashMap<>();
    private final Map<String, Deque<ScriptResult>> queued = new HashMap<>();
    private final Set<String> manual = new HashSet<>();
    final Deque<CompletableFuture<ScriptResult>> pending = new ArrayDeque<>();

    /** Every run of {@code program} returns {@code result} (default: exit 0). */
    void set(String program, ScriptResult result) {
        fixed.put(program, result);
    }

    void exits(String program, int status) {
        set(program, ScriptResult.exited(status));
    }

    /** The next runs of {@code program} return these results in order, then the fixed result. */
    void queue(String program, ScriptResult... results) {
        queued.computeIfAbsent(program, k -> new ArrayDeque<>()).addAll(List.of(results));
    }

    /** Runs of {@code program} stay running until the test completes {@link #pending}. */
    void manual(String program) {
        manual.add(program);
    }

    List<List<String>> calls(String program) {
        return calls.stream().filter(c -> c.get(0).equals(program)).toList();
    }

    @Override
    public CompletionStage<ScriptResult> run(List<String> argv, Duration timeout) {
        calls.add(List.copyOf(argv));
        String program = argv.get(0);
        if (manual.contains(program)) {
            CompletableFuture<ScriptResult> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }
        Deque<ScriptResult> q = queued.get(program);
        if (q != null && !q.isEmpty()) {
            return CompletableFuture.completedFuture(q.poll());
        }
        return CompletableFuture.completedFuture(fixed.getOrDefault(program, ScriptResult.exited(0)));
    }
}
