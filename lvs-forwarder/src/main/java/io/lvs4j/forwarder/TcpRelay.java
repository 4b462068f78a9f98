package io.lvs4j.forwarder;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.TcpFlags;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client's TCP connection through the forwarder: the accepted client socket, the socket to the
 * real server the table chose, a bounded buffer per direction, and the table's connection entry,
 * which it drives with the TCP events IPVS would see on the wire (see {@link Forwarder} for the map).
 *
 * <p>Confined to its event loop's thread.
 */
final class TcpRelay implements EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(TcpRelay.class.getName());

    private enum Phase { NEW, CONNECTING, RELAYING, CLOSED }

    /** One direction: bytes read from {@code src}, buffered, written to {@code dst}. */
    private static final class Direction {
        final boolean inbound;
        final String name;
        SocketChannel src;
        SocketChannel dst;
        /** Pending bytes in fill mode (position = bytes held); null when nothing is held. */
        ByteBuffer buf;
        /** The source's FIN was seen and accounted. */
        boolean eof;
        /** The FIN was passed on: {@code dst.shutdownOutput()} done. */
        boolean shut;

        Direction(boolean inbound) {
            this.inbound = inbound;
            this.name = inbound ? "client" : "server";
        }

        boolean canRead() {
            return !eof && (buf == null || buf.hasRemaining());
        }

        boolean hasPending() {
            return buf != null && buf.position() > 0;
        }
    }

    private final Forwarder forwarder;
    private final EventLoop loop;
    private final SocketChannel client;
    private final InetSocketAddress virtualAddress;
    private final Direction up = new Direction(true);
    private final Direction down = new Direction(false);
    private SocketChannel server;
    private SelectionKey clientKey;
    private SelectionKey serverKey;
    private int clientOps = -1;
    private int serverOps = -1;
    private Connection conn;
    private Phase phase = Phase.NEW;
    private EventLoop.Timer connectTimer;
    /** A table event the table dropped (real server deleted): retried by {@link #sweep}; traffic waits. */
    private Direction held;
    private int heldFlags;
    private long heldBytes;
    /** The direction whose FIN came last: the other peer sends the final ACK. */
    private Direction lastFin;

    TcpRelay(Forwarder forwarder, EventLoop loop, SocketChannel client, InetSocketAddress virtualAddress) {
        this.forwarder = forwarder;
        this.loop = loop;
        this.client = client;
        this.virtualAddress = virtualAddress;
    }

    /** The client's SYN: ask the table for a real server and start connecting to it. Loop thread. */
    void start() {
        try {
            begin();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "starting " + this + " failed", e);
            reset(true);
        }
    }

    private void begin() {
        InetSocketAddress peer;
        try {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = (InetSocketAddress) client.getRemoteAddress();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "accepted connection failed before scheduling: {0}", e.toString());
            Sockets.closeQuietly(client);
            return;
        }
        conn = forwarder.table().connect(Flow.of(Protocol.TCP, peer, virtualAddress), TcpFlags.SYN, 0);
        if (conn == null) {
            forwarder.counters().rejected.increment();
            LOG.log(Level.DEBUG, "no real server for {0} -> {1}: reset", peer, virtualAddress);
            Sockets.abort(client);
            return;
        }
        phase = Phase.CONNECTING;
        forwarder.counters().openConnections.incrementAndGet();
        loop.relays.add(this);
        InetSocketAddress target = new InetSocketAddress(conn.realServer().address(), conn.destinationPort());
        try {
            clientKey = client.register(loop.selector(), 0, this);
            clientOps = 0;
            server = SocketChannel.open(Sockets.family(target.getAddress()));
            server.configureBlocking(false);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            up.src = client;
            up.dst = server;
            down.src = server;
            down.dst = client;
            boolean connected = server.connect(target);
            serverKey = server.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT, this);
            serverOps = serverKey.interestOps();
            if (connected) {
                connected();
            } else {
                connectTimer = loop.schedule(forwarder.options().connectTimeout().toNanos(), this::connectTimedOut);
            }
        } catch (IOException e) {
            connectFailed(e);
        }
    }

    @Override
    public void ready(SelectionKey key) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (key == serverKey) {
            if (phase == Phase.CONNECTING) {
                if (key.isConnectable()) {
                    try {
                        if (server.finishConnect()) {
                            connected();
                        }
                    } catch (IOException e) {
                        connectFailed(e);
                    }
                }
                return;
            }
            if (key.isWritable()) {
                flush(up);
            }
            if (phase == Phase.RELAYING && key.isValid() && key.isReadable()) {
                read(down);
            }
        } else {
            if (key.isWritable()) {
                flush(down);
            }
            if (phase == Phase.RELAYING && key.isValid() && key.isReadable()) {
                read(up);
            }
        }
        updateInterest();
    }

    @Override
    public void failed(RuntimeException e) {
        reset(true);
    }

    /** The real server answered: SYN+ACK out, the client's ACK in (ESTABLISHED, active). */
    private void connected() {
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        phase = Phase.RELAYING;
        if (!conn.outbound(TcpFlags.SYN_ACK, 0) || !conn.inbound(TcpFlags.ACK, 0)) {
            LOG.log(Level.DEBUG, "table dropped the handshake of {0}: reset", conn);
            close(true);
            return;
        }
        updateInterest();
    }

    private void connectFailed(IOException e) {
        forwarder.counters().connectFailures.increment();
        LOG.log(Level.DEBUG, "connect to {0} failed: {1}", conn.realServer(), e.toString());
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).contains("refused")) {
            conn.outbound(TcpFlags.RST, 0); // the real server's RST passes the director: SYN_RECV -> CLOSE
        } else {
            conn.inbound(TcpFlags.RST, 0);
        }
        close(true);
    }

    private void connectTimedOut() {
        if (phase != Phase.CONNECTING) {
            return;
        }
        forwarder.counters().connectFailures.increment();
        LOG.log(Level.DEBUG, "connect to {0} timed out after {1}", conn.realServer(),
                forwarder.options().connectTimeout());
        conn.inbound(TcpFlags.RST, 0); // the client gives up; IPVS keeps the entry in SYN_RECV until it expires
        close(true);
    }

    private void read(Direction d) {
        if (!d.canRead() || held != null) {
            return;
        }
        if (d.buf == null) {
            d.buf = loop.takeBuffer();
        }
        int n;
        try {
            n = d.src.read(d.buf);
        } catch (IOException e) {
            peerReset(d.inbound);
            return;
        }
        if (n > 0) {
            if (account(d, TcpFlags.ACK, n)) {
                flush(d);
            }
        } else if (n < 0) {
            if (account(d, TcpFlags.FIN_ACK, 0)) {
                sawFin(d);
            }
        }
        releaseIfEmpty(d);
    }

    private void sawFin(Direction d) {
        d.eof = true;
        lastFin = d;
        flush(d);
    }

    /** Writes what {@code d} holds; passes its FIN on once it is empty; ends the relay when both FINs passed. */
    private void flush(Direction d) {
        if (phase != Phase.RELAYING || held != null) {
            return;
        }
        if (d.hasPending()) {
            d.buf.flip();
            int n;
            try {
                n = d.dst.write(d.buf);
            } catch (IOException e) {
                d.buf.compact();
                peerReset(!d.inbound);
                return;
            }
            d.buf.compact();
            if (n > 0) {
                (d.inbound ? forwarder.counters().bytesToServers : forwarder.counters().bytesToClients).add(n);
            }
        }
        releaseIfEmpty(d);
        if (d.eof && d.buf == null && !d.shut) {
            try {
                d.dst.shutdownOutput();
            } catch (IOException e) {
                peerReset(!d.inbound);
                return;
            }
            d.shut = true;
            if (up.shut && down.shut) {
                finish();
            }
        }
    }

    private void releaseIfEmpty(Direction d) {
        if (d.buf != null && d.buf.position() == 0) {
            loop.releaseBuffer(d.buf);
            d.buf = null;
        }
    }

    /** Both FINs passed: the final ACK of the side that received the last FIN, then close both sockets. */
    private void finish() {
        if (lastFin == down) {
            conn.inbound(TcpFlags.ACK, 0);
        } else {
            conn.outbound(TcpFlags.ACK, 0);
        }
        close(false);
    }

    /**
     * Reports an event to the table. False means stop: the entry is gone (both sides were reset) or the
     * table dropped the event (its real server was deleted and expire_nodest_conn is off), in which case
     * the relay holds all traffic and {@link #sweep} retries the event until the server comes back or the
     * entry expires, as IPVS drops packets and the peers retransmit.
     */
    private boolean account(Direction d, int flags, long bytes) {
        boolean ok = d.inbound ? conn.inbound(flags, bytes) : conn.outbound(flags, bytes);
        if (ok) {
            return true;
        }
        if (!conn.alive()) {
            LOG.log(Level.DEBUG, "entry {0} is gone: reset both sides", conn);
            close(true);
        } else {
            held = d;
            heldFlags = flags;
            heldBytes = bytes;
        }
        return false;
    }

    /** A peer reset (or failed): tell the table, reset the other side. */
    private void peerReset(boolean clientSide) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (clientSide) {
            conn.inbound(TcpFlags.RST, 0);
        } else {
            conn.outbound(TcpFlags.RST, 0);
        }
        close(true);
    }

    /** Resets both sides, reporting the reset as the client's (shutdown past the drain limit, internal error). */
    void reset(boolean reportToTable) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (reportToTable && conn != null && phase != Phase.NEW) {
            conn.inbound(TcpFlags.RST, 0);
        }
        close(true);
    }

    /**
     * Periodic check: ends the relay when its entry expired (the kernel would drop every later packet,
     * the peers would get resets), and retries a held event.
     */
    void sweep() {
        if (phase == Phase.CLOSED || conn == null) {
            return;
        }
        if (!conn.alive() || conn.expiresInNanos() < 0) {
            LOG.log(Level.DEBUG, "entry {0} expired: reset both sides", conn);
            close(true);
            return;
        }
        if (held != null && phase == Phase.RELAYING) {
            Direction d = held;
            held = null;
            if (account(d, heldFlags, heldBytes)) {
                if ((heldFlags & TcpFlags.FIN) != 0) {
                    sawFin(d);
                } else {
                    flush(d);
                }
                flush(d == up ? down : up);
                updateInterest();
            }
        }
    }

    private void updateInterest() {
        if (phase != Phase.RELAYING) {
            return;
        }
        int c = 0;
        int s = 0;
        if (held == null) {
            if (up.canRead()) {
                c |= SelectionKey.OP_READ;
            }
            if (down.hasPending()) {
                c |= SelectionKey.OP_WRITE;
            }
            if (down.canRead()) {
                s |= SelectionKey.OP_READ;
            }
            if (up.hasPending()) {
                s |= SelectionKey.OP_WRITE;
            }
        }
        if (c != clientOps && clientKey.isValid()) {
            clientKey.interestOps(c);
            clientOps = c;
        }
        if (s != serverOps && serverKey.isValid()) {
            serverKey.interestOps(s);
            serverOps = s;
        }
    }

    /** Closes both sockets (abortive: RST) and releases everything, once. */
    private void close(boolean abortive) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean counted = phase != Phase.NEW;
        phase = Phase.CLOSED;
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        if (abortive) {
            Sockets.abort(client);
            Sockets.abort(server);
        } else {
            Sockets.closeQuietly(client);
            Sockets.closeQuietly(server);
        }
        for (Direction d : new Direction[] {up, down}) {
            if (d.buf != null) {
                loop.releaseBuffer(d.buf);
                d.buf = null;
            }
        }
        if (counted) {
            loop.relays.remove(this);
            forwarder.counters().openConnections.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "relay " + (conn != null ? conn.toString() : client.toString());
    }
}
