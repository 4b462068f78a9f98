package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.Loopback.eventually;
import static io.lvs4j.forwarder.Loopback.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.ConnectionState;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Many concurrent idle connections: held open through the forwarder, then closed, with the forwarder's
 * file descriptors back to their baseline and its thread count flat throughout.
 *
 * <p>The clients and the real server run in a child process ({@link IdlePeers}), so this process holds
 * only the forwarder's two sockets per connection. The target is 10,000 connections; it is lowered to
 * what the open-files limit allows (the forwarder needs 2 descriptors per connection: with the common
 * hard limit of 20,000 that is about 9,700). The count used is printed.
 */
@EnabledOnOs(OS.LINUX)
class ForwarderScaleTest {
    private static final int TARGET = 10_000;

    @Test
    void tenThousandIdleConnectionsOpenAndCloseWithoutLeaksOrThreads() throws Exception {
        IpvsTable table = new IpvsTable();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process peers = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                IdlePeers.class.getName(), "127.0.0.2").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peers.getInputStream(), StandardCharsets.US_ASCII));
        PrintWriter in = new PrintWriter(peers.getOutputStream(), true, StandardCharsets.US_ASCII);
        Forwarder forwarder = null;
        try {
            String[] hello = out.readLine().split(" ");
            assertThat(hello[0]).isEqualTo("BACKEND");
            int port = Loopback.freePort("127.0.0.1");
            ServiceKey web = ServiceKey.tcp(ip("127.0.0.1"), port);
            table.addService(web, ServiceOptions.builder().scheduler("wlc").build());
            RealServer rs = table.addRealServer(web, ip("127.0.0.2"), Integer.parseInt(hello[1]),
                    new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
            forwarder = Forwarder.start(table, ForwarderOptions.builder().backlog(4096).build());

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int baselineThreads = threads.getThreadCount();
            int baselineFds = Loopback.openFds();
            int n = Math.min(TARGET, (Loopback.fdLimit() - baselineFds - 512) / 2);
            System.out.printf("ForwarderScaleTest: %d connections (open-files limit %d, baseline %d fds)%n",
                    n, Loopback.fdLimit(), baselineFds);
            org.junit.jupiter.api.Assumptions.assumeTrue(n >= 100,
                    "the open-files limit " + Loopback.fdLimit() + " leaves room for fewer than 100 connections");

            long start = System.nanoTime();
            in.println("CONNECT 127.0.0.1 " + port + " " + n);
            assertThat(out.readLine()).isEqualTo("READY " + n);
            Forwarder f = forwarder;
            assertThat(eventually(Duration.ofSeconds(30), () -> f.stats().openConnections() == n)).isTrue();
            System.out.printf("ForwarderScaleTest: %d connections established in %d ms%n", n,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(eventually(Duration.ofSeconds(30), () -> rs.activeConnections() == n)).isTrue();
            assertThat(table.connections()).hasSize(n)
                    .allSatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED));
            assertThat(Loopback.openFds()).isGreaterThanOrEqualTo(baselineFds + 2 * n);
            assertThat(threads.getThreadCount()).as("no thread per connection").isLessThanOrEqualTo(baselineThreads + 2);
            assertThat(f.stats().acceptedConnections()).isEqualTo(n);

            in.println("CLOSE");
            assertThat(out.readLine()).isEqualTo("CLOSED " + n);
            assertThat(eventually(Duration.ofSeconds(60), () -> f.stats().openConnections() == 0)).isTrue();
            assertThat(eventually(Duration.ofSeconds(30), () -> Loopback.openFds() <= baselineFds))
                    .as("file descriptors back to the baseline of %d (now %d)", baselineFds, Loopback.openFds()).isTrue();
            assertThat(rs.activeConnections()).isZero();
            assertThat(rs.inactiveConnections()).isEqualTo(n);
            List<ConnectionState> states = table.connections().stream().map(c -> c.state()).distinct().toList();
            assertThat(states).containsExactly(ConnectionState.TIME_WAIT);
            assertThat(threads.getThreadCount()).isLessThanOrEqualTo(baselineThreads + 2);
        } finally {
            in.println("EXIT");
            if (forwarder != null) {
                forwarder.close(Duration.ZERO);
            }
            if (!peers.waitFor(30, TimeUnit.SECONDS)) {
                peers.destroyForcibly();
            }
        }
    }
}
