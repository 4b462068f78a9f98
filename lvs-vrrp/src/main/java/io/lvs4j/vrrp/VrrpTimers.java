package io.lvs4j.vrrp;

/**
 * keepalived's VRRP timer arithmetic, in microseconds and with keepalived's integer truncation.
 * Stateless and thread-safe.
 *
 * <ul>
 *   <li>v2 {@code Skew_Time = ((256 - prio) * 1000000) / 256} µs (RFC 3768 §6.1);</li>
 *   <li>v3 {@code Skew_Time = ((256 - prio) * MAI_cs * 625) / 16} µs: RFC 5798's
 *       {@code ((256 - prio) * MAI) / 256} kept to the microsecond instead of centiseconds;</li>
 *   <li>{@code Master_Down_Interval = down_timer_adverts * MAI + Skew_Time}.</li>
 * </ul>
 */
public final class VrrpTimers {

    private VrrpTimers() {
    }

    /**
     * @param version                   2 or 3
     * @param priority                  the effective priority, 1..255
     * @param masterAdvertIntervalMicros the Master_Adver_Interval (v3 only; v2 ignores it)
     */
    public static long skewMicros(int version, int priority, long masterAdvertIntervalMicros) {
        long p = 256L - priority;
        if (version == 3) {
            return (p * (masterAdvertIntervalMicros / 10_000L) * 625L) / 16L;
        }
        return (p * 1_000_000L) / 256L;
    }

    /** keepalived's {@code VRRP_TIMER_SKEW_MIN}: the skew of priority 255. */
    public static long minSkewMicros(int version, long masterAdvertIntervalMicros) {
        return skewMicros(version, 255, masterAdvertIntervalMicros);
    }

    /** {@code down_timer_adverts * Master_Adver_Interval + Skew_Time}, in microseconds. */
    public static long masterDownMicros(int version, int priority, long masterAdvertIntervalMicros,
            int downTimerAdverts) {
        return downTimerAdverts * masterAdvertIntervalMicros
                + skewMicros(version, priority, masterAdvertIntervalMicros);
    }
}
