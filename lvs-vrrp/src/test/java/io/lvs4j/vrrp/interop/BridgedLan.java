package io.lvs4j.vrrp.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Ethernet segment made of network namespaces: a "switch" namespace holding a Linux bridge
 * {@code br0}, and {@code n} host namespaces, each with an {@code eth0} (198.18.0.{i}/24) whose
 * veth peer {@code p{i}} is a port of the bridge. Nothing is created in the namespace the test runs
 * in: the veth pairs are made inside the switch namespace. Names carry the test JVM's pid and a
 * counter, so runs never collide; {@link #close()} deletes every namespace (and with them the
 * bridge, the veths and any address on them), and {@link #create} first removes namespaces left by
 * earlier runs whose JVM is gone, with any process still running in them.
 */
final class BridgedLan implements AutoCloseable {

    static final String PREFIX = "lvs4j-ia-";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration POLL = Duration.ofMillis(10);

    /** A host on the segment: its namespace, interface and primary address. */
    record Host(int index, String namespace, String iface, String address) {
        @Override
        public String toString() {
            return "h" + index + "(" + address + ")";
        }
    }

    private final String switchNamespace;
    private final List<Host> hosts = new ArrayList<>();
    private final List<String> created = new ArrayList<>();

    private BridgedLan(String switchNamespace) {
        this.switchNamespace = switchNamespace;
    }

    /** Builds the switch and {@code hostCount} hosts; on failure removes what it made and throws. */
    static BridgedLan create(int hostCount) {
        removeStale();
        String base = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-";
        BridgedLan lan = new BridgedLan(base + "sw");
        boolean ok = false;
        try {
            lan.addNamespace(lan.switchNamespace);
            Shell.check("ip", "-n", lan.switchNamespace, "link", "add", "br0", "type", "bridge",
                    "mcast_snooping", "0", "stp_state", "0", "forward_delay", "0");
            Shell.check("ip", "-n", lan.switchNamespace, "link", "set", "br0", "up");
            for (int i = 1; i <= hostCount; i++) {
                Host host = new Host(i, base + "h" + i, "eth0", "198.18.0." + i);
                lan.addNamespace(host.namespace());
                Shell.check("ip", "-n", lan.switchNamespace, "link", "add", "p" + i, "type", "veth",
                        "peer", "name", host.iface(), "netns", host.namespace());
                Shell.check("ip", "-n", lan.switchNamespace, "link", "set", "p" + i, "master", "br0", "up");
                Shell.check("ip", "-n", host.namespace(), "link", "set", "lo", "up");
                Shell.check("ip", "-n", host.namespace(), "addr", "add", host.address() + "/24",
                        "dev", host.iface());
                Shell.check("ip", "-n", host.namespace(), "link", "set", host.iface(), "up");
                lan.hosts.add(host);
            }
            ok = true;
            return lan;
        } finally {
            if (!ok) {
                lan.close();
            }
        }
    }

    private void addNamespace(String name) {
        Shell.check("ip", "netns", "add", name);
        created.add(name);
    }

    /** Deletes namespaces made by earlier test JVMs that have exited without cleaning up. */
    private static void removeStale() {
        for (String line : Shell.run("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-");
            try {
                if (ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
                    // what an earlier test JVM started in its namespaces and could not stop
                    for (String pid : Shell.run("ip", "netns", "pids", name).output().split("\\s+")) {
                        if (pid.matches("\\d+")) {
                            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }
                    Shell.run("ip", "netns", "del", name);
                }
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
        }
    }

    Host host(int index) {
        return hosts.get(index - 1);
    }

    List<Host> hosts() {
        return List.copyOf(hosts);
    }

    String switchNamespace() {
        return switchNamespace;
    }

    /** The bridge, where every frame on the segment can be captured. */
    String bridge() {
        return "br0";
    }

    /** {@code ip -o -4 addr show dev eth0} inside the host. */
    String addresses(Host host) {
        return Shell.check("ip", "-n", host.namespace(), "-o", "-4", "addr", "show", "dev", host.iface());
    }

    /** The MAC of the host's interface, as {@code ip -o link} prints it. */
    String mac(Host host) {
        String[] tokens = Shell.check("ip", "-n", host.namespace(), "-o", "link", "show", "dev", host.iface())
                .split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i++) {
            if (tokens[i].equals("link/ether")) {
                return tokens[i + 1];
            }
        }
        throw new IllegalStateException("no MAC on " + host);
    }

    boolean hasAddress(Host host, String address) {
        return addresses(host).contains(" " + address + "/");
    }

    /** The hosts holding the address now. */
    List<Host> holders(String address) {
        return hosts.stream().filter(h -> hasAddress(h, address)).toList();
    }

    /**
     * Polls the host every 10 ms until the address is there ({@code present}) or gone; returns the
     * time it took, or empty when the timeout passed first.
     */
    Optional<Duration> awaitAddress(Host host, String address, boolean present, Duration timeout) {
        return awaitAddress(host, address, present, System.nanoTime(), timeout);
    }

    /**
     * As {@link #awaitAddress(Host, String, boolean, Duration)}, with the time measured from
     * {@code startNanos} (a {@link System#nanoTime()} taken, say, just before a kill) and the
     * timeout counted from there too.
     */
    Optional<Duration> awaitAddress(
            Host host, String address, boolean present, long startNanos, Duration timeout) {
        long start = startNanos;
        long deadline = start + timeout.toNanos();
        while (true) {
            if (hasAddress(host, address) == present) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            sleep(POLL);
        }
    }

    /**
     * Cuts the host off the segment: its bridge port stops forwarding (state disabled) while its
     * {@code eth0} keeps its carrier, so VRRP on it sees no fault, only silence: a split brain.
     */
    void partition(Host host) {
        Shell.check("bridge", "-n", switchNamespace, "link", "set", "dev", "p" + host.index(), "state", "0");
    }

    /** Puts a {@link #partition partitioned} host back on the segment (port state forwarding). */
    void heal(Host host) {
        Shell.check("bridge", "-n", switchNamespace, "link", "set", "dev", "p" + host.index(), "state", "3");
    }

    /** Removes the address from the host, as a power-cycled host would have lost it. */
    void removeAddress(Host host, String address) {
        Shell.run("ip", "-n", host.namespace(), "addr", "del", address + "/24", "dev", host.iface());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes every namespace this LAN made, hosts first; never throws. */
    @Override
    public void close() {
        for (int i = created.size() - 1; i >= 0; i--) {
            Shell.run("ip", "netns", "del", created.get(i));
        }
        created.clear();
    }
}
