package io.lvs4j.forwarder;

import io.lvs4j.core.Flow;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal TCP data plane for tests of the control side: a thread per listener and two per connection, each
 * connection a {@link Lease} on the table. It lets the control-side tests run real connections through the
 * table without depending on the forwarder's NIO data plane.
 */
final class LoopbackProxy implements DataPlane {
    private final IpvsTable table;
    private final Map<ServiceKey, ServerSocket> listeners = new HashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    int reconciles;

    LoopbackProxy(IpvsTable table) {
        this.table = table;
    }

    @Override
    public synchronized void reconcile() {
        reconciles++;
        if (closed) {
            return;
        }
        Map<ServiceKey, VirtualService> wanted = new HashMap<>();
        for (VirtualService s : table.services()) {
            if (!s.key().isFwmark() && s.key().protocol() == Protocol.TCP && s.key().port() != 0) {
                wanted.put(s.key(), s);
            }
        }
        listeners.entrySet().removeIf(e -> {
            if (!wanted.containsKey(e.getKey())) {
                closeQuietly(e.getValue());
                return true;
            }
            return false;
        });
        for (ServiceKey key : wanted.keySet()) {
            if (listeners.containsKey(key)) {
                continue;
            }
            try {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(key.address(), key.port()));
                listeners.put(key, server);
                Thread t = new Thread(() -> accept(key, server), "test-proxy-" + key.port());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // not bindable (yet): retried on the next reconcile
            }
        }
    }

    private void accept(ServiceKey key, ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> relay(key, client), "test-proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void relay(ServiceKey key, Socket client) {
        VirtualService svc = table.service(key);
        Lease lease = svc == null ? null : table.acquire(svc, Flow.of(Protocol.TCP,
                (InetSocketAddress) client.getRemoteSocketAddress(), new InetSocketAddress(key.address(), key.port())));
        if (lease == null) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        RealServer rs = lease.realServer();
        try (client; Socket server = new Socket(rs.address(), rs.port())) {
            open.add(server);
            Thread up = new Thread(() -> pump(client, server), "test-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(server, client);
            up.join(10_000);
            open.remove(server);
        } catch (IOException | InterruptedException e) {
            lease.abort();
        } finally {
            open.remove(client);
            lease.close();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    /** Connections being relayed now. */
    int openConnections() {
        return open.size() / 2;
    }

    @Override
    public synchronized void close(Duration drain) {
        closed = true;
        listeners.values().forEach(LoopbackProxy::closeQuietly);
        listeners.clear();
        long deadline = System.nanoTime() + drain.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        open.forEach(LoopbackProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
