package io.lvs4j.core;

/**
 * One request or connection an in-process caller holds on a real server. While open, its TCP entry
 * is ESTABLISHED (active); {@link #close()} runs the client-closes-first NAT sequence (FIN, FIN,
 * ACK) so the entry rests in TIME_WAIT (inactive) until it expires, as IPVS would show it; {@link #abort()}
 * resets it (CLOSE). UDP leases stay in UDP's single (inactive) state until their timeout.
 *
 * <p>Thread safety: close and abort are idempotent and may race; only the first one acts.
 */
public final class Lease implements AutoCloseable {
    private final Connection connection;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

    Lease(Connection connection) {
        this.connection = connection;
    }

    /** The real server chosen for this lease. */
    public RealServer realServer() {
        return connection.realServer();
    }

    /** The connection entry behind this lease. */
    public Connection connection() {
        return connection;
    }

    /** Counts traffic of this lease: bytes sent to the real server and received from it. */
    public void count(long bytesIn, long bytesOut) {
        if (bytesIn > 0) {
            connection.inbound(TcpFlags.ACK, bytesIn);
        }
        if (bytesOut > 0) {
            connection.outbound(TcpFlags.ACK, bytesOut);
        }
    }

    /** Ends the lease normally. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false) && connection.protocol() == Protocol.TCP) {
            connection.inbound(TcpFlags.FIN_ACK, 0);
            connection.outbound(TcpFlags.FIN_ACK, 0);
            connection.inbound(TcpFlags.ACK, 0);
        }
    }

    /** Ends the lease with a reset (for a failed request): the entry goes to CLOSE (10 s). */
    public void abort() {
        if (open.compareAndSet(true, false) && connection.protocol() == Protocol.TCP) {
            connection.inbound(TcpFlags.RST, 0);
        }
    }

    /** True until closed or aborted. */
    public boolean isOpen() {
        return open.get();
    }
}
