package io.lvs4j.vrrp;

import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of a {@link VrrpEngine} on the host, for one configuration: the engine on its scheduler thread, one
 * raw socket and receiver thread per (interface, address family), a netlink socket for the VIPs, a link
 * monitor thread, and gratuitous ARP senders. {@link VrrpDaemon} creates one at start and a new one at each
 * reload.
 *
 * <p>This class is the host side of {@link VrrpActions}: every action runs on the scheduler thread. Receivers
 * validate packets on their own threads and hand accepted adverts to the scheduler thread. Reload hand-over
 * (an instance that stays MASTER keeps its VIPs and notifies nothing) is done here, see {@link Handover}.
 */
final class DaemonRuntime implements VrrpActions {

    /** {@code IFA_F_SECONDARY}: an IPv4 address that is not the primary one of its subnet. */
    private static final int IFA_F_SECONDARY = 0x01;
    private static final Duration ADDRESS_REFRESH = Duration.ofSeconds(1);
    private static final long LOG_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What a reload carries from the old run to the new one: the instances that keep their state (MASTER or
     * BACKUP) and the sync groups whose members all do.
     */
    record Handover(Map<String, VrrpState> instances, Map<String, VrrpState> groups) {
        static final Handover NONE = new Handover(Map.of(), Map.of());

        Handover {
            instances = Map.copyOf(instances);
            groups = Map.copyOf(groups);
        }

        /** The part of this hand-over that {@code config} can take over. */
        Handover restrictTo(VrrpDaemonConfig config) {
            Map<String, VrrpState> i = new LinkedHashMap<>();
            instances.forEach((k, v) -> {
                if (config.instance(k).isPresent()) {
                    i.put(k, v);
                }
            });
            Map<String, VrrpState> g = new LinkedHashMap<>();
            groups.forEach((k, v) -> {
                if (config.syncGroups().stream().anyMatch(s -> s.name().equals(k))) {
                    g.put(k, v);
                }
            });
            return new Handover(i, g);
        }
    }

    /** What the daemon lends every run. */
    record Services(VrrpLog log, boolean logDetail, Consumer<String> logSink, ScriptExecutor scripts,
            NotifyFifo fifo, Consumer<VrrpStateChange> events) {
    }

    private final VrrpDaemonConfig config;
    private final Services services;
    private final VrrpLog log;
    private final ExecutorVrrpScheduler scheduler;
    private final Netlink netlink;
    private final NotificationFilter filter = new NotificationFilter();
    private final Map<String, InstanceIo> ios = new LinkedHashMap<>();
    private final Map<SocketKey, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, Garp> garps = new HashMap<>();
    private final Set<String> garpFailures = new HashSet<>();
    private final Map<String, Inet4Address> primary4 = new ConcurrentHashMap<>();
    private final Map<String, Inet6Address> primary6 = new ConcurrentHashMap<>();
    private final Map<String, Boolean> linkUp = new ConcurrentHashMap<>();
    private final Set<String> watchedInterfaces = new LinkedHashSet<>();
    private final Set<InetAddress> ownAddresses = new HashSet<>();
    private final Map<String, Long> logRepeats = new ConcurrentHashMap<>();
    private final Set<String> pendingGroups = new HashSet<>();
    private LinkMonitor linkMonitor;
    private Thread linkThread;
    private VrrpEngine engine;
    private volatile boolean closing;

    private DaemonRuntime(VrrpDaemonConfig config, Services services, Netlink netlink) {
        this.config = config;
        this.services = services;
        this.log = services.log();
        this.netlink = netlink;
        this.scheduler = new ExecutorVrrpScheduler("vrrp-engine");
    }

    // ------------------------------------------------------------------------------------------ start

    /**
     * Opens everything, builds the engine and starts it on its scheduler thread (after
     * {@code vrrp_startup_delay}); returns once the instances have taken their initial state.
     *
     * @throws HostNetworkException naming the operation and interface, e.g. not root or no such interface;
     *     nothing is left open
     */
    static DaemonRuntime start(VrrpDaemonConfig config, Services services, Handover handover)
            throws HostNetworkException {
        Netlink netlink = Netlink.open();
        DaemonRuntime runtime = new DaemonRuntime(config, services, netlink);
        boolean ok = false;
        try {
            runtime.open(handover);
            ok = true;
            return runtime;
        } finally {
            if (!ok) {
                runtime.closeResources();
            }
        }
    }

