package io.lvs4j.forwarder;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The user-space data plane of a NAT director: listens on the virtual addresses of an {@link IpvsTable}'s
 * services, asks the table for a real server for every new client (scheduling, persistence, connection
 * reuse all happen in {@link IpvsTable#connect}) and relays the traffic, feeding the table the events
 * IPVS would see on the wire, so the table's states, timeouts, active/inactive counters, statistics and
 * rates ({@code ipvsadm -L -n}, {@code -c}, {@code --stats}, {@code --rate}) describe the live traffic.
 *
 * <h2>Listeners</h2>
 * {@link #reconcile()} (run every {@link ForwarderOptions#reconcileInterval()}, and on demand, for
 * example when VRRP makes this node MASTER) makes the listening sockets match the services: a TCP
 * service gets a listening socket on its address:port (SO_REUSEADDR), a UDP service a datagram socket.
 * A deleted service's listener is closed; its connections are left to the table (which drops their
 * packets until the entries expire, or expires them at once with expire_nodest_conn). A bind that
 * fails, typically because the address is not on the host yet (EADDRNOTAVAIL, a VRRP address while
 * BACKUP), is logged once and retried on every reconcile; {@link #listeners()} shows it as not bound.
 * Port-0 (catch-all) services are served only on {@link ForwarderOptions#catchAllPorts()}; firewall-mark
 * and SCTP services are skipped (user space sees no marks; the JDK has no SCTP on most systems).
 *
 * <h2>TCP, and how socket events map to IPVS's state machine (spec §2.3, NAT)</h2>
 * <ul>
 *   <li>accepted client: {@code table.connect(flow, SYN)} (NONE → SYN_RECV, active). No real server:
 *       the client is reset at once (SO_LINGER 0), as IPVS answers with ICMP/RST. User space accepts
 *       the handshake first, so the client sees a connection that is reset rather than refused.</li>
 *   <li>connect to the real server succeeded: {@code outbound(SYN|ACK)}, {@code inbound(ACK)}
 *       (ESTABLISHED). Until then the client is not read.</li>
 *   <li>connect refused: {@code outbound(RST)} (the real server's RST: CLOSE, inactive, 10 s), client
 *       reset. Other failures and the connect timeout: {@code inbound(RST)} (the client gives up; the entry
 *       stays SYN_RECV until it expires, as in the kernel), client reset.</li>
 *   <li>data: one {@code inbound(ACK, n)} / {@code outbound(ACK, n)} per read (not per segment).</li>
 *   <li>EOF from the client: {@code inbound(FIN|ACK)} (CLOSE_WAIT), then, once its buffer is written,
 *       {@code shutdownOutput} towards the server; EOF from the server: {@code outbound(FIN|ACK)}
 *       (TIME_WAIT after a client FIN, FIN_WAIT before one) and {@code shutdownOutput} towards the client.
 *       When both FINs have passed, the final ACK ({@code inbound(ACK)} if the server's FIN came last,
 *       else {@code outbound(ACK)}) and both sockets are closed; the entry rests in TIME_WAIT.</li>
 *   <li>a reset or I/O error on one side: {@code inbound(RST)} (client) or {@code outbound(RST)} (server)
 *       → CLOSE, and the other side is reset.</li>
 *   <li>the table answers false: if the entry is gone (expired, or expired at once by
 *       expire_nodest_conn) both sides are reset; if it is alive but its real server was deleted, IPVS
 *       drops the packet, so the relay holds its traffic and retries the event every sweep until the
 *       server is re-added (the relay resumes) or the entry expires (both sides reset).</li>
 *   <li>idle expiry: every {@link ForwarderOptions#sweepInterval()} each loop resets both sides of the
 *       relays whose entry expired (for example 900 s without traffic in ESTABLISHED).</li>
 * </ul>
 * Buffers: one per direction, at most {@link ForwarderOptions#bufferSize()}, taken from a per-loop pool
 * only while bytes are in flight (idle connections hold none); a side is not read while the buffer
 * towards the other side is full.
 *
 * <h2>UDP</h2>
 * A datagram from a new client is scheduled with {@code table.connect(flow, 0, n)} and gets a session:
 * a socket connected to the real server. Every datagram either way is {@code inbound/outbound(0, n)},
 * refreshing the entry; replies leave from the virtual address's socket. A session ends when its entry
 * expires (udp timeout, 300 s by default), and the client's next datagram is scheduled afresh.
 * One-packet (ops) services: every datagram is scheduled on its own; it is sent from a socket kept per
 * (client, real server) for {@link ForwarderOptions#opsReplyWindow()} after its last datagram, and
 * replies arriving meanwhile go back to the client (the table has no entry to count them on).
 *
 * <h2>Threads and table maintenance</h2>
 * {@link ForwarderOptions#eventLoops()} NIO loops carry all traffic (no thread per connection), plus one
 * thread for the reconcile timer. Accepted clients are spread over the loops round robin; a UDP
 * listener and its sessions live on one loop. The forwarder does not run the table's maintenance:
 * whoever owns the table calls {@link IpvsTable#startMaintenance()} (entries that are overdue but not yet
 * collected are still treated as expired here).
 *
 * <p>Thread safety: every public method may be called from any thread except the forwarder's own loops.
 * {@link #reconcile} calls are serialized. Counters in {@link #stats()} are exact.
 */
public final class Forwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
    private static final long LOOP_TASK_TIMEOUT_SECONDS = 10;

    private final IpvsTable table;
    private final ForwarderOptions options;
    private final Counters counters = new Counters();
    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicInteger nextListenerLoop = new AtomicInteger();
    private final ScheduledExecutorService reconciler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Object lock = new Object();
    /** Bound listeners (guarded by lock). */
    private final Map<ListenerKey, Listener> listeners = new LinkedHashMap<>();
    /** Wanted but not bound, with the reason (guarded by lock). */
    private final Map<ListenerKey, ListenerStatus> pending = new LinkedHashMap<>();
    /** Services already reported as not served, so each is logged once (guarded by lock). */
    private final Set<ServiceKey> reportedUnserved = new HashSet<>();

    private Forwarder(IpvsTable table, ForwarderOptions options) {
        this.table = Objects.requireNonNull(table, "table");
        this.options = Objects.requireNonNull(options, "options");
        this.loops = new EventLoop[options.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("lvs4j-forwarder-" + i, options.bufferSize(), options.maxDatagramSize());
        }
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lvs4j-forwarder-reconcile");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a forwarder with the default options for {@code table}; see {@link #start(IpvsTable, ForwarderOptions)}. */
    public static Forwarder start(IpvsTable table) {
        return start(table, ForwarderOptions.defaults());
    }

    /**
     * Starts the event loops, reconciles listeners once (so every bindable service is listening when this
     * returns) and starts the reconcile timer.
     */
    public static Forwarder start(IpvsTable table, ForwarderOptions options) {
        Forwarder f = new Forwarder(table, options);
        long sweep = options.sweepInterval().toNanos();
        for (EventLoop loop : f.loops) {
            loop.start();
            loop.execute(() -> loop.scheduleRepeating(sweep, () -> f.sweep(loop)));
        }
        try {
            f.reconcile();
        } catch (RuntimeException | Error e) {
            f.close(Duration.ZERO);
            throw e;
        }
        long every = options.reconcileInterval().toMillis();
        f.reconciler.scheduleWithFixedDelay(() -> {
            try {
                f.reconcile();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "reconcile failed", e);
            }
        }, every, Math.max(1, every), TimeUnit.MILLISECONDS);
        return f;
    }

    /** The table this forwarder serves. */
    public IpvsTable table() {
        return table;
    }

    public ForwarderOptions options() {
        return options;
    }

    Counters counters() {
        return counters;
    }

    EventLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    // ------------------------------------------------------------------ listeners

    /**
     * Makes the listening sockets match the table's services: opens the missing ones (retrying those that
     * failed before), closes those whose service is gone. Never throws for a socket that cannot be bound:
     * it is logged once and reported by {@link #listeners()}. Returns when every change is in effect.
     */
    public void reconcile() {
        synchronized (lock) {
            if (closed.get()) {
                return;
            }
            Map<ListenerKey, ServiceKey> wanted = wantedListeners();
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<ListenerKey, Listener> e = it.next();
                ServiceKey svc = wanted.get(e.getKey());
                if (svc == null) {
                    Listener l = e.getValue();
                    it.remove();
                    LOG.log(Level.INFO, "Removing listener {0} (service {1} deleted)", l.key(), l.service());
                    done.add(l.loop().submit(() -> {
                        l.close();
                        return null;
                    }));
                } else {
                    e.getValue().service(svc);
                }
            }
            pending.keySet().retainAll(wanted.keySet());
            for (Map.Entry<ListenerKey, ServiceKey> e : wanted.entrySet()) {
                if (!listeners.containsKey(e.getKey())) {
                    open(e.getKey(), e.getValue(), done);
                }
            }
            await(done);
        }
    }

    private Map<ListenerKey, ServiceKey> wantedListeners() {
        Map<ListenerKey, ServiceKey> wanted = new LinkedHashMap<>();
        List<VirtualService> catchAll = new ArrayList<>();
        Set<ServiceKey> present = new HashSet<>();
        for (VirtualService svc : table.services()) {
            ServiceKey k = svc.key();
            present.add(k);
            if (k.isFwmark()) {
                unserved(k, "firewall-mark services are not served by the user-space forwarder (it sees no marks)");
            } else if (k.protocol() == Protocol.SCTP) {
                unserved(k, "SCTP services are not served by the user-space forwarder");
            } else if (k.port() == 0) {
                catchAll.add(svc);
            } else {
                wanted.put(new ListenerKey(k.protocol(), new InetSocketAddress(k.address(), k.port())), k);
            }
        }
        for (VirtualService svc : catchAll) {
            ServiceKey k = svc.key();
            if (options.catchAllPorts().isEmpty()) {
                unserved(k, "a port-0 service is served only on the ports listed in catchAllPorts, and none are;"
                        + " user space cannot catch every port");
            }
            for (int p : options.catchAllPorts()) {
                wanted.putIfAbsent(new ListenerKey(k.protocol(), new InetSocketAddress(k.address(), p)), k);
            }
        }
        reportedUnserved.retainAll(present);
        return wanted;
    }

    private void unserved(ServiceKey k, String why) {
        if (reportedUnserved.add(k)) {
            LOG.log(Level.WARNING, "Service {0} not served: {1}", k, why);
        }
    }

    private void open(ListenerKey key, ServiceKey service, List<CompletableFuture<?>> done) {
        EventLoop loop = loops[Math.floorMod(nextListenerLoop.getAndIncrement(), loops.length)];
        Listener l;
        try {
            l = key.protocol() == Protocol.TCP ? openTcp(key, service, loop) : openUdp(key, service, loop);
        } catch (IOException e) {
            String problem = Sockets.describeBindFailure(e);
            ListenerStatus before = pending.put(key, new ListenerStatus(key.protocol(), key.address(), service,
                    false, problem));
            if (before == null || !before.problem().equals(problem)) {
                LOG.log(Level.WARNING, "Cannot listen on {0} for service {1}: {2}", key, service, problem);
            }
            return;
        }
        listeners.put(key, l);
        ListenerStatus was = pending.remove(key);
        if (was != null) {
            LOG.log(Level.INFO, "Listening on {0} for service {1} (earlier: {2})", key, service, was.problem());
        } else {
            LOG.log(Level.INFO, "Listening on {0} for service {1}", key, service);
        }
        done.add(loop.submit(() -> {
            l.register();
            return null;
        }));
    }

    private Listener openTcp(ListenerKey key, ServiceKey service, EventLoop loop) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(Sockets.family(key.address().getAddress()));
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(key.address(), options.backlog());
            ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(ch);
            throw e;
        }
        return new TcpListener(this, loop, key, service, ch);
    }

    private Listener openUdp(ListenerKey key, ServiceKey service, EventLoop loop) throws IOException {
        DatagramChannel ch = DatagramChannel.open(Sockets.family(key.address().getAddress()));
        try {
            ch.bind(key.address());
            ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(ch);
            throw e;
        }
        return new UdpListener(this, loop, key, service, ch);
    }

    private static void await(List<CompletableFuture<?>> futures) {
        for (CompletableFuture<?> f : futures) {
            try {
                f.get(LOOP_TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.ERROR, "event loop task failed", e);
            }
        }
    }

    /** Every listener the services ask for: bound ones first, then those that could not be bound. */
    public List<ListenerStatus> listeners() {
        synchronized (lock) {
            List<ListenerStatus> all = new ArrayList<>(listeners.size() + pending.size());
            for (Listener l : listeners.values()) {
                all.add(new ListenerStatus(l.key().protocol(), l.key().address(), l.service(), true, null));
            }
            all.addAll(pending.values());
            return all;
        }
    }

    // ------------------------------------------------------------------ traffic

    private void sweep(EventLoop loop) {
        if (!loop.relays.isEmpty()) {
            for (TcpRelay r : new ArrayList<>(loop.relays)) {
                r.sweep();
            }
        }
        for (UdpListener l : new ArrayList<>(loop.udpListeners)) {
            l.sweep();
        }
    }

    /** The forwarder's own counters and gauges. */
    public ForwarderStats stats() {
        int bound;
        int waiting;
        synchronized (lock) {
            bound = listeners.size();
            waiting = pending.size();
        }
        Counters c = counters;
        return new ForwarderStats(bound, waiting, c.openConnections.get(), c.udpSessions.get(), c.accepted.sum(),
                c.rejected.sum(), c.connectFailures.sum(), c.bytesToServers.sum(), c.bytesToClients.sum(),
                c.datagramsToServers.sum(), c.datagramsToClients.sum(), c.datagramsDropped.sum());
    }

    // ------------------------------------------------------------------ shutdown

    /** {@link #close(Duration)} with {@link ForwarderOptions#drainTimeout()}. */
    @Override
    public void close() {
        close(options.drainTimeout());
    }

    /**
     * Stops accepting (every listener is closed and UDP sessions end at once), lets open TCP connections
     * finish for up to {@code drain}, resets the rest (both sides; the table sees the client's RST), then
     * stops the loops. Every socket is closed when this returns. Idempotent; later calls return at once.
     */
    public void close(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reconciler.shutdownNow();
        try {
            reconciler.awaitTermination(LOOP_TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (Listener l : listeners.values()) {
                done.add(l.loop().submit(() -> {
                    l.close();
                    return null;
                }));
            }
            listeners.clear();
            pending.clear();
            await(done);
        }
        long deadline = System.nanoTime() + drain.toNanos();
        boolean interrupted = Thread.currentThread().isInterrupted();
        while (!interrupted && counters.openConnections.get() > 0 && deadline - System.nanoTime() > 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        int left = counters.openConnections.get();
        if (left > 0) {
            LOG.log(Level.INFO, "Resetting {0} connection(s) still open after the drain period of {1}", left, drain);
        }
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (EventLoop loop : loops) {
            done.add(loop.submit(() -> {
                for (TcpRelay r : new ArrayList<>(loop.relays)) {
                    r.reset(true);
                }
                loop.flushCancelledKeys();
                return null;
            }));
        }
        await(done);
        for (EventLoop loop : loops) {
            loop.stop();
        }
        for (EventLoop loop : loops) {
            try {
                loop.join(TimeUnit.SECONDS.toMillis(LOOP_TASK_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
