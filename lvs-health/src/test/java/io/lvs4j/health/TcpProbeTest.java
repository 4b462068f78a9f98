package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.LOOPBACK;
import static io.lvs4j.health.IoTestSupport.closedTcpPort;
import static io.lvs4j.health.IoTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    private final IoLoop loop = new IoLoop();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    @Test
    void succeedsWhenTheHandshakeCompletesAndSendsNothing() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            CompletableFuture<Integer> firstByte = new CompletableFuture<>();
            Thread acceptor = new Thread(() -> {
                try (Socket s = server.accept()) {
                    firstByte.complete(s.getInputStream().read());
                } catch (Exception e) {
                    firstByte.completeExceptionally(e);
                }
            });
            acceptor.start();
            TcpProbe probe = new TcpProbe(loop, new InetSocketAddress(LOOPBACK, server.getLocalPort()), null,
                    Duration.ofSeconds(5));

            ProbeResult r = run(probe);

            assertThat(r.success()).isTrue();
            assertThat(r.reason()).isEqualTo("success");
            assertThat(IoTestSupport.await(firstByte)).as("closed without sending data").isEqualTo(-1);
        }
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        TcpProbe probe = new TcpProbe(loop, closedTcpPort(), null, Duration.ofSeconds(5));

        ProbeResult r = run(probe);

        assertThat(r.success()).isFalse();
        assertThat(r.reason()).startsWith("failed (").containsIgnoringCase("refused");
    }

    @Test
    void aHandshakeThatDoesNotCompleteTimesOut() throws Exception {
        try (IoTestSupport.FullBacklog blackhole = new IoTestSupport.FullBacklog()) {
            TcpProbe probe = new TcpProbe(loop, blackhole.address(), null, Duration.ofMillis(300));

            ProbeResult r = run(probe);

            assertThat(r).isEqualTo(ProbeResult.fail("timeout"));
        }
    }

    @Test
    void bindsToTheGivenSource() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress source = closedTcpPort();
            CompletableFuture<Integer> peerPort = new CompletableFuture<>();
            Thread acceptor = new Thread(() -> {
                try (Socket s = server.accept()) {
                    peerPort.complete(s.getPort());
                } catch (Exception e) {
                    peerPort.completeExceptionally(e);
                }
            });
            acceptor.start();
            TcpProbe probe = new TcpProbe(loop, new InetSocketAddress(LOOPBACK, server.getLocalPort()), source,
                    Duration.ofSeconds(5));

            assertThat(run(probe).success()).isTrue();
            assertThat(IoTestSupport.await(peerPort)).isEqualTo(source.getPort());
        }
    }

    @Test
    void aBindFailureIsAFailureNotAnException() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress taken = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            TcpProbe probe = new TcpProbe(loop, taken, taken, Duration.ofSeconds(5));

            ProbeResult r = run(probe);

            assertThat(r.success()).isFalse();
            assertThat(r.reason()).startsWith("failed (");
        }
    }
}
