package io.lvs4j.core;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A virtual service: its key, options, scheduler and real servers in kernel scan order (newest
 * added first). Applications read it; changes go through {@link IpvsTable}.
 *
 * <p>Thread safety: the server list is an immutable snapshot replaced on every add, edit or delete,
 * so schedulers read it without locks.
 */
public final class VirtualService {
    private static final RealServer[] NONE = new RealServer[0];

    private final IpvsTable table;
    private final ServiceKey key;
    private final Stats stats = new Stats();

    private volatile ServiceOptions options;
    private volatile Scheduler scheduler;
    private volatile RealServer[] servers = NONE;
    private volatile List<RealServer> serverList = List.of();
    private volatile boolean removed;

    VirtualService(IpvsTable table, ServiceKey key, ServiceOptions options) {
        this.table = table;
        this.key = key;
        this.options = options;
    }

    public ServiceKey key() {
        return key;
    }

    public ServiceOptions options() {
        return options;
    }

    /** The scheduler's flag bits (SchedulerFlags.SCHED1..3). */
    public int schedulerFlags() {
        return options.schedulerFlags();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The options of the table this service belongs to (clock, table sizes, sysctls). */
    public TableOptions tableOptions() {
        return table.options();
    }

    /** The real servers in kernel scan order: newest added first. Immutable. */
    public List<RealServer> realServers() {
        return serverList;
    }

    /** The live real server at {@code address:port}, or null. */
    public RealServer realServer(InetAddress address, int port) {
        for (RealServer s : servers) {
            if (s.port() == port && s.address().equals(address)) {
                return s;
            }
        }
        return null;
    }

    /** Counters and rates of this service. */
    public Stats stats() {
        return stats;
    }

    /** False once the service was deleted. */
    public boolean active() {
        return !removed;
    }

    @Override
    public String toString() {
        return key.toString();
    }

    // ---- package-private: fast access for schedulers and the table ----

    /** The scan-order snapshot; callers must not modify it. */
    RealServer[] scanArray() {
        return servers;
    }

    IpvsTable table() {
        return table;
    }

    void setOptions(ServiceOptions options) {
        this.options = options;
    }

    void setScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void setServers(RealServer[] newServers) {
        this.servers = newServers;
        this.serverList = Collections.unmodifiableList(Arrays.asList(newServers));
    }

    void markRemoved() {
        removed = true;
    }
}
