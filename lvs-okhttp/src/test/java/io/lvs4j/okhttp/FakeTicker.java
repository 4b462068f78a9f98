package io.lvs4j.okhttp;

import io.lvs4j.core.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker tests move by hand. */
final class FakeTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1L << 40);

    @Override
    public long nanos() {
        return now.get();
    }

    void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }
}
