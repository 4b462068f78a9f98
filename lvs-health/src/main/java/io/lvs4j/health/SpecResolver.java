package io.lvs4j.health;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link VirtualServerSpec} into run-time state: validates it, applies keepalived's
 * config-time adjustments ({@code validate_check_config}: real server ports, quorum reduced to the
 * weight sum, hysteresis at most quorum − 1), resolves each checker's settings (checker → real
 * server → virtual server → the checker type's default) and creates the probes. Nothing is applied
 * to IPVS here; an invalid spec raises {@link IllegalArgumentException} and leaves nothing behind.
 */
final class SpecResolver {
    private static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

    private final HealthEngine engine;
    private final ProbeFactory probes;

    /** Warnings to log once the whole spec is accepted. */
    final List<String> warnings = new ArrayList<>();

    SpecResolver(HealthEngine engine, ProbeFactory probes) {
        this.engine = engine;
        this.probes = probes;
    }

    /** The state for {@code spec}, or null when keepalived would ignore it (no real servers). */
    VirtualServerState resolve(VirtualServerSpec spec) {
        ServiceKey key = spec.key();
        String vsLabel = KeepalivedFormat.virtualServer(key);
        CheckSettings vsSettings = spec.settings();
        if (vsSettings.retry() != null && vsSettings.retry() == 0) {
            throw new IllegalArgumentException("virtual_server " + vsLabel
                    + ": retry 0 is out of range; accepted: 1 or more (only a checker block accepts retry 0)");
        }
        if (spec.realServers().isEmpty()) {
            warnings.add("Virtual server " + vsLabel + " has no real servers - ignoring");
            return null;
        }
        if (vsSettings.alpha() == null) {
            vsSettings = new CheckSettings(vsSettings.delayLoop(), vsSettings.connectTimeout(), vsSettings.retry(),
                    vsSettings.delayBeforeRetry(), vsSettings.warmup(), spec.alpha(), vsSettings.logAllFailures());
        }
        Duration vsDelayLoop = vsSettings.delayLoop() != null ? vsSettings.delayLoop() : DEFAULT_DELAY_LOOP;

        // Real servers: ports, duplicates, weights, families.
        List<RealServerSpec> rsSpecs = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Set<InetSocketAddress> seen = new HashSet<>();
        long weightSum = 0;
        for (RealServerSpec rs : spec.realServers()) {
            int port = adjustPort(spec, rs.address(), rs.port(), "real server");
            InetSocketAddress addr = new InetSocketAddress(rs.address(), port);
            String rsLabel = KeepalivedFormat.trio(rs.address(), port, key);
            if (!seen.add(addr)) {
                throw new IllegalArgumentException("virtual_server " + vsLabel + ": real_server " + rsLabel
                        + " is duplicated; accepted: each real server once");
            }
            checkWeight(rs.weight(), "real_server " + rsLabel);
            checkFamily(spec, rs.address(), "real_server " + rsLabel);
            Integer retry = rs.settings().retry();
            if (retry != null && retry == 0) {
                throw new IllegalArgumentException("real_server " + rsLabel
                        + ": retry 0 is out of range; accepted: 1 or more (only a checker block accepts retry 0)");
            }
            rsSpecs.add(rs);
            ports.add(port);
            weightSum += rs.weight();
        }

        int sorryPort = 0;
        RealServerSpec sorry = spec.sorryServer();
        if (sorry != null) {
            sorryPort = adjustPort(spec, sorry.address(), sorry.port(), "sorry server");
            String sorryLabel = KeepalivedFormat.trio(sorry.address(), sorryPort, key);
            if (seen.contains(new InetSocketAddress(sorry.address(), sorryPort))) {
                throw new IllegalArgumentException("virtual_server " + vsLabel + ": sorry_server " + sorryLabel
                        + " is also a real_server; accepted: a sorry server that is not one of the real servers");
            }
            checkWeight(sorry.weight(), "sorry_server " + sorryLabel);
            checkFamily(spec, sorry.address(), "sorry_server " + sorryLabel);
        }

        // Quorum and hysteresis, as validate_check_config adjusts them.
        int quorum = spec.quorum();
        int hysteresis = spec.hysteresis();
        if (quorum > weightSum) {
            warnings.add("Warning - quorum " + quorum + " for " + vsLabel + " exceeds total weight of real servers "
                    + weightSum + ", reducing quorum to " + weightSum);
            quorum = (int) weightSum;
        }
        if (hysteresis >= quorum && hysteresis > 0) {
            int h = Math.max(0, quorum - 1);
            warnings.add("Virtual server " + vsLabel + ": hysteresis " + hysteresis + " >= quorum " + quorum
                    + "; setting hysteresis to " + h);
            hysteresis = h;
        }

        VirtualServerState vs = new VirtualServerState(key, spec.serviceOptions(), spec.forwarding(), quorum,
                hysteresis, spec.omega(), spec.quorumUp(), spec.quorumDown());
        vs.quorumUp = 0 >= (long) quorum + hysteresis;

        List<Probe> created = new ArrayList<>();
        try {
            for (int i = 0; i < rsSpecs.size(); i++) {
                RealServerSpec rsSpec = rsSpecs.get(i);
                boolean inhibit = rsSpec.inhibitOnFailure() != null ? rsSpec.inhibitOnFailure() : spec.inhibitOnFailure();
                RealServerState rs = new RealServerState(vs, rsSpec.address(), ports.get(i), rsSpec.weight(), inhibit,
                        rsSpec.notifyUp(), rsSpec.notifyDown(), false);
                String vhost = rsSpec.virtualhost() != null ? rsSpec.virtualhost() : spec.virtualhost();
                int dynamic = 0;
                for (int c = 0; c < rsSpec.checkers().size(); c++) {
                    CheckerSpec cs = rsSpec.checkers().get(c);
                    CheckSettings chain = cs.settings().orElse(rsSpec.settings()).orElse(vsSettings);
                    Duration delayLoop = chain.delayLoop() != null ? chain.delayLoop() : DEFAULT_DELAY_LOOP;
                    CheckSettings resolved = chain.orElse(cs.typeDefaults(delayLoop));
                    ProbeContext context = new ProbeContext(rs.socketAddress, resolved, vhost, vsDelayLoop);
                    Probe probe = probes.create(cs, context);
                    if (probe == null) {
                        throw new IllegalArgumentException(cs.type() + " of real_server " + rs.label
                                + ": the probe factory returned no probe");
                    }
                    created.add(probe);
                    CheckerState checker = newChecker(rs, cs, c, resolved, probe);
                    if (cs instanceof CheckerSpec.Misc m && m.dynamic()) {
                        dynamic++;
                    }
                    rs.checkers.add(checker);
                    if (!checker.up) {
                        rs.failedCheckers++;
                    }
                }
                if (dynamic > 1) {
                    warnings.add("Warning - more than one dynamic misc checker per real server will cause problems ("
                            + rs.label + " of VS " + vsLabel + "); their weight contributions are added");
                }
                vs.realServers.add(rs);
            }
        } catch (RuntimeException e) {
            for (Probe p : created) {
                try {
                    p.close();
                } catch (RuntimeException ignored) {
                    // already failing
                }
            }
            throw e;
        }
        if (sorry != null) {
            vs.sorryServer = new RealServerState(vs, sorry.address(), sorryPort, sorry.weight(),
                    spec.sorryServerInhibit(), null, null, true);
        }
        return vs;
    }

