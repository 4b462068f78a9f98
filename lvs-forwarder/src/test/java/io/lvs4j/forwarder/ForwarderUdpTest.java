package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.Loopback.eventually;
import static io.lvs4j.forwarder.Loopback.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.ConnectionState;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TableOptions;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwarderUdpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualTicker ticker = new ManualTicker();
    private final IpvsTable table = new IpvsTable(TableOptions.builder().ticker(ticker).build());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Forwarder forwarder;
    private ServiceKey dns;
    private InetSocketAddress vip;

    /** A UDP server answering every datagram with "name:payload". */
    private static final class UdpEcho implements AutoCloseable {
        final DatagramSocket socket;

        UdpEcho(String ip, String name) throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(ip(ip), 0));
            Thread t = new Thread(() -> {
                byte[] b = new byte[2048];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    try {
                        socket.receive(p);
                        byte[] reply = (name + ":" + new String(b, 0, p.getLength(), StandardCharsets.US_ASCII))
                                .getBytes(StandardCharsets.US_ASCII);
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "udp-echo-" + name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (forwarder != null) {
            forwarder.close(Duration.ZERO);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private void setUp(ServiceOptions options) throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            port = probe.getLocalPort();
        }
        dns = ServiceKey.udp(ip("127.0.0.1"), port);
        vip = new InetSocketAddress(ip("127.0.0.1"), port);
        table.addService(dns, options);
        for (String[] s : new String[][] {{"127.0.0.3", "B"}, {"127.0.0.2", "A"}}) { // scan order A, B
            UdpEcho e = new UdpEcho(s[0], s[1]);
            toClose.add(e);
            table.addRealServer(dns, e.socket.getLocalAddress(), e.socket.getLocalPort(),
                    new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        }
        forwarder = Forwarder.start(table, ForwarderOptions.builder().eventLoops(2)
                .sweepInterval(Duration.ofMillis(20)).opsReplyWindow(Duration.ofMillis(500)).build());
    }

    private DatagramSocket client() throws SocketException {
        DatagramSocket c = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0));
        c.setSoTimeout(5000);
        toClose.add(c::close);
        return c;
    }

    private static String ask(DatagramSocket c, InetSocketAddress to, String payload) throws IOException {
        byte[] b = payload.getBytes(StandardCharsets.US_ASCII);
        c.send(new DatagramPacket(b, b.length, to));
        byte[] r = new byte[2048];
        DatagramPacket p = new DatagramPacket(r, r.length);
        c.receive(p);
        assertThat(p.getSocketAddress()).as("replies come from the virtual address").isEqualTo(to);
        return new String(r, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    private List<Connection> udpEntries() {
        return table.connections().stream().filter(c -> c.protocol() == Protocol.UDP && !c.isTemplate()).toList();
    }

    @Test
    void eachClientGetsASessionThatLastsUntilItsEntryExpires() throws Exception {
        setUp(ServiceOptions.builder().scheduler("rr").build());
        DatagramSocket one = client();
        DatagramSocket two = client();

        assertThat(ask(one, vip, "q1")).isEqualTo("A:q1");
        assertThat(ask(two, vip, "q1")).isEqualTo("B:q1");
        assertThat(ask(one, vip, "q2")).isEqualTo("A:q2"); // same session, same real server
        assertThat(ask(two, vip, "q2")).isEqualTo("B:q2");
        assertThat(forwarder.stats().udpSessions()).isEqualTo(2);
        assertThat(udpEntries()).hasSize(2).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(ConnectionState.UDP);
            assertThat(c.realServer().activeConnections()).isZero(); // UDP is never active
            assertThat(c.realServer().inactiveConnections()).isEqualTo(1);
        });
        var stats = table.service(dns).stats().snapshot();
        assertThat(stats.conns()).isEqualTo(2);
        assertThat(stats.inPackets()).isEqualTo(4);
        assertThat(stats.outPackets()).isEqualTo(4);

        // every datagram refreshes the entry: 200 s + 200 s is not 300 s of silence
        ticker.advanceSeconds(200);
        assertThat(ask(one, vip, "q3")).isEqualTo("A:q3");
        ticker.advanceSeconds(200);
        table.runMaintenance();
        assertThat(udpEntries()).hasSize(1); // two's entry expired, one's did not
        assertThat(eventually(WAIT, () -> forwarder.stats().udpSessions() == 1)).isTrue();

        ticker.advanceSeconds(301);
        table.runMaintenance();
        assertThat(udpEntries()).isEmpty();
        assertThat(eventually(WAIT, () -> forwarder.stats().udpSessions() == 0)).isTrue();

        // the next datagram is scheduled afresh (rr moves on: A, B, then A again for two... )
        String again = ask(two, vip, "q4");
        assertThat(again).isEqualTo("A:q4");
        assertThat(table.service(dns).stats().snapshot().conns()).isEqualTo(3);
        assertThat(forwarder.stats().udpSessions()).isEqualTo(1);
    }

    @Test
    void shorterUdpTimeoutFromIpvsadmSetApplies() throws Exception {
        setUp(ServiceOptions.builder().scheduler("rr").build());
        table.setTimeouts(new io.lvs4j.core.TimeoutSettings(0, 0, 5));
        DatagramSocket one = client();
        assertThat(ask(one, vip, "x")).isEqualTo("A:x");
        ticker.advanceSeconds(6);
        table.runMaintenance();
        assertThat(eventually(WAIT, () -> forwarder.stats().udpSessions() == 0)).isTrue();
        assertThat(ask(one, vip, "y")).isEqualTo("B:y");
    }

    @Test
    void onePacketSchedulingSchedulesEveryDatagram() throws Exception {
        setUp(ServiceOptions.builder().scheduler("rr").onePacket(true).build());
        DatagramSocket one = client();
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(ask(one, vip, "p" + i));
        }
        assertThat(replies).containsExactly("A:p0", "B:p1", "A:p2", "B:p3");
        assertThat(table.connectionCount()).isZero(); // one-packet entries are never hashed
        assertThat(table.service(dns).stats().snapshot().conns()).isEqualTo(4);
        assertThat(forwarder.stats().udpSessions()).isZero();
        assertThat(eventually(WAIT, () -> forwarder.stats().datagramsToClients() == 4)).isTrue();
    }
}
