package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real named pipe (needs mkfifo). */
class NamedPipeNotifyFifoTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsMkfifo() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")) || Files.isExecutable(Path.of("/bin/mkfifo")),
                "needs mkfifo");
    }

    @Test
    void linesArriveInOrderEvenIfTheReaderComesLater() throws Exception {
        Path path = dir.resolve("keepalived.fifo");
        try (NamedPipeNotifyFifo fifo = NamedPipeNotifyFifo.open(path)) {
            fifo.write("INSTANCE \"VI_1\" BACKUP 100");
            fifo.write("INSTANCE \"VI_1\" MASTER 100");
            fifo.write("GROUP \"G\" MASTER 0");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(path.toFile()),
                        StandardCharsets.UTF_8))) {
                    assertThat(r.readLine()).isEqualTo("INSTANCE \"VI_1\" BACKUP 100");
                    assertThat(r.readLine()).isEqualTo("INSTANCE \"VI_1\" MASTER 100");
                    assertThat(r.readLine()).isEqualTo("GROUP \"G\" MASTER 0");
                }
            });
        }
    }

    @Test
    void neverBlocksWhenNobodyReads() throws Exception {
        Path path = dir.resolve("unread.fifo");
        try (NamedPipeNotifyFifo fifo = NamedPipeNotifyFifo.open(path, 16)) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 20_000; i++) {
                    fifo.write("INSTANCE \"VI_1\" MASTER 100 " + i);
                }
            });
            assertThat(fifo.droppedLines()).isPositive();
        }
    }

    @Test
    void refusesSomethingThatIsNotAFifo() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> NamedPipeNotifyFifo.open(file))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a FIFO");
    }
}
