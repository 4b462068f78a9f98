package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP virtual address:port: accepts clients and hands each to an event loop (round robin) as a
 * {@link TcpRelay}. Confined to its loop's thread after {@link #register}.
 */
final class TcpListener implements Listener, EventLoop.Handler {
    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    private static final long ACCEPT_ERROR_LOG_NANOS = 10_000_000_000L;

    private final Forwarder forwarder;
    private final EventLoop loop;
    private final ListenerKey key;
    private final ServerSocketChannel channel;
    private volatile ServiceKey service;
    private SelectionKey selectionKey;
    private long lastErrorLog = System.nanoTime() - ACCEPT_ERROR_LOG_NANOS;

    TcpListener(Forwarder forwarder, EventLoop loop, ListenerKey key, ServiceKey service, ServerSocketChannel channel) {
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
    public void service(ServiceKey key) {
        this.service = key;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void register() {
        try {
            selectionKey = channel.register(loop.selector(), SelectionKey.OP_ACCEPT, this);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("listener " + key + " closed before registration", e);
        }
    }

    @Override
    public void ready(SelectionKey k) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                acceptFailed(e);
                return;
            }
            if (client == null) {
                return;
            }
            forwarder.counters().accepted.increment();
            EventLoop target = forwarder.nextLoop();
            TcpRelay relay = new TcpRelay(forwarder, target, client, key.address());
            if (target == loop) {
                relay.start();
            } else {
                target.execute(relay::start);
            }
        }
    }

    /** EMFILE and friends: log now and then, stop accepting for a moment instead of spinning. */
    private void acceptFailed(IOException e) {
        long now = System.nanoTime();
        if (now - lastErrorLog >= ACCEPT_ERROR_LOG_NANOS) {
            lastErrorLog = now;
            LOG.log(Level.WARNING, "accept on " + key + " failed: " + e + "; pausing accepts for 100 ms");
        }
        if (selectionKey != null && selectionKey.isValid()) {
            selectionKey.interestOps(0);
            loop.schedule(ACCEPT_PAUSE_NANOS, () -> {
                if (selectionKey.isValid()) {
                    selectionKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }
    }

    @Override
    public void failed(RuntimeException e) {
        // keep listening: the failure belonged to one accept
    }

    @Override
    public void close() {
        if (selectionKey != null) {
            selectionKey.cancel();
        }
        Sockets.closeQuietly(channel);
        loop.flushCancelledKeys();
    }

    @Override
    public String toString() {
        return "listener " + key;
    }
}
