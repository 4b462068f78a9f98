package io.lvs4j.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The IPVS table in-process: virtual services and their real servers, the connection table with
 * TCP/UDP states and timeouts, persistence templates, thresholds, counters and rate estimation.
 *
 * <p>Admin operations ({@code add/edit/delete...}, {@link #clear}, {@link #setTimeouts}, {@link #zero})
 * mirror {@code ipvsadm -A/-E/-D/-a/-e/-d/-C/--set/-Z}: each either applies completely or throws
 * {@link IpvsException} (or {@link IllegalArgumentException} for malformed arguments) and changes
 * nothing. They are serialized on the table.
 *
 * <p>Traffic: {@link #connect} is what a packet without a connection entry does (schedule, persistence,
 * connection reuse); {@link Connection#inbound}/{@link Connection#outbound} drive an entry afterwards;
 * {@link #acquire} is the simple lease façade for in-process callers. Picks read immutable snapshots and
 * take no table lock; counters are exact under concurrency.
 *
 * <p>Time: everything reads {@link TableOptions#ticker()}. Expiry, the 2-second rate estimator and
 * scheduler housekeeping run in {@link #runMaintenance()}, which an application calls periodically
 * (or lets {@link #startMaintenance} call every 10 ms).
 */
public final class IpvsTable {
    private static final System.Logger LOG = System.getLogger(IpvsTable.class.getName());
    private static final long SECOND = 1_000_000_000L;
    private static final long ESTIMATOR_PERIOD = 2 * SECOND;
    private static final int TEMPLATE_DEFERRED_TIMEOUT = 60;
    private static final int PROVISIONAL_TIMEOUT = 3;
    private static final int[] DEFAULT_TCP_TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
    private static final int DEFAULT_UDP_TIMEOUT = 300;
    private static final int SCTP_TIMEOUT = 900;

    private final TableOptions options;
    private final Ticker ticker;
    private final Object adminLock = new Object();
    private final Map<ServiceKey, VirtualService> services = new ConcurrentHashMap<>();
    /** Insertion order, guarded by adminLock; published as {@link #serviceList}. */
    private final LinkedHashMap<ServiceKey, VirtualService> ordered = new LinkedHashMap<>();
    private volatile List<VirtualService> serviceList = List.of();
    private final Map<TrashKey, RealServer> trash = new HashMap<>();
    private final AtomicInteger portZeroServices = new AtomicInteger();

    private final ConcurrentHashMap<ConnKey, Connection> conns = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ConnKey, Connection> templates = new ConcurrentHashMap<>();
    private final ExpiryWheel wheel;
    private final Stats stats = new Stats();
    private final AtomicInteger leasePorts = new AtomicInteger();

    private volatile int[] tcpTimeouts = DEFAULT_TCP_TIMEOUTS.clone();
    private volatile int udpTimeout = DEFAULT_UDP_TIMEOUT;

    private final Object maintenanceLock = new Object();
    private long nextEstimate;

    private record TrashKey(ServiceKey service, InetAddress address, int port) {
    }

    /** A table with the kernel's defaults and the system clock. */
    public IpvsTable() {
        this(TableOptions.defaults());
    }

    public IpvsTable(TableOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.ticker = options.ticker();
        long now = ticker.nanos();
        this.wheel = new ExpiryWheel(10_000_000L, 4096, now);
        this.nextEstimate = now + ESTIMATOR_PERIOD;
    }

    public TableOptions options() {
        return options;
    }

    /** Global counters and rates (all services). */
    public Stats stats() {
        return stats;
    }

    // ------------------------------------------------------------------ services

    /** The services in the order they were added. */
    public List<VirtualService> services() {
        return serviceList;
    }

    /** The service with this key, or null. */
    public VirtualService service(ServiceKey key) {
        return services.get(key);
    }

    private VirtualService requireService(ServiceKey key) {
        VirtualService s = services.get(key);
        if (s == null) {
            throw new IpvsException(IpvsException.Reason.NO_SUCH_SERVICE, "no such service: " + key);
        }
        return s;
    }

    /** {@code ipvsadm -A}: adds a service. */
    public VirtualService addService(ServiceKey key, ServiceOptions serviceOptions) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(serviceOptions, "serviceOptions");
        synchronized (adminLock) {
            if (services.containsKey(key)) {
                throw new IpvsException(IpvsException.Reason.SERVICE_EXISTS, "service already exists: " + key);
            }
            validate(key, serviceOptions);
            VirtualService svc = new VirtualService(this, key, serviceOptions);
            Scheduler scheduler = options.schedulers().create(serviceOptions.scheduler(), options);
            svc.setScheduler(scheduler);
            scheduler.onChange(svc, new ServerListChange(ServerListChange.Kind.ATTACHED, null, List.of(), List.of()));
            services.put(key, svc);
            ordered.put(key, svc);
            publishServices();
            if (!key.isFwmark() && key.port() == 0) {
                portZeroServices.incrementAndGet();
            }
            return svc;
        }
    }

    /**
     * {@code ipvsadm -E}: replaces the service's options. With the same scheduler name the scheduler
     * keeps its state; a different name attaches a fresh scheduler.
     */
    public VirtualService editService(ServiceKey key, ServiceOptions serviceOptions) {
        Objects.requireNonNull(serviceOptions, "serviceOptions");
        synchronized (adminLock) {
            VirtualService svc = requireService(key);
            validate(key, serviceOptions);
            Scheduler newScheduler = null;
            if (!serviceOptions.scheduler().equals(svc.options().scheduler())) {
                newScheduler = options.schedulers().create(serviceOptions.scheduler(), options);
            }
            if ("mh".equals(serviceOptions.scheduler()) && svc.scanArray().length > options.mhTableSize()) {
                throw new IpvsException(IpvsException.Reason.INVALID, "service " + key + " has "
                        + svc.scanArray().length + " real servers; mh accepts at most " + options.mhTableSize());
            }
            svc.setOptions(serviceOptions);
            if (newScheduler != null) {
                svc.setScheduler(newScheduler);
                List<RealServer> list = svc.realServers();
                newScheduler.onChange(svc, new ServerListChange(ServerListChange.Kind.ATTACHED, null, list, list));
            }
            return svc;
        }
    }

    /** {@code ipvsadm -D}: deletes a service; its connections linger to their timeouts, their packets dropped. */
    public void deleteService(ServiceKey key) {
        synchronized (adminLock) {
            VirtualService svc = requireService(key);
            removeService(svc);
            publishServices();
        }
    }

    /** {@code ipvsadm -C}: deletes every service. */
    public void clear() {
        synchronized (adminLock) {
            for (VirtualService svc : new ArrayList<>(ordered.values())) {
                removeService(svc);
            }
            publishServices();
        }
    }

    private void removeService(VirtualService svc) {
        services.remove(svc.key());
        ordered.remove(svc.key());
        if (!svc.key().isFwmark() && svc.key().port() == 0) {
            portZeroServices.decrementAndGet();
        }
        for (RealServer d : svc.scanArray()) {
            toTrash(svc, d);
        }
        svc.setServers(new RealServer[0]);
        svc.markRemoved();
    }

    private void publishServices() {
        serviceList = Collections.unmodifiableList(new ArrayList<>(ordered.values()));
    }

    private void validate(ServiceKey key, ServiceOptions o) {
        if (!options.schedulers().contains(o.scheduler())) {
            throw new IpvsException(IpvsException.Reason.SCHEDULER_NOT_FOUND, "scheduler '" + o.scheduler()
                    + "' not found; accepted: " + String.join(", ", options.schedulers().names()));
        }
        if (!key.isFwmark() && key.port() == 0 && !o.persistent()) {
            throw new IpvsException(IpvsException.Reason.INVALID,
                    "service " + key + " has port 0 and is not persistent; a port-0 service must be persistent");
        }
        if (o.onePacket() && !key.isFwmark() && key.protocol() != Protocol.UDP) {
            throw new IpvsException(IpvsException.Reason.INVALID,
                    "one-packet scheduling on " + key + "; accepted only for UDP and firewall-mark services");
        }
        if (key.ipv6() && o.netmask() != ServiceOptions.FULL_NETMASK && (o.netmask() < 1 || o.netmask() > 128)) {
            throw new IpvsException(IpvsException.Reason.INVALID,
                    "IPv6 persistence prefix " + o.netmask() + " is out of range; accepted: 1..128");
        }
    }

    /**
     * Runs {@code operations} (admin calls on this table) with no other admin operation in between, so
     * a group of changes and its rollback are not interleaved with, say, a health checker's edits.
     */
    public void atomically(Runnable operations) {
        synchronized (adminLock) {
            operations.run();
        }
    }

    // ------------------------------------------------------------------ real servers

    /** {@code ipvsadm -a}: adds a real server at the head of the scan order (or revives it from the trash). */
    public RealServer addRealServer(ServiceKey key, InetAddress address, int port, RealServerOptions rsOptions) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(rsOptions, "rsOptions");
        checkPort(port);
        synchronized (adminLock) {
            VirtualService svc = requireService(key);
            if (svc.realServer(address, port) != null) {
                throw new IpvsException(IpvsException.Reason.DESTINATION_EXISTS,
                        "destination " + Addresses.format(address, port) + " already exists in " + key);
            }
            checkFamily(svc, address, rsOptions);
            if (!Addresses.isUnicast(address)) {
                throw new IpvsException(IpvsException.Reason.INVALID, "destination " + Addresses.formatAddress(address)
                        + " is not a unicast address; accepted: unicast or local addresses");
            }
            RealServer[] before = svc.scanArray();
            if ("mh".equals(svc.options().scheduler()) && before.length + 1 > options.mhTableSize()) {
                throw new IpvsException(IpvsException.Reason.INVALID, "service " + key + " would have "
                        + (before.length + 1) + " real servers; mh accepts at most " + options.mhTableSize());
            }
            RealServer d = trash.remove(new TrashKey(key, address, port));
            if (d != null) {
                d.setService(svc);
                d.revive(rsOptions);
            } else {
                d = new RealServer(svc, address, port, rsOptions, options.kernelFlavor());
            }
            RealServer[] after = new RealServer[before.length + 1];
            after[0] = d;
            System.arraycopy(before, 0, after, 1, before.length);
            svc.setServers(after);
            notifyScheduler(svc, ServerListChange.Kind.ADDED, d, before, after);
            return d;
        }
    }

    /** {@code ipvsadm -e}: replaces a real server's options; its place in the scan order stays. */
    public RealServer editRealServer(ServiceKey key, InetAddress address, int port, RealServerOptions rsOptions) {
        Objects.requireNonNull(rsOptions, "rsOptions");
        synchronized (adminLock) {
            VirtualService svc = requireService(key);
            RealServer d = requireDest(svc, address, port);
            checkFamily(svc, address, rsOptions);
            d.update(rsOptions);
            RealServer[] list = svc.scanArray();
            RealServer[] copy = list.clone();
            svc.setServers(copy);
            notifyScheduler(svc, ServerListChange.Kind.EDITED, d, list, copy);
            return d;
        }
    }

    /** {@code ipvsadm -d}: removes a real server; its connections linger, their packets dropped (spec §2.5). */
    public void deleteRealServer(ServiceKey key, InetAddress address, int port) {
        synchronized (adminLock) {
            VirtualService svc = requireService(key);
            RealServer d = requireDest(svc, address, port);
            RealServer[] before = svc.scanArray();
            RealServer[] after = new RealServer[before.length - 1];
            int j = 0;
            for (RealServer s : before) {
                if (s != d) {
                    after[j++] = s;
                }
            }
            svc.setServers(after);
            toTrash(svc, d);
            notifyScheduler(svc, ServerListChange.Kind.REMOVED, d, before, after);
        }
    }

    private void toTrash(VirtualService svc, RealServer d) {
        d.markUnavailable();
        trash.put(new TrashKey(svc.key(), d.address(), d.port()), d);
        if (options.expireNodestConn()) {
            flushConnections(d);
        }
        purgeTrash();
    }

    /** Drops trash entries nothing refers to any more (the kernel frees them after their last reference). */
    private void purgeTrash() {
        trash.values().removeIf(d -> d.activeConnections() == 0 && d.inactiveConnections() == 0
                && d.persistentConnections() == 0);
    }

    private void notifyScheduler(VirtualService svc, ServerListChange.Kind kind, RealServer d,
                                 RealServer[] before, RealServer[] after) {
        svc.scheduler().onChange(svc, new ServerListChange(kind, d,
                Collections.unmodifiableList(java.util.Arrays.asList(before)), svc.realServers()));
    }

    private RealServer requireDest(VirtualService svc, InetAddress address, int port) {
        RealServer d = svc.realServer(address, port);
        if (d == null) {
            throw new IpvsException(IpvsException.Reason.NO_SUCH_DESTINATION,
                    "no such destination " + Addresses.format(address, port) + " in " + svc.key());
        }
        return d;
    }

    private static void checkFamily(VirtualService svc, InetAddress address, RealServerOptions o) {
        boolean v6 = address instanceof Inet6Address;
        if (v6 != svc.key().ipv6() && o.forwarding() != ForwardingMethod.TUNNEL) {
            throw new IpvsException(IpvsException.Reason.INVALID, "destination " + Addresses.formatAddress(address)
                    + " is not of the service's address family; only tunnelled destinations may mix IPv4 and IPv6");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range; accepted: 0..65535");
        }
    }

    // ------------------------------------------------------------------ timeouts and zeroing

    /** {@code ipvsadm --set}: 0 leaves a value unchanged; connections pick the new value up at their next packet. */
    public void setTimeouts(TimeoutSettings t) {
        synchronized (adminLock) {
            int[] tcp = tcpTimeouts.clone();
            if (t.tcp() != 0) {
                tcp[ConnectionState.ESTABLISHED.ordinal()] = t.tcp();
            }
            if (t.tcpFin() != 0) {
                tcp[ConnectionState.FIN_WAIT.ordinal()] = t.tcpFin();
            }
            tcpTimeouts = tcp;
            if (t.udp() != 0) {
                udpTimeout = t.udp();
            }
        }
    }

    /** {@code ipvsadm -L --timeout}. */
    public TimeoutSettings timeouts() {
        int[] tcp = tcpTimeouts;
        return new TimeoutSettings(tcp[ConnectionState.ESTABLISHED.ordinal()], tcp[ConnectionState.FIN_WAIT.ordinal()],
                udpTimeout);
    }

    /** The timeout in seconds of a connection in {@code state}. */
    public int timeoutSeconds(ConnectionState state) {
        if (state == ConnectionState.UDP) {
            return udpTimeout;
        }
        if (state == ConnectionState.SCTP_ESTABLISHED) {
            return SCTP_TIMEOUT;
        }
        if (TcpStateMachine.isTcpState(state)) {
            return tcpTimeouts[state.ordinal()];
        }
        throw new IllegalArgumentException("state " + state + " has no table timeout");
    }

    /** {@code ipvsadm -Z}: zeroes every counter (global, services, real servers) and restarts the estimators. */
    public void zero() {
        synchronized (adminLock) {
            stats.zero();
            for (VirtualService svc : ordered.values()) {
                zero(svc);
            }
        }
    }

    /** {@code ipvsadm -Z -t ...}: zeroes one service and its real servers. */
    public void zero(ServiceKey key) {
        synchronized (adminLock) {
            zero(requireService(key));
        }
    }

    private static void zero(VirtualService svc) {
        svc.stats().zero();
        for (RealServer d : svc.scanArray()) {
            d.stats().zero();
        }
    }

    // ------------------------------------------------------------------ traffic

    /**
     * A first packet of {@code flow}: for TCP a SYN, for UDP a datagram. Same as
     * {@code connect(flow, SYN or 0, 0)}.
     */
    public Connection connect(Flow flow) {
        return connect(flow, flow.protocol() == Protocol.TCP ? TcpFlags.SYN : 0, 0);
    }

    /**
     * A client-to-server packet that may need a new connection entry, as IPVS's input hook handles it:
     * an existing entry takes the packet (unless a new SYN may reuse it, spec §2.5); otherwise the
     * service for the flow's destination (exact port, else a port-0 service) schedules a real server,
     * through persistence when the service is persistent.
     *
     * @return the connection that took the packet, or null when IPVS would not forward it (no service,
     *         a TCP packet that cannot start a connection, no eligible real server, or dropped)
     */
    public Connection connect(Flow flow, int tcpFlags, long bytes) {
        ConnKey k = new ConnKey(flow.protocol(), flow.clientAddress(), flow.clientPort(), flow.destinationAddress(),
                flow.destinationPort());
        Connection c = conns.get(k);
        if (c != null) {
            if (mayReuse(c, tcpFlags)) {
                expireNow(c);
            } else if (packet(c, true, tcpFlags, bytes)) {
                return c;
            } else if (c.alive()) {
                return null; // dropped: the real server was deleted
            }
        }
        if (!canCreate(flow.protocol(), tcpFlags)) {
            return null;
        }
        VirtualService svc = findService(flow);
        return svc == null ? null : schedule(svc, flow, k, tcpFlags, bytes, false);
    }

    /**
     * Like {@link #connect(Flow, int, long)} for a packet classified to {@code service} by other means
     * (a firewall-mark service, for instance).
     */
    public Connection connect(VirtualService service, Flow flow, int tcpFlags, long bytes) {
        ConnKey k = new ConnKey(flow.protocol(), flow.clientAddress(), flow.clientPort(), flow.destinationAddress(),
                flow.destinationPort());
        Connection c = conns.get(k);
        if (c != null) {
            if (mayReuse(c, tcpFlags)) {
                expireNow(c);
            } else if (packet(c, true, tcpFlags, bytes)) {
                return c;
            } else if (c.alive()) {
                return null;
            }
        }
        if (!canCreate(flow.protocol(), tcpFlags) || !service.active()) {
            return null;
        }
        return schedule(service, flow, k, tcpFlags, bytes, false);
    }

    private VirtualService findService(Flow flow) {
        VirtualService svc = services.get(ServiceKey.of(flow.protocol(), flow.destinationAddress(), flow.destinationPort()));
        if (svc == null && flow.destinationPort() != 0 && portZeroServices.get() > 0) {
            svc = services.get(ServiceKey.of(flow.protocol(), flow.destinationAddress(), 0));
        }
        return svc;
    }

    private boolean canCreate(Protocol protocol, int tcpFlags) {
        if (protocol != Protocol.TCP) {
            return true;
        }
        if ((tcpFlags & TcpFlags.RST) != 0) {
            return false;
        }
        return (tcpFlags & TcpFlags.SYN) != 0 || options.sloppyTcp();
    }

    /** Spec §2.5: may a new connection's first packet replace the existing entry {@code c}? */
    private boolean mayReuse(Connection c, int tcpFlags) {
        int mode = options.connReuseMode();
        if (mode == 0 || c.protocol() != Protocol.TCP
                || (tcpFlags & TcpFlags.SYN) == 0 || (tcpFlags & TcpFlags.ACK) != 0) {
            return false;
        }
        synchronized (c) {
            if (c.isDead()) {
                return false;
            }
            if (options.expireNodestConn() && c.realServer().weight() == 0) {
                return true;
            }
            if (c.controller() != null) {
                return false;
            }
            ConnectionState s = c.rawState();
            return s == ConnectionState.TIME_WAIT || s == ConnectionState.CLOSE
                    || ((mode & 2) != 0 && s == ConnectionState.FIN_WAIT && (c.flags() & Connection.F_NOOUTPUT) != 0);
        }
    }

    private Connection schedule(VirtualService svc, Flow flow, ConnKey k, int tcpFlags, long bytes, boolean lease) {
        ServiceOptions so = svc.options();
        if (so.persistent()) {
            return schedulePersistent(svc, so, flow, k, tcpFlags, bytes, lease);
        }
        RealServer d = svc.scheduler().schedule(svc, flow);
        if (d == null) {
            return null;
        }
        int dport = d.port() != 0 ? d.port() : flow.destinationPort();
        return newConnection(svc, k, d, dport, null, so.onePacket(), tcpFlags, bytes, lease);
    }

    private Connection schedulePersistent(VirtualService svc, ServiceOptions so, Flow flow, ConnKey k, int tcpFlags,
                                          long bytes, boolean lease) {
        ServiceKey sk = svc.key();
        InetAddress masked = mask(flow.clientAddress(), so.netmask());
        boolean portless = sk.isFwmark() || sk.port() == 0 || sk.port() == 21;
        ConnKey tk = sk.isFwmark()
                ? new ConnKey(Protocol.IP, masked, 0, markAddress(sk), 0)
                : new ConnKey(flow.protocol(), masked, 0, flow.destinationAddress(), portless ? 0 : sk.port());
        long now = ticker.nanos();
        Connection t;
        RealServer d;
        while (true) {
            t = templates.get(tk);
            if (t != null) {
                synchronized (t) {
                    if (!t.isDead() && templateValid(t)) {
                        t.addControlled(1);
                        rearm(t, now + t.templateTimeoutSeconds() * SECOND);
                        d = t.realServer();
                        break;
                    }
                    if (!t.isDead()) {
                        templates.remove(tk, t); // unreachable; it dies on its own timer
                    }
                }
            }
            d = svc.scheduler().schedule(svc, flow);
            if (d == null) {
                return null;
            }
            int tport = portless ? 0 : d.port();
            Connection nt = new Connection(this, svc, tk, d, tport, null, Connection.F_TEMPLATE,
                    ConnectionState.NONE, so.persistenceTimeout());
            nt.setControlled(1);
            if (templates.putIfAbsent(tk, nt) != null) {
                continue; // another thread made the template first: use it
            }
            synchronized (nt) {
                d.bindTemplate();
                nt.setBound(true);
                nt.setDeadline(now + so.persistenceTimeout() * SECOND);
                nt.queuedTick = wheel.schedule(nt, nt.deadlineNanos());
            }
            t = nt;
            break;
        }
        int dport = (flow.destinationPort() == sk.port() && !sk.isFwmark() && d.port() != 0)
                ? d.port() : flow.destinationPort();
        return newConnection(svc, k, d, dport, t, so.onePacket(), tcpFlags, bytes, lease);
    }

    private boolean templateValid(Connection t) {
        RealServer d = t.realServer();
        return d.available() && !(options.expireQuiescentTemplate() && d.weight() == 0);
    }

    private static InetAddress mask(InetAddress a, int netmask) {
        if (a instanceof Inet4Address) {
            return netmask == ServiceOptions.FULL_NETMASK ? a : Addresses.ipv4(Addresses.fold(a) & netmask);
        }
        int prefix = netmask == ServiceOptions.FULL_NETMASK ? 128 : netmask;
        if (prefix >= 128) {
            return a;
        }
        byte[] b = a.getAddress();
        for (int i = 0; i < 16; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        return byAddress(b);
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A fwmark template's address: the mark in the first 32-bit word (IPv4: the whole address). */
    private static InetAddress markAddress(ServiceKey sk) {
        if (!sk.ipv6()) {
            return Addresses.ipv4(sk.fwmark());
        }
        int m = sk.fwmark();
        byte[] b = new byte[16];
        b[0] = (byte) (m >>> 24);
        b[1] = (byte) (m >>> 16);
        b[2] = (byte) (m >>> 8);
        b[3] = (byte) m;
        return byAddress(b);
    }

    private Connection newConnection(VirtualService svc, ConnKey k, RealServer d, int dport, Connection template,
                                     boolean onePacket, int tcpFlags, long bytes, boolean lease) {
        int flags = Connection.F_INACTIVE;
        if (d.options().forwarding() != ForwardingMethod.MASQ) {
            flags |= Connection.F_NOOUTPUT;
        }
        if (onePacket) {
            flags |= Connection.F_ONE_PACKET;
        }
        ConnectionState initial = switch (k.protocol()) {
            case UDP -> ConnectionState.UDP;
            case SCTP -> ConnectionState.SCTP_ESTABLISHED;
            default -> ConnectionState.NONE;
        };
        Connection c = new Connection(this, svc, k, d, dport, template, flags, initial, 0);
        long now = ticker.nanos();
        synchronized (c) {
            if (!onePacket) {
                Connection prev = conns.putIfAbsent(k, c);
                if (prev != null) {
                    if (template != null) {
                        template.addControlled(-1); // this connection never existed
                    }
                    if (lease) {
                        return null;
                    }
                    // another thread created the entry for this flow first: the packet is its
                    return packet(prev, true, tcpFlags, bytes) ? prev : null;
                }
            }
            if (k.protocol() == Protocol.SCTP) {
                c.setFlags(flags & ~Connection.F_INACTIVE);
                d.bind(true);
            } else {
                d.bind(false);
            }
            c.setBound(true);
            d.stats().countConnection();
            svc.stats().countConnection();
            stats.countConnection();
            c.setDeadline(now + PROVISIONAL_TIMEOUT * SECOND);
            if (!onePacket) {
                c.queuedTick = wheel.schedule(c, c.deadlineNanos());
            }
        }
        packet(c, true, tcpFlags, bytes);
        if (onePacket) {
            synchronized (c) {
                expireLocked(c);
            }
        }
        return c;
    }

    /** One packet on an existing entry (spec §2.1-2.3). */
    boolean packet(Connection c, boolean inbound, int tcpFlags, long bytes) {
        long now = ticker.nanos();
        RealServer d = c.realServer();
        Connection assure = null;
        synchronized (c) {
            if (c.isDead()) {
                return false;
            }
            if (!d.available()) {
                if (options.expireNodestConn()) {
                    expireLocked(c);
                }
                return false;
            }
            ConnectionState old = c.rawState();
            ConnectionState next = old;
            int flags = c.flags();
            if (c.protocol() == Protocol.TCP) {
                int direction;
                if (!inbound) {
                    direction = TcpStateMachine.OUTPUT;
                    flags &= ~Connection.F_NOOUTPUT;
                } else {
                    direction = (flags & Connection.F_NOOUTPUT) != 0 ? TcpStateMachine.INPUT_ONLY : TcpStateMachine.INPUT;
                }
                next = TcpStateMachine.next(options.secureTcp(), direction, tcpFlags, old);
                if (next.active() != old.active()) {
                    if (next.active()) {
                        d.activate();
                        flags &= ~Connection.F_INACTIVE;
                    } else {
                        d.deactivate();
                        flags |= Connection.F_INACTIVE;
                    }
                }
                c.setState(next);
                if (next == ConnectionState.ESTABLISHED && old != ConnectionState.ESTABLISHED) {
                    assure = c.controller();
                }
            } else if (c.protocol() == Protocol.UDP && !inbound) {
                assure = c.controller();
            }
            c.setFlags(flags);
            rearm(c, now + timeoutSeconds(next) * SECOND);
        }
        if (assure != null) {
            synchronized (assure) {
                assure.setState(ConnectionState.ASSURED);
            }
        }
        VirtualService svc = d.service();
        if (inbound) {
            d.stats().countIn(bytes);
            svc.stats().countIn(bytes);
            stats.countIn(bytes);
        } else {
            d.stats().countOut(bytes);
            svc.stats().countOut(bytes);
            stats.countOut(bytes);
        }
        return true;
    }

    /** Sets {@code c}'s deadline; queues it again if the new deadline is earlier than where it waits. Lock held. */
    private void rearm(Connection c, long deadline) {
        c.setDeadline(deadline);
        if ((c.flags() & Connection.F_ONE_PACKET) == 0 && wheel.tickOf(deadline) < c.queuedTick) {
            c.queuedTick = wheel.schedule(c, deadline);
        }
    }

    /** Expires {@code c} now (ip_vs_conn_expire_now). */
    void expireNow(Connection c) {
        synchronized (c) {
            if (!c.isDead() && !(c.isTemplate() && c.controlledCount() > 0)) {
                expireLocked(c);
            }
        }
    }

    private void expireLocked(Connection c) {
        c.markDead();
        if (c.isTemplate()) {
            templates.remove(c.key(), c);
        } else if ((c.flags() & Connection.F_ONE_PACKET) == 0) {
            conns.remove(c.key(), c);
        }
        if (c.bound()) {
            c.setBound(false);
            RealServer d = c.realServer();
            if (c.isTemplate()) {
                d.unbindTemplate();
            } else {
                d.unbind((c.flags() & Connection.F_INACTIVE) == 0);
            }
        }
        Connection t = c.controller();
        if (t != null) {
            t.addControlled(-1);
        }
    }

    private void onDue(Connection c, long now) {
        synchronized (c) {
            if (c.isDead()) {
                return;
            }
            long deadline = c.deadlineNanos();
            if (deadline > now) {
                c.queuedTick = wheel.schedule(c, deadline);
                return;
            }
            if (c.isTemplate() && c.controlledCount() > 0) {
                c.setTemplateTimeoutSeconds(TEMPLATE_DEFERRED_TIMEOUT);
                c.setDeadline(now + TEMPLATE_DEFERRED_TIMEOUT * SECOND);
                c.queuedTick = wheel.schedule(c, c.deadlineNanos());
                return;
            }
            expireLocked(c);
        }
    }

    private void flushConnections(RealServer d) {
        for (Connection c : conns.values()) {
            if (c.realServer() == d) {
                expireNow(c);
            }
        }
    }

    /** Every hashed connection entry and template, in no particular order (as {@code ipvsadm -L -c} lists them). */
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>(conns.size() + templates.size());
        all.addAll(conns.values());
        all.addAll(templates.values());
        return all;
    }

    /** The connection entry for this flow, or null. */
    public Connection connection(Flow flow) {
        return conns.get(new ConnKey(flow.protocol(), flow.clientAddress(), flow.clientPort(), flow.destinationAddress(),
                flow.destinationPort()));
    }

    /** Number of hashed connection entries, templates excluded. */
    public int connectionCount() {
        return conns.size();
    }

    /** Number of live persistence templates. */
    public int templateCount() {
        return templates.size();
    }

    // ------------------------------------------------------------------ leases

    /**
     * Acquires a lease for one request or connection from {@code client} to the service {@code key}:
     * schedules through the table (persistence included) and establishes a TCP entry (or opens a UDP
     * one), so the real server counts it active until {@link Lease#close()}.
     *
     * @throws NoRealServerException when the service does not exist or no real server is eligible
     */
    public Lease acquire(ServiceKey key, InetAddress client) {
        VirtualService svc = services.get(key);
        if (svc == null) {
            throw new NoRealServerException(key, "no such virtual service: " + key);
        }
        Protocol p = key.isFwmark() ? Protocol.TCP : key.protocol();
        InetAddress vaddr = key.isFwmark() ? markAddress(key) : key.address();
        for (int attempt = 0; attempt < 64; attempt++) {
            int port = 1024 + Math.floorMod(leasePorts.getAndIncrement(), 64512);
            Flow flow = Flow.of(p, client, port, vaddr, key.port());
            Lease lease = acquire(svc, flow);
            if (lease != null) {
                return lease;
            }
            if (conns.get(new ConnKey(p, client, port, vaddr, key.port())) == null) {
                break;
            }
        }
        throw new NoRealServerException(key, "no real server available for " + key);
    }

    /**
     * Acquires a lease for {@code flow} to {@code svc}; returns null if no real server is eligible or an
     * entry for the flow already exists.
     */
    public Lease acquire(VirtualService svc, Flow flow) {
        ConnKey k = new ConnKey(flow.protocol(), flow.clientAddress(), flow.clientPort(), flow.destinationAddress(),
                flow.destinationPort());
        if (!svc.active()) {
            return null;
        }
        int first = flow.protocol() == Protocol.TCP ? TcpFlags.SYN : 0;
        Connection c = schedule(svc, flow, k, first, 0, true);
        if (c == null) {
            return null;
        }
        if (flow.protocol() == Protocol.TCP) {
            c.outbound(TcpFlags.SYN_ACK, 0);
            c.inbound(TcpFlags.ACK, 0);
        }
        return new Lease(c);
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Expires due connections and templates, runs the 2-second rate estimator for every period that
     * has elapsed, and lets schedulers do their housekeeping. Safe to call from any thread; calls are
     * serialized.
     */
    public void runMaintenance() {
        synchronized (maintenanceLock) {
            long now = ticker.nanos();
            wheel.advance(now, c -> onDue(c, now));
            int periods = 0;
            while (now - nextEstimate >= 0) {
                nextEstimate += ESTIMATOR_PERIOD;
                if (periods++ < 16) {
                    estimate();
                }
            }
            for (VirtualService svc : serviceList) {
                svc.scheduler().maintain(now);
            }
            synchronized (adminLock) {
                if (!trash.isEmpty()) {
                    purgeTrash();
                }
            }
        }
    }

    private void estimate() {
        stats.estimate();
        for (VirtualService svc : serviceList) {
            svc.stats().estimate();
            for (RealServer d : svc.scanArray()) {
                d.stats().estimate();
            }
        }
    }

    /**
     * Starts a daemon thread that calls {@link #runMaintenance()} every 10 ms; close the returned handle
     * to stop it.
     */
    public AutoCloseable startMaintenance() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lvs4j-maintenance");
            t.setDaemon(true);
            return t;
        });
        ex.scheduleWithFixedDelay(() -> {
            try {
                runMaintenance();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "maintenance failed", e);
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
        return ex::shutdownNow;
    }
}
