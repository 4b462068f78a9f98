package io.lvs4j.health;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ServiceKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * keepalived's checker process for lvs4j: runs the health checkers of virtual servers and drives
 * their real servers in an {@link IpvsTable} through its admin operations, exactly where keepalived
 * calls {@code ipvsadm -a/-e/-d} (spec keepalived.md §1).
 *
 * <ul>
 *   <li>{@link #add} validates a virtual server, applies keepalived's config-time adjustments (quorum
 *       reduced to the weight sum, hysteresis at most quorum − 1, real server ports), creates the IPVS
 *       service if absent and installs the real servers: without {@code alpha} before any check, with
 *       {@code alpha} only after their first success, and with {@code inhibit_on_failure} a real server
 *       not yet up at weight 0. A rejected spec raises {@link IllegalArgumentException} and changes nothing.</li>
 *   <li>{@link #start} schedules every checker's first check after 1 s plus a uniform random delay in
 *       [0, warmup]; virtual servers added later start at once the same way.</li>
 *   <li>Each checker follows keepalived's failure/recovery state machine (§1.3, §1.6, §1.7); a real
 *       server is alive when all its checkers are up. Quorum, hysteresis, the sorry server,
 *       {@code notify_up/down} and {@code quorum_up/down} scripts follow §1.4.</li>
 *   <li>{@link #close} stops every checker and does what keepalived does on shutdown: removes the real
 *       servers (and the services it created) from the table and, with {@code omega}, runs the
 *       {@code notify_down} and {@code quorum_down} notifiers.</li>
 * </ul>
 *
 * <p>Thread safety: all checking runs on the {@link CheckTimer}'s thread; the public methods may be
 * called from any thread and are serialized with it by one internal lock. Listeners and the script
 * launcher are called with that lock held and must return quickly. Log lines use keepalived's wording,
 * through {@link System.Logger} {@code io.lvs4j.health} and an optional {@link Builder#logSink sink}.
 */
public final class HealthChecker implements AutoCloseable {

    private final HealthEngine engine;
    /** The I/O loop this checker made for itself (closed with it), or null when one was given. */
    private final IoLoop ownedLoop;
    private final ProbeFactory probes;
    private final boolean releaseOnClose;
    private final Map<ServiceKey, VirtualServerState> virtualServers = new LinkedHashMap<>();
    private boolean started;

    private HealthChecker(Builder b) {
        CheckLog log = new CheckLog(b.logSink);
        CheckTimer timer = b.timer;
        if (timer == null) {
            ownedLoop = new IoLoop();
            timer = ownedLoop;
        } else {
            ownedLoop = null;
        }
        ScriptLauncher scripts = b.scripts;
        if (scripts == null) {
            ScriptRunner runner = new ScriptRunner(timer);
            scripts = runner::run;
        }
        this.engine = new HealthEngine(b.table, timer, scripts, b.listener, log, b.random);
        this.probes = b.probes != null ? b.probes : new Probes((IoLoop) timer);
        this.releaseOnClose = b.releaseOnClose;
    }

    /** A builder for a checker driving {@code table}. */
    public static Builder builder(IpvsTable table) {
        return new Builder(table);
    }

    /**
     * Adds a virtual server: validates it, creates its IPVS service if absent and installs its real
     * servers as keepalived does at startup (non-alpha real servers go in before any check). If the
     * checker is started, its checkers start now. A virtual server without real servers is ignored with
     * keepalived's warning.
     *
     * @throws IllegalArgumentException the spec is not valid (the message names the value); nothing changed
     * @throws IllegalStateException    the checker is closed, or the virtual server was already added
     */
    public void add(VirtualServerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        synchronized (engine.lock) {
            if (engine.closed) {
                throw new IllegalStateException("health checker is closed");
            }
            if (virtualServers.containsKey(spec.key())) {
                throw new IllegalStateException("virtual_server " + KeepalivedFormat.virtualServer(spec.key())
                        + " is already added");
            }
            SpecResolver resolver = new SpecResolver(engine, probes);
            VirtualServerState vs = resolver.resolve(spec);
            resolver.warnings.forEach(engine.log::warn);
            if (vs == null) {
                return;
            }
            try {
                engine.table.atomically(() -> {
                    try {
                        engine.install(vs);
                    } catch (RuntimeException e) {
                        engine.rollback(vs);
                        throw e;
                    }
                });
            } catch (RuntimeException e) {
                engine.discardEffects();
                for (CheckerState c : vs.checkers()) {
                    try {
                        c.probe.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            virtualServers.put(vs.key, vs);
            if (started) {
                engine.activate(vs);
            }
            engine.flushEffects();
        }
    }

    /** Starts checking: each checker's first check runs after 1 s plus a uniform random delay in [0, warmup]. */
    public void start() {
        synchronized (engine.lock) {
            if (engine.closed) {
                throw new IllegalStateException("health checker is closed");
            }
            if (started) {
                return;
            }
            started = true;
            for (VirtualServerState vs : virtualServers.values()) {
                engine.activate(vs);
            }
        }
    }

    /** The state of every virtual server, in the order they were added: an immutable snapshot. */
    public List<VirtualServerStatus> status() {
        synchronized (engine.lock) {
            List<VirtualServerStatus> list = new ArrayList<>(virtualServers.size());
            for (VirtualServerState vs : virtualServers.values()) {
                list.add(vs.status());
            }
            return List.copyOf(list);
        }
    }

    /** The state of one virtual server, or null if it was not added. */
    public VirtualServerStatus status(ServiceKey key) {
        synchronized (engine.lock) {
            VirtualServerState vs = virtualServers.get(key);
            return vs == null ? null : vs.status();
        }
    }

    /**
     * Stops all checkers and closes their probes, then, per virtual server, does what keepalived does on
     * shutdown: removes its real servers and sorry server from the table (and the service, if this
     * checker created it), and with {@code omega} runs {@code notify_down} for each real server that was
     * alive and {@code quorum_down}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (engine.lock) {
            if (engine.closed) {
                return;
            }
            engine.closed = true;
            try {
                for (VirtualServerState vs : virtualServers.values()) {
                    if (releaseOnClose) {
                        engine.table.atomically(() -> engine.shutdown(vs, true));
                    } else {
                        engine.shutdown(vs, false);
                    }
                }
            } finally {
                engine.flushEffects();
            }
        }
        if (ownedLoop != null) {
            ownedLoop.close();
        }
    }

    /** Builder of {@link HealthChecker}; every setting has a working default. */
    public static final class Builder {
        private final IpvsTable table;
        private CheckTimer timer;
        private ProbeFactory probes;
        private ScriptLauncher scripts;
        private RandomGenerator random = RandomGenerator.getDefault();
        private HealthListener listener = new HealthListener() {
        };
        private Consumer<String> logSink;
        private boolean releaseOnClose = true;

        private Builder(IpvsTable table) {
            this.table = Objects.requireNonNull(table, "table");
        }

        /** The timer all checks run on (one thread). */
        public Builder timer(CheckTimer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** Makes the probe of each checker. */
        public Builder probes(ProbeFactory probes) {
            this.probes = Objects.requireNonNull(probes, "probes");
            return this;
        }

        /** Runs notify and quorum scripts; without one, a script is logged as not run. */
        public Builder scripts(ScriptLauncher scripts) {
            this.scripts = Objects.requireNonNull(scripts, "scripts");
            return this;
        }

        /** The source of the warmup jitter (default {@link RandomGenerator#getDefault()}). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder listener(HealthListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Also receives every log line, verbatim (for tests and embedding applications). */
        public Builder logSink(Consumer<String> sink) {
            this.logSink = sink;
            return this;
        }

        /**
         * Whether {@link #close} removes the real servers (and the services it created) from the table, as
         * keepalived does on shutdown; {@code false} leaves the table as it is, like keepalived's
         * {@code --dont-release-ipvs} (the {@code omega} notifiers still run). Default true.
         */
        public Builder releaseOnClose(boolean release) {
            this.releaseOnClose = release;
            return this;
        }

        /**
         * Builds the checker. Without a {@link #timer} it makes its own {@link IoLoop} (closed by
         * {@link HealthChecker#close}); without {@link #probes} it uses the real probes, which need the
         * timer to be an {@link IoLoop}; without {@link #scripts} notify and quorum scripts run as
         * processes ({@link ScriptRunner}).
         */
        public HealthChecker build() {
            if (probes == null && timer != null && !(timer instanceof IoLoop)) {
                throw new IllegalStateException("the real probes need an IoLoop timer; give probes(...) with a custom timer");
            }
            return new HealthChecker(this);
        }
    }
}
