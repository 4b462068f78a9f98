package io.lvs4j.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table with one TCP service (192.0.2.1:80) and named real servers for scheduler tests. Server
 * {@code A} is 10.0.0.1:80, {@code B} 10.0.0.2:80, and so on. {@link #servers} takes the list in
 * <b>scan order</b> (the spec's notation) and adds the servers in reverse, as {@code ipvsadm -a} would
 * have to. A spec like {@code "A3"} is weight 3; a trailing {@code x} sets an upper threshold of 1, so
 * {@link #overload} can set the OVERLOAD flag by binding one connection.
 */
final class SchedulerFixture {
    private static final Pattern SPEC = Pattern.compile("([A-Z])(\\d*)(x?)");

    /** A ticker the test moves by hand. */
    static final class FakeTicker implements Ticker {
        private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

        @Override
        public long nanos() {
            return now.get();
        }

        void advanceSeconds(long seconds) {
            now.addAndGet(seconds * 1_000_000_000L);
        }

        void advanceNanos(long nanos) {
            now.addAndGet(nanos);
        }
    }

    final FakeTicker ticker = new FakeTicker();
    final IpvsTable table;
    final ServiceKey key = ServiceKey.tcp(ip("192.0.2.1"), 80);
    final VirtualService svc;
    private final Map<String, RealServer> byName = new LinkedHashMap<>();
    private final Map<RealServer, String> names = new IdentityHashMap<>();

    SchedulerFixture(String scheduler) {
        this(scheduler, 0, KernelFlavor.CLASSIC);
    }

    SchedulerFixture(String scheduler, int flags) {
        this(scheduler, flags, KernelFlavor.CLASSIC);
    }

    SchedulerFixture(String scheduler, int flags, KernelFlavor flavor) {
        this(scheduler, flags, b -> b.kernelFlavor(flavor));
    }

    SchedulerFixture(String scheduler, int flags, java.util.function.Consumer<TableOptions.Builder> options) {
        TableOptions.Builder b = TableOptions.builder().ticker(ticker);
        options.accept(b);
        table = new IpvsTable(b.build());
        svc = table.addService(key, ServiceOptions.builder().scheduler(scheduler).schedulerFlags(flags).build());
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress addressOf(String name) {
        return ip("10.0.0." + (name.charAt(0) - 'A' + 1));
    }

    /** Adds the servers so that the scan order is exactly {@code specs}. */
    SchedulerFixture servers(String... specs) {
        for (int i = specs.length - 1; i >= 0; i--) {
            add(specs[i]);
        }
        return this;
    }

    /** {@code ipvsadm -E -s scheduler}: attaches a fresh scheduler to the service with its current servers. */
    SchedulerFixture attach(String scheduler) {
        table.editService(key, svc.options().toBuilder().scheduler(scheduler).build());
        return this;
    }

    /** {@code ipvsadm -a}: the server goes to the head of the scan order. */
    RealServer add(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException(spec);
        }
        String name = m.group(1);
        int weight = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
        int upper = m.group(3).isEmpty() ? 0 : 1;
        return add(name, new RealServerOptions(weight, ForwardingMethod.ROUTE, upper, 0));
    }

    RealServer add(String name, RealServerOptions options) {
        RealServer d = table.addRealServer(key, addressOf(name), 80, options);
        byName.put(name, d);
        names.put(d, name);
        return d;
    }

    RealServer edit(String name, int weight) {
        RealServer d = get(name);
        return table.editRealServer(key, d.address(), d.port(), d.options().withWeight(weight));
    }

    void delete(String name) {
        RealServer d = get(name);
        table.deleteRealServer(key, d.address(), d.port());
    }

    RealServer get(String name) {
        RealServer d = byName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no server " + name);
        }
        return d;
    }

    /** The test name of {@code d}, or "-" for null. */
    String name(RealServer d) {
        return d == null ? "-" : names.get(d);
    }

    /** Current scan order as names. */
    String scanOrder() {
        StringBuilder sb = new StringBuilder();
        for (RealServer d : svc.realServers()) {
            sb.append(name(d));
        }
        return sb.toString();
    }

    /** Binds {@code count} active connections to the server. */
    SchedulerFixture active(String name, int count) {
        for (int i = 0; i < count; i++) {
            get(name).bind(true);
        }
        return this;
    }

    /** Binds {@code count} inactive connections to the server. */
    SchedulerFixture inactive(String name, int count) {
        for (int i = 0; i < count; i++) {
            get(name).bind(false);
        }
        return this;
    }

    /** Sets OVERLOAD on a server added with an {@code x} spec (upper threshold 1). */
    SchedulerFixture overload(String name) {
        RealServer d = get(name);
        if (d.options().upperThreshold() != 1) {
            throw new IllegalStateException(name + " was not added with an upper threshold");
        }
        d.bind(false);
        if (!d.overloaded()) {
            throw new IllegalStateException(name + " did not become OVERLOAD");
        }
        return this;
    }

    Flow flow(String client, int clientPort, String destination) {
        return Flow.of(Protocol.TCP, ip(client), clientPort, ip(destination), 80);
    }

    /** A flow from 198.51.100.7:40000 to the VIP. */
    Flow anyFlow() {
        return flow("198.51.100.7", 40000, "192.0.2.1");
    }

    String pick() {
        return pick(anyFlow());
    }

    String pick(Flow flow) {
        return name(svc.scheduler().schedule(svc, flow));
    }

    /** {@code n} picks of {@link #anyFlow()} as a string of names. */
    String picks(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(pick());
        }
        return sb.toString();
    }

    /** The scheduler, cast. */
    @SuppressWarnings("unchecked")
    <T extends Scheduler> T scheduler() {
        return (T) svc.scheduler();
    }

    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }
}
