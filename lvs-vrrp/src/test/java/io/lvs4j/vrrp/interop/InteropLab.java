package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.interop.BridgedLan.Host;
import io.lvs4j.vrrp.interop.VrrpPeer.Kind;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Everything one interoperability test runs on: a {@link BridgedLan}, a scratch directory for the
 * confs, logs and captures, and the {@link VrrpPeer}s and {@link AdvertCapture}s started on it.
 * {@link #close()} (called from {@code @AfterEach}) kills every process, deletes the namespaces and
 * the directory, whatever state the test left them in. Set {@code -Dlvs4j.interop.keep=true} to
 * keep the directory.
 */
final class InteropLab implements AutoCloseable {

    /** Startup of a peer: keepalived, or a JVM that has to load its classes. */
    static final Duration STARTUP = Duration.ofSeconds(20);

    /** Labs not yet closed, closed by a shutdown hook if the test JVM is stopped mid-test. */
    private static final Set<InteropLab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(InteropLab::close), "interop-cleanup"));
    }

    private final BridgedLan lan;
    private final Path dir;
    private final List<VrrpPeer> peers = new CopyOnWriteArrayList<>();
    private final List<AdvertCapture> captures = new CopyOnWriteArrayList<>();

    private InteropLab(BridgedLan lan, Path dir) {
        this.lan = lan;
        this.dir = dir;
        OPEN.add(this);
    }

    /** Skips unless root with ip and keepalived, then builds a LAN of {@code hosts} hosts. */
    static InteropLab create(int hosts) {
        InteropAssumptions.assumeRootIpAndKeepalived();
        Path dir;
        try {
            dir = Files.createTempDirectory("lvs4j-vrrp-interop-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new InteropLab(BridgedLan.create(hosts), dir);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    BridgedLan lan() {
        return lan;
    }

    Host host(int index) {
        return lan.host(index);
    }

    Path dir() {
        return dir;
    }

    VrrpPeer start(Kind kind, Host host, VrrpConf conf) {
        VrrpPeer peer = VrrpPeer.start(kind, host, dir, conf);
        peers.add(peer);
        return peer;
    }

    /** Starts tcpdump on the bridge (skips the test if tcpdump is missing). */
    AdvertCapture capture(String label) {
        InteropAssumptions.assumeTcpdump();
        AdvertCapture capture = AdvertCapture.start(lan, dir, label);
        captures.add(capture);
        return capture;
    }

    /** Waits for the peer's current run to log {@code (VI) Entering <STATE> STATE} after line {@code from}. */
    LoggedProcess.Line awaitState(VrrpPeer peer, String instance, String state, int from, Duration timeout) {
        return await(peer, from, "(" + instance + ") Entering " + state + " STATE", timeout);
    }

    /** Waits for a line in the peer's current run, failing with every peer's transcript. */
    LoggedProcess.Line await(VrrpPeer peer, int from, String text, Duration timeout) {
        return peer.current().awaitMatching(from, l -> l.contains(text), text, timeout)
                .orElseThrow(() -> new AssertionError(peer + ": no line containing \"" + text + "\" within "
                        + timeout + "\n" + transcripts()));
    }

    /**
     * Waits until {@code vip} is on {@code host} and on no other host; fails with the addresses and
     * transcripts if that does not happen in time.
     */
    Duration awaitSoleHolder(Host host, String vip, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            List<Host> holders = lan.holders(vip);
            if (holders.equals(List.of(host))) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(vip + " held by " + holders + ", expected only " + host
                        + " within " + timeout + "\n" + transcripts());
            }
            BridgedLan.sleep(Duration.ofMillis(10));
        }
    }

    /** Polls the host for the VIP from {@code startNanos}; fails with transcripts if it does not come in time. */
    Duration awaitVip(Host host, String vip, long startNanos, Duration timeout) {
        Optional<Duration> took = lan.awaitAddress(host, vip, true, startNanos, timeout);
        return took.orElseThrow(() -> new AssertionError(vip + " not on " + host + " within "
                + VrrpTiming.millis(timeout) + "; holders now " + lan.holders(vip) + "\n" + transcripts()));
    }

    /**
     * Watches the VIP for {@code duration} (polling every 10 ms) and fails at once if the set of
     * holders ever differs from {@code expected}: the check that a state is stable, which cannot be
     * done without watching for a while.
     */
    void assertHoldersStay(String vip, List<Host> expected, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            List<Host> holders = lan.holders(vip);
            assertThat(holders).as("holders of %s\n%s", vip, transcripts()).containsExactlyInAnyOrderElementsOf(expected);
            BridgedLan.sleep(Duration.ofMillis(20));
        }
    }

    /** Polls the condition every 10 ms until it holds; fails with {@code what} and the transcripts if it does not in time. */
    Duration awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n" + transcripts());
            }
            BridgedLan.sleep(Duration.ofMillis(10));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The state named by the last {@code (VI) Entering X STATE} line of the peer's current run
     * ("MASTER", "BACKUP", "FAULT"), or "" before the first.
     */
    static String lastState(VrrpPeer peer, String instance) {
        String prefix = "(" + instance + ") Entering ";
        List<LoggedProcess.Line> lines = peer.current().linesContaining(0, prefix);
        if (lines.isEmpty()) {
            return "";
        }
        String text = lines.get(lines.size() - 1).text();
        String rest = text.substring(text.indexOf(prefix) + prefix.length());
        return rest.split(" ")[0];
    }

    String transcripts() {
        StringBuilder sb = new StringBuilder();
        for (VrrpPeer p : peers) {
            sb.append(p.transcript());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (!OPEN.remove(this)) {
            return;
        }
        for (VrrpPeer p : peers) {
            p.close();
        }
        for (AdvertCapture c : captures) {
            c.close();
        }
        lan.close();
        if (!Boolean.getBoolean("lvs4j.interop.keep")) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
