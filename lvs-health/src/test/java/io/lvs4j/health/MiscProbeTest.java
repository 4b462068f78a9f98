package io.lvs4j.health;

import static io.lvs4j.health.ScriptTestSupport.awaitFile;
import static io.lvs4j.health.ScriptTestSupport.goneWithin;
import static io.lvs4j.health.ScriptTestSupport.readPid;
import static io.lvs4j.health.ScriptTestSupport.running;
import static io.lvs4j.health.ScriptTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Integration tests: real scripts, real processes, a real timer thread. */
class MiscProbeTest {
    @TempDir
    Path dir;

    private final ScriptTestSupport.RealTimer timer = new ScriptTestSupport.RealTimer();

    @AfterEach
    void stopTimer() {
        timer.close();
    }

    private MiscProbe probe(List<String> argv, boolean dynamic, Duration timeout) {
        return new MiscProbe(new CheckerSpec.Misc(CheckSettings.UNSET, argv, timeout, dynamic), timeout, timer);
    }

    private MiscProbe probe(Path script, boolean dynamic) {
        return probe(List.of(script.toString()), dynamic, Duration.ofSeconds(10));
    }

    /** One attempt's result; also checks it was delivered on the timer thread. */
    private static ProbeResult attempt(MiscProbe probe) throws Exception {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        CompletableFuture<String> thread = new CompletableFuture<>();
        probe.attempt(0, r -> {
            thread.complete(Thread.currentThread().getName());
            result.complete(r);
        });
        ProbeResult r = result.get(30, TimeUnit.SECONDS);
        assertThat(thread.get()).isEqualTo(ScriptTestSupport.TIMER_THREAD);
        return r;
    }

    @Test
    void exitZeroIsSuccess() throws Exception {
        Path s = script(dir, "ok.sh", "exit 0");
        assertThat(attempt(probe(s, false))).isEqualTo(new ProbeResult(true, "exited with status 0", 0));
        assertThat(attempt(probe(s, true))).isEqualTo(new ProbeResult(true, "exited with status 0", 0));
    }

