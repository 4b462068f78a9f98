package io.lvs4j.health;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code real_server} block: address, port, weight, checkers and notifiers.
 *
 * @param weight           configured weight, 0..2^31-1 (default 1)
 * @param inhibitOnFailure null: inherit the virtual server's
 * @param settings         timing keywords set in the block (inherited by its checkers)
 * @param notifyUp         {@code notify_up} script command line, or null
 * @param notifyDown       {@code notify_down} script command line, or null
 * @param virtualhost      Host header default for its HTTP checkers, or null
 */
public record RealServerSpec(InetAddress address, int port, int weight, Boolean inhibitOnFailure,
                             CheckSettings settings, List<CheckerSpec> checkers, String notifyUp, String notifyDown,
                             String virtualhost) {

    public RealServerSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(settings, "settings");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("real_server port " + port + " is out of range; accepted: 0..65535");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight " + weight + " is out of range; accepted: 0.." + Integer.MAX_VALUE);
        }
        checkers = List.copyOf(checkers);
    }

    /** A real server with weight 1 and these checkers, nothing else set. */
    public static RealServerSpec of(InetAddress address, int port, CheckerSpec... checkers) {
        return new RealServerSpec(address, port, 1, null, CheckSettings.UNSET, List.of(checkers), null, null, null);
    }

    public RealServerSpec withWeight(int w) {
        return new RealServerSpec(address, port, w, inhibitOnFailure, settings, checkers, notifyUp, notifyDown, virtualhost);
    }

    public RealServerSpec withInhibitOnFailure(boolean on) {
        return new RealServerSpec(address, port, weight, on, settings, checkers, notifyUp, notifyDown, virtualhost);
    }

    public RealServerSpec withSettings(CheckSettings s) {
        return new RealServerSpec(address, port, weight, inhibitOnFailure, s, checkers, notifyUp, notifyDown, virtualhost);
    }

    public RealServerSpec withNotify(String up, String down) {
        return new RealServerSpec(address, port, weight, inhibitOnFailure, settings, checkers, up, down, virtualhost);
    }
}
