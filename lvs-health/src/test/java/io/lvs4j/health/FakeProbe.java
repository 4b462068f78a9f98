package io.lvs4j.health;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A scripted {@link Probe}: each attempt records its start time and target, and answers with the
 * current behaviour (by target index), after {@link #duration} seconds of the manual timer.
 */
final class FakeProbe implements Probe {
    record Attempt(double at, int target) {
    }

    final CheckerSpec spec;
    final ProbeContext context;
    private final ManualTimer timer;
    private final int targets;
    final List<Attempt> attempts = new ArrayList<>();
    private IntFunction<ProbeResult> behaviour = i -> ProbeResult.ok("");
    double duration;
    boolean closed;

    FakeProbe(ManualTimer timer, CheckerSpec spec, ProbeContext context, int targets) {
        this.timer = timer;
        this.spec = spec;
        this.context = context;
        this.targets = targets;
    }

    FakeProbe succeed() {
        behaviour = i -> ProbeResult.ok("");
        return this;
    }

    FakeProbe fail() {
        behaviour = i -> ProbeResult.fail("connection refused");
        return this;
    }

    FakeProbe respond(IntFunction<ProbeResult> b) {
        behaviour = b;
        return this;
    }

    /** MISC_CHECK: every run exits with {@code status}. */
    FakeProbe exit(int status) {
        behaviour = i -> new ProbeResult(status == 0, "", status);
        return this;
    }

    List<Double> times() {
        return attempts.stream().map(Attempt::at).toList();
    }

    List<Integer> targetsAttempted() {
        return attempts.stream().map(Attempt::target).toList();
    }

    @Override
    public void attempt(int index, Consumer<ProbeResult> done) {
        attempts.add(new Attempt(timer.seconds(), index));
        ProbeResult r = behaviour.apply(index);
        if (duration <= 0) {
            done.accept(r);
        } else {
            timer.schedule(Math.round(duration * 1e9), () -> done.accept(r));
        }
    }

    @Override
    public int targets() {
        return targets;
    }

    @Override
    public void close() {
        closed = true;
    }
}
