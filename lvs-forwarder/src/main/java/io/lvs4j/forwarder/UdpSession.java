package io.lvs4j.forwarder;

import io.lvs4j.core.Connection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * One UDP client of a (non one-packet) UDP service: its table entry and a socket connected to the
 * entry's real server. Every datagram either way refreshes the entry; the session ends when the entry
 * expires (the udp timeout, 300 s by default). Confined to its listener's loop thread.
 */
final class UdpSession implements EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(UdpSession.class.getName());
    private static final int DATAGRAMS_PER_WAKEUP = 64;

    private final UdpListener listener;
    private final InetSocketAddress client;
    private final Connection connection;
    private final DatagramChannel channel;
    private SelectionKey key;
    private boolean closed;

    UdpSession(UdpListener listener, InetSocketAddress client, Connection connection, DatagramChannel channel) {
        this.listener = listener;
        this.client = client;
        this.connection = connection;
        this.channel = channel;
    }

    InetSocketAddress client() {
        return client;
    }

    Connection connection() {
        return connection;
    }

    void register() throws ClosedChannelException {
        key = channel.register(listener.eventLoop().selector(), SelectionKey.OP_READ, this);
    }

    /** A client datagram the table accepted: to the real server. */
    void send(ByteBuffer datagram) {
        try {
            int n = channel.write(datagram);
            listener.forwarder().counters().datagramsToServers.increment();
            listener.forwarder().counters().bytesToServers.add(n);
        } catch (PortUnreachableException e) {
            listener.dropped(); // an earlier datagram got ICMP port unreachable
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to {0} failed: {1}", connection.realServer(), e.toString());
            listener.dropped();
        }
    }

    @Override
    public void ready(SelectionKey k) {
        for (int i = 0; i < DATAGRAMS_PER_WAKEUP && !closed; i++) {
            ByteBuffer buf = listener.eventLoop().datagramBuffer();
            int n;
            try {
                n = channel.read(buf);
            } catch (PortUnreachableException e) {
                continue;
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "receive from {0} failed: {1}", connection.realServer(), e.toString());
                return;
            }
            if (n <= 0) {
                return;
            }
            buf.flip();
            if (connection.outbound(0, n)) {
                listener.toClient(client, buf);
            } else if (!connection.alive()) {
                listener.dropped();
                close();
            } else {
                listener.dropped();
            }
        }
    }

    @Override
    public void failed(RuntimeException e) {
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        Sockets.closeQuietly(channel);
        listener.sessionClosed(this);
    }

    @Override
    public String toString() {
        return "UDP session " + connection;
    }
}