    private void open(Handover handover) throws HostNetworkException {
        for (VrrpInstanceConfig c : config.instances()) {
            VrrpInstanceHostOptions host = config.hostOptions(c.name());
            ios.put(c.name(), new InstanceIo(c, host));
            c.virtualAddresses().forEach(v -> ownAddresses.add(v.address()));
            host.excludedAddresses().forEach(v -> ownAddresses.add(v.address()));
        }
        VrrpEngine.Builder b = VrrpEngine.builder(scheduler, this)
                .scriptExecutor(filter.wrap(services.scripts()))
                .logDetail(services.logDetail())
                .logSink(services.logSink())
                .logUnknownVrids(config.logUnknownVrids());
        if (services.fifo() != null) {
            b.notifyFifo(filter.wrap(services.fifo()));
        }

        // interfaces: the instances' own ones must exist; tracked ones may not (then they are down)
        Set<String> own = new LinkedHashSet<>();
        config.instances().forEach(c -> own.add(c.interfaceName()));
        Set<String> tracked = new LinkedHashSet<>();
        config.instances().forEach(c -> c.trackInterfaces().forEach(t -> tracked.add(t.name())));
        config.syncGroups().forEach(g -> g.trackInterfaces().forEach(t -> tracked.add(t.name())));
        watchedInterfaces.addAll(own);
        watchedInterfaces.addAll(tracked);
        for (String ifname : own) {
            LinkInfo link = link(ifname);
            linkUp.put(ifname, link.isUpAndRunning());
            b.interfaceUp(ifname, link.isUpAndRunning());
        }
        for (String ifname : tracked) {
            if (linkUp.containsKey(ifname)) {
                continue;
            }
            try {
                LinkInfo link = link(ifname);
                linkUp.put(ifname, link.isUpAndRunning());
            } catch (HostNetworkException e) {
                if (!e.isNoSuchInterface()) {
                    throw e;
                }
                log.warn("track_interface " + ifname + " doesn't exist - treating it as down");
                linkUp.put(ifname, false);
            }
            b.interfaceUp(ifname, linkUp.get(ifname));
        }
        for (VrrpInstanceConfig c : config.instances()) {
            List<VirtualAddress> all = new ArrayList<>(c.virtualAddresses());
            all.addAll(config.hostOptions(c.name()).excludedAddresses());
            for (VirtualAddress v : all) {
                v.device().filter(d -> !own.contains(d) && !tracked.contains(d)).ifPresent(d -> {
                    try {
                        link(d);
                    } catch (HostNetworkException e) {
                        log.warn("(" + c.name() + ") " + e.getMessage() + " - " + v + " cannot be added");
                    }
                });
            }
        }
        for (String ifname : own) {
            refreshAddresses(ifname, false);
        }
        for (String ifname : own) {
            InetAddress a = engineAddress(ifname);
            if (a != null) {
                b.interfaceAddress(ifname, a);
            }
        }

        // one socket and receiver per (interface, family)
        Map<SocketKey, List<InstanceIo>> bySocket = new LinkedHashMap<>();
        for (InstanceIo io : ios.values()) {
            bySocket.computeIfAbsent(SocketKey.of(io.config), k -> new ArrayList<>()).add(io);
        }
        for (Map.Entry<SocketKey, List<InstanceIo>> e : bySocket.entrySet()) {
            SocketKey key = e.getKey();
            boolean multicast = e.getValue().stream().anyMatch(io -> !io.config.isUnicast());
            Receiver r = key.ipv6()
                    ? new Receiver(key, null, VrrpSocket6.builder(key.interfaceName())
                            .group(config.multicastGroup6()).joinGroup(multicast).open(), e.getValue())
                    : new Receiver(key, VrrpSocket.builder(key.interfaceName()).group(config.multicastGroup4())
                            .joinGroup(multicast).protocol(key.ah() ? VrrpCodec.IPPROTO_AH : VrrpCodec.IPPROTO_VRRP)
                            .open(), null, e.getValue());
            receivers.put(key, r);
        }

        linkMonitor = LinkMonitor.open();
        log.detail("Registering Kernel netlink reflector");

        config.scripts().forEach(b::script);
        config.instances().forEach(b::instance);
        config.syncGroups().forEach(b::syncGroup);
        engine = b.build();

        for (Map.Entry<String, VrrpState> h : handover.instances().entrySet()) {
            InstanceIo io = ios.get(h.getKey());
            if (io == null) {
                continue;
            }
            io.handoverFrom = h.getValue();
            filter.suppress("INSTANCE", io.config, null, VrrpState.BACKUP);
            if (h.getValue() == VrrpState.MASTER) {
                filter.suppress("INSTANCE", io.config, null, VrrpState.MASTER);
            }
        }
        for (Map.Entry<String, VrrpState> h : handover.groups().entrySet()) {
            config.syncGroups().stream().filter(g -> g.name().equals(h.getKey())).findFirst().ifPresent(g -> {
                pendingGroups.add(g.name());
                filter.suppress("GROUP", null, g, VrrpState.BACKUP);
                if (h.getValue() == VrrpState.MASTER) {
                    filter.suppress("GROUP", null, g, VrrpState.MASTER);
                }
            });
        }

        for (Receiver r : receivers.values()) {
            r.start();
        }
        linkThread = new Thread(this::watchLinks, "vrrp-link-monitor");
        linkThread.setDaemon(true);
        linkThread.start();

        CompletableFuture<Void> started = new CompletableFuture<>();
        Runnable startEngine = () -> {
            try {
                log.info("Startup complete");
                engine.start();
                started.complete(null);
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
            }
            scheduleHandoverTimeout();
        };
        if (config.startupDelay().isZero()) {
            scheduler.execute(startEngine);
            await(started, "start the VRRP instances");
        } else {
            log.info("Delaying startup for " + config.startupDelay().toMillis() / 1000.0 + " seconds");
            scheduler.schedule(config.startupDelay(), startEngine);
        }
    }

