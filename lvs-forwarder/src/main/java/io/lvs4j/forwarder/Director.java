package io.lvs4j.forwarder;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.IpvsException;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import io.lvs4j.health.HealthChecker;
import io.lvs4j.health.HealthListener;
import io.lvs4j.health.IoLoop;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.RealServerStatus;
import io.lvs4j.health.ScriptLauncher;
import io.lvs4j.health.VirtualServerStatus;
import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The forwarder's control side, running: the live {@link IpvsTable} built from a {@link ForwarderConfig}, its
 * maintenance, one {@link HealthChecker} per virtual service (all on one I/O thread), the VRRP part, the
 * {@code lvsadm} control socket and the {@link DataPlane}.
 *
 * <p>{@link #reload} applies a new configuration as a difference, the way keepalived reloads: a configuration
 * with errors is refused and nothing changes; otherwise services that are configured exactly as before are not
 * touched at all (same {@code VirtualService} and {@code RealServer} objects, connections, counters and health
 * state); changed services are edited in place (options with {@code -E} semantics, real servers added, edited or
 * deleted one by one, so the objects and connections of what stays are kept) and their health checkers
 * restarted; new services are added and removed ones deleted. Services added at run time with {@code lvsadm}
 * that no configuration names are left alone.
 *
 * <p>{@code uthreshold}/{@code lthreshold} are put back on a real server whenever health checking re-adds it
 * (lvs-health adds real servers without thresholds).
 *
 * <p>Thread safety: {@link #reload} and {@link #close} may be called from any thread and are serialized; the
 * data plane's {@link DataPlane#reconcile} is called under one lock, whoever changed the table (a reload, the
 * control socket, VRRP).
 */
public final class Director implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Director.class.getName());

    private final IpvsTable table;
    private final AutoCloseable maintenance;
    private final IoLoop healthLoop;
    private final Consumer<String> healthLogSink;
    private final ScriptLauncher scripts;
    private final boolean healthChecks;
    private final boolean vrrpEnabled;
    private final boolean logDetail;
    private final Object lock = new Object();
    private final Object planeLock = new Object();
    private final Map<ServiceKey, Running> running = new LinkedHashMap<>();
    private volatile DataPlane dataPlane;
    private ControlServer control;
    private VrrpBridge.Running vrrp;
    private ForwarderConfig config;
    private boolean closed;

    /** One configured service and the checker that drives its real servers. */
    private static final class Running {
        volatile VirtualServiceConfig config;
        HealthChecker checker;

        Running(VirtualServiceConfig config) {
            this.config = config;
        }
    }

    private Director(Builder b) {
        this.table = b.table != null ? b.table : new IpvsTable();
        this.healthLogSink = b.healthLogSink;
        this.scripts = b.scripts;
        this.healthChecks = b.healthChecks;
        this.vrrpEnabled = b.vrrp;
        this.logDetail = b.logDetail;
        this.config = b.config;
        this.maintenance = table.startMaintenance();
        this.healthLoop = new IoLoop();
    }

    /** A builder for a director running {@code config}. */
    public static Builder builder(ForwarderConfig config) {
        return new Builder(config);
    }

    /** The live table. */
    public IpvsTable table() {
        return table;
    }

    /** The configuration running now (the last one applied). */
    public ForwarderConfig config() {
        synchronized (lock) {
            return config;
        }
    }

    /** The data plane, or null before it was started. */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    /** The control server, or null when none was asked for. */
    public ControlServer controlServer() {
        return control;
    }

    /** The health state of every configured virtual service, in configuration order. */
    public List<VirtualServerStatus> healthStatus() {
        synchronized (lock) {
            List<VirtualServerStatus> list = new ArrayList<>();
            for (Map.Entry<ServiceKey, Running> e : running.entrySet()) {
                VirtualServerStatus s = e.getValue().checker == null ? null : e.getValue().checker.status(e.getKey());
                if (s != null) {
                    list.add(s);
                }
            }
            return List.copyOf(list);
        }
    }

    private void start(Builder b) throws IOException {
        if (config.hasErrors()) {
            throw new IllegalArgumentException("the configuration has errors:\n" + String.join("\n",
                    config.errors().stream().map(ConfigDiagnostic::toString).toList()));
        }
        synchronized (lock) {
            for (VirtualServiceConfig svc : config.services()) {
                Running r = new Running(svc);
                running.put(svc.key(), r);
                install(r);
            }
            if (!config.vrrp().isEmpty() && vrrpEnabled) {
                try {
                    vrrp = VrrpBridge.start(config.vrrp(), this::tableChanged, logDetail);
                } catch (IOException e) {
                    throw new IOException("VRRP: " + e.getMessage(), e);
                }
            }
        }
        if (b.controlSocket != null) {
            try {
                control = ControlServer.start(b.controlSocket, table, this::tableChanged);
            } catch (IOException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new IOException("control socket " + b.controlSocket + ": " + reason, e);
            }
        }
        dataPlane = Objects.requireNonNull(b.dataPlane.apply(table), "the data plane factory returned null");
        tableChanged();
        LOG.log(Level.INFO, "Started with " + config.services().size() + " virtual service(s) from "
                + config.source().file());
    }

    /** Tells the data plane that the table's services may have changed. */
    void tableChanged() {
        DataPlane plane = dataPlane;
        if (plane == null) {
            return;
        }
        synchronized (planeLock) {
            try {
                plane.reconcile();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "data plane reconcile failed: " + e, e);
            }
        }
    }

    /**
     * Reads {@code file} and applies it with {@link #reload(ForwarderConfig)}; a file that cannot be read is
     * refused like a configuration with errors.
     */
    public ReloadResult reload(Path file) {
        ForwarderConfig next;
        try {
            next = ForwarderConfig.load(file);
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            LOG.log(Level.ERROR, "Reload refused: cannot read " + file + ": " + reason
                    + " - keeping the running configuration");
            return ReloadResult.refused(List.of());
        }
        return reload(next);
    }

    /**
     * Applies {@code next} as a difference (see the class comment). With errors in {@code next} nothing changes
     * and each error is logged.
     *
     * @throws IllegalStateException after {@link #close}
     */
    public ReloadResult reload(ForwarderConfig next) {
        Objects.requireNonNull(next, "next");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the director is closed");
            }
            for (ConfigDiagnostic d : next.warnings()) {
                LOG.log(Level.WARNING, d.toString());
            }
            if (next.hasErrors()) {
                for (ConfigDiagnostic d : next.errors()) {
                    LOG.log(Level.ERROR, d.toString());
                }
                LOG.log(Level.ERROR, "Reload refused: " + next.source().file() + " has " + next.errors().size()
                        + " error(s) - keeping the running configuration");
                return ReloadResult.refused(next.diagnostics());
            }
            Map<ServiceKey, VirtualServiceConfig> wanted = new LinkedHashMap<>();
            for (VirtualServiceConfig svc : next.services()) {
                wanted.put(svc.key(), svc);
            }
            List<ServiceKey> added = new ArrayList<>();
            List<ServiceKey> changed = new ArrayList<>();
            List<ServiceKey> removed = new ArrayList<>();
            List<ServiceKey> unchanged = new ArrayList<>();
            for (ServiceKey key : new ArrayList<>(running.keySet())) {
                if (!wanted.containsKey(key)) {
                    Running r = running.remove(key);
                    stopChecker(r);
                    try {
                        if (table.service(key) != null) {
                            table.deleteService(key);
                        }
                        LOG.log(Level.INFO, "Removing Virtual Server " + key);
                    } catch (IpvsException e) {
                        LOG.log(Level.WARNING, "IPVS: " + e.getMessage());
                    }
                    removed.add(key);
                }
            }
            Map<ServiceKey, Running> order = new LinkedHashMap<>();
            for (VirtualServiceConfig svc : next.services()) {
                Running r = running.get(svc.key());
                if (r != null && r.config.fingerprint().equals(svc.fingerprint()) && table.service(svc.key()) != null) {
                    r.config = svc;
                    unchanged.add(svc.key());
                    order.put(svc.key(), r);
                    continue;
                }
                if (r != null) {
                    stopChecker(r);
                    r.config = svc;
                    changed.add(svc.key());
                } else {
                    r = new Running(svc);
                    added.add(svc.key());
                }
                order.put(svc.key(), r);
                try {
                    install(r);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "Reload: cannot apply virtual_server " + svc.key() + " (" + svc.source()
                            + "): " + e.getMessage());
                }
            }
            running.clear();
            running.putAll(order);
            if (vrrp != null && next.vrrp().isEmpty()) {
                vrrp.close();
                vrrp = null;
            } else if (vrrp != null) {
                vrrp.reload(next.vrrp());
            } else if (!next.vrrp().isEmpty() && vrrpEnabled) {
                try {
                    vrrp = VrrpBridge.start(next.vrrp(), this::tableChanged, logDetail);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "Reload: cannot start VRRP: " + e.getMessage());
                }
            }
            config = next;
            LOG.log(Level.INFO, "Reloaded " + next.source().file() + ": " + added.size() + " added, " + changed.size()
                    + " changed, " + removed.size() + " removed, " + unchanged.size() + " unchanged");
            ReloadResult result = new ReloadResult(true, added, changed, removed, unchanged, next.diagnostics());
            tableChanged();
            return result;
        }
    }

    /**
     * Puts {@code r}'s service into the table and starts its checker: creates the service or edits its options,
     * deletes destinations the configuration no longer has, edits those whose options changed, lets a new
     * {@link HealthChecker} install the real servers as keepalived does at start, then removes what the checker
     * does not want in the table (an alpha real server, a sorry server while quorum holds).
     */
    private void install(Running r) {
        VirtualServiceConfig svc = r.config;
        ServiceKey key = svc.key();
        table.atomically(() -> {
            VirtualService vs = table.service(key);
            if (vs == null) {
                table.addService(key, svc.options());
                LOG.log(Level.INFO, "Adding Virtual Server " + key);
            } else {
                if (!vs.options().equals(svc.options())) {
                    table.editService(key, svc.options());
                }
                Set<String> wanted = new HashSet<>();
                for (RealServerConfig rs : svc.realServers()) {
                    wanted.add(Addresses.format(rs.address(), rs.port()));
                }
                RealServerSpec sorry = svc.health().sorryServer();
                if (sorry != null) {
                    wanted.add(Addresses.format(sorry.address(), sorry.port()));
                }
                for (RealServer d : vs.realServers()) {
                    RealServerConfig want = svc.realServer(d.address(), d.port());
                    if (!wanted.contains(Addresses.format(d.address(), d.port()))) {
                        table.deleteRealServer(key, d.address(), d.port());
                    } else if (want != null && !d.options().equals(want.options())) {
                        table.editRealServer(key, d.address(), d.port(), want.options());
                    }
                }
            }
            HealthChecker checker = newChecker(r);
            try {
                checker.add(svc.health());
            } catch (RuntimeException e) {
                checker.close();
                throw e;
            }
            r.checker = checker;
            removeUnwanted(svc, checker);
            syncThresholds(svc);
        });
        if (healthChecks) {
            r.checker.start();
        }
    }

    private void removeUnwanted(VirtualServiceConfig svc, HealthChecker checker) {
        ServiceKey key = svc.key();
        VirtualServerStatus status = checker.status(key);
        VirtualService vs = table.service(key);
        if (status == null || vs == null) {
            return;
        }
        RealServerSpec sorry = svc.health().sorryServer();
        for (RealServer d : vs.realServers()) {
            RealServerStatus rs = status.realServer(new InetSocketAddress(d.address(), d.port()));
            boolean isSorry = sorry != null && sorry.address().equals(d.address()) && sorry.port() == d.port();
            boolean keep = rs != null ? rs.inIpvs()
                    : isSorry && (status.sorryServerActive() || svc.health().sorryServerInhibit());
            if (!keep) {
                table.deleteRealServer(key, d.address(), d.port());
            }
        }
    }

    /** Puts the configured thresholds back on the real servers of {@code svc} that are in the table. */
    private void syncThresholds(VirtualServiceConfig svc) {
        VirtualService vs = table.service(svc.key());
        if (vs == null) {
            return;
        }
        for (RealServer d : vs.realServers()) {
            RealServerConfig want = svc.realServer(d.address(), d.port());
            if (want == null) {
                continue;
            }
            RealServerOptions o = d.options();
            int upper = want.options().upperThreshold();
            int lower = want.options().lowerThreshold();
            if (o.upperThreshold() != upper || o.lowerThreshold() != lower) {
                try {
                    table.editRealServer(svc.key(), d.address(), d.port(), o.withThresholds(upper, lower));
                } catch (IpvsException | IllegalArgumentException e) {
                    LOG.log(Level.DEBUG, "thresholds of " + d + ": " + e.getMessage());
                }
            }
        }
    }

    private HealthChecker newChecker(Running r) {
        HealthListener listener = new HealthListener() {
            @Override
            public void realServerUp(ServiceKey virtualServer, InetSocketAddress realServer) {
                syncThresholds(r.config);
            }

            @Override
            public void quorumGained(ServiceKey virtualServer, long weightSum) {
                syncThresholds(r.config);
            }

            @Override
            public void quorumLost(ServiceKey virtualServer, long weightSum) {
                syncThresholds(r.config);
            }
        };
        HealthChecker.Builder b = HealthChecker.builder(table).timer(healthLoop).listener(listener)
                .releaseOnClose(false);
        if (healthLogSink != null) {
            b.logSink(healthLogSink);
        }
        if (scripts != null) {
            b.scripts(scripts);
        }
        return b.build();
    }

    private static void stopChecker(Running r) {
        if (r != null && r.checker != null) {
            try {
                r.checker.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the health checker of " + r.config.key() + ": " + e);
            }
            r.checker = null;
        }
    }

    /**
     * Shuts down as keepalived does on SIGTERM, then stops forwarding: VRRP instances send priority 0 and release
     * their addresses, the control socket closes, the data plane stops accepting and lets open connections run
     * for at most {@code drain}, the health checkers stop (running {@code omega} notifiers). The table is left as
     * it is. Idempotent.
     */
    public void close(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        List<Running> checkers;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (vrrp != null) {
                try {
                    vrrp.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "stopping VRRP: " + e);
                }
                vrrp = null;
            }
            checkers = new ArrayList<>(running.values());
        }
        if (control != null) {
            control.close();
        }
        DataPlane plane = dataPlane;
        if (plane != null) {
            try {
                plane.close(drain);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the data plane: " + e);
            }
        }
        for (Running r : checkers) {
            stopChecker(r);
        }
        healthLoop.close();
        try {
            maintenance.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping table maintenance: " + e);
        }
        LOG.log(Level.INFO, "Stopped");
    }

    /** {@link #close(Duration)} without draining. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** Builder of {@link Director}. */
    public static final class Builder {
        private final ForwarderConfig config;
        private IpvsTable table;
        private Function<IpvsTable, DataPlane> dataPlane = t -> DataPlane.none();
        private Path controlSocket;
        private Consumer<String> healthLogSink;
        private ScriptLauncher scripts;
        private boolean healthChecks = true;
        private boolean vrrp = true;
        private boolean logDetail;

        private Builder(ForwarderConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The table to fill (default: a new table with the kernel's defaults). */
        public Builder table(IpvsTable table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Makes the data plane over the table, once the table is filled (default: {@link DataPlane#none()}). */
        public Builder dataPlane(Function<IpvsTable, DataPlane> factory) {
            this.dataPlane = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Serves {@code lvsadm} on this Unix domain socket (default: no control socket). */
        public Builder controlSocket(Path socket) {
            this.controlSocket = socket;
            return this;
        }

        /** Also receives every health checker log line. */
        public Builder healthLogSink(Consumer<String> sink) {
            this.healthLogSink = sink;
            return this;
        }

        /** Runs notify and quorum scripts (default: as processes). */
        public Builder scripts(ScriptLauncher launcher) {
            this.scripts = Objects.requireNonNull(launcher, "launcher");
            return this;
        }

        /**
         * Whether checkers run (default true). Without, real servers are installed as keepalived does at start
         * (non-alpha ones at once) and stay so: for tests and dry runs.
         */
        public Builder healthChecks(boolean on) {
            this.healthChecks = on;
            return this;
        }

        /**
         * Whether the configuration's {@code vrrp_instance}s run (default true; they need root or CAP_NET_RAW and
         * CAP_NET_ADMIN). Without, their addresses are served whenever they are on the host.
         */
        public Builder vrrp(boolean on) {
            this.vrrp = on;
            return this;
        }

        /** keepalived's {@code -D}: detailed VRRP logging. */
        public Builder logDetail(boolean on) {
            this.logDetail = on;
            return this;
        }

        /**
         * Fills the table, starts health checking, VRRP, the control socket and the data plane.
         *
         * @throws IllegalArgumentException the configuration has errors
         * @throws IOException              VRRP cannot start (the message starts with {@code VRRP:}) or the control
         *                                  socket cannot be opened ({@code control socket PATH:})
         */
        public Director start() throws IOException {
            Director d = new Director(this);
            try {
                d.start(this);
            } catch (IOException | RuntimeException e) {
                d.close();
                throw e;
            }
            return d;
        }
    }
}
