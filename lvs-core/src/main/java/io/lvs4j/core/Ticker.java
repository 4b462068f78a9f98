package io.lvs4j.core;

/**
 * A source of monotonic nanoseconds. Every timeout, expiry and rate in lvs-core reads time only
 * through a ticker, so tests drive time with a fake one.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin; never decreases. */
    long nanos();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
