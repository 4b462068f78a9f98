package io.lvs4j.vrrp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * keepalived's VRRP process ({@code keepalived --vrrp}) on this host: runs a {@link VrrpEngine} for a
 * {@link VrrpDaemonConfig} and carries out its actions on Linux.
 *
 * <ul>
 *   <li>Adverts: one raw socket per (interface, address family) in use ({@link VrrpSocket} with
 *       {@code IP_HDRINCL}, {@link VrrpSocket6}); packets built with {@link VrrpCodec} from the instance
 *       configuration: TOS 0xC0, TTL 255 ({@code unicast_ttl} for unicast), an IP ID incremented per advert
 *       skipping 0, source {@code mcast_src_ip}/{@code unicast_src_ip} or the interface's primary address,
 *       destination 224.0.0.18/ff02::12 ({@code vrrp_mcast_group4/6}) or each unicast peer; PASS and AH
 *       authentication; the configured VRRPv3 checksum form.</li>
 *   <li>Received packets: a thread per socket dispatches on the VRID, checks the packet with
 *       {@link AdvertValidator} (its lines are logged, prefixed with the instance name, at most once per 5 s
 *       each) and hands accepted adverts to the engine's thread.</li>
 *   <li>VIPs and excluded VIPs are added and removed with {@link Netlink} (idempotently, with labels; IPv6
 *       without DAD), gratuitous ARPs and unsolicited NAs go out through {@link Garp} in the bursts the
 *       engine asks for, {@link LinkMonitor} events become {@link VrrpEngine#interfaceStateChanged}, and the
 *       interfaces' primary addresses are re-read every second ({@link VrrpEngine#interfaceAddressChanged}).</li>
 * </ul>
 *
 * <p>{@link #close()} is keepalived's clean stop: masters send a priority-0 advert (so a backup takes over
 * after its skew time) and remove their VIPs, notify_stop scripts run (and get up to 2 s to finish), then
 * sockets and threads close. {@link #reload(VrrpDaemonConfig)} is keepalived's SIGHUP: instances that are
 * MASTER or BACKUP and keep their name, interface, VRID and family in the new configuration keep their state:
 * a MASTER keeps its VIPs, sends no priority-0 advert and is MASTER again at once in the new engine, and
 * neither notify scripts nor listeners hear about it; everything else restarts.
 *
 * <p>Thread-safe. State changes reach {@link VrrpStateListener}s on one dedicated thread, in order. The
 * process must be root or have CAP_NET_RAW and CAP_NET_ADMIN; sockets are opened in the network namespace of
 * the thread that calls {@link #start}.
 */
public final class VrrpDaemon implements AutoCloseable {

    private static final Duration SCRIPT_GRACE = Duration.ofSeconds(2);

    private final Options options;
    private final VrrpLog log;
    private final TrackingScriptExecutor scripts;
    private final boolean ownsScripts;
    private final Map<Path, NamedPipeNotifyFifo> fifos = new LinkedHashMap<>();
    private final List<VrrpStateListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService listenerThread;
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private DaemonRuntime runtime;
    private VrrpDaemonConfig config;
    private boolean closed;

    private VrrpDaemon(Options options) {
        this.options = options;
        this.log = new VrrpLog(options.logSink, options.logDetail);
        this.ownsScripts = options.scriptExecutor == null;
        this.scripts = new TrackingScriptExecutor(ownsScripts ? new ProcessScriptExecutor() : options.scriptExecutor);
        this.listeners.addAll(options.listeners);
        this.listenerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vrrp-listeners");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a daemon with {@link Options#defaults()}; see {@link #start(VrrpDaemonConfig, Options)}. */
    public static VrrpDaemon start(VrrpDaemonConfig config) throws IOException {
        return start(config, Options.defaults());
    }

    /**
     * Opens the sockets, builds the engine and starts the instances; returns once they have taken their
     * initial state (after {@code vrrp_startup_delay}, if any, they start later).
     *
     * @throws HostNetworkException with a message naming the operation, the interface and what is needed, for
     *     example "open raw VRRP socket (IPv4, protocol 112) on eth0: not permitted: run as root or with
     *     CAP_NET_RAW (EPERM: ...)" or "... no such interface eth9"; nothing is left running
     * @throws VrrpConfigException if the engine refuses the configuration (a {@link VrrpConfigLoader} result
     *     never is)
     * @throws IOException if a notify FIFO cannot be created
     */
    public static VrrpDaemon start(VrrpDaemonConfig config, Options options) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        VrrpDaemon daemon = new VrrpDaemon(options);
        boolean ok = false;
        try {
            daemon.openFifos(config);
            daemon.runtime = DaemonRuntime.start(config, daemon.services(), DaemonRuntime.Handover.NONE);
            daemon.config = config;
            ok = true;
            return daemon;
        } finally {
            if (!ok) {
                daemon.closeShared();
            }
        }
    }

    /** Adds a listener for the changes from now on; see {@link #states()} for the current ones. */
    public void addListener(VrrpStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added earlier. */
    public void removeListener(VrrpStateListener listener) {
        listeners.remove(listener);
    }

    /** The state of every instance as last reported, by name (instances not started yet are absent). */
    public Map<String, VrrpState> states() {
        return Map.copyOf(states);
    }

    /** The state of the instance named {@code name}, as last reported. */
    public Optional<VrrpState> state(String name) {
        return Optional.ofNullable(states.get(name));
    }

    /** The configuration running now. */
    public VrrpDaemonConfig config() {
        synchronized (lifecycle) {
            return config;
        }
    }

    /**
     * keepalived's reload (SIGHUP): stops the running engine and starts one for {@code next}, handing over the
     * instances that stay (see the class comment). If {@code next} cannot be started (for example it names an
     * interface that does not exist), the previous configuration is started again, keeping what was handed
     * over, and the error is thrown.
     *
     * @throws IOException why {@code next} could not be started
     * @throws IllegalStateException if the daemon is closed
     */
    public void reload(VrrpDaemonConfig next) throws IOException {
        Objects.requireNonNull(next, "next");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("VRRP daemon is closed");
            }
            log.info("Reloading ...");
            VrrpDaemonConfig previous = config;
            DaemonRuntime.Handover handover = runtime == null ? DaemonRuntime.Handover.NONE : runtime.close(next);
            runtime = null;
            try {
                openFifos(next);
                runtime = DaemonRuntime.start(next, services(), handover);
                config = next;
                closeUnusedFifos(next);
                log.info("Reload complete");
            } catch (IOException | RuntimeException e) {
                log.warn("Reload failed: " + e.getMessage() + " - going on with the previous configuration");
                try {
                    runtime = DaemonRuntime.start(previous, services(), handover.restrictTo(previous));
                    closeUnusedFifos(previous);
                } catch (IOException | RuntimeException again) {
                    log.warn("Restarting the previous configuration failed too: " + again.getMessage()
                            + " - no VRRP instance is running");
                    e.addSuppressed(again);
                }
                throw e;
            }
        }
    }

    /**
     * Stops: masters send priority 0 and remove their VIPs, every instance reports STOP (notify_stop, the
     * FIFO, listeners), running scripts get up to 2 s, then everything is closed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            log.info("Stopping");
            if (runtime != null) {
                runtime.close(null);
            }
            scripts.awaitIdle(SCRIPT_GRACE);
            closeShared();
            log.info("Stopped");
        }
    }

    private DaemonRuntime.Services services() {
        List<NotifyFifo> targets = new ArrayList<>(fifos.values());
        NotifyFifo fifo = targets.isEmpty() ? null : line -> targets.forEach(f -> f.write(line));
        return new DaemonRuntime.Services(log, options.logDetail, options.logSink, scripts, fifo, this::dispatch);
    }

    private void openFifos(VrrpDaemonConfig c) throws IOException {
        for (Path p : c.notifyFifos()) {
            if (!fifos.containsKey(p)) {
                fifos.put(p, NamedPipeNotifyFifo.open(p));
            }
        }
    }

    private void closeUnusedFifos(VrrpDaemonConfig c) {
        fifos.entrySet().removeIf(e -> {
            if (c.notifyFifos().contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    private void closeShared() {
        fifos.values().forEach(NamedPipeNotifyFifo::close);
        fifos.clear();
        if (ownsScripts) {
            ((ProcessScriptExecutor) scripts.delegate).close();
        }
        listenerThread.shutdown();
        try {
            listenerThread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(VrrpStateChange change) {
        if (change.to() == VrrpState.STOP) {
            states.remove(change.instance());
        } else {
            states.put(change.instance(), change.to());
        }
        try {
            listenerThread.execute(() -> {
                for (VrrpStateListener l : listeners) {
                    try {
                        l.stateChanged(change);
                    } catch (RuntimeException e) {
                        log.warn("VRRP state listener " + l + " failed on " + change + ": " + e);
                    }
                }
            });
        } catch (RuntimeException e) {
            // closing
        }
    }

    /** A {@link ScriptExecutor} that counts the scripts still running. */
    private static final class TrackingScriptExecutor implements ScriptExecutor {
        final ScriptExecutor delegate;
        private final AtomicInteger running = new AtomicInteger();

        TrackingScriptExecutor(ScriptExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<ScriptResult> run(List<String> argv, Duration timeout) {
            running.incrementAndGet();
            CompletionStage<ScriptResult> stage;
            try {
                stage = delegate.run(argv, timeout);
            } catch (RuntimeException e) {
                running.decrementAndGet();
                throw e;
            }
            return stage.whenComplete((r, e) -> running.decrementAndGet());
        }

        void awaitIdle(Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (running.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * How a {@link VrrpDaemon} logs and whom it tells. Immutable; build with {@link #builder()}.
     */
    public static final class Options {
        private final boolean logDetail;
        private final Consumer<String> logSink;
        private final List<VrrpStateListener> listeners;
        private final ScriptExecutor scriptExecutor;

        private Options(Builder b) {
            this.logDetail = b.logDetail;
            this.logSink = b.logSink;
            this.listeners = List.copyOf(b.listeners);
            this.scriptExecutor = b.scriptExecutor;
        }

        /** No detail logging, no sink, no listener, scripts run as processes. */
        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Mutable builder for {@link Options}; not thread-safe. */
        public static final class Builder {
            private boolean logDetail;
            private Consumer<String> logSink;
            private final List<VrrpStateListener> listeners = new ArrayList<>();
            private ScriptExecutor scriptExecutor;

            private Builder() {
            }

            /**
             * keepalived's {@code -D}: detail lines ({@code Receive advertisement timeout}, {@code sent 0
             * priority}, each gratuitous ARP...) are logged at INFO instead of DEBUG. Default off.
             */
            public Builder logDetail(boolean detail) {
                this.logDetail = detail;
                return this;
            }

            /**
             * Also receives every log line's text (besides System.Logger {@code io.lvs4j.vrrp}); called on the
             * daemon's threads, must not block.
             */
            public Builder logSink(Consumer<String> sink) {
                this.logSink = sink;
                return this;
            }

            /** A listener registered before the instances start, so that it sees every change. */
            public Builder listener(VrrpStateListener listener) {
                listeners.add(Objects.requireNonNull(listener, "listener"));
                return this;
            }

            /** Runs tracking and notify scripts; default a {@link ProcessScriptExecutor} the daemon owns. */
            public Builder scriptExecutor(ScriptExecutor executor) {
                this.scriptExecutor = Objects.requireNonNull(executor, "executor");
                return this;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }

    @Override
    public String toString() {
        return "VrrpDaemon" + states;
    }
}