    private LinkInfo link(String ifname) throws HostNetworkException {
        try {
            return netlink.link(ifname);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("netlink socket closed", e);
        }
    }

    private void scheduleHandoverTimeout() {
        long longest = 0;
        for (InstanceIo io : ios.values()) {
            if (io.handoverFrom != null) {
                longest = Math.max(longest, io.config.advertIntervalMicros());
            }
        }
        if (longest == 0) {
            return;
        }
        scheduler.schedule(Duration.ofNanos(longest * 3_000 + 1_000_000_000L), () -> {
            for (InstanceIo io : ios.values()) {
                if (io.handoverFrom != null) {
                    VrrpState from = io.handoverFrom;
                    VrrpInstance inst = engine.instance(io.config.name());
                    endHandover(io);
                    VrrpState now = inst.state();
                    if (now == VrrpState.BACKUP) {
                        // it could not take MASTER back: say so now, as the filtered notifications would have
                        engine.notifier().instanceState(io.config, VrrpState.BACKUP, inst.effectivePriority());
                    }
                    if (from == VrrpState.MASTER && now != VrrpState.MASTER) {
                        removeQuietly(inst);
                        report(inst, from, now);
                    }
                }
            }
        });
    }

    private void endHandover(InstanceIo io) {
        io.handoverFrom = null;
        filter.release("INSTANCE", io.config.name());
        for (String g : List.copyOf(pendingGroups)) {
            Optional<VrrpSyncGroupConfig> group = config.syncGroups().stream().filter(s -> s.name().equals(g))
                    .findFirst();
            boolean done = group.isEmpty() || group.get().members().stream()
                    .allMatch(m -> ios.get(m) == null || ios.get(m).handoverFrom == null);
            if (done) {
                pendingGroups.remove(g);
                filter.release("GROUP", g);
            }
        }
    }

    private void removeQuietly(VrrpInstance inst) {
        InstanceIo io = ios.get(inst.name());
        deleteAddresses(io, allAddresses(io));
    }

    // ------------------------------------------------------------------------------------------ stop

    /**
     * Stops the engine (masters send priority 0 and remove their VIPs, everything reports STOP), then closes
     * sockets and threads. With {@code next}, instances that {@code next} keeps (same name, interface, VRID and
     * family) and that are MASTER or BACKUP hand over instead: no priority-0 advert, VIPs kept (those
     * {@code next} drops are removed), no STOP notification.
     *
     * @return what the next run takes over
     */
    Handover close(VrrpDaemonConfig next) {
        closing = true;
        CompletableFuture<Handover> stopped = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                try {
                    Handover h = next == null ? Handover.NONE : prepareHandover(next);
                    engine.shutdown();
                    stopped.complete(h);
                } catch (RuntimeException | Error e) {
                    stopped.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            stopped.completeExceptionally(e);
        }
        Handover handover = Handover.NONE;
        try {
            handover = stopped.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("VRRP engine did not stop cleanly: " + e);
        }
        closeResources();
        return handover;
    }

    private Handover prepareHandover(VrrpDaemonConfig next) {
        Map<String, VrrpState> keep = new LinkedHashMap<>();
        for (VrrpInstance inst : engine.instances()) {
            VrrpState state = inst.state();
            Optional<VrrpInstanceConfig> n = next.instance(inst.name());
            VrrpInstanceConfig c = inst.config();
            if ((state != VrrpState.MASTER && state != VrrpState.BACKUP) || n.isEmpty()
                    || !n.get().interfaceName().equals(c.interfaceName())
                    || n.get().virtualRouterId() != c.virtualRouterId() || n.get().isIpv6() != c.isIpv6()) {
                continue;
            }
            keep.put(inst.name(), state);
            InstanceIo io = ios.get(inst.name());
            filter.suppress("INSTANCE", c, null, VrrpState.STOP);
            if (state == VrrpState.MASTER) {
                io.keepAddresses = true;
                // STOP now, quietly (notifications filtered above): shutdown then has no master to resign
                inst.stop();
                List<VirtualAddress> stays = new ArrayList<>(n.get().virtualAddresses());
                stays.addAll(next.hostOptions(inst.name()).excludedAddresses());
                List<VirtualAddress> gone = new ArrayList<>(allAddresses(io));
                gone.removeIf(v -> stays.stream().anyMatch(s -> s.address().equals(v.address())
                        && s.prefixLength() == v.prefixLength()
                        && s.device().orElse(n.get().interfaceName()).equals(v.device().orElse(c.interfaceName()))));
                deleteAddresses(io, gone);
            }
        }
        Map<String, VrrpState> groups = new LinkedHashMap<>();
        for (VrrpSyncGroupConfig g : config.syncGroups()) {
            boolean all = g.members().stream().allMatch(keep::containsKey);
            boolean kept = next.syncGroups().stream().anyMatch(s -> s.name().equals(g.name()));
            Optional<VrrpState> state = engine.syncGroupState(g.name());
            if (all && kept && state.isPresent()
                    && (state.get() == VrrpState.MASTER || state.get() == VrrpState.BACKUP)) {
                groups.put(g.name(), state.get());
                filter.suppress("GROUP", null, g, VrrpState.STOP);
            }
        }
        return new Handover(keep, groups);
    }

