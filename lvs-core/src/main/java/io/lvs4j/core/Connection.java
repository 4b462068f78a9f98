package io.lvs4j.core;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A connection entry (or a persistence template) of the {@link IpvsTable}: who talks to which
 * virtual service through which real server, its state and when it expires.
 *
 * <p>The owner of the traffic drives it: {@link #inbound} for each client-to-server packet (or event),
 * {@link #outbound} for each server-to-client one. Each call runs the TCP state machine (spec §2.3),
 * moves the real server's active/inactive counters, counts packets and bytes, and re-arms expiry to
 * now + the timeout of the (new) state.
 *
 * <p>Thread safety: all methods may be called from any thread; a connection's state changes are
 * serialized on the connection.
 */
public final class Connection {
    static final int F_INACTIVE = 1;
    static final int F_NOOUTPUT = 2;
    static final int F_ONE_PACKET = 4;
    static final int F_TEMPLATE = 8;

    private final IpvsTable table;
    private final VirtualService service;
    private final ConnKey key;
    private final RealServer dest;
    private final int destPort;
    private final Connection controller;

    private static final AtomicIntegerFieldUpdater<Connection> CONTROLLED =
            AtomicIntegerFieldUpdater.newUpdater(Connection.class, "controlled");
    /** Connections this template controls; updated atomically through {@link #CONTROLLED}. */
    private volatile int controlled;

    // guarded by this
    private int flags;
    private ConnectionState state;
    private int templateTimeoutSeconds;
    private boolean dead;
    private boolean bound;

    private volatile long deadline;
    /** The earliest tick this entry is queued at in the wheel. Guarded by this. */
    long queuedTick = Long.MAX_VALUE;

    Connection(IpvsTable table, VirtualService service, ConnKey key, RealServer dest, int destPort,
               Connection controller, int flags, ConnectionState initial, int templateTimeoutSeconds) {
        this.table = table;
        this.service = service;
        this.key = key;
        this.dest = dest;
        this.destPort = destPort;
        this.controller = controller;
        this.flags = flags;
        this.state = initial;
        this.templateTimeoutSeconds = templateTimeoutSeconds;
    }

    public Protocol protocol() {
        return key.protocol();
    }

    /** The client address; for a template, the client address masked with the service's netmask. */
    public InetAddress clientAddress() {
        return key.clientAddress();
    }

    /** The client port; 0 for a template. */
    public int clientPort() {
        return key.clientPort();
    }

    /** The virtual address, or for a fwmark template the address made of the mark. */
    public InetAddress virtualAddress() {
        return key.virtualAddress();
    }

    public int virtualPort() {
        return key.virtualPort();
    }

    /** The real server this connection goes to. */
    public RealServer realServer() {
        return dest;
    }

    /** The port on the real server this connection uses (spec §3.2). */
    public int destinationPort() {
        return destPort;
    }

    public VirtualService service() {
        return service;
    }

    public synchronized ConnectionState state() {
        return state;
    }

    /** True for a persistence template. */
    public boolean isTemplate() {
        return (flags & F_TEMPLATE) != 0;
    }

    /** The template that controls this connection, or null. */
    public Connection controller() {
        return controller;
    }

    /** False once the entry expired (or was expired by the table). */
    public synchronized boolean alive() {
        return !dead;
    }

    /** Nanoseconds until this entry expires (negative when overdue and not yet collected). */
    public long expiresInNanos() {
        return deadline - table.options().ticker().nanos();
    }

    /** The absolute expiry deadline on the table's ticker. */
    public long deadlineNanos() {
        return deadline;
    }

    /**
     * A client-to-server packet. Returns true when IPVS would forward it; false when the connection
     * is gone (expired, or expired now because its real server was deleted and expire_nodest_conn
     * is on) or its real server was deleted (the packet is dropped; the connection resumes if the
     * server is re-added).
     */
    public boolean inbound(int tcpFlags, long bytes) {
        return table.packet(this, true, tcpFlags, bytes);
    }

    /** A server-to-client packet; see {@link #inbound}. */
    public boolean outbound(int tcpFlags, long bytes) {
        return table.packet(this, false, tcpFlags, bytes);
    }

    @Override
    public String toString() {
        return key + " -> " + dest + " " + state();
    }

    // ---- package-private, called by the table with the lock held where noted ----

    int controlledCount() {
        return controlled;
    }

    void addControlled(int delta) {
        CONTROLLED.addAndGet(this, delta);
    }

    void setControlled(int value) {
        controlled = value;
    }

    ConnKey key() {
        return key;
    }

    int flags() {
        return flags;
    }

    void setFlags(int f) {
        flags = f;
    }

    ConnectionState rawState() {
        return state;
    }

    void setState(ConnectionState s) {
        state = s;
    }

    boolean isDead() {
        return dead;
    }

    void markDead() {
        dead = true;
    }

    boolean bound() {
        return bound;
    }

    void setBound(boolean b) {
        bound = b;
    }

    int templateTimeoutSeconds() {
        return templateTimeoutSeconds;
    }

    void setTemplateTimeoutSeconds(int s) {
        templateTimeoutSeconds = s;
    }

    void setDeadline(long d) {
        deadline = d;
    }
}
