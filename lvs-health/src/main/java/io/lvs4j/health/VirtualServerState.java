package io.lvs4j.health;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.util.ArrayList;
import java.util.List;

/** keepalived's {@code virtual_server_t} at run time. Mutated only under the engine lock. */
final class VirtualServerState {
    final ServiceKey key;
    final String label;
    final ServiceOptions serviceOptions;
    final ForwardingMethod forwarding;
    final int quorum;
    final int hysteresis;
    final boolean omega;
    final String quorumUpScript;
    final String quorumDownScript;
    final List<RealServerState> realServers = new ArrayList<>();
    RealServerState sorryServer;

    boolean quorumUp;
    /** The IPVS service was created by this health checker (it deletes it again on close). */
    boolean createdService;

    VirtualServerState(ServiceKey key, ServiceOptions serviceOptions, ForwardingMethod forwarding, int quorum,
                       int hysteresis, boolean omega, String quorumUpScript, String quorumDownScript) {
        this.key = key;
        this.label = KeepalivedFormat.virtualServer(key);
        this.serviceOptions = serviceOptions;
        this.forwarding = forwarding;
        this.quorum = quorum;
        this.hysteresis = hysteresis;
        this.omega = omega;
        this.quorumUpScript = quorumUpScript;
        this.quorumDownScript = quorumDownScript;
    }

    /** keepalived's {@code weigh_live_realservers}. */
    long aliveWeightSum() {
        long sum = 0;
        for (RealServerState rs : realServers) {
            if (rs.alive) {
                sum += rs.realWeight();
            }
        }
        return sum;
    }

    boolean sorryServerActive() {
        return sorryServer != null && sorryServer.alive;
    }

    List<CheckerState> checkers() {
        List<CheckerState> all = new ArrayList<>();
        for (RealServerState rs : realServers) {
            all.addAll(rs.checkers);
        }
        return all;
    }

    VirtualServerStatus status() {
        List<RealServerStatus> list = new ArrayList<>(realServers.size());
        for (RealServerState rs : realServers) {
            list.add(rs.status());
        }
        return new VirtualServerStatus(key, quorum, hysteresis, quorumUp, aliveWeightSum(), sorryServerActive(), list);
    }
}
