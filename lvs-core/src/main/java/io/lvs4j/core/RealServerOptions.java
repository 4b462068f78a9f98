package io.lvs4j.core;

import java.util.Objects;

/**
 * The settable options of a real server, as {@code ipvsadm -a/-e} sends them. Omitted options take
 * ipvsadm's defaults: weight 1, forwarding {@link ForwardingMethod#ROUTE}, no thresholds.
 *
 * @param weight         0..65535 (ipvsadm's range); 0 quiesces the server: no new connections
 * @param forwarding     forwarding method, kept for display and configuration compatibility
 * @param upperThreshold {@code -x}: 0 (unset) or the connection count at which the server is OVERLOAD
 * @param lowerThreshold {@code -y}: 0 (unset) or the count below which OVERLOAD clears; must not exceed the upper
 */
public record RealServerOptions(int weight, ForwardingMethod forwarding, int upperThreshold, int lowerThreshold) {

    /** The largest weight ipvsadm accepts. */
    public static final int MAX_WEIGHT = 65535;

    public RealServerOptions {
        Objects.requireNonNull(forwarding, "forwarding");
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " is out of range; accepted: 0.." + MAX_WEIGHT);
        }
        if (upperThreshold < 0) {
            throw new IllegalArgumentException("upper threshold " + upperThreshold
                    + " is out of range; accepted: 0.." + Integer.MAX_VALUE);
        }
        if (lowerThreshold < 0) {
            throw new IllegalArgumentException("lower threshold " + lowerThreshold
                    + " is out of range; accepted: 0.." + Integer.MAX_VALUE);
        }
        if (lowerThreshold > upperThreshold) {
            throw new IllegalArgumentException("lower threshold " + lowerThreshold + " is above upper threshold "
                    + upperThreshold + "; the lower threshold must not exceed the upper");
        }
    }

    /** Weight 1, Route, no thresholds. */
    public static RealServerOptions defaults() {
        return new RealServerOptions(1, ForwardingMethod.ROUTE, 0, 0);
    }

    /** The defaults with this weight. */
    public static RealServerOptions weight(int weight) {
        return new RealServerOptions(weight, ForwardingMethod.ROUTE, 0, 0);
    }

    public RealServerOptions withWeight(int newWeight) {
        return new RealServerOptions(newWeight, forwarding, upperThreshold, lowerThreshold);
    }

    public RealServerOptions withForwarding(ForwardingMethod method) {
        return new RealServerOptions(weight, method, upperThreshold, lowerThreshold);
    }

    public RealServerOptions withThresholds(int upper, int lower) {
        return new RealServerOptions(weight, forwarding, upper, lower);
    }
}
