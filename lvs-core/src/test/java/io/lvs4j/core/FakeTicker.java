package io.lvs4j.core;

import java.util.concurrent.atomic.AtomicLong;

/** A ticker tests move by hand. Starts at an arbitrary non-zero origin to catch origin assumptions. */
final class FakeTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long nanos() {
        return now.get();
    }

    void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    void advanceNanos(long nanos) {
        now.addAndGet(nanos);
    }
}