    private void closeResources() {
        closing = true;
        for (Receiver r : receivers.values()) {
            r.close();
        }
        if (linkMonitor != null) {
            linkMonitor.close();
        }
        for (Receiver r : receivers.values()) {
            r.join();
        }
        if (linkThread != null) {
            join(linkThread);
        }
        scheduler.close();
        for (Garp g : garps.values()) {
            g.close();
        }
        netlink.close();
    }

    private static void join(Thread t) {
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(CompletableFuture<?> f, String what) {
        try {
            f.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot " + what + ": " + cause, cause);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("timed out waiting to " + what);
        }
    }

    // ------------------------------------------------------------------------------------------ view

    VrrpDaemonConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------ VrrpActions

    @Override
    public void sendAdvert(VrrpInstance instance, int priority) {
        InstanceIo io = ios.get(instance.name());
        if (io.keepAddresses && priority == 0) {
            return;
        }
        VrrpInstanceConfig c = io.config;
        Receiver r = receivers.get(SocketKey.of(c));
        List<InetAddress> vips = c.virtualAddresses().stream().map(VirtualAddress::address).toList();
        try {
            if (c.isIpv6()) {
                Inet6Address source = (Inet6Address) c.sourceAddress().orElse(primary6.get(c.interfaceName()));
                if (source == null) {
                    throw new IllegalStateException("no IPv6 link-local address on " + c.interfaceName()
                            + " to send adverts from");
                }
                VrrpPacket p = VrrpPacket.advertV3(c.virtualRouterId(), priority, c.advertIntervalWireValue(), vips);
                List<InetAddress> destinations = c.isUnicast() ? c.unicastPeers() : List.of(config.multicastGroup6());
                for (InetAddress d : destinations) {
                    byte[] message = VrrpCodec.encodeV3(p, source, d, V3ChecksumMode.PSEUDO_HEADER);
                    r.socket6.send(message, (Inet6Address) d);
                }
                return;
            }
            Inet4Address source = (Inet4Address) c.sourceAddress().orElse(primary4.get(c.interfaceName()));
            if (source == null) {
                throw new IllegalStateException("no IPv4 address on " + c.interfaceName()
                        + " to send adverts from; add one or set mcast_src_ip/unicast_src_ip");
            }
            VrrpPacket p;
            if (c.version() == 2) {
                byte[] auth = c.authType() == AuthType.PASS ? VrrpPacket.passwordAuthData(c.authPassword())
                        : VrrpPacket.noAuthData();
                p = VrrpPacket.advertV2(c.virtualRouterId(), priority, c.authType().wireValue(), auth,
                        c.advertIntervalWireValue(), vips);
            } else {
                p = VrrpPacket.advertV3(c.virtualRouterId(), priority, c.advertIntervalWireValue(), vips);
            }
            V3ChecksumMode mode = c.v3ChecksumAsV2() ? V3ChecksumMode.NO_PSEUDO_HEADER
                    : io.oldUnicastChecksum ? V3ChecksumMode.OLD_UNICAST : V3ChecksumMode.PSEUDO_HEADER;
            List<InetAddress> destinations = c.isUnicast() ? c.unicastPeers() : List.of(config.multicastGroup4());
            for (InetAddress d : destinations) {
                Ipv4Header header = Ipv4Header.forVrrp(source, (Inet4Address) d, io.nextIpId());
                if (c.isUnicast()) {
                    header = header.withTtl(io.host.unicastTtl());
                }
                byte[] datagram;
                if (c.authType() == AuthType.AH) {
                    io.ahTxSequence = (io.ahTxSequence + 1) & 0xFFFF_FFFFL;
                    datagram = VrrpCodec.encodeIpv4WithAuthHeader(header, io.ahTxSequence, p,
                            VrrpPacket.passwordAuthData(c.authPassword()), c.isUnicast());
                } else {
                    datagram = VrrpCodec.encodeIpv4(header, p, mode);
                }
                r.socket4.send(datagram, (Inet4Address) d);
            }
        } catch (HostNetworkException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("socket closed", e);
        }
    }

    @Override
    public void addAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
        InstanceIo io = ios.get(instance.name());
        log.info("(" + instance.name() + ") setting VIPs.");
        for (VirtualAddress v : withExcluded(io, addresses)) {
            String dev = v.device().orElse(io.config.interfaceName());
            try {
                netlink.addAddress(dev, v.address(), v.prefixLength(), io.host.label(v).orElse(null), v.isIpv6());
            } catch (HostNetworkException | RuntimeException e) {
                log.warn("(" + instance.name() + ") cannot add VIP " + v + ": " + e.getMessage());
            } catch (ClosedChannelException e) {
                return;
            }
        }
    }

