package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An in-memory LAN for whole elections: each {@link Node} runs its own {@link VrrpEngine} on one
 * shared {@link ManualVrrpScheduler}; adverts are delivered to every other connected node as a
 * zero-delay task (never re-entrantly), like packets arriving after the sender's step.
 */
final class TestLan {
    final ManualVrrpScheduler scheduler = new ManualVrrpScheduler();
    final long t0 = scheduler.nanoTime();
    final List<Node> nodes = new ArrayList<>();
    private final Set<Node> disconnected = new HashSet<>();

    /** Microseconds since the LAN was created. */
    long nowMicros() {
        return (scheduler.nanoTime() - t0) / 1000;
    }

    void advanceMicros(long micros) {
        scheduler.advanceMicros(micros);
    }

    void advanceTo(long micros) {
        long now = nowMicros();
        if (micros < now) {
            throw new IllegalArgumentException("already at " + now);
        }
        scheduler.advanceMicros(micros - now);
    }

    void advanceSeconds(double seconds) {
        scheduler.advanceMicros(Math.round(seconds * 1e6));
    }

    void disconnect(Node node) {
        disconnected.add(node);
    }

    void reconnect(Node node) {
        disconnected.remove(node);
    }

    Node node(String name, String address, UnaryOperator<VrrpEngine.Builder> config) {
        Node node = new Node(this, name, ip(address));
        VrrpEngine.Builder b = VrrpEngine.builder(scheduler, node.actions)
                .scriptExecutor(node.scripts)
                .notifyFifo(node.fifo::add)
                .logSink(node.log::add)
                .interfaceAddress("eth0", node.address);
        node.engine = config.apply(b).build();
        nodes.add(node);
        return node;
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void deliver(Node from, VrrpInstance instance, int priority) {
        if (disconnected.contains(from)) {
            return;
        }
        VrrpInstanceConfig c = instance.config();
        List<InetAddress> addresses = c.virtualAddresses().stream().map(VirtualAddress::address).toList();
        InetAddress source = c.sourceAddress().orElse(from.address);
        Advert advert = new Advert(source, c.version(), c.virtualRouterId(), priority, c.advertIntervalWireValue(), addresses);
        for (Node to : nodes) {
            if (to != from && !disconnected.contains(to) && !to.engineStopped) {
                scheduler.execute(() -> to.engine.receive(c.interfaceName(), advert));
            }
        }
    }

    /** One host on the LAN. */
    static final class Node {
        final TestLan lan;
        final String name;
        final InetAddress address;
        final List<String> log = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<String> fifo = new ArrayList<>();
        final FakeScriptExecutor scripts = new FakeScriptExecutor();
        final Actions actions = new Actions();
        VrrpEngine engine;
        boolean engineStopped;

        Node(TestLan lan, String name, InetAddress address) {
            this.lan = lan;
            this.name = name;
            this.address = address;
        }

        VrrpInstance instance(String name) {
            return engine.instance(name);
        }

        VrrpState state(String instance) {
            return engine.instance(instance).state();
        }

        void start() {
            engine.start();
        }

        void shutdown() {
            engine.shutdown();
            engineStopped = true;
        }

        /** Events whose text contains {@code fragment}. */
        List<String> events(String fragment) {
            return events.stream().filter(e -> e.contains(fragment)).toList();
        }

        /** Times (µs) of events containing {@code fragment}. */
        List<Long> times(String fragment) {
            return events(fragment).stream().map(e -> Long.parseLong(e.substring(0, e.indexOf(' ')))).toList();
        }

        final class Actions implements VrrpActions {
            Consumer<String> extra = e -> { };

            private void record(String event) {
                String line = lan.nowMicros() + " " + event;
                events.add(line);
                extra.accept(line);
            }

            @Override
            public void sendAdvert(VrrpInstance instance, int priority) {
                record(instance.name() + " advert " + priority);
                lan.deliver(Node.this, instance, priority);
            }

            @Override
            public void addAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
                record(instance.name() + " add " + addresses);
            }

            @Override
            public void removeAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
                record(instance.name() + " remove " + addresses);
            }

            @Override
            public void sendGratuitousArps(VrrpInstance instance, List<VirtualAddress> addresses) {
                record(instance.name() + " garp " + addresses);
            }

            @Override
            public void announceSourceAddress(VrrpInstance instance, InetAddress source) {
                record(instance.name() + " announce " + source.getHostAddress());
            }

            @Override
            public void stateChanged(VrrpInstance instance, VrrpState from, VrrpState to) {
                record(instance.name() + " state " + from + "->" + to);
            }
        }
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }
}
