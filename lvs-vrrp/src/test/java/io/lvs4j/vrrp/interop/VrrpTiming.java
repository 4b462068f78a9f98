package io.lvs4j.vrrp.interop;

import java.time.Duration;

/**
 * The VRRP timers keepalived runs (spec keepalived.md §3.1), to bound how long a takeover may take:
 * Skew_Time and Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time, with keepalived's
 * microsecond precision.
 */
final class VrrpTiming {

    /** What the tests allow on top of the protocol's own time: process scheduling and 10 ms polling. */
    static final Duration SLACK = Duration.ofMillis(500);

    private VrrpTiming() {}

    /** Skew_Time for a backup of this (effective) priority. */
    static Duration skew(int version, double advertIntSeconds, int priority) {
        long micros = version == 2
                ? (256L - priority) * 1_000_000L / 256
                : Math.round((256L - priority) * advertIntSeconds * 1_000_000.0 / 256);
        return Duration.ofNanos(micros * 1000);
    }

    /** Master_Down_Interval for a backup of this priority. */
    static Duration masterDown(int version, double advertIntSeconds, int priority) {
        return Duration.ofNanos(Math.round(3 * advertIntSeconds * 1e9)).plus(skew(version, advertIntSeconds, priority));
    }

    static Duration masterDown(VrrpConf.Instance backup) {
        return masterDown(backup.version(), backup.advertIntSeconds(), backup.priority());
    }

    static Duration skew(VrrpConf.Instance backup) {
        return skew(backup.version(), backup.advertIntSeconds(), backup.priority());
    }

    static String millis(Duration d) {
        return String.format("%.0f ms", d.toNanos() / 1e6);
    }
}