    @Override
    public void removeAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
        InstanceIo io = ios.get(instance.name());
        if (io.keepAddresses || io.handoverFrom == VrrpState.MASTER) {
            return;
        }
        log.info("(" + instance.name() + ") removing VIPs.");
        deleteAddresses(io, withExcluded(io, addresses));
    }

    private void deleteAddresses(InstanceIo io, List<VirtualAddress> addresses) {
        for (VirtualAddress v : addresses) {
            String dev = v.device().orElse(io.config.interfaceName());
            try {
                netlink.deleteAddress(dev, v.address(), v.prefixLength());
            } catch (HostNetworkException e) {
                if (!e.isNoSuchInterface()) {
                    log.warn("(" + io.config.name() + ") cannot remove VIP " + v + ": " + e.getMessage());
                }
            } catch (RuntimeException e) {
                log.warn("(" + io.config.name() + ") cannot remove VIP " + v + ": " + e.getMessage());
            } catch (ClosedChannelException e) {
                return;
            }
        }
    }

    private List<VirtualAddress> withExcluded(InstanceIo io, List<VirtualAddress> addresses) {
        if (io.host.excludedAddresses().isEmpty()) {
            return addresses;
        }
        List<VirtualAddress> all = new ArrayList<>(addresses);
        all.addAll(io.host.excludedAddresses());
        return all;
    }

    private List<VirtualAddress> allAddresses(InstanceIo io) {
        return withExcluded(io, io.config.virtualAddresses());
    }

    @Override
    public void sendGratuitousArps(VrrpInstance instance, List<VirtualAddress> addresses) {
        InstanceIo io = ios.get(instance.name());
        for (VirtualAddress v : withExcluded(io, addresses)) {
            announce(io, v.device().orElse(io.config.interfaceName()), v.address());
        }
    }

    @Override
    public void announceSourceAddress(VrrpInstance instance, InetAddress source) {
        InstanceIo io = ios.get(instance.name());
        announce(io, io.config.interfaceName(), source);
    }

    private void announce(InstanceIo io, String dev, InetAddress address) {
        try {
            Garp g = garps.get(dev);
            if (g == null) {
                g = Garp.open(dev);
                garps.put(dev, g);
            }
            if (address instanceof Inet4Address v4) {
                log.detail("Sending gratuitous ARP on " + dev + " for " + VrrpCodec.formatAddress(v4));
                g.sendArp(v4);
            } else {
                log.detail("Sending unsolicited Neighbour Advert on " + dev + " for "
                        + VrrpCodec.formatAddress(address));
                g.sendNeighbourAdvert((Inet6Address) address);
            }
            garpFailures.remove(dev);
        } catch (HostNetworkException e) {
            String line = "(" + io.config.name() + ") cannot send gratuitous ARP/NA on " + dev + ": " + e.getMessage();
            if (garpFailures.add(dev)) {
                log.warn(line);
            } else {
                log.detail(line);
            }
        } catch (ClosedChannelException e) {
            // closing
        }
    }

    @Override
    public void stateChanged(VrrpInstance instance, VrrpState from, VrrpState to) {
        InstanceIo io = ios.get(instance.name());
        VrrpState handover = io.handoverFrom;
        if (io.keepAddresses && to == VrrpState.STOP) {
            return;
        }
        if (handover != null) {
            if (handover == VrrpState.BACKUP) {
                endHandover(io);
                if (to == VrrpState.BACKUP) {
                    return;
                }
            } else if (to == VrrpState.BACKUP && from == VrrpState.INIT) {
                scheduler.execute(() -> {
                    if (io.handoverFrom != null && instance.state() == VrrpState.BACKUP) {
                        instance.syncToMaster();
                    }
                });
                return;
            } else if (to == VrrpState.MASTER) {
                endHandover(io);
                return;
            } else {
                endHandover(io);
                deleteAddresses(io, allAddresses(io));
                from = VrrpState.MASTER;
            }
        }
        report(instance, from, to);
    }

    private void report(VrrpInstance instance, VrrpState from, VrrpState to) {
        InstanceIo io = ios.get(instance.name());
        services.events().accept(new VrrpStateChange(instance.name(), io.config.interfaceName(),
                instance.syncGroupName(), from, to, instance.effectivePriority(), allAddresses(io)));
    }

    // ------------------------------------------------------------------------------------------ links

    private void watchLinks() {
        long nextRefresh = System.nanoTime() + ADDRESS_REFRESH.toNanos();
        while (!closing) {
            List<LinkEvent> events;
            try {
                events = linkMonitor.poll(ADDRESS_REFRESH);
            } catch (ClosedChannelException e) {
                return;
            } catch (HostNetworkException e) {
                if (closing) {
                    return;
                }
                log.warn("link monitor: " + e.getMessage());
                sleep(ADDRESS_REFRESH);
                continue;
            }
            Set<String> changed = new LinkedHashSet<>();
            for (LinkEvent e : events) {
                String name = e.link().name();
                if (!watchedInterfaces.contains(name)) {
                    continue;
                }
                boolean up = e.kind() != LinkEvent.Kind.REMOVED && e.link().isUpAndRunning();
                Boolean old = linkUp.put(name, up);
                if (old == null || old != up) {
                    changed.add(name);
                    execute(() -> engine.interfaceStateChanged(name, up));
                }
            }
            long now = System.nanoTime();
            if (!changed.isEmpty() || now >= nextRefresh) {
                nextRefresh = now + ADDRESS_REFRESH.toNanos();
                for (InstanceIo io : ios.values()) {
                    if (closing) {
                        return;
                    }
                    refreshAddresses(io.config.interfaceName(), true);
                }
            }
        }
    }

    /** Reads the interface's primary IPv4 and link-local IPv6 addresses and tells the engine of a change. */
    private void refreshAddresses(String ifname, boolean tellEngine) {
        List<LinkAddress> addresses;
        try {
            addresses = netlink.addresses(ifname);
        } catch (HostNetworkException e) {
            if (!e.isNoSuchInterface()) {
                log.detail("cannot read the addresses of " + ifname + ": " + e.getMessage());
            }
            addresses = List.of();
        } catch (ClosedChannelException e) {
            return;
        }
        Inet4Address v4 = null;
        Inet4Address v4secondary = null;
        Inet6Address v6 = null;
        for (LinkAddress a : addresses) {
            if (ownAddresses.contains(a.address())) {
                continue;
            }
            if (a.address() instanceof Inet4Address four) {
                if ((a.flags() & IFA_F_SECONDARY) == 0 && v4 == null) {
                    v4 = four;
                } else if (v4secondary == null) {
                    v4secondary = four;
                }
            } else if (a.address() instanceof Inet6Address six && six.isLinkLocalAddress() && !a.isTentative()
                    && v6 == null) {
                v6 = six;
            }
        }
        if (v4 == null) {
            v4 = v4secondary;
        }
        boolean changed = update(primary4, ifname, v4) | update(primary6, ifname, v6);
        if (changed && tellEngine) {
            InetAddress forEngine = engineAddress(ifname);
            execute(() -> engine.interfaceAddressChanged(ifname, forEngine));
        }
    }

    private <A extends InetAddress> boolean update(Map<String, A> map, String ifname, A address) {
        A old = address == null ? map.remove(ifname) : map.put(ifname, address);
        if (Objects.equals(old, address)) {
            return false;
        }
        if (address != null) {
            log.info("Assigned address " + VrrpCodec.formatAddress(address) + " for interface " + ifname);
        } else {
            log.info("Deassigned address " + VrrpCodec.formatAddress(old) + " from interface " + ifname);
        }
        return true;
    }

    /** The engine keeps one address per interface: the IPv4 one if an IPv4 instance runs there. */
    private InetAddress engineAddress(String ifname) {
        boolean v4 = ios.values().stream()
                .anyMatch(io -> io.config.interfaceName().equals(ifname) && !io.config.isIpv6());
        return v4 ? primary4.get(ifname) : primary6.get(ifname);
    }

    private void execute(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RuntimeException e) {
            // the scheduler is closing
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logRateLimited(String line) {
        long now = System.nanoTime();
        Long last = logRepeats.get(line);
        if (last != null && now - last < LOG_REPEAT_NANOS) {
            return;
        }
        if (logRepeats.size() > 1_000) {
            logRepeats.clear();
        }
        logRepeats.put(line, now);
        log.info(line);
    }

    // ------------------------------------------------------------------------------------------ receiving

    /** The host-side state of one instance. */
    private static final class InstanceIo {
        final VrrpInstanceConfig config;
        final VrrpInstanceHostOptions host;
        final AdvertValidator validator;
        final AdvertValidator validatorSkippingAddresses;
        volatile boolean oldUnicastChecksum;
        volatile InetAddress lastMaster;
        // scheduler thread only
        int ipId = (int) (System.nanoTime() & 0xFFFF);
        long ahTxSequence;
        long ahRxSequence = -1;
        boolean keepAddresses;
        VrrpState handoverFrom;

        InstanceIo(VrrpInstanceConfig config, VrrpInstanceHostOptions host) {
            this.config = config;
            this.host = host;
            this.oldUnicastChecksum = host.oldUnicastChecksum();
            ReceiverSettings.Builder b = ReceiverSettings.builder(config.name(), config.virtualRouterId())
                    .version(config.version())
                    .advertInterval(config.advertInterval())
                    .virtualAddresses(config.virtualAddresses().stream().map(VirtualAddress::address).toList())
                    .unicastPeers(config.unicastPeers().stream().map(host::peer).toList())
                    .checkUnicastSource(host.checkUnicastSource())
                    .v3Checksum(config.v3ChecksumAsV2() ? V3ChecksumMode.NO_PSEUDO_HEADER
                            : host.oldUnicastChecksum() ? V3ChecksumMode.OLD_UNICAST : V3ChecksumMode.PSEUDO_HEADER)
                    .detectOldUnicastChecksum(host.detectOldUnicastChecksum())
                    .ignoreAdverts(host.ownerIgnoreAdverts() && config.isAddressOwner());
            if (config.authType() == AuthType.PASS) {
                b.passwordAuth(config.authPassword());
            } else if (config.authType() == AuthType.AH) {
                b.ahAuth(config.authPassword());
            }
            this.validator = new AdvertValidator(b.build());
            this.validatorSkippingAddresses = host.skipCheckAdvertAddresses()
                    ? new AdvertValidator(b.checkAdvertAddresses(false).build()) : null;
        }

        /** keepalived increments the IP ID per advert, skipping 0. */
        int nextIpId() {
            ipId = (ipId + 1) & 0xFFFF;
            if (ipId == 0) {
                ipId = 1;
            }
            return ipId;
        }
    }

    /** keepalived's socket pool key: interface, family, and AH (protocol 51) or not. */
    private record SocketKey(String interfaceName, boolean ipv6, boolean ah) {
        static SocketKey of(VrrpInstanceConfig c) {
            return new SocketKey(c.interfaceName(), c.isIpv6(), c.authType() == AuthType.AH);
        }
    }

    /** One raw socket and the thread that reads it. */
    private final class Receiver {
        final SocketKey key;
        final VrrpSocket socket4;
        final VrrpSocket6 socket6;
        final Map<Integer, List<InstanceIo>> byVrid = new HashMap<>();
        final Thread thread;

        Receiver(SocketKey key, VrrpSocket socket4, VrrpSocket6 socket6, List<InstanceIo> instances) {
            this.key = key;
            this.socket4 = socket4;
            this.socket6 = socket6;
            instances.forEach(io -> byVrid.computeIfAbsent(io.config.virtualRouterId(), k -> new ArrayList<>())
                    .add(io));
            this.thread = new Thread(this::run, "vrrp-rx-" + key.interfaceName() + (key.ipv6() ? "-6" : "-4")
                    + (key.ah() ? "-ah" : ""));
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void close() {
            if (socket4 != null) {
                socket4.close();
            }
            if (socket6 != null) {
                socket6.close();
            }
        }

        void join() {
            if (thread.isAlive()) {
                DaemonRuntime.join(thread);
            }
        }

        private void run() {
            byte[] buffer = new byte[65_536];
            while (!closing) {
                ReceivedPacket rp;
                try {
                    rp = socket4 != null ? socket4.receive(buffer) : socket6.receive(buffer);
                } catch (ClosedChannelException e) {
                    return;
                } catch (HostNetworkException e) {
                    if (closing) {
                        return;
                    }
                    log.warn("VRRP receive on " + key.interfaceName() + " failed: " + e.getMessage());
                    sleep(Duration.ofMillis(100));
                    continue;
                }
                try {
                    handle(buffer, rp);
                } catch (RuntimeException e) {
                    log.warn("VRRP packet from " + VrrpCodec.formatAddress(rp.source()) + " on " + key.interfaceName()
                            + " could not be processed: " + e);
                }
            }
        }

        private void handle(byte[] buffer, ReceivedPacket rp) {
            int length = rp.length();
            int vrid = VrrpCodec.peekVrid(buffer, 0, length, socket4 != null);
            if (vrid < 0) {
                return;
            }
            List<InstanceIo> candidates = byVrid.get(vrid);
            if (candidates == null) {
                if (config.logUnknownVrids()) {
                    logRateLimited("Unknown VRID(" + vrid + ") received on interface(" + key.interfaceName()
                            + "). ignoring...");
                }
                return;
            }
            boolean multicast = rp.destination() == null || rp.destination().isMulticastAddress();
            InstanceIo io = candidates.get(0);
            for (InstanceIo c : candidates) {
                if (c.config.isUnicast() != multicast) {
                    io = c;
                    break;
                }
            }
            AdvertValidator validator = io.validatorSkippingAddresses != null && io.lastMaster != null
                    && Arrays.equals(io.lastMaster.getAddress(), rp.source().getAddress())
                    ? io.validatorSkippingAddresses : io.validator;
            ValidationResult result;
            if (socket4 != null) {
                result = validator.validateIpv4(buffer, 0, length);
            } else {
                Inet6Address destination = rp.destination() instanceof Inet6Address d ? d : config.multicastGroup6();
                result = validator.validateIpv6(rp.hopLimit(), (Inet6Address) rp.source(), destination, buffer, 0,
                        length);
            }
            result.logLines().forEach(DaemonRuntime.this::logRateLimited);
            if (result.warnings().contains(ValidationResult.Warning.OLD_UNICAST_CHECKSUM)) {
                io.oldUnicastChecksum = true;
            }
            if (!result.accepted()) {
                return;
            }
            VrrpPacket p = result.packet();
            InetAddress source = result.source() != null ? result.source() : rp.source();
            Advert advert = new Advert(source, p.version(), p.vrid(), p.priority(), p.advertInterval(), p.addresses());
            long sequence = result.authHeader() != null ? result.authHeader().sequenceNumber() : -1;
            if (p.priority() > 0) {
                io.lastMaster = source;
            }
            InstanceIo target = io;
            execute(() -> deliver(target, advert, sequence));
        }
    }

    /** On the scheduler thread: the AH anti-replay check, then the engine. */
    private void deliver(InstanceIo io, Advert advert, long ahSequence) {
        if (closing) {
            return;
        }
        if (ahSequence >= 0) {
            VrrpInstance inst = engine.instance(io.config.name());
            if (ahSequence <= io.ahRxSequence && inst.state() == VrrpState.MASTER) {
                logRateLimited("(" + io.config.name() + ") IPSEC-AH : sequence number " + ahSequence
                        + " already proceeded. Packet dropped. Local(" + io.ahRxSequence + ")");
                return;
            }
            io.ahRxSequence = ahSequence;
        }
        engine.receive(io.config.interfaceName(), advert);
    }

    // ------------------------------------------------------------------------------------------ notifications

    /**
     * Drops the notify scripts and FIFO lines of instances and groups that a reload hands over (their state
     * does not change, so keepalived notifies nothing). Used on the scheduler thread; thread-safe anyway.
     */
    static final class NotificationFilter {
        private final Map<String, List<Rule>> rules = new ConcurrentHashMap<>();

        private record Rule(String type, String name, VrrpState state, Optional<ScriptCommand> specific,
                Optional<ScriptCommand> generic) {
            boolean matches(List<String> argv) {
                if (specific.isPresent() && specific.get().argv().equals(argv)) {
                    return true;
                }
                if (generic.isEmpty()) {
                    return false;
                }
                List<String> g = generic.get().argv();
                return argv.size() == g.size() + 4 && argv.subList(0, g.size()).equals(g)
                        && argv.get(g.size()).equals(type) && argv.get(g.size() + 1).equals(name)
                        && argv.get(g.size() + 2).equals(state.name());
            }

            boolean matches(String line) {
                return line.startsWith(type + " \"" + name + "\" " + state.name() + " ");
            }
        }

        void suppress(String type, VrrpInstanceConfig instance, VrrpSyncGroupConfig group, VrrpState state) {
            String name = instance != null ? instance.name() : group.name();
            Optional<ScriptCommand> specific;
            Optional<ScriptCommand> generic;
            if (instance != null) {
                specific = switch (state) {
                    case MASTER -> instance.notifyMaster();
                    case BACKUP -> instance.notifyBackup();
                    case STOP -> instance.notifyStop();
                    default -> Optional.empty();
                };
                generic = instance.notifyScript();
            } else {
                specific = switch (state) {
                    case MASTER -> group.notifyMaster();
                    case BACKUP -> group.notifyBackup();
                    case STOP -> group.notifyStop();
                    default -> Optional.empty();
                };
                generic = group.notifyScript();
            }
            rules.computeIfAbsent(type + " " + name, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(new Rule(type, name, state, specific, generic));
        }

        void release(String type, String name) {
            rules.remove(type + " " + name);
        }

        boolean dropScript(List<String> argv) {
            for (List<Rule> list : rules.values()) {
                for (Rule r : list) {
                    if (r.matches(argv)) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean dropLine(String line) {
            for (List<Rule> list : rules.values()) {
                for (Rule r : list) {
                    if (r.matches(line)) {
                        return true;
                    }
                }
            }
            return false;
        }

        ScriptExecutor wrap(ScriptExecutor executor) {
            return (argv, timeout) -> {
                if (dropScript(argv)) {
                    return CompletableFuture.completedFuture(ScriptResult.exited(0));
                }
                CompletionStage<ScriptResult> stage = executor.run(argv, timeout);
                return stage;
            };
        }

        NotifyFifo wrap(NotifyFifo fifo) {
            return line -> {
                if (!dropLine(line)) {
                    fifo.write(line);
                }
            };
        }
    }
}
