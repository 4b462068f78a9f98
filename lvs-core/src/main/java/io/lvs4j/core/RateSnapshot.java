package io.lvs4j.core;

/**
 * Estimated rates, as {@code ipvsadm --rate} shows them: connections, packets per second, and
 * <b>bytes</b> (not bits) per second.
 */
public record RateSnapshot(long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final RateSnapshot ZERO = new RateSnapshot(0, 0, 0, 0, 0);
}
