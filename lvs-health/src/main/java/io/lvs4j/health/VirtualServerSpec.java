package io.lvs4j.health;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.util.List;
import java.util.Objects;

/**
 * A {@code virtual_server} block as the health checker needs it (spec keepalived.md §1.4, §2.3).
 *
 * @param key                the IPVS service
 * @param serviceOptions     scheduler, persistence... ({@code lb_algo}, {@code persistence_timeout}, ...)
 * @param forwarding         {@code lb_kind} for its real servers
 * @param settings           timing keywords set on the virtual server (inherited by real servers and checkers)
 * @param quorum             minimum sum of alive weights (default 1, at least 1)
 * @param hysteresis         quorum hysteresis (default 0)
 * @param sorryServer        {@code sorry_server ip port}, or null
 * @param sorryServerInhibit keep the sorry server in IPVS at weight 0 while quorum holds
 * @param quorumUp           {@code quorum_up} script, or null
 * @param quorumDown         {@code quorum_down} script, or null
 * @param alpha              default of {@code alpha} for its checkers
 * @param omega              run quorum_down and notify_down notifiers on shutdown
 * @param inhibitOnFailure   default of {@code inhibit_on_failure} for its real servers
 * @param virtualhost        Host header default for its HTTP checkers, or null
 * @param realServers        the real servers
 */
public record VirtualServerSpec(ServiceKey key, ServiceOptions serviceOptions, ForwardingMethod forwarding,
                                CheckSettings settings, int quorum, int hysteresis, RealServerSpec sorryServer,
                                boolean sorryServerInhibit, String quorumUp, String quorumDown, boolean alpha,
                                boolean omega, boolean inhibitOnFailure, String virtualhost,
                                List<RealServerSpec> realServers) {

    public VirtualServerSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(serviceOptions, "serviceOptions");
        Objects.requireNonNull(forwarding, "forwarding");
        Objects.requireNonNull(settings, "settings");
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum " + quorum + " is out of range; accepted: 1 or more");
        }
        if (hysteresis < 0) {
            throw new IllegalArgumentException("hysteresis " + hysteresis + " is out of range; accepted: 0 or more");
        }
        realServers = List.copyOf(realServers);
    }

    public static Builder builder(ServiceKey key) {
        return new Builder(key);
    }

    /** Builder with keepalived's defaults: wlc... as {@link ServiceOptions#defaults()}, NAT, quorum 1. */
    public static final class Builder {
        private final ServiceKey key;
        private ServiceOptions serviceOptions = ServiceOptions.defaults();
        private ForwardingMethod forwarding = ForwardingMethod.MASQ;
        private CheckSettings settings = CheckSettings.UNSET;
        private int quorum = 1;
        private int hysteresis;
        private RealServerSpec sorryServer;
        private boolean sorryServerInhibit;
        private String quorumUp;
        private String quorumDown;
        private boolean alpha;
        private boolean omega;
        private boolean inhibitOnFailure;
        private String virtualhost;
        private List<RealServerSpec> realServers = List.of();

        private Builder(ServiceKey key) {
            this.key = key;
        }

        public Builder serviceOptions(ServiceOptions o) {
            this.serviceOptions = o;
            return this;
        }

        public Builder forwarding(ForwardingMethod f) {
            this.forwarding = f;
            return this;
        }

        public Builder settings(CheckSettings s) {
            this.settings = s;
            return this;
        }

        public Builder quorum(int q, int h) {
            this.quorum = q;
            this.hysteresis = h;
            return this;
        }

        public Builder sorryServer(RealServerSpec s, boolean inhibit) {
            this.sorryServer = s;
            this.sorryServerInhibit = inhibit;
            return this;
        }

        public Builder quorumScripts(String up, String down) {
            this.quorumUp = up;
            this.quorumDown = down;
            return this;
        }

        public Builder alpha(boolean on) {
            this.alpha = on;
            return this;
        }

        public Builder omega(boolean on) {
            this.omega = on;
            return this;
        }

        public Builder inhibitOnFailure(boolean on) {
            this.inhibitOnFailure = on;
            return this;
        }

        public Builder virtualhost(String v) {
            this.virtualhost = v;
            return this;
        }

        public Builder realServers(List<RealServerSpec> list) {
            this.realServers = list;
            return this;
        }

        public VirtualServerSpec build() {
            return new VirtualServerSpec(key, serviceOptions, forwarding, settings, quorum, hysteresis, sorryServer,
                    sorryServerInhibit, quorumUp, quorumDown, alpha, omega, inhibitOnFailure, virtualhost, realServers);
        }
    }
}
