package io.lvs4j.forwarder;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * A UDP virtual address:port. Datagrams from a client go through the client's {@link UdpSession}
 * (one per table entry, as IPVS keeps them); for one-packet services each datagram is scheduled on
 * its own and sent from a {@link OnePacketSocket}. Replies leave from this socket, so clients see
 * them come from the virtual address. The listener, its sessions and its one-packet sockets are
 * confined to one loop's thread.
 */
final class UdpListener implements Listener, EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(UdpListener.class.getName());
    private static final int DATAGRAMS_PER_WAKEUP = 64;

    private record OnePacketKey(InetSocketAddress client, InetSocketAddress target) {
    }

    private final Forwarder forwarder;
    private final EventLoop loop;
    private final ListenerKey key;
    private final DatagramChannel channel;
    private volatile ServiceKey service;
    private SelectionKey selectionKey;
    private final Map<InetSocketAddress, UdpSession> sessions = new HashMap<>();
    private final Map<OnePacketKey, OnePacketSocket> onePacketSockets = new HashMap<>();
    private boolean sessionLimitLogged;

    UdpListener(Forwarder forwarder, EventLoop loop, ListenerKey key, ServiceKey service, DatagramChannel channel) {
        this.forwarder = forwarder;
        this.loop = loop;
        this.key = key;
        this.service = service;
        this.channel = channel;
    }

    @Override
    public ListenerKey key() {
        return key;
    }

    @Override
    public ServiceKey service() {
        return service;
    }

    @Override
    public void service(ServiceKey k) {
        this.service = k;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    Forwarder forwarder() {
        return forwarder;
    }

    @Override
    public void register() {
        try {
            selectionKey = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("listener " + key + " closed before registration", e);
        }
        loop.udpListeners.add(this);
    }

    @Override
    public void ready(SelectionKey k) {
        for (int i = 0; i < DATAGRAMS_PER_WAKEUP; i++) {
            ByteBuffer buf = loop.datagramBuffer();
            InetSocketAddress client;
            try {
                client = (InetSocketAddress) channel.receive(buf);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "receive on {0} failed: {1}", key, e.toString());
                return;
            }
            if (client == null) {
                return;
            }
            buf.flip();
            fromClient(client, buf);
        }
    }

    private void fromClient(InetSocketAddress client, ByteBuffer datagram) {
        int n = datagram.remaining();
        UdpSession s = sessions.get(client);
        if (s != null) {
            if (s.connection().inbound(0, n)) {
                s.send(datagram);
                return;
            }
            if (s.connection().alive()) {
                dropped(); // its real server was deleted: IPVS drops the packet
                return;
            }
            s.close(); // its entry expired: the datagram is scheduled afresh
        }
        VirtualService svc = forwarder.table().service(service);
        boolean onePacket = svc != null && svc.options().onePacket();
        if (!onePacket && sessions.size() >= forwarder.options().udpSessionLimit()) {
            if (!sessionLimitLogged) {
                sessionLimitLogged = true;
                LOG.log(Level.WARNING, "{0}: {1} UDP sessions, the limit; datagrams from new clients are dropped",
                        key, sessions.size());
            }
            dropped();
            return;
        }
        Connection c = forwarder.table().connect(Flow.of(Protocol.UDP, client, key.address()), 0, n);
        if (c == null) {
            dropped();
            return;
        }
        InetSocketAddress target = new InetSocketAddress(c.realServer().address(), c.destinationPort());
        if (!c.alive()) { // a one-packet connection: gone as soon as it was made
            sendOnePacket(client, target, datagram);
            return;
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(Sockets.family(target.getAddress()));
            ch.configureBlocking(false);
            ch.connect(target);
            UdpSession session = new UdpSession(this, client, c, ch);
            session.register();
            sessions.put(client, session);
            forwarder.counters().udpSessions.incrementAndGet();
            session.send(datagram);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot open a UDP session to {0}: {1}", target, e.toString());
            Sockets.closeQuietly(ch);
            dropped();
        }
    }

    private void sendOnePacket(InetSocketAddress client, InetSocketAddress target, ByteBuffer datagram) {
        OnePacketKey k = new OnePacketKey(client, target);
        OnePacketSocket s = onePacketSockets.get(k);
        if (s == null) {
            DatagramChannel ch = null;
            try {
                ch = DatagramChannel.open(Sockets.family(target.getAddress()));
                ch.configureBlocking(false);
                ch.connect(target);
                s = new OnePacketSocket(this, client, ch);
                s.register();
                onePacketSockets.put(k, s);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "cannot open a UDP socket to {0}: {1}", target, e.toString());
                Sockets.closeQuietly(ch);
                dropped();
                return;
            }
        }
        s.send(datagram);
    }

    /** Sends a reply to {@code client} from the virtual address. */
    void toClient(InetSocketAddress client, ByteBuffer datagram) {
        try {
            int n = channel.send(datagram, client);
            if (n == 0 && datagram.hasRemaining()) {
                dropped();
                return;
            }
            forwarder.counters().datagramsToClients.increment();
            forwarder.counters().bytesToClients.add(n);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to {0} failed: {1}", client, e.toString());
            dropped();
        }
    }

    void dropped() {
        forwarder.counters().datagramsDropped.increment();
    }

    EventLoop eventLoop() {
        return loop;
    }

    void sessionClosed(UdpSession s) {
        if (sessions.remove(s.client(), s)) {
            forwarder.counters().udpSessions.decrementAndGet();
        }
    }

    /** Ends sessions whose entry expired and one-packet sockets idle past the reply window. */
    void sweep() {
        if (!sessions.isEmpty()) {
            for (UdpSession s : new ArrayList<>(sessions.values())) {
                if (!s.connection().alive() || s.connection().expiresInNanos() < 0) {
                    s.close();
                }
            }
        }
        if (!onePacketSockets.isEmpty()) {
            long window = forwarder.options().opsReplyWindow().toNanos();
            long now = System.nanoTime();
            onePacketSockets.values().removeIf(s -> {
                if (now - s.lastUsed() > window) {
                    s.close();
                    return true;
                }
                return false;
            });
        }
        if (sessions.size() < forwarder.options().udpSessionLimit()) {
            sessionLimitLogged = false;
        }
    }

    @Override
    public void failed(RuntimeException e) {
        // keep serving: the failure belonged to one datagram
    }

    @Override
    public void close() {
        for (UdpSession s : new ArrayList<>(sessions.values())) {
            s.close();
        }
        for (OnePacketSocket s : onePacketSockets.values()) {
            s.close();
        }
        onePacketSockets.clear();
        if (selectionKey != null) {
            selectionKey.cancel();
        }
        Sockets.closeQuietly(channel);
        loop.udpListeners.remove(this);
        loop.flushCancelledKeys();
    }

    @Override
    public String toString() {
        return "listener " + key;
    }
}
