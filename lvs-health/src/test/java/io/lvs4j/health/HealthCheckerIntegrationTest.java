package io.lvs4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole checker with its real parts (I/O loop, TCP and HTTP probes, the table) against real servers
 * on loopback: a dead server leaves the IPVS table after retry + 1 failures and comes back after one
 * success. Waits are on events, bounded; timings are short settings, not sleeps.
 */
class HealthCheckerIntegrationTest {

    /** A TCP server that answers every connection with a fixed HTTP response, until closed. */
    static final class HttpServer implements AutoCloseable {
        final ServerSocket socket;
        final Thread thread;

        HttpServer(int port, String response) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        OutputStream out = s.getOutputStream();
                        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "test-http-" + port);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void deadServerIsRemovedAfterRetryPlusOneFailuresAndReturnsAfterOneSuccess() throws Exception {
        IpvsTable table = new IpvsTable();
        ServiceKey vs = ServiceKey.tcp(InetAddress.getByName("198.18.0.10"), 80);
        HttpServer web = new HttpServer(0, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        HttpServer tcp = new HttpServer(0, "");
        int webPort = web.port();
        InetAddress lo = InetAddress.getLoopbackAddress();
        CheckSettings fast = CheckSettings.builder().delayLoop(Duration.ofMillis(200)).delayBeforeRetry(Duration.ofMillis(100))
                .connectTimeout(Duration.ofMillis(500)).warmup(Duration.ZERO).build();
        CheckerSpec http = new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, false,
                List.of(UrlSpec.path("/")), HttpProtocol.HTTP_1_0, null, false, TlsOptions.KEEPALIVED);
        CheckerSpec tcpCheck = new CheckerSpec.Tcp(CheckSettings.UNSET, ConnectOptions.DEFAULT);
        VirtualServerSpec spec = VirtualServerSpec.builder(vs)
                .serviceOptions(ServiceOptions.builder().scheduler("rr").build())
                .settings(fast)
                .realServers(List.of(
                        RealServerSpec.of(lo, webPort, http).withSettings(CheckSettings.builder().retry(2).build()),
                        RealServerSpec.of(lo, tcp.port(), tcpCheck)))
                .build();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        List<String> log = new CopyOnWriteArrayList<>();
        try (HealthChecker checker = HealthChecker.builder(table)
                .listener(new HealthListener() {
                    @Override
                    public void realServerUp(ServiceKey v, InetSocketAddress rs) {
                        events.add("up " + rs.getPort());
                    }

                    @Override
                    public void realServerDown(ServiceKey v, InetSocketAddress rs) {
                        events.add("down " + rs.getPort());
                    }
                })
                .logSink(log::add)
                .build()) {
            checker.add(spec);
            // non-alpha: both are in the table before any check
            assertThat(table.service(vs).realServers()).hasSize(2);
            checker.start();

            web.close();
            long closedAt = System.nanoTime();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("down " + webPort);
            long detected = System.nanoTime() - closedAt;
            assertThat(table.service(vs).realServers()).extracting(RealServer::port).containsExactly(tcp.port());
            assertThat(log).anyMatch(l -> l.equals("HTTP_CHECK on service [127.0.0.1]:tcp:" + webPort + " failed after 2 retries."));
            assertThat(log).anyMatch(l -> l.startsWith("Removing service [127.0.0.1]:tcp:" + webPort + " from VS [198.18.0.10]:tcp:80"));
            // first check at 1 s (bootstrap delay, warmup 0), then 2 retries 100 ms apart: well under 3 s
            assertThat(detected).isLessThan(TimeUnit.SECONDS.toNanos(3));

            try (HttpServer back = new HttpServer(webPort, "HTTP/1.0 200 OK\r\n\r\nok")) {
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("up " + webPort);
                assertThat(table.service(vs).realServers()).extracting(RealServer::port).contains(webPort, tcp.port());
                assertThat(log).anyMatch(l -> l.equals("Remote Web server [127.0.0.1]:tcp:" + webPort + " succeed on service."));
            }
        } finally {
            tcp.close();
        }
        // the checker created the service; closing releases it as keepalived does on shutdown
        assertThat(table.service(vs)).isNull();
    }
}
