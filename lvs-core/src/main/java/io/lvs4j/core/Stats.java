package io.lvs4j.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The 64-bit counters of a real server, a service or the table (spec §5.1), with {@code -Z}
 * zeroing (§5.2) and the 2-second rate estimator (§5.3).
 *
 * <p>Thread safety: counters are exact under concurrent updates; the estimator runs on the
 * table's maintenance thread.
 */
public final class Stats {
    private final AtomicLong conns = new AtomicLong();
    private final AtomicLong inPackets = new AtomicLong();
    private final AtomicLong outPackets = new AtomicLong();
    private final AtomicLong inBytes = new AtomicLong();
    private final AtomicLong outBytes = new AtomicLong();

    private volatile StatsSnapshot baseline = StatsSnapshot.ZERO;

    // estimator state, guarded by this
    private StatsSnapshot last = StatsSnapshot.ZERO;
    private long cpsAvg;
    private long inPpsAvg;
    private long outPpsAvg;
    private long inBpsAvg;
    private long outBpsAvg;

    void countConnection() {
        conns.incrementAndGet();
    }

    void countIn(long bytes) {
        inPackets.incrementAndGet();
        if (bytes != 0) {
            inBytes.addAndGet(bytes);
        }
    }

    void countOut(long bytes) {
        outPackets.incrementAndGet();
        if (bytes != 0) {
            outBytes.addAndGet(bytes);
        }
    }

    private StatsSnapshot raw() {
        return new StatsSnapshot(conns.get(), inPackets.get(), outPackets.get(), inBytes.get(), outBytes.get());
    }

    /** Counter values since the last {@link #zero}. */
    public StatsSnapshot snapshot() {
        return raw().minus(baseline);
    }

    /** Current rate estimates, rounded as the kernel reports them (fractions of exactly .5 round down). */
    public synchronized RateSnapshot rates() {
        return new RateSnapshot((cpsAvg + 511) >> 10, (inPpsAvg + 511) >> 10, (outPpsAvg + 511) >> 10,
                (inBpsAvg + 15) >> 5, (outBpsAvg + 15) >> 5);
    }

    /** {@code -Z}: the displayed counters restart from 0 and the estimator restarts from idle. */
    public synchronized void zero() {
        StatsSnapshot now = raw();
        baseline = now;
        last = now;
        cpsAvg = inPpsAvg = outPpsAvg = inBpsAvg = outBpsAvg = 0;
    }

    /** One 2-second estimator period (§5.3). */
    synchronized void estimate() {
        StatsSnapshot now = raw();
        StatsSnapshot d = now.minus(last);
        last = now;
        cpsAvg = ewma(cpsAvg, d.conns() << 9);
        inPpsAvg = ewma(inPpsAvg, d.inPackets() << 9);
        outPpsAvg = ewma(outPpsAvg, d.outPackets() << 9);
        inBpsAvg = ewma(inBpsAvg, d.inBytes() << 4);
        outBpsAvg = ewma(outBpsAvg, d.outBytes() << 4);
    }

    private static long ewma(long avg, long rate) {
        return avg + ((rate - avg) >> 2);
    }

    /** The internal connection-rate average (per second x 2^10), for tests of the estimator arithmetic. */
    synchronized long cpsAverageScaled() {
        return cpsAvg;
    }

    /** The internal in-bytes average (per second x 2^5). */
    synchronized long inBpsAverageScaled() {
        return inBpsAvg;
    }
}
