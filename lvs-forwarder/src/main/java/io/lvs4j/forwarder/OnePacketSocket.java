package io.lvs4j.forwarder;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * The socket one-packet (ops) datagrams from one client to one real server are sent from. The table
 * keeps no entry for them, so replies are relayed without accounting while the socket lives: until
 * {@link ForwarderOptions#opsReplyWindow()} after the last datagram sent through it. Confined to its
 * listener's loop thread.
 */
final class OnePacketSocket implements EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(OnePacketSocket.class.getName());
    private static final int DATAGRAMS_PER_WAKEUP = 64;

    private final UdpListener listener;
    private final InetSocketAddress client;
    private final DatagramChannel channel;
    private SelectionKey key;
    private long lastUsed = System.nanoTime();

    OnePacketSocket(UdpListener listener, InetSocketAddress client, DatagramChannel channel) {
        this.listener = listener;
        this.client = client;
        this.channel = channel;
    }

    void register() throws ClosedChannelException {
        key = channel.register(listener.eventLoop().selector(), SelectionKey.OP_READ, this);
    }

    long lastUsed() {
        return lastUsed;
    }

    void send(ByteBuffer datagram) {
        lastUsed = System.nanoTime();
        try {
            int n = channel.write(datagram);
            listener.forwarder().counters().datagramsToServers.increment();
            listener.forwarder().counters().bytesToServers.add(n);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "one-packet send failed: {0}", e.toString());
            listener.dropped();
        }
    }

    @Override
    public void ready(SelectionKey k) {
        for (int i = 0; i < DATAGRAMS_PER_WAKEUP; i++) {
            ByteBuffer buf = listener.eventLoop().datagramBuffer();
            int n;
            try {
                n = channel.read(buf);
            } catch (PortUnreachableException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            if (n <= 0) {
                return;
            }
            buf.flip();
            listener.toClient(client, buf);
        }
    }

    @Override
    public void failed(RuntimeException e) {
        close();
    }

    void close() {
        if (key != null) {
            key.cancel();
        }
        Sockets.closeQuietly(channel);
    }
}
