package io.lvs4j.core;

/**
 * A scheduling algorithm: picks a real server for a new connection (or a new persistence template).
 * One instance serves one virtual service.
 *
 * <p>Contract: {@link #schedule} is called concurrently from any number of threads and must not
 * block for long; {@link #onChange} calls are serialized with each other (the table's admin lock)
 * but run concurrently with {@code schedule}. The server list a scheduler sees is an immutable
 * snapshot in kernel scan order (newest added first, spec §0.1).
 *
 * <p>Register your own with {@link SchedulerRegistry#register}.
 */
public interface Scheduler {

    /**
     * Picks a real server for a new connection of {@code flow} to {@code service}, or returns
     * {@code null} when none is eligible (IPVS answers ICMP port unreachable).
     */
    RealServer schedule(VirtualService service, Flow flow);

    /**
     * Told after the service's real-server list or a server's options changed, and once when the
     * scheduler is attached ({@link ServerListChange.Kind#ATTACHED}).
     */
    default void onChange(VirtualService service, ServerListChange change) {
    }

    /** Called by the table's maintenance at least once a second (for lblc/lblcr garbage collection). */
    default void maintain(long nowNanos) {
    }
}
