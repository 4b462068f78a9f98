package io.lvs4j.forwarder;

import io.lvs4j.core.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker the test moves by hand. */
final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long nanos() {
        return now.get();
    }

    void advanceSeconds(long seconds) {
        now.addAndGet(seconds * 1_000_000_000L);
    }
}
