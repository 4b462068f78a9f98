package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (needs /bin/sh and sleep); real time, kept short. */
class ProcessScriptExecutorTest {

    private ProcessScriptExecutor executor;

    @BeforeEach
    void setUp() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        executor = new ProcessScriptExecutor(Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        if (executor != null) {
            executor.close();
        }
    }

    private ScriptResult run(Duration timeout, String... argv) throws Exception {
        return executor.run(List.of(argv), timeout).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void reportsTheExitStatus() throws Exception {
        assertThat(run(Duration.ofSeconds(10), "/bin/sh", "-c", "exit 3")).isEqualTo(ScriptResult.exited(3));
        assertThat(run(Duration.ZERO, "/bin/sh", "-c", "exit 0").success()).isTrue();
    }

    @Test
    void aMissingProgramIsStatus127() throws Exception {
        assertThat(run(Duration.ofSeconds(1), "/nonexistent/check.sh")).isEqualTo(ScriptResult.exited(127));
    }

    @Test
    void timesOutWithSigterm() throws Exception {
        long start = System.nanoTime();
        assertThat(run(Duration.ofMillis(200), "sleep", "30")).isEqualTo(ScriptResult.timedOut());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void killsAScriptIgnoringSigtermAfterTheGracePeriod() throws Exception {
        long start = System.nanoTime();
        assertThat(run(Duration.ofMillis(200), "/bin/sh", "-c", "trap '' TERM; sleep 30"))
                .isEqualTo(ScriptResult.timedOut());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
    }

    @Test
    void killsWhatTheScriptStarted(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        assertThat(run(Duration.ofMillis(300), "/bin/sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"))
                .isEqualTo(ScriptResult.timedOut());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void runsEachScriptInItsOwnProcessGroup(@TempDir Path dir) throws Exception {
        assumeTrue(executor.usesProcessGroups(), "needs setsid and kill");
        Path out = dir.resolve("ids");
        assertThat(run(Duration.ofSeconds(10), "/bin/sh", "-c",
                "echo $$ > " + out + "; cut -d' ' -f5 /proc/$$/stat >> " + out).success()).isTrue();
        List<String> ids = Files.readAllLines(out);
        assertThat(ids.get(1).strip()).isEqualTo(ids.get(0).strip());
    }
}
