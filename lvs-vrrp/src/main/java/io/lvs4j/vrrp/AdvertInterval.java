package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.Objects;

/**
 * Conversions between an {@code advert_int} duration and the interval fields of VRRP packets,
 * with keepalived's rounding (spec §3.1).
 *
 * <ul>
 *   <li>VRRPv2 carries whole seconds, 1..255: a fractional value is rounded to the nearest second
 *       (halves up, minimum 1) and anything of 256 s or more becomes 255.
 *   <li>VRRPv3 carries centiseconds in 12 bits, 1..4095 (0.01..40.95 s): a value is rounded to the
 *       nearest centisecond (halves up, minimum 1) and anything of 40.96 s or more becomes 4095.
 * </ul>
 *
 * <p>keepalived keeps intervals in microseconds, so durations are first truncated to whole
 * microseconds. A rounded value that would overflow the field (255.5 s, 40.955 s) is capped
 * rather than wrapped. Stateless and thread-safe.
 */
public final class AdvertInterval {

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_CENTISECOND = 10_000L;

    private AdvertInterval() {}

    /**
     * The VRRPv2 Adver Int field for a configured interval.
     *
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    public static int toV2Seconds(Duration interval) {
        long micros = positiveMicros(interval);
        if (micros >= 256 * MICROS_PER_SECOND) {
            return 255;
        }
        long rounded = (micros + MICROS_PER_SECOND / 2) / MICROS_PER_SECOND;
        return (int) Math.min(255, Math.max(1, rounded));
    }

    /**
     * The VRRPv3 Max Adver Int field (centiseconds) for a configured interval.
     *
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    public static int toV3Centiseconds(Duration interval) {
        long micros = positiveMicros(interval);
        if (micros >= (VrrpPacket.MAX_V3_INTERVAL + 1) * MICROS_PER_CENTISECOND) {
            return VrrpPacket.MAX_V3_INTERVAL;
        }
        long rounded = (micros + MICROS_PER_CENTISECOND / 2) / MICROS_PER_CENTISECOND;
        return (int) Math.min(VrrpPacket.MAX_V3_INTERVAL, Math.max(1, rounded));
    }

    /** The interval field of a packet of the given version for a configured interval. */
    public static int toField(int version, Duration interval) {
        return switch (version) {
            case 2 -> toV2Seconds(interval);
            case 3 -> toV3Centiseconds(interval);
            default -> throw new IllegalArgumentException("version " + version + " (accepted: 2, 3)");
        };
    }

    /** The duration a VRRPv2 Adver Int field stands for. */
    public static Duration fromV2Seconds(int seconds) {
        if (seconds < 0 || seconds > 255) {
            throw new IllegalArgumentException("v2 interval " + seconds + " s (accepted: 0..255)");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The duration a VRRPv3 Max Adver Int field stands for. */
    public static Duration fromV3Centiseconds(int centiseconds) {
        if (centiseconds < 0 || centiseconds > VrrpPacket.MAX_V3_INTERVAL) {
            throw new IllegalArgumentException(
                    "v3 interval " + centiseconds + " cs (accepted: 0..4095)");
        }
        return Duration.ofMillis(centiseconds * 10L);
    }

    private static long positiveMicros(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(
                    "advert interval " + interval + " (accepted: a positive duration)");
        }
        if (interval.compareTo(Duration.ofDays(1)) > 0) {
            return Long.MAX_VALUE / 2;
        }
        return interval.toNanos() / 1_000L;
    }
}
