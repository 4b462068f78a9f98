package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * keepalived's VRRP process as pure logic: the instances, their {@code vrrp_script} trackers,
 * tracked interfaces and sync groups, wired together over an injected {@link VrrpScheduler}. It
 * does no I/O itself: packets, addresses and ARPs go out through {@link VrrpActions}, scripts
 * through a {@link ScriptExecutor}, FIFO lines through a {@link NotifyFifo}.
 *
 * <p>The integrator feeds it validated adverts ({@link #receive(String, Advert)}) and interface
 * events ({@link #interfaceStateChanged(String, boolean)}). Not thread-safe: every method must be
 * called on the scheduler's thread (with {@link ExecutorVrrpScheduler}, submit calls through
 * {@link VrrpScheduler#execute(Runnable)}); the engine schedules all its own work there too.
 */
public final class VrrpEngine {

    private final VrrpScheduler scheduler;
    private final VrrpActions actions;
    private final VrrpLog log;
    private final Notifier notifier;
    private final boolean logUnknownVrids;
    private final Map<String, VrrpInstance> instances = new LinkedHashMap<>();
    private final Map<String, ScriptTracker> scripts = new LinkedHashMap<>();
    private final Map<ScriptTracker, List<VrrpInstance>> scriptUsers = new HashMap<>();
    private final Map<String, List<VrrpInstance>> interfaceUsers = new HashMap<>();
    private final Map<String, SyncGroup> groups = new LinkedHashMap<>();
    private final Map<String, Boolean> interfaceUp = new HashMap<>();
    private final Map<String, InetAddress> interfaceAddresses = new HashMap<>();
    private boolean started;
    private boolean stopped;

    private VrrpEngine(Builder b) {
        this.scheduler = b.scheduler;
        this.actions = b.actions;
        this.log = new VrrpLog(b.logSink, b.logDetail);
        this.notifier = new Notifier(b.scriptExecutor, b.notifyFifo, log);
        this.logUnknownVrids = b.logUnknownVrids;
        this.interfaceUp.putAll(b.interfaceUp);
        this.interfaceAddresses.putAll(b.interfaceAddresses);
    }

    /** A builder for an engine running on {@code scheduler} and acting through {@code actions}. */
    public static Builder builder(VrrpScheduler scheduler, VrrpActions actions) {
        return new Builder(scheduler, actions);
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Starts every instance (keepalived's {@code vrrp_init_state}) and then the tracking scripts.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        if (started) {
            throw new IllegalStateException("VRRP engine already started");
        }
        started = true;
        Set<SyncGroup> startedGroups = new LinkedHashSet<>();
        for (VrrpInstance inst : instances.values()) {
            if (inst.syncGroup == null) {
                inst.start(null);
            } else if (startedGroups.add(inst.syncGroup)) {
                inst.syncGroup.start();
            }
        }
        for (ScriptTracker tracker : scripts.values()) {
            tracker.start();
        }
    }

    /**
     * Stops: masters send a priority-0 advert and release their VIPs, then every instance and
     * group reports STOP (notify_stop, generic notify, FIFO). Idempotent.
     */
    public void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        scripts.values().forEach(ScriptTracker::stop);
        if (!started) {
            return;
        }
        instances.values().forEach(VrrpInstance::resign);
        instances.values().forEach(VrrpInstance::stop);
        groups.values().forEach(SyncGroup::stop);
    }

    /**
     * Delivers a validated advert received on {@code interfaceName} to the instance with its VRID
     * and address family there. An unknown VRID is ignored (logged only with
     * {@link Builder#logUnknownVrids(boolean)}), as keepalived does.
     */
    public void receive(String interfaceName, Advert advert) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(advert, "advert");
        if (stopped) {
            return;
        }
        boolean v6 = IpLiterals.isIpv6(advert.source());
        for (VrrpInstance inst : instances.values()) {
            VrrpInstanceConfig c = inst.config();
            if (c.interfaceName().equals(interfaceName) && c.virtualRouterId() == advert.vrid() && c.isIpv6() == v6) {
                inst.receive(advert);
                return;
            }
        }
        if (logUnknownVrids) {
            log.info("Unknown VRID(" + advert.vrid() + ") received on interface(" + interfaceName + "). ignoring...");
        }
    }

    /** An interface went up or down; instances tracking it re-evaluate their priority and faults. */
    public void interfaceStateChanged(String interfaceName, boolean up) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Boolean old = interfaceUp.put(interfaceName, up);
        if (old != null && old == up || old == null && up) {
            return;
        }
        log.info("Netlink reports " + interfaceName + " " + (up ? "up" : "down"));
        trackersChanged(interfaceUsers.getOrDefault(interfaceName, List.of()));
    }

    /**
     * The primary address of an interface, used as our source address in the equal-priority
     * tie-break when no {@code mcast_src_ip}/{@code unicast_src_ip} is configured.
     */
    public void interfaceAddressChanged(String interfaceName, InetAddress primaryAddress) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (primaryAddress == null) {
            interfaceAddresses.remove(interfaceName);
        } else {
            interfaceAddresses.put(interfaceName, primaryAddress);
        }
    }

    // ---------------------------------------------------------------- view

    /** The instance named {@code name}. */
    public VrrpInstance instance(String name) {
        VrrpInstance inst = instances.get(name);
        if (inst == null) {
            throw new IllegalArgumentException("no vrrp_instance named '" + name + "'; known: " + instances.keySet());
        }
        return inst;
    }

    /** All instances, in configuration order. */
    public List<VrrpInstance> instances() {
        return List.copyOf(instances.values());
    }

    /** The state of a sync group, if one is named {@code name}. */
    public Optional<VrrpState> syncGroupState(String name) {
        SyncGroup g = groups.get(name);
        return g == null ? Optional.empty() : Optional.of(g.state());
    }

    /** Whether {@code interfaceName} is considered up (interfaces never reported are up). */
    public boolean isInterfaceUp(String interfaceName) {
        return interfaceUp.getOrDefault(interfaceName, true);
    }

    // ---------------------------------------------------------------- package-private plumbing

    VrrpScheduler scheduler() {
        return scheduler;
    }

    VrrpActions actions() {
        return actions;
    }

    VrrpLog log() {
        return log;
    }

    Notifier notifier() {
        return notifier;
    }

    InetAddress interfaceAddress(String interfaceName) {
        return interfaceAddresses.get(interfaceName);
    }

    private void trackersChanged(Collection<VrrpInstance> affected) {
        if (!started || stopped || affected.isEmpty()) {
            return;
        }
        for (VrrpInstance inst : affected) {
            inst.recomputePriority();
        }
        Set<SyncGroup> touched = new LinkedHashSet<>();
        for (VrrpInstance inst : affected) {
            if (inst.syncGroup != null) {
                touched.add(inst.syncGroup);
            } else {
                inst.reevaluate();
            }
        }
        touched.forEach(SyncGroup::reevaluate);
    }

    private void wire(Builder b) {
        Map<String, VrrpSyncGroupConfig> groupOf = new HashMap<>();
        for (VrrpSyncGroupConfig g : b.groups.values()) {
            for (String member : g.members()) {
                if (!b.instances.containsKey(member)) {
                    throw new VrrpConfigException("Virtual router " + member + " specified in sync group " + g.name()
                            + " doesn't exist; known instances: " + b.instances.keySet());
                }
                VrrpSyncGroupConfig previous = groupOf.put(member, g);
                if (previous != null) {
                    throw new VrrpConfigException("Virtual router " + member + " cannot exist in more than one sync group ("
                            + previous.name() + ", " + g.name() + ")");
                }
            }
        }
        Map<String, String> vridOwners = new HashMap<>();
        for (VrrpInstanceConfig c : b.instances.values()) {
            String key = c.interfaceName() + "/" + c.virtualRouterId() + "/" + (c.isIpv6() ? "6" : "4") + "/"
                    + (c.isUnicast() ? "u" : "m");
            String other = vridOwners.putIfAbsent(key, c.name());
            if (other != null) {
                throw new VrrpConfigException("(" + c.name() + ") virtual_router_id " + c.virtualRouterId()
                        + " is already used by (" + other + ") on interface " + c.interfaceName());
            }
        }
        for (VrrpInstanceConfig c : b.instances.values()) {
            VrrpInstance inst = new VrrpInstance(this, c);
            instances.put(c.name(), inst);
            VrrpSyncGroupConfig group = groupOf.get(c.name());
            Map<String, TrackScript> trackScripts = new LinkedHashMap<>();
            c.trackScripts().forEach(t -> trackScripts.put(t.script(), t));
            Map<String, TrackInterface> trackInterfaces = new LinkedHashMap<>();
            c.trackInterfaces().forEach(t -> trackInterfaces.put(t.name(), t));
            if (group != null) {
                for (TrackScript t : group.trackScripts()) {
                    if (trackScripts.put(t.script(), t) != null) {
                        log.warn("(" + c.name() + ") track_script " + t.script()
                                + " is configured on VRRP instance and sync group. Remove vrrp instance config");
                    }
                }
                for (TrackInterface t : group.trackInterfaces()) {
                    if (trackInterfaces.put(t.name(), t) != null) {
                        log.warn("(" + c.name() + ") track_interface " + t.name()
                                + " is configured on VRRP instance and sync group. Remove vrrp instance config");
                    }
                }
            }
            for (TrackScript t : trackScripts.values()) {
                VrrpScriptConfig sc = b.scripts.get(t.script());
                if (sc == null) {
                    throw new VrrpConfigException("(" + c.name() + ") track script " + t.script()
                            + " not found; defined vrrp_scripts: " + b.scripts.keySet());
                }
                if (b.scriptExecutor == null) {
                    throw new VrrpConfigException("(" + c.name() + ") tracks script " + t.script()
                            + " but the engine has no ScriptExecutor; set one with scriptExecutor(...)");
                }
                ScriptTracker tracker = scripts.computeIfAbsent(sc.name(), n -> {
                    ScriptTracker[] self = new ScriptTracker[1];
                    self[0] = new ScriptTracker(sc, scheduler, b.scriptExecutor, log,
                            () -> trackersChanged(scriptUsers.getOrDefault(self[0], List.of())));
                    return self[0];
                });
                scriptUsers.computeIfAbsent(tracker, k -> new ArrayList<>()).add(inst);
                inst.addTracker(new VrrpInstance.Tracker("script " + sc.name(), t.effectiveWeight(sc),
                        t.effectiveReverse(sc), tracker::status));
            }
            if (!c.dontTrackPrimary() && !trackInterfaces.containsKey(c.interfaceName())) {
                trackInterfaces.put(c.interfaceName(), TrackInterface.of(c.interfaceName()));
            }
            for (TrackInterface t : trackInterfaces.values()) {
                String ifname = t.name();
                interfaceUsers.computeIfAbsent(ifname, k -> new ArrayList<>()).add(inst);
                inst.addTracker(new VrrpInstance.Tracker("interface " + ifname, t.weight(), t.reverse(),
                        () -> isInterfaceUp(ifname) ? ScriptTracker.Status.OK : ScriptTracker.Status.KO));
            }
            boolean notifies = c.notifyScript().isPresent() || c.notifyMaster().isPresent() || c.notifyBackup().isPresent()
                    || c.notifyFault().isPresent() || c.notifyStop().isPresent() || c.notifyMasterRxLowerPri().isPresent();
            if (notifies && b.scriptExecutor == null) {
                throw new VrrpConfigException("(" + c.name()
                        + ") has notify scripts but the engine has no ScriptExecutor; set one with scriptExecutor(...)");
            }
        }
        for (VrrpSyncGroupConfig g : b.groups.values()) {
            boolean notifies = g.notifyScript().isPresent() || g.notifyMaster().isPresent() || g.notifyBackup().isPresent()
                    || g.notifyFault().isPresent() || g.notifyStop().isPresent();
            if (notifies && b.scriptExecutor == null) {
                throw new VrrpConfigException("Sync group " + g.name()
                        + " has notify scripts but the engine has no ScriptExecutor; set one with scriptExecutor(...)");
            }
            List<VrrpInstance> members = new ArrayList<>();
            g.members().forEach(m -> members.add(instances.get(m)));
            SyncGroup group = new SyncGroup(this, g, members);
            members.forEach(m -> m.syncGroup = group);
            groups.put(g.name(), group);
        }
        for (String unused : b.scripts.keySet()) {
            if (!scripts.containsKey(unused)) {
                log.warn("Warning - script " + unused + " is not used");
            }
        }
    }

    /** Mutable builder for {@link VrrpEngine}; not thread-safe. */
    public static final class Builder {
        private final VrrpScheduler scheduler;
        private final VrrpActions actions;
        private ScriptExecutor scriptExecutor;
        private NotifyFifo notifyFifo;
        private Consumer<String> logSink;
        private boolean logDetail;
        private boolean logUnknownVrids;
        private final Map<String, VrrpScriptConfig> scripts = new LinkedHashMap<>();
        private final Map<String, VrrpInstanceConfig> instances = new LinkedHashMap<>();
        private final Map<String, VrrpSyncGroupConfig> groups = new LinkedHashMap<>();
        private final Map<String, Boolean> interfaceUp = new HashMap<>();
        private final Map<String, InetAddress> interfaceAddresses = new HashMap<>();

        private Builder(VrrpScheduler scheduler, VrrpActions actions) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.actions = Objects.requireNonNull(actions, "actions");
        }

        /** Runs tracking and notify scripts; required when any are configured. */
        public Builder scriptExecutor(ScriptExecutor executor) {
            this.scriptExecutor = executor;
            return this;
        }

        /** Receives notify FIFO lines ({@code notify_fifo}/{@code vrrp_notify_fifo}); optional. */
        public Builder notifyFifo(NotifyFifo fifo) {
            this.notifyFifo = fifo;
            return this;
        }

        /** Also receives every log line's exact text; optional. */
        public Builder logSink(Consumer<String> sink) {
            this.logSink = sink;
            return this;
        }

        /** keepalived's {@code -D} (log detail): detail lines reach the sink and INFO. Default off. */
        public Builder logDetail(boolean detail) {
            this.logDetail = detail;
            return this;
        }

        /** keepalived's {@code log_unknown_vrids}. Default off. */
        public Builder logUnknownVrids(boolean value) {
            this.logUnknownVrids = value;
            return this;
        }

        public Builder script(VrrpScriptConfig script) {
            if (scripts.putIfAbsent(script.name(), script) != null) {
                throw new VrrpConfigException("vrrp_script " + script.name() + " is defined twice");
            }
            return this;
        }

        public Builder instance(VrrpInstanceConfig instance) {
            if (instances.putIfAbsent(instance.name(), instance) != null) {
                throw new VrrpConfigException("vrrp_instance " + instance.name() + " is defined twice");
            }
            return this;
        }

        public Builder syncGroup(VrrpSyncGroupConfig group) {
            if (groups.putIfAbsent(group.name(), group) != null) {
                throw new VrrpConfigException("vrrp_sync_group " + group.name() + " is defined twice");
            }
            return this;
        }

        /** The state of an interface at startup (default: up). */
        public Builder interfaceUp(String interfaceName, boolean up) {
            interfaceUp.put(interfaceName, up);
            return this;
        }

        /** The primary address of an interface (see {@link VrrpEngine#interfaceAddressChanged}). */
        public Builder interfaceAddress(String interfaceName, InetAddress primaryAddress) {
            interfaceAddresses.put(interfaceName, primaryAddress);
            return this;
        }

        /**
         * Resolves every reference (tracked scripts, sync group members) and builds.
         *
         * @throws VrrpConfigException naming an unknown reference or a VRID used twice
         */
        public VrrpEngine build() {
            VrrpEngine engine = new VrrpEngine(this);
            engine.wire(this);
            return engine;
        }
    }
}