    private CheckerState newChecker(RealServerState rs, CheckerSpec cs, int index, CheckSettings resolved, Probe probe) {
        if (cs instanceof CheckerSpec.Http http) {
            return new HttpChecker(engine, rs, http, index, resolved, probe);
        }
        if (cs instanceof CheckerSpec.Misc misc) {
            return new MiscChecker(engine, rs, misc, index, resolved, probe);
        }
        return new RetryCountingChecker(engine, rs, cs, index, resolved, probe);
    }

    /**
     * keepalived's port rules: a NAT real server without a port takes the VS port; otherwise (DR,
     * TUN) the port must equal the VS port and is reset with a warning, or cleared for fwmark services.
     */
    private int adjustPort(VirtualServerSpec spec, InetAddress address, int port, String what) {
        ServiceKey key = spec.key();
        String vsLabel = KeepalivedFormat.virtualServer(key);
        if (spec.forwarding() == ForwardingMethod.MASQ) {
            return !key.isFwmark() && port == 0 ? key.port() : port;
        }
        if (key.isFwmark()) {
            if (port != 0) {
                warnings.add("WARNING - fwmark virtual server " + vsLabel + ", " + what + " "
                        + KeepalivedFormat.trio(address, port, key) + " has port specified - clearing");
            }
            return 0;
        }
        if (port != 0 && port != key.port()) {
            warnings.add("WARNING - virtual server " + vsLabel + " and " + what + " "
                    + KeepalivedFormat.trio(address, port, key) + " ports don't match - resetting");
        }
        return key.port();
    }

    private static void checkWeight(int weight, String what) {
        if (weight > RealServerOptions.MAX_WEIGHT) {
            throw new IllegalArgumentException(what + ": weight " + weight + " is out of range; accepted: 0.."
                    + RealServerOptions.MAX_WEIGHT + " (what IPVS accepts)");
        }
    }

    private static void checkFamily(VirtualServerSpec spec, InetAddress address, String what) {
        boolean v6 = address instanceof Inet6Address;
        if (v6 != spec.key().ipv6() && spec.forwarding() != ForwardingMethod.TUNNEL) {
            throw new IllegalArgumentException(what + ": address family differs from the virtual server's "
                    + KeepalivedFormat.virtualServer(spec.key()) + "; accepted: the same family (or TUN forwarding)");
        }
    }
}
