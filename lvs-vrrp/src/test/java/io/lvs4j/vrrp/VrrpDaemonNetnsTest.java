package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two lvs4j VRRP daemons in two network namespaces joined by a veth pair ({@link Netns}: 198.18.0.1/24 on
 * {@code va}, 198.18.0.2/24 on {@code vb}), each a child JVM started as {@code ip netns exec NS java -cp ...
 * VrrpMain -f conf -l -D}: election, VIP ownership ({@code ip -n NS -o addr}), fast failover on SIGTERM
 * (priority 0, then the backup's skew time), preemption on restart, reload on SIGHUP without failover, an invalid
 * reload kept out, and the one-line error of an unprivileged start. Plus the daemon in-process with a state
 * listener. Needs root; namespaces and children are always removed.
 */
class VrrpDaemonNetnsTest {

    static final String VIP = "198.18.0.100";
    static final String VIP2 = "198.18.0.101";
    static final Duration STARTUP = Duration.ofSeconds(30);

    private Netns ns;
    private final List<Child> children = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void namespaces() throws IOException {
        String why = Netns.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
        ns = Netns.create();
        dir = Files.createTempDirectory("lvs4j-vrrp-daemon-");
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Child c : children) {
            c.kill();
        }
        if (ns != null) {
            ns.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String config(String ifname, int priority, String... vips) {
        StringBuilder addresses = new StringBuilder();
        for (String v : vips) {
            addresses.append("        ").append(v).append("/24\n");
        }
        return """
                global_defs {
                    router_id lvs4j_%1$s
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface %1$s
                    version 3
                    virtual_router_id 51
                    priority %2$d
                    advert_int 1
                    virtual_ipaddress {
                %3$s    }
                }
                """.formatted(ifname, priority, addresses);
    }

    @Test
    void electionFailoverPreemptionAndReload() throws Exception {
        Path confA = Files.writeString(dir.resolve("a.conf"), config("va", 200, VIP));
        Path confB = Files.writeString(dir.resolve("b.conf"), config("vb", 100, VIP));
        Child a = start(ns.a, confA);
        Child b = start(ns.b, confB);

        // the higher priority wins and owns the VIP
        a.await("(VI_1) Entering MASTER STATE", STARTUP);
        awaitTrue(() -> hasAddress(ns.a, "va", VIP), Duration.ofSeconds(5), "VIP on a");
        b.await("(VI_1) Entering BACKUP STATE (init)", STARTUP);
        assertThat(hasAddress(ns.b, "vb", VIP)).isFalse();
        assertThat(b.lines()).noneMatch(l -> l.contains("Entering MASTER STATE"));

        // SIGTERM: a resigns with priority 0, b takes over after its skew time (0.61 s), not the 3.6 s down timer
        long t0 = System.nanoTime();
        a.terminate();
        awaitTrue(() -> hasAddress(ns.b, "vb", VIP), Duration.ofSeconds(10), "VIP on b");
        long failoverMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(failoverMillis).as("failover after SIGTERM, ms").isLessThan(2_500);
        assertThat(a.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGTERM").isZero();
        assertThat(a.lines()).anyMatch(l -> l.contains("(VI_1) sent 0 priority"))
                .anyMatch(l -> l.contains("(VI_1) removing VIPs."));
        assertThat(hasAddress(ns.a, "va", VIP)).isFalse();
        b.await("(VI_1) Backup received priority 0 advertisement", Duration.ofSeconds(5));
        b.await("(VI_1) Entering MASTER STATE", Duration.ofSeconds(5));

        // a comes back and preempts
        Child a2 = start(ns.a, confA);
        a2.await("(VI_1) received lower priority (100) advert from 198.18.0.2 - discarding", STARTUP);
        a2.await("(VI_1) Entering MASTER STATE", STARTUP);
        b.await("(VI_1) Master received advert from 198.18.0.1 with higher priority 200, ours 100",
                Duration.ofSeconds(5));
        awaitTrue(() -> hasAddress(ns.a, "va", VIP) && !hasAddress(ns.b, "vb", VIP), Duration.ofSeconds(5),
                "VIP back on a only");

        // SIGHUP with a second VIP: a stays master throughout, b never takes over
        long bMasters = b.count("Entering MASTER STATE");
        Files.writeString(confA, config("va", 200, VIP, VIP2));
        a2.signal("HUP");
        a2.await("Reload complete", Duration.ofSeconds(10));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until) {
            assertThat(hasAddress(ns.a, "va", VIP)).as("VIP kept during reload").isTrue();
            Thread.sleep(50);
        }
        assertThat(hasAddress(ns.a, "va", VIP2)).as("new VIP added by reload").isTrue();
        assertThat(b.count("Entering MASTER STATE")).as("b stayed backup").isEqualTo(bMasters);
        assertThat(a2.lines()).noneMatch(l -> l.contains("sent 0 priority"));

        // an invalid reload changes nothing
        Files.writeString(confA, config("va", 300, VIP));
        a2.signal("HUP");
        a2.await("Reload failed: " + confA + " has 1 configuration error(s) - keeping the running configuration",
                Duration.ofSeconds(10));
        assertThat(a2.lines()).anyMatch(l -> l.contains(confA + ":9: ERROR: Value '300' for 'priority'"));
        assertThat(hasAddress(ns.a, "va", VIP)).isTrue();
        assertThat(hasAddress(ns.a, "va", VIP2)).isTrue();

        // clean stops
        a2.terminate();
        assertThat(a2.awaitExit(Duration.ofSeconds(10))).isZero();
        awaitTrue(() -> hasAddress(ns.b, "vb", VIP), Duration.ofSeconds(10), "VIP on b again");
        assertThat(hasAddress(ns.a, "va", VIP) || hasAddress(ns.a, "va", VIP2)).isFalse();
        b.terminate();
        assertThat(b.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(hasAddress(ns.b, "vb", VIP)).isFalse();
        assertThat(b.lines()).noneMatch(l -> l.contains("Exception")).noneMatch(l -> l.startsWith("\tat "));
    }

    @Test
    void inProcessDaemonTellsListenersAndReleasesOnClose() throws Exception {
        VrrpDaemonConfig config = VrrpConfigLoader.load(io.lvs4j.vrrp.conf.KeepalivedConfig.parseText("""
                vrrp_instance VI_1 {
                    interface va
                    version 3
                    virtual_router_id 7
                    priority 150
                    advert_int 0.1
                    virtual_ipaddress {
                        198.18.0.100/24 label va:vip
                    }
                    virtual_ipaddress_excluded {
                        198.18.0.150/24
                    }
                }
                """, dir.resolve("k.conf"), io.lvs4j.vrrp.conf.KeepalivedConfig.Options.defaults()))
                .config().orElseThrow();
        BlockingQueue<VrrpStateChange> changes = new LinkedBlockingQueue<>();
        List<String> log = new CopyOnWriteArrayList<>();
        VrrpDaemon daemon = Netns.in(ns.a, () -> VrrpDaemon.start(config, VrrpDaemon.Options.builder()
                .listener(changes::add).logSink(log::add).build()));
        try {
            VrrpStateChange init = changes.poll(10, TimeUnit.SECONDS);
            assertThat(init).isNotNull();
            assertThat(init.from()).isEqualTo(VrrpState.INIT);
            assertThat(init.to()).isEqualTo(VrrpState.BACKUP);
            VrrpStateChange master = changes.poll(10, TimeUnit.SECONDS);
            assertThat(master).isNotNull();
            assertThat(master.becameMaster()).isTrue();
            assertThat(master.instance()).isEqualTo("VI_1");
            assertThat(master.interfaceName()).isEqualTo("va");
            assertThat(master.priority()).isEqualTo(150);
            assertThat(master.addresses()).extracting(VirtualAddress::toString)
                    .containsExactly("198.18.0.100/24", "198.18.0.150/24");
            // the listener is told after the addresses are in place
            String addr = ns.check("ip", "-n", ns.a, "-o", "-4", "addr", "show", "dev", "va");
            assertThat(addr).contains("198.18.0.100/24").contains("va:vip").contains("198.18.0.150/24");
            assertThat(daemon.states()).containsEntry("VI_1", VrrpState.MASTER);
            assertThat(log).contains("(VI_1) Entering MASTER STATE", "(VI_1) setting VIPs.");
        } finally {
            daemon.close();
        }
        VrrpStateChange stop = changes.poll(10, TimeUnit.SECONDS);
        assertThat(stop).isNotNull();
        assertThat(stop.leftMaster()).isTrue();
        assertThat(stop.to()).isEqualTo(VrrpState.STOP);
        assertThat(daemon.states()).isEmpty();
        String addr = ns.check("ip", "-n", ns.a, "-o", "-4", "addr", "show", "dev", "va");
        assertThat(addr).doesNotContain("198.18.0.100").doesNotContain("198.18.0.150");
        daemon.close();
    }

    @Test
    void reloadHandsOverAMasterWithoutNotifyingAndStopNotifies() throws Exception {
        String text = """
                vrrp_instance VI_1 {
                    interface va
                    version 3
                    virtual_router_id 8
                    priority 150
                    advert_int 0.1
                    virtual_ipaddress { 198.18.0.100/24 }
                    notify_master "/bin/notify master"
                    notify_backup "/bin/notify backup"
                    notify_stop "/bin/notify stop"
                    notify /bin/generic
                }
                vrrp_instance VI_GONE {
                    interface va
                    version 3
                    virtual_router_id 9
                    priority 150
                    advert_int 0.1
                    virtual_ipaddress { 198.18.0.120/24 }
                    notify_stop "/bin/notify gone-stop"
                }
                """;
        VrrpDaemonConfig first = load(text);
        VrrpDaemonConfig second = load(text.substring(0, text.indexOf("vrrp_instance VI_GONE"))
                .replace("198.18.0.100/24 }", "198.18.0.100/24\n 198.18.0.101/24 }"));
        List<String> scripts = new CopyOnWriteArrayList<>();
        ScriptExecutor fake = (argv, timeout) -> {
            scripts.add(String.join(" ", argv));
            return java.util.concurrent.CompletableFuture.completedFuture(ScriptResult.exited(0));
        };
        BlockingQueue<VrrpStateChange> changes = new LinkedBlockingQueue<>();
        VrrpDaemon daemon = Netns.in(ns.a, () -> VrrpDaemon.start(first, VrrpDaemon.Options.builder()
                .listener(changes::add).scriptExecutor(fake).build()));
        try {
            awaitTrue(() -> daemon.states().equals(java.util.Map.of("VI_1", VrrpState.MASTER, "VI_GONE",
                    VrrpState.MASTER)), Duration.ofSeconds(10), "both MASTER");
            awaitTrue(() -> changes.size() == 4, Duration.ofSeconds(5), "4 changes");
            changes.clear();
            assertThat(scripts).contains("/bin/notify master", "/bin/generic INSTANCE VI_1 MASTER 150");
            scripts.clear();

            Netns.in(ns.a, () -> {
                daemon.reload(second);
                return null;
            });
            Thread.sleep(500);
            assertThat(daemon.states()).containsExactly(java.util.Map.entry("VI_1", VrrpState.MASTER));
            assertThat(hasAddress(ns.a, "va", VIP)).isTrue();
            assertThat(hasAddress(ns.a, "va", VIP2)).as("added by the reload").isTrue();
            assertThat(hasAddress(ns.a, "va", "198.18.0.120")).as("removed instance released").isFalse();
            assertThat(scripts).as("only the removed instance is told").containsExactly("/bin/notify gone-stop");
            assertThat(changes).extracting(VrrpStateChange::instance, VrrpStateChange::to)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("VI_GONE", VrrpState.STOP));
            scripts.clear();
        } finally {
            daemon.close();
        }
        assertThat(scripts).containsExactly("/bin/notify stop", "/bin/generic INSTANCE VI_1 STOP 150");
        assertThat(hasAddress(ns.a, "va", VIP)).isFalse();
        assertThat(hasAddress(ns.a, "va", VIP2)).isFalse();
    }

    private VrrpDaemonConfig load(String text) {
        VrrpConfigLoader.Result r = VrrpConfigLoader.load(io.lvs4j.vrrp.conf.KeepalivedConfig.parseText(text,
                dir.resolve("k.conf"), io.lvs4j.vrrp.conf.KeepalivedConfig.Options.defaults()));
        assertThat(r.errors()).isEmpty();
        return r.config().orElseThrow();
    }

    @Test
    void unprivilegedStartFailsWithOneClearLine() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "skipped: needs setpriv (util-linux) to run a child as an unprivileged user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String classpath = worldReadableClasspath(dir);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = Files.writeString(dir.resolve("nobody.conf"), config("va", 100, VIP));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        Netns.Result r = Netns.run(List.of("ip", "netns", "exec", ns.a, "setpriv", "--reuid=65534",
                "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "env", "HOME=" + tmp,
                java(), "-XX:-UsePerfData", "-Xshare:off", "-Djna.tmpdir=" + tmp, "-Djava.io.tmpdir=" + tmp,
                "-cp", classpath, VrrpMain.class.getName(), "-f", conf.toString(), "-l"));
        assertThat(r.code()).as(r.output()).isEqualTo(VrrpMain.EXIT_RUNTIME);
        List<String> errors = Netns.lines(r.output()).stream().filter(l -> l.startsWith("Keepalived_vrrp: ")).toList();
        assertThat(errors).containsExactly("Keepalived_vrrp: cannot start: open raw VRRP socket (IPv4, protocol 112)"
                + " on va: not permitted: run as root or with CAP_NET_RAW (EPERM: Operation not permitted)");
        assertThat(r.output()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    // ------------------------------------------------------------------------------ helpers

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Child start(String namespace, Path conf) throws IOException {
        Child c = new Child(List.of("ip", "netns", "exec", namespace,
                // a parent that ignores SIGHUP (nohup, some CI runners) would pass SIG_IGN on, and the JVM
                // installs no handler for an ignored HUP: reset it so the reload test sees the daemon's own
                "env", "--default-signal=HUP,INT,TERM", java(), "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), VrrpMain.class.getName(), "-f", conf.toString(), "-l",
                "-D"));
        children.add(c);
        return c;
    }

    boolean hasAddress(String namespace, String ifname, String address) {
        String out = ns.check("ip", "-n", namespace, "-o", "-4", "addr", "show", "dev", ifname);
        return out.contains(" " + address + "/");
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A child JVM whose output lines are collected as they come. */
    static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        Child(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "child-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        long count(String text) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }

        void await(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                if (System.nanoTime() > deadline || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("no line containing '" + text + "' within " + timeout + "; output:\n"
                            + String.join("\n", lines));
                }
                Thread.sleep(20);
            }
        }

        /** SIGTERM through kill(1): {@link Process#destroy} would also close our end of its output. */
        void terminate() throws IOException, InterruptedException {
            signal("TERM");
        }

        void signal(String name) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + "; output:\n" + String.join("\n", lines));
            }
            reader.join(2_000);
            return process.exitValue();
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Main classes and the JNA jar, copied where user 65534 can read them. */
    private static String worldReadableClasspath(Path dir) throws IOException, URISyntaxException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Class<?> anchor : List.of(VrrpMain.class, com.sun.jna.Native.class)) {
            Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = dir.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path to = Files.isDirectory(source) ? target.resolve(source.relativize(p).toString()) : target;
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(p, to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            entries.add(target.toString());
        }
        return String.join(":", entries);
    }
}
