package io.lvs4j.health;

import io.lvs4j.core.IpvsException;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * keepalived's {@code ipwrapper.c} for lvs4j: what a checker's up/down does to its real server, to
 * IPVS (through the {@link IpvsTable} admin operations, as keepalived uses {@code ipvsadm -a/-e/-d}),
 * to the virtual server's quorum and the sorry server, and which notifiers run. Every method runs
 * under {@link #lock}; notifier and listener calls are queued as effects and run by {@link #flushEffects}
 * at the end of each step, so that a rejected {@code add} can drop them.
 */
final class HealthEngine {
    private static final long SECOND = 1_000_000_000L;

    final Object lock = new Object();
    final IpvsTable table;
    final CheckTimer timer;
    final ScriptLauncher scripts;
    final HealthListener listener;
    final CheckLog log;
    final RandomGenerator random;
    boolean closed;
    /** During install, IPVS errors propagate (to roll back) instead of being logged. */
    private boolean strict;
    private final List<Runnable> effects = new ArrayList<>();

    HealthEngine(IpvsTable table, CheckTimer timer, ScriptLauncher scripts, HealthListener listener, CheckLog log,
                 RandomGenerator random) {
        this.table = table;
        this.timer = timer;
        this.scripts = scripts;
        this.listener = listener;
        this.log = log;
        this.random = random;
    }

    // ------------------------------------------------------------------ effects

    void flushEffects() {
        while (!effects.isEmpty()) {
            List<Runnable> batch = new ArrayList<>(effects);
            effects.clear();
            for (Runnable r : batch) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("notifier failed: " + e);
                }
            }
        }
    }

    void discardEffects() {
        effects.clear();
    }

    private void launch(String script) {
        if (script != null) {
            effects.add(() -> scripts.launch(script));
        }
    }

    void checkerResult(CheckerState c, int target, ProbeResult r) {
        RealServerState rs = c.rs;
        effects.add(() -> listener.checkerResult(rs.vs.key, rs.socketAddress, c.index, c.spec.type(), target, r));
    }

    // ------------------------------------------------------------------ startup and shutdown

    /** {@code init_service_vs}: creates the service if absent, installs the real servers, sets quorum. */
    void install(VirtualServerState vs) {
        strict = true;
        try {
            if (table.service(vs.key) == null) {
                table.addService(vs.key, vs.serviceOptions);
                vs.createdService = true;
            }
            for (RealServerState rs : vs.realServers) {
                if ((rs.failedCheckers == 0 && !rs.alive) || (rs.inhibit && !rs.set)) {
                    ipvsAdd(rs);
                    if (rs.failedCheckers == 0) {
                        rs.alive = true;
                    }
                }
            }
            updateQuorumState(vs, true);
            RealServerState sorry = vs.sorryServer;
            if (sorry != null && sorry.inhibit && !sorry.set) {
                sorry.failedCheckers = 1;
                ipvsAdd(sorry);
                sorry.failedCheckers = 0;
            }
        } finally {
            strict = false;
        }
    }

    /** Undoes what {@link #install} did to the table after it threw. */
    void rollback(VirtualServerState vs) {
        List<RealServerState> all = new ArrayList<>(vs.realServers);
        if (vs.sorryServer != null) {
            all.add(vs.sorryServer);
        }
        for (RealServerState rs : all) {
            if (rs.addedByInstall) {
                try {
                    table.deleteRealServer(vs.key, rs.address, rs.port);
                } catch (RuntimeException e) {
                    log.warn("IPVS: rollback of " + rs.label + ": " + e.getMessage());
                }
            }
        }
        if (vs.createdService) {
            try {
                table.deleteService(vs.key);
            } catch (RuntimeException e) {
                log.warn("IPVS: rollback of " + vs.label + ": " + e.getMessage());
            }
        }
    }

    /** {@code register_checkers_thread}: first check after 1 s plus a uniform random delay in [0, warmup]. */
    void activate(VirtualServerState vs) {
        for (CheckerState c : vs.checkers()) {
            log.info("Activating healthchecker for service " + c.rs.label + " for VS " + vs.label);
            long jitter = c.warmup > 0 ? random.nextLong(c.warmup + 1) : 0;
            c.schedule(SECOND + jitter);
        }
    }

    /** {@code clear_service_vs(vs, stopping=true)}: what keepalived does to a virtual server on shutdown. */
    void shutdown(VirtualServerState vs, boolean release) {
        for (CheckerState c : vs.checkers()) {
            c.cancel();
            try {
                c.probe.close();
            } catch (RuntimeException e) {
                log.warn("probe close failed: " + e);
            }
        }
        RealServerState sorry = vs.sorryServer;
        if (sorry != null && sorry.set) {
            if (release) {
                forceDelete(sorry);
            }
            sorry.alive = false;
        }
        for (RealServerState rs : vs.realServers) {
            if (release) {
                log.info("Shutting down " + (rs.inhibit && !rs.alive ? "(inhibited) " : "") + "service " + rs.label
                        + " from VS " + vs.label);
            }
            if (!rs.set) {
                continue;
            }
            if (release) {
                forceDelete(rs);
            }
            if (!rs.alive) {
                continue;
            }
            rs.alive = false;
            if (vs.omega) {
                rsNotifies(rs);
            }
        }
        long sum = vs.aliveWeightSum();
        vs.quorumUp = false;
        if (vs.omega) {
            vsNotifies(vs, sum);
        }
        if (release && vs.createdService) {
            try {
                table.deleteService(vs.key);
            } catch (IpvsException e) {
                log.warn("IPVS: " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ checker and real server state

    /** {@code update_svr_checker_state}. */
    void updateCheckerState(CheckerState c, boolean alive) {
        RealServerState rs = c.rs;
        if (c.up == alive) {
            if (!c.hasRun) {
                if (c.alpha || !alive) {
                    rsNotifies(rs);
                }
                c.hasRun = true;
            }
            return;
        }
        c.hasRun = true;
        if (alive) {
            if (rs.failedCheckers <= 1 && !performRealServerState(rs, true)) {
                return;
            }
        } else if (rs.failedCheckers == 0 && !performRealServerState(rs, false)) {
            return;
        }
        setCheckerState(c, alive);
    }

    private static void setCheckerState(CheckerState c, boolean up) {
        if (c.up == up) {
            return;
        }
        c.up = up;
        if (!up) {
            c.rs.failedCheckers++;
        } else if (c.rs.failedCheckers > 0) {
            c.rs.failedCheckers--;
        }
    }

    /** {@code perform_svr_state}: puts the real server in or out of the pool. */
    private boolean performRealServerState(RealServerState rs, boolean alive) {
        VirtualServerState vs = rs.vs;
        if (rs.alive == alive) {
            return true;
        }
        String verb = alive ? (rs.inhibit ? "Enabling" : "Adding") : (rs.inhibit ? "Disabling" : "Removing");
        String prep = rs.inhibit ? "of" : alive ? "to" : "from";
        log.info(verb + " service " + rs.label + " " + prep + " VS " + vs.label);
        if (vs.quorumUp || !vs.sorryServerActive()) {
            if (!(alive ? ipvsAdd(rs) : ipvsDel(rs))) {
                return false;
            }
        }
        rs.alive = alive;
        rsNotifies(rs);
        updateQuorumState(vs, false);
        return true;
    }

    /** A MISC_CHECK dynamic contribution changed: recompute the effective weight ({@code update_svr_wgt}). */
    void applyDynamicWeight(RealServerState rs) {
        long weight = rs.configuredWeight;
        for (CheckerState c : rs.checkers) {
            if (c instanceof MiscChecker m) {
                weight += m.weightDelta;
            }
        }
        updateWeight(rs, weight);
    }

    private void updateWeight(RealServerState rs, long weight) {
        VirtualServerState vs = rs.vs;
        int oldWeight = rs.realWeight();
        rs.effectiveWeight = weight;
        int newWeight = rs.realWeight();
        if (newWeight == oldWeight) {
            return;
        }
        log.info("Changing weight from " + oldWeight + " to " + newWeight + " for " + (rs.alive ? "" : "in")
                + "active service " + rs.label + " of VS " + vs.label);
        if (rs.set && rs.alive && (vs.quorumUp || !vs.sorryServerActive())) {
            ipvsEdit(rs, ipvsWeight(rs));
        }
        updateQuorumState(vs, false);
    }

    // ------------------------------------------------------------------ quorum

    /** {@code update_quorum_state}. */
    void updateQuorumState(VirtualServerState vs, boolean init) {
        long sum = vs.aliveWeightSum();
        long threshold = vs.quorum + (vs.quorumUp ? -1L : 1L) * vs.hysteresis;
        RealServerState sorry = vs.sorryServer;
        if (!vs.quorumUp && sum >= threshold) {
            vs.quorumUp = true;
            log.info("Gained quorum " + vs.quorum + "+" + vs.hysteresis + "=" + threshold + " <= " + sum
                    + " for VS " + vs.label);
            if (sorry != null && sorry.alive) {
                log.info((sorry.inhibit ? "Disabling" : "Removing") + " sorry server " + sorry.label + " from VS "
                        + vs.label);
                atomically(() -> {
                    ipvsDel(sorry);
                    sorry.alive = false;
                    performQuorumState(vs, true);
                });
            }
            vsNotifies(vs, sum);
        } else if ((vs.quorumUp && (sum == 0 || sum < threshold))
                || (init && !vs.quorumUp && sorry != null && !sorry.alive)) {
            vs.quorumUp = false;
            log.info((init ? "Starting with quorum down " : "Lost quorum ") + vs.quorum + "-" + vs.hysteresis + "="
                    + threshold + " > " + sum + " for VS " + vs.label);
            if (sorry != null && !sorry.alive) {
                log.info((sorry.inhibit ? "Enabling" : "Adding") + " sorry server " + sorry.label + " to VS "
                        + vs.label);
                atomically(() -> {
                    performQuorumState(vs, false);
                    ipvsAdd(sorry);
                    sorry.alive = true;
                });
            }
            vsNotifies(vs, sum);
        }
    }

    /** {@code perform_quorum_state}: adds or removes every alive real server. */
    private void performQuorumState(VirtualServerState vs, boolean add) {
        log.info((add ? "Adding alive servers to" : "Removing alive servers from") + " the pool for VS " + vs.label);
        for (RealServerState rs : vs.realServers) {
            if (rs.alive) {
                if (add) {
                    ipvsAdd(rs);
                } else {
                    ipvsDel(rs);
                }
            }
        }
    }

    private void atomically(Runnable r) {
        if (strict) {
            r.run();
        } else {
            table.atomically(r);
        }
    }

    // ------------------------------------------------------------------ notifiers

    private void rsNotifies(RealServerState rs) {
        boolean alive = rs.alive;
        launch(alive ? rs.notifyUp : rs.notifyDown);
        effects.add(() -> {
            if (alive) {
                listener.realServerUp(rs.vs.key, rs.socketAddress);
            } else {
                listener.realServerDown(rs.vs.key, rs.socketAddress);
            }
        });
    }

    private void vsNotifies(VirtualServerState vs, long sum) {
        boolean up = vs.quorumUp;
        launch(up ? vs.quorumUpScript : vs.quorumDownScript);
        effects.add(() -> {
            if (up) {
                listener.quorumGained(vs.key, sum);
            } else {
                listener.quorumLost(vs.key, sum);
            }
        });
    }

    // ------------------------------------------------------------------ IPVS (ipvs_cmd)

    /** The weight sent to IPVS: keepalived's real_weight, within what the table accepts. */
    static int ipvsWeight(RealServerState rs) {
        return Math.min(rs.realWeight(), RealServerOptions.MAX_WEIGHT);
    }

    /** {@code LVS_CMD_ADD_DEST}: with inhibit_on_failure an installed destination is edited instead. */
    private boolean ipvsAdd(RealServerState rs) {
        int weight = ipvsWeight(rs);
        if (rs.inhibit && rs.set) {
            return ipvsEdit(rs, weight);
        }
        if (rs.inhibit && rs.failedCheckers > 0) {
            weight = 0;
        }
        int w = weight;
        boolean ok = talk(rs, () -> addOrEdit(rs, w));
        if (ok) {
            rs.set = true;
        }
        return ok;
    }

    /** {@code LVS_CMD_DEL_DEST}: with inhibit_on_failure the destination is edited to weight 0 instead. */
    private boolean ipvsDel(RealServerState rs) {
        if (rs.inhibit) {
            return ipvsEdit(rs, 0);
        }
        if (!rs.set) {
            return true;
        }
        boolean ok = talk(rs, () -> delete(rs));
        if (ok) {
            rs.set = false;
        }
        return ok;
    }

    private boolean ipvsEdit(RealServerState rs, int weight) {
        return talk(rs, () -> {
            RealServer current = current(rs);
            RealServerOptions options = current != null ? current.options().withWeight(weight)
                    : new RealServerOptions(weight, rs.vs.forwarding, 0, 0);
            table.editRealServer(rs.vs.key, rs.address, rs.port, options);
        });
    }

    /** Removes the destination whatever inhibit_on_failure says (shutdown). */
    private void forceDelete(RealServerState rs) {
        if (talk(rs, () -> delete(rs))) {
            rs.set = false;
        }
    }

    private void delete(RealServerState rs) {
        try {
            table.deleteRealServer(rs.vs.key, rs.address, rs.port);
        } catch (IpvsException e) {
            if (e.reason() != IpvsException.Reason.NO_SUCH_DESTINATION) {
                throw e;
            }
        }
    }

    private void addOrEdit(RealServerState rs, int weight) {
        RealServerOptions fresh = new RealServerOptions(weight, rs.vs.forwarding, 0, 0);
        try {
            table.addRealServer(rs.vs.key, rs.address, rs.port, fresh);
            rs.addedByInstall |= strict;
        } catch (IpvsException e) {
            if (e.reason() != IpvsException.Reason.DESTINATION_EXISTS) {
                throw e;
            }
            RealServer current = current(rs);
            table.editRealServer(rs.vs.key, rs.address, rs.port,
                    current != null ? current.options().withWeight(weight) : fresh);
        }
    }

    private RealServer current(RealServerState rs) {
        VirtualService svc = table.service(rs.vs.key);
        return svc == null ? null : svc.realServer(rs.address, rs.port);
    }

    private boolean talk(RealServerState rs, Runnable op) {
        if (strict) {
            op.run();
            return true;
        }
        try {
            op.run();
            return true;
        } catch (RuntimeException e) {
            log.warn("IPVS: " + rs.label + " of VS " + rs.vs.label + ": " + e.getMessage());
            return false;
        }
    }
}
