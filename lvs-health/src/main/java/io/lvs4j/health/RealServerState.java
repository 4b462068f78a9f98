package io.lvs4j.health;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's {@code real_server_t} at run time: one real server (or the sorry server) of a virtual
 * server. Mutated only under the engine lock.
 */
final class RealServerState {
    final VirtualServerState vs;
    final InetAddress address;
    final int port;
    final InetSocketAddress socketAddress;
    final String label;
    final int configuredWeight;
    final boolean inhibit;
    final String notifyUp;
    final String notifyDown;
    final boolean sorry;
    final List<CheckerState> checkers = new ArrayList<>();

    /** configured weight plus dynamic contributions; may leave the int range, clamped when used. */
    long effectiveWeight;
    /** In the pool as far as health is concerned ({@code rs->alive}). */
    boolean alive;
    /** The destination is in the IPVS table ({@code rs->set}). */
    boolean set;
    /** Checkers currently down ({@code rs->num_failed_checkers}). */
    int failedCheckers;
    /** This state added the destination during install (a rejected add removes it again). */
    boolean addedByInstall;

    RealServerState(VirtualServerState vs, InetAddress address, int port, int weight, boolean inhibit,
                    String notifyUp, String notifyDown, boolean sorry) {
        this.vs = vs;
        this.address = address;
        this.port = port;
        this.socketAddress = new InetSocketAddress(address, port);
        this.label = KeepalivedFormat.trio(address, port, vs.key);
        this.configuredWeight = weight;
        this.effectiveWeight = weight;
        this.inhibit = inhibit;
        this.notifyUp = notifyUp;
        this.notifyDown = notifyDown;
        this.sorry = sorry;
    }

    /** keepalived's {@code real_weight}: the effective weight clamped to 0..INT32_MAX. */
    int realWeight() {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, effectiveWeight));
    }

    RealServerStatus status() {
        List<CheckerStatus> cs = new ArrayList<>(checkers.size());
        for (CheckerState c : checkers) {
            cs.add(new CheckerStatus(c.spec.type(), c.up, c.hasRun, c.retryIt));
        }
        return new RealServerStatus(socketAddress, alive, set, configuredWeight, realWeight(), cs);
    }
}
