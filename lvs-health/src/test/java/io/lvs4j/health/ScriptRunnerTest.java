package io.lvs4j.health;

import static io.lvs4j.health.ScriptTestSupport.awaitFile;
import static io.lvs4j.health.ScriptTestSupport.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Integration tests: real notify scripts and a real timer thread; log records captured from java.util.logging. */
class ScriptRunnerTest {
    @TempDir
    Path dir;

    private final ScriptTestSupport.RealTimer timer = new ScriptTestSupport.RealTimer();
    private final ConcurrentLinkedQueue<LogRecord> logged = new ConcurrentLinkedQueue<>();
    private final Logger julLogger = Logger.getLogger(ScriptRunner.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        julLogger.addHandler(capture);
    }

    @AfterEach
    void cleanUp() {
        julLogger.removeHandler(capture);
        timer.close();
    }

    private static ProbeResult await(java.util.concurrent.CompletionStage<ProbeResult> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private List<String> warnings() {
        return logged.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .map(LogRecord::getMessage).toList();
    }

    @Test
    void passesTheSplitArgvToTheScript() throws Exception {
        Path s = script(dir, "notify.sh", "printf '%s\\n' \"$@\" > \"$1.out\"");
        Path out = dir.resolve("run");
        ScriptRunner runner = new ScriptRunner(timer);

        ProbeResult r = await(runner.run("'" + s + "' " + out + " UP 'two words' \"[198.18.0.1]:tcp:80\""));

        assertThat(r).isEqualTo(new ProbeResult(true, "exited with status 0", 0));
        assertThat(Files.readAllLines(dir.resolve("run.out")))
                .containsExactly(out.toString(), "UP", "two words", "[198.18.0.1]:tcp:80");
    }

    @Test
    void runReturnsBeforeTheScriptEnds() throws Exception {
        Path s = script(dir, "slow.sh", """
                touch "$1/started.tmp"; mv "$1/started.tmp" "$1/started"
                while [ ! -e "$1/go" ]; do sleep 0.05; done""");
        ScriptRunner runner = new ScriptRunner(timer, Duration.ofSeconds(30));

        var stage = runner.run(List.of(s.toString(), dir.toString()));
        awaitFile(dir.resolve("started"), Duration.ofSeconds(10));
        assertThat(stage.toCompletableFuture().isDone()).isFalse();

        Files.createFile(dir.resolve("go"));
        assertThat(await(stage).success()).isTrue();
    }

    @Test
    void failingScriptIsLoggedByNameAndNothingIsThrown() throws Exception {
        Path s = script(dir, "fail.sh", "exit 3");
        ProbeResult r = await(new ScriptRunner(timer).run(s + " DOWN"));

        assertThat(r).isEqualTo(new ProbeResult(false, "exited with status 3", 3));
        assertThat(warnings()).containsExactly("Script '" + s + " DOWN' failed: exited with status 3");
    }

    @Test
    void missingScriptIsLoggedAndNothingIsThrown() throws Exception {
        String missing = dir.resolve("missing.sh").toString();
        ProbeResult r = await(new ScriptRunner(timer).run(missing + " UP"));

        assertThat(r.success()).isFalse();
        assertThat(r.reason()).isEqualTo("script not found or not executable: " + missing);
        assertThat(warnings()).singleElement().asString().contains(missing, "not found or not executable");
    }

    @Test
    void unparsableScriptIsLoggedAndNothingIsThrown() throws Exception {
        ProbeResult r = await(new ScriptRunner(timer).run("/bin/notify.sh 'unterminated"));

        assertThat(r.success()).isFalse();
        assertThat(warnings()).singleElement().asString()
                .startsWith("Unable to parse script '/bin/notify.sh 'unterminated' - ignoring");
    }

    @Test
    void hangingScriptIsTerminatedAfterTheTimeout() throws Exception {
        Path s = script(dir, "hang.sh", "echo $$ > \"$1/self\"; sleep 30");
        ProbeResult r = await(new ScriptRunner(timer, Duration.ofMillis(500)).run(List.of(s.toString(), dir.toString())));

        assertThat(r).isEqualTo(new ProbeResult(false, "timed out", -1));
        assertThat(ScriptTestSupport.running(ScriptTestSupport.readPid(dir.resolve("self")))).isFalse();
        assertThat(warnings()).singleElement().asString().contains(s.toString(), "timed out after 500 ms");
    }
}
