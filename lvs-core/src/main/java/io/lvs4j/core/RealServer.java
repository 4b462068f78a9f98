package io.lvs4j.core;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A real server ("dest") of one virtual service: its address, its options and its live counters.
 * Applications read it; only the table changes it.
 *
 * <p>Thread safety: every getter may be called from any thread. Counters are exact under
 * concurrency (each is an atomic integer). The OVERLOAD flag is re-evaluated under the server's
 * lock, only when thresholds are configured, so servers without thresholds never lock.
 */
public final class RealServer {
    private volatile VirtualService service;
    private final InetAddress address;
    private final int port;
    private final int addressValue;
    private final boolean totalconns;

    private volatile RealServerOptions options;
    private volatile int weight;
    private volatile int lastWeight;
    private volatile boolean overloaded;
    private volatile boolean available = true;

    // counters live in this object (not in separate AtomicIntegers) so an lc-family scan touches one
    // object per server
    private static final AtomicIntegerFieldUpdater<RealServer> ACTIVE =
            AtomicIntegerFieldUpdater.newUpdater(RealServer.class, "activeConns");
    private static final AtomicIntegerFieldUpdater<RealServer> INACTIVE =
            AtomicIntegerFieldUpdater.newUpdater(RealServer.class, "inactiveConns");
    private static final AtomicIntegerFieldUpdater<RealServer> PERSISTENT =
            AtomicIntegerFieldUpdater.newUpdater(RealServer.class, "persistentConns");
    private volatile int activeConns;
    private volatile int inactiveConns;
    private volatile int persistentConns;
    private final Stats stats = new Stats();

    RealServer(VirtualService service, InetAddress address, int port, RealServerOptions options, KernelFlavor flavor) {
        this.service = service;
        this.address = address;
        this.port = port;
        this.addressValue = Addresses.fold(address);
        this.totalconns = flavor == KernelFlavor.TOTALCONNS_2026;
        this.options = options;
        this.weight = options.weight();
        this.lastWeight = options.weight();
    }

    /** The service this server belongs to. */
    public VirtualService service() {
        return service;
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The address folded to 32 bits (spec §1.10.1), as mh hashes a dest. */
    public int addressValue() {
        return addressValue;
    }

    public RealServerOptions options() {
        return options;
    }

    /** The current weight; 0 means quiesced. */
    public int weight() {
        return weight;
    }

    /**
     * The last weight that was set to a non-zero value (or the weight given at add time, even 0).
     * mh builds its table from it, so quiescing a server does not reshuffle mh.
     */
    public int lastWeight() {
        return lastWeight;
    }

    /** True while the OVERLOAD flag (IP_VS_DEST_F_OVERLOAD) is set by the thresholds (spec §4). */
    public boolean overloaded() {
        return overloaded;
    }

    /** False once the server was deleted from its service (it may linger while connections use it). */
    public boolean available() {
        return available;
    }

    /** Connections in an active state (TCP ESTABLISHED, SYN_SENT, SYN_RECV, SYNACK). */
    public int activeConnections() {
        return activeConns;
    }

    /** Connections in any other state (UDP connections are always inactive). */
    public int inactiveConnections() {
        return inactiveConns;
    }

    /** Persistence templates bound to this server. */
    public int persistentConnections() {
        return persistentConns;
    }

    /**
     * The connection overhead lc, wlc, lblc, lblcr and twos compare (spec §1.0.3):
     * {@code active*256 + inactive} (classic) or {@code active*257 + inactive} (2026 totalconns).
     */
    public int overhead() {
        int active = activeConns;
        int v = (active << 8) + inactiveConns;
        return totalconns ? v + active : v;
    }

    /** Counters and rates of this server. */
    public Stats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return Addresses.format(address, port);
    }

    // ---- changes made by the table ----

    void update(RealServerOptions newOptions) {
        RealServerOptions old = this.options;
        this.options = newOptions;
        this.weight = newOptions.weight();
        if (newOptions.weight() > 0) {
            this.lastWeight = newOptions.weight();
        }
        synchronized (this) {
            if (totalconns) {
                evaluateOverload2026();
            } else if (newOptions.upperThreshold() == 0 || newOptions.upperThreshold() > old.upperThreshold()) {
                overloaded = false;
            }
        }
    }

    /** Re-added after deletion: the kernel revives the old object from the trash and puts it back at the head. */
    void revive(RealServerOptions newOptions) {
        available = true;
        update(newOptions);
    }

    void setService(VirtualService s) {
        this.service = s;
    }

    void markUnavailable() {
        available = false;
    }

    int totalConnections() {
        return activeConns + inactiveConns;
    }

    /** A new non-template connection is bound, counted active or inactive. */
    void bind(boolean active) {
        if (active) {
            ACTIVE.incrementAndGet(this);
        } else {
            INACTIVE.incrementAndGet(this);
        }
        RealServerOptions o = options;
        if (o.upperThreshold() != 0) {
            synchronized (this) {
                int conns = totalConnections();
                if (totalconns) {
                    if (conns == o.upperThreshold()) {
                        evaluateOverload2026();
                    }
                } else if (conns >= o.upperThreshold()) {
                    overloaded = true;
                }
            }
        }
    }

    /** A non-template connection is unbound (expired). */
    void unbind(boolean active) {
        RealServerOptions o = options;
        int before = -1;
        if (totalconns && o.upperThreshold() != 0) {
            before = totalConnections();
        }
        if (active) {
            ACTIVE.decrementAndGet(this);
        } else {
            INACTIVE.decrementAndGet(this);
        }
        if (o.upperThreshold() == 0 && !overloaded) {
            return;
        }
        synchronized (this) {
            if (totalconns) {
                if (before == effectiveLower(o)) {
                    evaluateOverload2026();
                }
                return;
            }
            int conns = totalConnections();
            int u = o.upperThreshold();
            int l = o.lowerThreshold();
            if ((l != 0 && conns < l) || (l == 0 && u != 0 && (long) conns * 4 < (long) u * 3) || u == 0) {
                overloaded = false;
            }
        }
    }

    /** A connection moves between the active and inactive sets (spec §2.1). */
    void activate() {
        ACTIVE.incrementAndGet(this);
        INACTIVE.decrementAndGet(this);
    }

    void deactivate() {
        ACTIVE.decrementAndGet(this);
        INACTIVE.incrementAndGet(this);
    }

    void bindTemplate() {
        PERSISTENT.incrementAndGet(this);
    }

    void unbindTemplate() {
        PERSISTENT.decrementAndGet(this);
    }

    private static int effectiveLower(RealServerOptions o) {
        int u = o.upperThreshold();
        int l = o.lowerThreshold();
        return l != 0 ? l : u - u / 4;
    }

    // caller holds the lock
    private void evaluateOverload2026() {
        RealServerOptions o = options;
        int u = o.upperThreshold();
        int conns = totalConnections();
        if (u == 0) {
            overloaded = false;
        } else if (conns >= u) {
            overloaded = true;
        } else if (conns < effectiveLower(o)) {
            overloaded = false;
        }
    }
}
