package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One {@code vrrp_instance}: keepalived's VRRP state machine (INIT, BACKUP, MASTER, FAULT, STOP)
 * as pure logic. Inputs are {@link #receive(Advert)}, timer expiries from the engine's
 * {@link VrrpScheduler}, and tracker changes delivered by {@link VrrpEngine}; every effect goes
 * out through {@link VrrpActions}, notify scripts, the notify FIFO and keepalived-worded log lines.
 *
 * <p>Created and owned by a {@link VrrpEngine}. Not thread-safe: every method must be called on
 * the engine's scheduler thread (see {@link VrrpScheduler#execute(Runnable)}). Timers are exact
 * to the microsecond, with keepalived's arithmetic ({@link VrrpTimers}).
 */
public final class VrrpInstance {

    /** One tracked object: a script or an interface, with its weight as seen by this instance. */
    static final class Tracker {
        final String description;
        final int weight;
        final boolean reverse;
        final Supplier<ScriptTracker.Status> status;

        Tracker(String description, int weight, boolean reverse, Supplier<ScriptTracker.Status> status) {
            this.description = description;
            this.weight = weight;
            this.reverse = reverse;
            this.status = status;
        }

        /** keepalived: weight W>0 adds W while up, W<0 adds W while down; reverse negates. */
        int contribution() {
            ScriptTracker.Status s = status.get();
            if (weight == 0 || s == ScriptTracker.Status.UNKNOWN) {
                return 0;
            }
            boolean up = s == ScriptTracker.Status.OK;
            int multiplier = reverse ? -1 : 1;
            if (weight > 0) {
                return up ? weight * multiplier : 0;
            }
            return up ? 0 : weight * multiplier;
        }

        /** Unweighted: down (up with reverse) means FAULT. */
        boolean faulted() {
            ScriptTracker.Status s = status.get();
            return weight == 0 && s != ScriptTracker.Status.UNKNOWN && (s == ScriptTracker.Status.OK) == reverse;
        }

        boolean pending() {
            return weight == 0 && status.get() == ScriptTracker.Status.UNKNOWN;
        }
    }

    private final VrrpEngine engine;
    private final VrrpInstanceConfig config;
    private final String vi;
    private final List<Tracker> trackers = new ArrayList<>();
    private final long adverIntMicros;
    private final boolean owner;
    SyncGroup syncGroup;

    private VrrpState state = VrrpState.INIT;
    private VrrpState wantState;
    private int effectivePriority;
    private long masterAdverIntMicros;
    private long msDownTimerMicros;
    private boolean started;

    private VrrpScheduler.Cancellable timer;
    private long timerDeadlineNanos;
    private long timerGeneration;
    private VrrpScheduler.Cancellable garpDelayTimer;
    private long masterEpoch;
    private boolean garpRefreshArmed;
    private long garpRefreshDueNanos;
    private boolean preemptTimeSet;
    private long preemptDeadlineNanos;
    private boolean vipsSet;
    private InetAddress masterAddress;

    VrrpInstance(VrrpEngine engine, VrrpInstanceConfig config) {
        this.engine = engine;
        this.config = config;
        this.vi = config.logName();
        this.adverIntMicros = config.advertIntervalMicros();
        this.owner = config.isAddressOwner();
        this.wantState = config.initialState();
        this.effectivePriority = config.priority();
        this.masterAdverIntMicros = adverIntMicros;
        this.msDownTimerMicros = fullDownTimer();
    }

    void addTracker(Tracker tracker) {
        trackers.add(tracker);
    }

    // ---------------------------------------------------------------- public view

    /** The configuration this instance runs. */
    public VrrpInstanceConfig config() {
        return config;
    }

    /** The instance name. */
    public String name() {
        return config.name();
    }

    /** The current state. */
    public VrrpState state() {
        return state;
    }

    /** The priority carried in adverts: base plus tracker weights, within 1..254 (255 for an owner). */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** The Master_Adver_Interval in µs (v3 backups adopt the master's). */
    public long masterAdvertIntervalMicros() {
        return masterAdverIntMicros;
    }

    /** The current master-down timer value in µs (down_timer_adverts × MAI + skew, or the skew after a priority-0 advert). */
    public long masterDownTimerMicros() {
        return msDownTimerMicros;
    }

    /** Skew_Time in µs for the current effective priority and Master_Adver_Interval. */
    public long skewMicros() {
        return VrrpTimers.skewMicros(config.version(), effectivePriority, masterAdverIntMicros);
    }

    /** Whether the VIPs are currently installed by this instance. */
    public boolean addressesInstalled() {
        return vipsSet;
    }

    /** The source of the last advert this backup accepted (or discarded), if any. */
    public Optional<InetAddress> masterAddress() {
        return Optional.ofNullable(masterAddress);
    }

    /** The name of the sync group this instance belongs to, if any. */
    public Optional<String> syncGroupName() {
        return syncGroup == null ? Optional.empty() : Optional.of(syncGroup.name());
    }

    @Override
    public String toString() {
        return "VrrpInstance[" + config.name() + " " + state + " prio " + effectivePriority + "]";
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Processes a validated advert for this instance (keepalived's {@code vrrp_state_backup} /
     * {@code vrrp_state_master_rx}). Ignored in INIT, FAULT and STOP, and when the VRID or version
     * does not match.
     */
    public void receive(Advert advert) {
        Objects.requireNonNull(advert, "advert");
        if (!started || (state != VrrpState.BACKUP && state != VrrpState.MASTER)) {
            return;
        }
        if (advert.vrid() != config.virtualRouterId()) {
            engine.log().detail(vi + " ignoring advert for VRID " + advert.vrid());
            return;
        }
        if (advert.version() != config.version()) {
            engine.log().detail(vi + " ignoring VRRPv" + advert.version() + " advert from "
                    + IpLiterals.format(advert.source()) + "; wrong VRRP version");
            return;
        }
        if (state == VrrpState.BACKUP) {
            backupReceive(advert);
        } else {
            masterReceive(advert);
        }
    }

    private void backupReceive(Advert adv) {
        String src = IpLiterals.format(adv.source());
        if (adv.priority() == 0) {
            engine.log().detail(vi + " Backup received priority 0 advertisement");
            msDownTimerMicros = skewMicros();
            arm(msDownTimerMicros);
            return;
        }
        long now = engine.scheduler().nanoTime();
        boolean delayed = !config.preemptDelay().isZero()
                && (!preemptTimeSet || preemptDeadlineNanos > now);
        if (config.nopreempt() || adv.priority() >= effectivePriority || delayed) {
            if (config.version() == 3) {
                long mai = adv.advertIntervalMicros();
                if (mai != masterAdverIntMicros) {
                    engine.log().detail(vi + " advertisement interval updated from " + masterAdverIntMicros / 1000
                            + "ms to " + mai / 1000 + "ms by master");
                    masterAdverIntMicros = mai;
                }
            }
            msDownTimerMicros = fullDownTimer();
            masterAddress = adv.source();
            if (!config.preemptDelay().isZero()) {
                if (adv.priority() >= effectivePriority) {
                    if (preemptTimeSet) {
                        engine.log().detail(vi + " stop preempt delay");
                        preemptTimeSet = false;
                    }
                } else if (!preemptTimeSet) {
                    long delay = VrrpInstanceConfig.toMicros(config.preemptDelay());
                    engine.log().detail(String.format(Locale.ROOT, "%s start preempt delay (%d.%06d)", vi,
                            delay / 1_000_000, delay % 1_000_000));
                    preemptTimeSet = true;
                    preemptDeadlineNanos = now + delay * 1000;
                }
            }
            wantState = VrrpState.BACKUP;
            arm(msDownTimerMicros);
        } else {
            engine.log().info(vi + " received lower priority (" + adv.priority() + ") advert from " + src
                    + " - discarding");
            masterAddress = adv.source();
        }
    }

    private void masterReceive(Advert adv) {
        String src = IpLiterals.format(adv.source());
        int p = adv.priority();
        int ours = effectivePriority;
        int cmp = compareWithOurSource(adv.source());
        if (p == 0 || (config.higherPrioSendAdvert() && (p > ours || (p == ours && cmp > 0)))) {
            send(ours);
            if (p == 0) {
                engine.log().detail(vi + " Master received priority 0 message");
                afterMasterReceive();
                return;
            }
        }
        if (p == ours && cmp == 0) {
            engine.log().info(vi + " WARNING - equal priority advert received from remote host with our IP address.");
        }
        if (p < ours || (p == ours && cmp < 0)) {
            engine.log().info(vi + " Received advert from " + src + " with lower priority " + p + ", ours " + ours
                    + (config.lowerPrioNoAdvert() ? "" : ", forcing new election"));
            if (!config.lowerPrioNoAdvert()) {
                send(ours);
            }
            lowerPriorityGarps();
            if (syncGroup != null) {
                syncGroup.memberReceivedLowerPriority(this);
            }
            engine.notifier().masterRxLowerPriority(config, ours);
            afterMasterReceive();
            return;
        }
        if (p > ours || (p == ours && cmp > 0)) {
            if (p > ours) {
                engine.log().info(vi + " Master received advert from " + src + " with higher priority " + p
                        + ", ours " + ours);
            } else {
                engine.log().info(vi + " Master received advert from " + src + " with same priority " + p
                        + " but higher IP address than ours");
            }
            if (config.version() == 3) {
                long mai = adv.advertIntervalMicros();
                if (mai != masterAdverIntMicros) {
                    engine.log().detail(vi + " advertisement interval updated from " + masterAdverIntMicros / 1000
                            + "ms to " + mai / 1000 + "ms by new master");
                    masterAdverIntMicros = mai;
                }
            }
            masterAddress = adv.source();
            wantState = VrrpState.BACKUP;
            leaveMaster(VrrpState.BACKUP);
            if (syncGroup != null) {
                syncGroup.memberLeftMaster(this);
            }
            return;
        }
        afterMasterReceive();
    }

    /**
     * keepalived's {@code garp_lower_prio_repeat}: refresh the network's ARP caches when a
     * lower-priority router shows up (split brain healing), now and after {@code garp_lower_prio_delay}.
     */
    void lowerPriorityGarps() {
        int repeat = config.garpLowerPrioRepeat();
        if (repeat == 0) {
            return;
        }
        sendGarps(repeat, false);
        if (!config.garpLowerPrioDelay().isZero()) {
            long epoch = masterEpoch;
            engine.scheduler().schedule(config.garpLowerPrioDelay(), () -> {
                if (epoch == masterEpoch && state == VrrpState.MASTER) {
                    sendGarps(repeat, false);
                }
            });
        }
    }

    /** keepalived resets the advert timer after a received packet unless lower_prio_no_advert is set. */
    private void afterMasterReceive() {
        if (!config.lowerPrioNoAdvert()) {
            arm(adverIntMicros);
        }
    }

    private int compareWithOurSource(InetAddress theirs) {
        InetAddress ours = config.sourceAddress().orElseGet(() -> engine.interfaceAddress(config.interfaceName()));
        if (ours == null) {
            return 0;
        }
        return IpLiterals.compare(theirs, ours);
    }

    // ---------------------------------------------------------------- lifecycle (engine-driven)

    boolean ownerStartsMaster() {
        return owner && config.initialState() == VrrpState.MASTER;
    }

    boolean ownFault() {
        for (Tracker t : trackers) {
            if (t.faulted()) {
                return true;
            }
        }
        return false;
    }

    boolean ownPending() {
        for (Tracker t : trackers) {
            if (t.pending()) {
                return true;
            }
        }
        return false;
    }

    VrrpState wantState() {
        return wantState;
    }

    /**
     * Startup (keepalived's {@code vrrp_init_state}).
     *
     * @param groupState the sync group's initial state, or null for a standalone instance
     */
    void start(VrrpState groupState) {
        started = true;
        masterAdverIntMicros = adverIntMicros;
        recomputePriority();
        msDownTimerMicros = fullDownTimer();
        boolean fault = groupState != null ? groupState == VrrpState.FAULT : ownFault();
        boolean pending = groupState != null ? groupState == VrrpState.INIT : ownPending();
        boolean masterNow = !fault && !pending && ownerStartsMaster()
                && (groupState == null || groupState == VrrpState.MASTER);
        if (!masterNow && !config.virtualAddresses().isEmpty()) {
            safely("remove stray addresses", () -> engine.actions().removeAddresses(this, config.virtualAddresses()));
        }
        if (fault) {
            engine.log().info(vi + " Entering FAULT STATE (init)");
            wantState = VrrpState.FAULT;
            changeState(VrrpState.FAULT);
            return;
        }
        if (pending) {
            return;
        }
        if (masterNow) {
            wantState = VrrpState.MASTER;
            gotoMaster();
            return;
        }
        engine.log().info(vi + " Entering BACKUP STATE (init)");
        if (groupState == VrrpState.BACKUP && wantState == VrrpState.MASTER) {
            msDownTimerMicros = masterAdverIntMicros + VrrpTimers.minSkewMicros(config.version(), masterAdverIntMicros);
        }
        arm(msDownTimerMicros);
        changeState(VrrpState.BACKUP);
    }

    /** Tracker-driven fault (keepalived's {@code down_instance}). */
    void goFault() {
        wantState = VrrpState.FAULT;
        if (state == VrrpState.MASTER) {
            leaveMaster(VrrpState.FAULT);
        } else if (state == VrrpState.BACKUP || state == VrrpState.INIT) {
            engine.log().info(vi + " Entering FAULT STATE");
            cancelTimer();
            changeState(VrrpState.FAULT);
        }
    }

    /** All fault reasons cleared, or the first script result arrived (keepalived's {@code try_up_instance}). */
    void leaveFault() {
        masterAdverIntMicros = adverIntMicros;
        preemptTimeSet = false;
        if (ownerStartsMaster() && (syncGroup == null || syncGroup.canGoMaster(this))) {
            wantState = VrrpState.MASTER;
            gotoMaster();
        } else {
            wantState = VrrpState.BACKUP;
            engine.log().info(vi + " Entering BACKUP STATE");
            msDownTimerMicros = fullDownTimer();
            arm(msDownTimerMicros);
            changeState(VrrpState.BACKUP);
        }
        if (config.isUnicast()) {
            InetAddress source = config.sourceAddress().orElseGet(() -> engine.interfaceAddress(config.interfaceName()));
            if (source != null) {
                safely("announce source address", () -> engine.actions().announceSourceAddress(this, source));
            }
        }
    }

    /** Standalone re-evaluation after a tracker changed. */
    void reevaluate() {
        if (!started) {
            return;
        }
        boolean fault = ownFault();
        switch (state) {
            case INIT -> {
                if (fault) {
                    goFault();
                } else if (!ownPending()) {
                    leaveFault();
                }
            }
            case FAULT -> {
                if (!fault && !ownPending()) {
                    leaveFault();
                }
            }
            case BACKUP, MASTER -> {
                if (fault) {
                    goFault();
                }
            }
            default -> {
            }
        }
    }

    /** Recomputes base + tracker weights and applies it (never for an owner). */
    void recomputePriority() {
        if (owner) {
            return;
        }
        int total = config.priority();
        for (Tracker t : trackers) {
            total += t.contribution();
        }
        int newPriority = Math.max(1, Math.min(VrrpInstanceConfig.OWNER_PRIORITY - 1, total));
        if (newPriority == effectivePriority) {
            return;
        }
        engine.log().info(vi + " Changing effective priority from " + effectivePriority + " to " + newPriority);
        effectivePriority = newPriority;
        long old = msDownTimerMicros;
        msDownTimerMicros = fullDownTimer();
        if (state == VrrpState.BACKUP && timer != null) {
            shiftTimer(msDownTimerMicros - old);
        }
        if (config.notifyPriorityChanges() && started) {
            engine.notifier().priorityChanged(config, state, effectivePriority);
        }
    }

    /** Sync group: another member became master, so this one follows (keepalived's {@code vrrp_sync_master}). */
    void syncToMaster() {
        if (state == VrrpState.MASTER || state == VrrpState.STOP) {
            return;
        }
        wantState = VrrpState.MASTER;
        gotoMaster();
    }

    /** Sync group: another member left master, so this one goes to BACKUP (keepalived's {@code vrrp_sync_backup}). */
    void syncToBackup() {
        if (state == VrrpState.BACKUP || state == VrrpState.STOP) {
            return;
        }
        wantState = VrrpState.BACKUP;
        if (state == VrrpState.MASTER) {
            leaveMaster(VrrpState.BACKUP);
        } else {
            masterAdverIntMicros = adverIntMicros;
            preemptTimeSet = false;
            engine.log().info(vi + " Entering BACKUP STATE");
            msDownTimerMicros = fullDownTimer();
            arm(msDownTimerMicros);
            changeState(VrrpState.BACKUP);
        }
    }

    /** Shutdown phase 1: a master resigns with priority 0 and releases its VIPs. */
    void resign() {
        if (state == VrrpState.MASTER) {
            send(0);
            engine.log().detail(vi + " sent 0 priority");
        }
        releaseAddresses();
        cancelTimer();
    }

    /** Shutdown phase 2: STOP notifications. */
    void stop() {
        if (state == VrrpState.STOP) {
            return;
        }
        cancelTimer();
        changeState(VrrpState.STOP);
    }

    // ---------------------------------------------------------------- transitions

    private void onTimer() {
        timer = null;
        if (state == VrrpState.BACKUP) {
            engine.log().detail(vi + " Receive advertisement timeout");
            wantState = VrrpState.MASTER;
            gotoMaster();
        } else if (state == VrrpState.MASTER) {
            masterTransmit();
        }
    }

    private void masterTransmit() {
        send(effectivePriority);
        long now = engine.scheduler().nanoTime();
        if (garpRefreshArmed && now > garpRefreshDueNanos) {
            sendGarps(config.garpMasterRefreshRepeat(), false);
            garpRefreshDueNanos = now + config.garpMasterRefresh().toNanos();
        }
        arm(adverIntMicros);
        if (syncGroup != null) {
            syncGroup.memberBecameMaster(this);
        }
    }

    /** keepalived's {@code vrrp_state_goto_master} + {@code vrrp_state_master_tx} + {@code become_master}. */
    private void gotoMaster() {
        if (syncGroup != null && !syncGroup.canGoMaster(this)) {
            wantState = VrrpState.MASTER;
            msDownTimerMicros = fullDownTimer();
            arm(msDownTimerMicros);
            return;
        }
        VrrpState from = state;
        state = VrrpState.MASTER;
        arm(adverIntMicros);
        send(effectivePriority);
        engine.log().info(vi + " Entering MASTER STATE");
        if (config.version() == 3 && masterAdverIntMicros != adverIntMicros) {
            engine.log().detail(vi + " changing advert interval from " + masterAdverIntMicros / 1000
                    + "ms to locally configured " + adverIntMicros / 1000 + "ms");
        }
        masterAdverIntMicros = adverIntMicros;
        if (!config.virtualAddresses().isEmpty()) {
            safely("add addresses", () -> engine.actions().addAddresses(this, config.virtualAddresses()));
        }
        vipsSet = true;
        sendGarps(config.garpMasterRepeat(), true);
        if (!config.garpMasterRefresh().isZero()) {
            garpRefreshArmed = true;
            garpRefreshDueNanos = engine.scheduler().nanoTime() + config.garpMasterRefresh().toNanos();
        }
        notifyAndReport(from, VrrpState.MASTER);
        if (!config.garpMasterDelay().isZero()) {
            garpDelayTimer = engine.scheduler().schedule(config.garpMasterDelay(), () -> {
                garpDelayTimer = null;
                if (state == VrrpState.MASTER && vipsSet) {
                    sendGarps(config.garpMasterRepeat(), false);
                }
            });
        }
        if (syncGroup != null) {
            syncGroup.memberBecameMaster(this);
        }
    }

    /** keepalived's {@code vrrp_state_leave_master}. */
    private void leaveMaster(VrrpState target) {
        if (target == VrrpState.BACKUP) {
            engine.log().info(vi + " Entering BACKUP STATE");
            preemptTimeSet = false;
        } else {
            engine.log().info(vi + " Entering FAULT STATE");
            send(0);
            engine.log().detail(vi + " sent 0 priority");
        }
        releaseAddresses();
        msDownTimerMicros = fullDownTimer();
        if (target == VrrpState.BACKUP) {
            arm(msDownTimerMicros);
        } else {
            cancelTimer();
        }
        changeState(target);
    }

    private void changeState(VrrpState to) {
        VrrpState from = state;
        state = to;
        notifyAndReport(from, to);
    }

    private void notifyAndReport(VrrpState from, VrrpState to) {
        engine.notifier().instanceState(config, to, effectivePriority);
        safely("report state change", () -> engine.actions().stateChanged(this, from, to));
    }

    private void releaseAddresses() {
        masterEpoch++;
        if (garpDelayTimer != null) {
            garpDelayTimer.cancel();
            garpDelayTimer = null;
        }
        garpRefreshArmed = false;
        if (vipsSet) {
            vipsSet = false;
            if (!config.virtualAddresses().isEmpty()) {
                safely("remove addresses", () -> engine.actions().removeAddresses(this, config.virtualAddresses()));
            }
        }
    }

    private void sendGarps(int repeat, boolean log) {
        List<VirtualAddress> vips = config.virtualAddresses();
        if (vips.isEmpty() || !vipsSet) {
            return;
        }
        if (log) {
            for (VirtualAddress vip : vips) {
                engine.log().detail(vi + " Sending/queueing " + (vip.isIpv6() ? "Unsolicited Neighbour Adverts" : "gratuitous ARPs")
                        + " on " + vip.device().orElse(config.interfaceName()) + " for " + IpLiterals.format(vip.address()));
            }
        }
        for (int i = 0; i < repeat; i++) {
            safely("send gratuitous ARPs", () -> engine.actions().sendGratuitousArps(this, vips));
        }
    }

    private void send(int priority) {
        try {
            engine.actions().sendAdvert(this, priority);
        } catch (RuntimeException e) {
            engine.log().warn(vi + " Cant send advert (" + e.getMessage() + ")");
        }
    }

    private void safely(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            engine.log().warn(vi + " failed to " + what + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- timers

    private long fullDownTimer() {
        return VrrpTimers.masterDownMicros(config.version(), effectivePriority, masterAdverIntMicros,
                config.downTimerAdverts());
    }

    private void arm(long delayMicros) {
        cancelTimer();
        long delayNanos = Math.max(0, delayMicros) * 1000;
        timerDeadlineNanos = engine.scheduler().nanoTime() + delayNanos;
        schedule(delayNanos);
    }

    private void shiftTimer(long diffMicros) {
        long deadline = timerDeadlineNanos + diffMicros * 1000;
        cancelTimer();
        timerDeadlineNanos = deadline;
        schedule(Math.max(0, deadline - engine.scheduler().nanoTime()));
    }

    private void schedule(long delayNanos) {
        long generation = ++timerGeneration;
        timer = engine.scheduler().schedule(Duration.ofNanos(delayNanos), () -> {
            if (generation == timerGeneration) {
                onTimer();
            }
        });
    }

    private void cancelTimer() {
        timerGeneration++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