    @Test
    void exitOneIsFailureEvenWhenDynamic() throws Exception {
        Path s = script(dir, "one.sh", "exit 1");
        assertThat(attempt(probe(s, false))).isEqualTo(new ProbeResult(false, "exited with status 1", 1));
        assertThat(attempt(probe(s, true))).isEqualTo(new ProbeResult(false, "exited with status 1", 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 10, 255})
    void exitTwoTo255IsSuccessOnlyWhenDynamic(int status) throws Exception {
        Path s = script(dir, "st.sh", "exit " + status);
        assertThat(attempt(probe(s, true))).isEqualTo(new ProbeResult(true, "exited with status " + status, status));
        assertThat(attempt(probe(s, false))).isEqualTo(new ProbeResult(false, "exited with status " + status, status));
    }

    @Test
    void bareNameIsFoundOnPath() throws Exception {
        assertThat(attempt(probe(List.of("true"), false, Duration.ofSeconds(10))).success()).isTrue();
        assertThat(attempt(probe(List.of("false"), false, Duration.ofSeconds(10))).exitStatus()).isEqualTo(1);
    }

    @Test
    void hangingScriptTimesOutAndItsGroupIsGone() throws Exception {
        Path s = script(dir, "hang.sh", """
                echo $$ > "$1/self"
                cut -d' ' -f5 /proc/$$/stat > "$1/pgid"
                sleep 30 &
                echo $! > "$1/child"
                wait""");
        Duration timeout = Duration.ofMillis(1000);
        MiscProbe probe = probe(List.of(s.toString(), dir.toString()), false, timeout);

        long start = System.nanoTime();
        ProbeResult r = attempt(probe);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r).isEqualTo(new ProbeResult(false, "timed out", -1));
        assertThat(took).isBetween(timeout, timeout.plusMillis(1500));
        long self = readPid(dir.resolve("self"));
        long child = readPid(dir.resolve("child"));
        assertThat(readPid(dir.resolve("pgid"))).as("the script leads its own process group").isEqualTo(self);
        assertThat(goneWithin(self, Duration.ofSeconds(2))).isTrue();
        assertThat(goneWithin(child, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void scriptIgnoringSigtermIsKilledTwoSecondsLater() throws Exception {
        Path s = script(dir, "stubborn.sh", """
                trap '' TERM
                echo $$ > "$1/self"
                sleep 30 &
                echo $! > "$1/child"
                wait""");
        Duration timeout = Duration.ofMillis(500);
        MiscProbe probe = probe(List.of(s.toString(), dir.toString()), true, timeout);

        long start = System.nanoTime();
        ProbeResult r = attempt(probe);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r).isEqualTo(new ProbeResult(false, "timed out", -1));
        assertThat(took).isBetween(timeout.plusMillis(1900), timeout.plusSeconds(5));
        assertThat(goneWithin(readPid(dir.resolve("self")), Duration.ofSeconds(2))).isTrue();
        assertThat(goneWithin(readPid(dir.resolve("child")), Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void childThatIgnoresSigtermDiesWhenTheTimedOutScriptExits() throws Exception {
        Path s = script(dir, "parent.sh", """
                (trap '' TERM; exec sleep 30) &
                echo $! > "$1/child"
                wait""");
        Duration timeout = Duration.ofMillis(500);

        long start = System.nanoTime();
        ProbeResult r = attempt(probe(List.of(s.toString(), dir.toString()), false, timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r).isEqualTo(new ProbeResult(false, "timed out", -1));
        assertThat(took).as("no need to wait for the SIGKILL grace").isLessThan(timeout.plusMillis(1500));
        assertThat(goneWithin(readPid(dir.resolve("child")), Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void missingScriptFailsWithoutRunning() throws Exception {
        String missing = dir.resolve("nope.sh").toString();
        assertThat(attempt(probe(List.of(missing), false, Duration.ofSeconds(10))))
                .isEqualTo(new ProbeResult(false, "script not found or not executable: " + missing, -1));
        assertThat(attempt(probe(List.of("no-such-command-lvs4j"), false, Duration.ofSeconds(10))).reason())
                .isEqualTo("script not found or not executable: no-such-command-lvs4j");
    }

    @Test
    void nonExecutableFileOrDirectoryFails() throws Exception {
        Path s = script(dir, "plain.sh", "exit 0");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(attempt(probe(s, false)))
                .isEqualTo(new ProbeResult(false, "script not found or not executable: " + s, -1));
        assertThat(attempt(probe(dir, false)).reason()).isEqualTo("script not found or not executable: " + dir);
    }

    @Test
    void argumentsWithSpacesFromMiscPathQuoting() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("with space"));
        Path s = script(sub, "args.sh", """
                out=$1; shift
                for a in "$@"; do printf '[%s]\\n' "$a"; done > "$out"
                """);
        Path out = dir.resolve("argv.txt");
        String miscPath = "'" + s + "' '" + out + "' 'a b' \"c  d\" e";

        assertThat(attempt(probe(CommandLines.split(miscPath), false, Duration.ofSeconds(10))).success()).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("[a b]", "[c  d]", "[e]");

        Files.delete(out);
        String rawConfigArgs = "\"'" + s + "' '" + out + "' 'x y' z\" root";
        assertThat(attempt(probe(CommandLines.scriptArgv(rawConfigArgs), false, Duration.ofSeconds(10))).success())
                .isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("[x y]", "[z]");
    }

    @Test
    void closeKillsTheRunningScript() throws Exception {
        Path s = script(dir, "hang.sh", """
                echo $$ > "$1/self"
                sleep 30 &
                echo $! > "$1/child.tmp"; mv "$1/child.tmp" "$1/child"
                wait""");
        MiscProbe probe = probe(List.of(s.toString(), dir.toString()), false, Duration.ofSeconds(60));
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        probe.attempt(0, result::complete);
        awaitFile(dir.resolve("child"), Duration.ofSeconds(10));

        long start = System.nanoTime();
        probe.close();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(new ProbeResult(false, "checker closed", -1));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(goneWithin(readPid(dir.resolve("self")), Duration.ofSeconds(2))).isTrue();
        assertThat(goneWithin(readPid(dir.resolve("child")), Duration.ofSeconds(2))).isTrue();
        assertThat(attempt(probe)).isEqualTo(new ProbeResult(false, "checker closed", -1));
    }

    @Test
    void manyConcurrentAttemptsLeakNeitherProcessesNorThreads() throws Exception {
        Path quick = script(dir, "quick.sh", "exit $2");
        Path slow = script(dir, "slow.sh", """
                sleep 30 &
                echo $! >> "$1/children"
                wait""");
        Duration timeout = Duration.ofMillis(700);
        attempt(probe(quick, false));
        Set<Long> processesBefore = ourDescendants();
        int threadsBefore = ownThreads();

        List<MiscProbe> probes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            probes.add(probe(List.of(quick.toString(), dir.toString(), String.valueOf(i)), true, timeout));
            probes.add(probe(List.of(slow.toString(), dir.toString()), false, timeout));
        }
        int perProbe = 8;
        CountDownLatch done = new CountDownLatch(probes.size() * perProbe);
        ConcurrentLinkedQueue<ProbeResult> results = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < perProbe; round++) {
            for (MiscProbe p : probes) {
                p.attempt(0, r -> {
                    results.add(r);
                    done.countDown();
                });
            }
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every attempt reported").isTrue();

        assertThat(results).hasSize(probes.size() * perProbe);
        assertThat(results.stream().filter(r -> r.reason().equals("timed out")).count()).isEqualTo(4L * perProbe);
        assertThat(results.stream().filter(ProbeResult::success).count()).isEqualTo(3L * perProbe);
        for (String pid : Files.readAllLines(dir.resolve("children"))) {
            assertThat(goneWithin(Long.parseLong(pid), Duration.ofSeconds(2))).as("child %s of a timed-out script", pid).isTrue();
        }
        for (ProcessHandle h : ProcessHandle.current().descendants().toList()) {
            if (!processesBefore.contains(h.pid())) {
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(ourDescendants()).isSubsetOf(processesBefore);
        assertThat(ownThreads()).isLessThanOrEqualTo(threadsBefore);
    }

    private static Set<Long> ourDescendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Live threads except the JDK's shared pools that Process.onExit uses (the process reaper's cached pool
     * and the common ForkJoinPool), whose idle threads linger for up to a minute by design.
     */
    private static int ownThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> !n.equals("process reaper") && !n.startsWith("ForkJoinPool.commonPool-worker"))
                .count();
    }

    @Test
    void invalidTimeoutIsRejected() {
        Path s = dir.resolve("x");
        assertThatThrownBy(() -> new MiscProbe(
                        new CheckerSpec.Misc(CheckSettings.UNSET, List.of(s.toString()), null, false), Duration.ZERO, timer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("misc_timeout");
    }
}
