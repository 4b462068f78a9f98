package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.Loopback.connect;
import static io.lvs4j.forwarder.Loopback.connectFrom;
import static io.lvs4j.forwarder.Loopback.eventually;
import static io.lvs4j.forwarder.Loopback.ip;
import static io.lvs4j.forwarder.Loopback.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.ConnectionState;
import io.lvs4j.core.Flow;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwarderTcpTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final IpvsTable table = new IpvsTable();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Forwarder forwarder;
    private ServiceKey web;
    private InetSocketAddress vip;

    @AfterEach
    void tearDown() throws Exception {
        if (forwarder != null) {
            forwarder.close(Duration.ZERO);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private void service(ServiceOptions options) throws IOException {
        int port = Loopback.freePort("127.0.0.1");
        web = ServiceKey.tcp(ip("127.0.0.1"), port);
        vip = new InetSocketAddress(ip("127.0.0.1"), port);
        table.addService(web, options);
    }

    private RealServer add(BackendServer b, int weight) {
        toClose.add(b);
        return table.addRealServer(web, b.address(), b.port(),
                new RealServerOptions(weight, ForwardingMethod.MASQ, 0, 0));
    }

    private void startForwarder(ForwarderOptions.Builder options) {
        forwarder = Forwarder.start(table, options.eventLoops(2).sweepInterval(Duration.ofMillis(50)).build());
    }

    private void startForwarder() {
        startForwarder(ForwarderOptions.builder());
    }

    private Connection entry(Socket client) {
        return table.connection(Flow.of(Protocol.TCP, (InetSocketAddress) client.getLocalSocketAddress(), vip));
    }

    private boolean allClosed() {
        return forwarder.stats().openConnections() == 0;
    }

    @Test
    void wrrSendsConnectionsInTheSchedulersSequence() throws Exception {
        service(ServiceOptions.builder().scheduler("wrr").build());
        // added C, B, A: scan order A(4), B(3), C(2)
        IpvsTable twin = new IpvsTable();
        twin.addService(web, ServiceOptions.builder().scheduler("wrr").build());
        String[][] servers = {{"127.0.0.4", "C", "2"}, {"127.0.0.3", "B", "3"}, {"127.0.0.2", "A", "4"}};
        java.util.Map<java.net.InetAddress, String> names = new java.util.HashMap<>();
        for (String[] s : servers) {
            BackendServer b = BackendServer.naming(s[0], s[1]);
            add(b, Integer.parseInt(s[2]));
            twin.addRealServer(web, b.address(), b.port(), RealServerOptions.weight(Integer.parseInt(s[2])));
            names.put(b.address(), s[1]);
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            Connection c = twin.connect(Flow.of(Protocol.TCP, ip("10.0.0.1"), 1000 + i, vip.getAddress(), vip.getPort()));
            expected.append(names.get(c.realServer().address()));
        }
        // the first pass starts at the threshold left by the adds, then the spec's cycle A A B A B C A B C
        assertThat(expected).startsWith("ABC").contains("AABABCABCAABABC");
        startForwarder();

        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            try (Socket s = connect(vip)) {
                seq.append(readAll(s));
            }
        }
        assertThat(seq).hasToString(expected.toString());
        assertThat(forwarder.stats().acceptedConnections()).isEqualTo(18);
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
        assertThat(table.stats().snapshot().conns()).isEqualTo(18);
        for (Connection c : table.connections()) {
            assertThat(c.state()).isEqualTo(ConnectionState.TIME_WAIT); // server closed first, client ACKed
        }
    }

    @Test
    void relaysALargePayloadIntactBothWaysAndCountsEveryByte() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        add(BackendServer.echo("127.0.0.2", "echo"), 1);
        startForwarder(ForwarderOptions.builder().bufferSize(16 * 1024)); // small buffers: lots of backpressure
        byte[] payload = new byte[8 * 1024 * 1024 + 123];
        new Random(42).nextBytes(payload);
        CRC32 sent = new CRC32();
        sent.update(payload);

        try (Socket s = connect(vip)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < payload.length; off += 100_000) {
                        out.write(payload, off, Math.min(100_000, payload.length - off));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            CRC32 received = new CRC32();
            long total = 0;
            InputStream in = s.getInputStream();
            byte[] b = new byte[65536];
            int n;
            while ((n = in.read(b)) >= 0) {
                received.update(b, 0, n);
                total += n;
            }
            writer.get(30, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(payload.length);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
        }
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
        var svcStats = table.service(web).stats().snapshot();
        assertThat(svcStats.inBytes()).isEqualTo(payload.length);
        assertThat(svcStats.outBytes()).isEqualTo(payload.length);
        assertThat(forwarder.stats().bytesToServers()).isEqualTo(payload.length);
        assertThat(forwarder.stats().bytesToClients()).isEqualTo(payload.length);
    }

    @Test
    void aSlowServerStopsTheForwarderReadingTheClient() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Long> serverGot = new CompletableFuture<>();
        add(BackendServer.start("127.0.0.2", "slow", s -> {
            go.await();
            long total = 0;
            InputStream in = s.getInputStream();
            byte[] b = new byte[65536];
            int n;
            while ((n = in.read(b)) >= 0) {
                total += n;
            }
            serverGot.complete(total);
        }), 1);
        int bufferSize = 32 * 1024;
        startForwarder(ForwarderOptions.builder().bufferSize(bufferSize));
        long size = 64L * 1024 * 1024;
        try (Socket s = connect(vip)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[1 << 20];
                    for (long sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk);
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // the server does not read: socket buffers fill, then the forwarder stops reading the client
            var svc = table.service(web).stats();
            long[] last = {-1};
            assertThat(eventually(WAIT, () -> {
                long read = svc.snapshot().inBytes();
                boolean stable = read == last[0] && read > 0;
                last[0] = read;
                if (!stable) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return stable;
            })).isTrue();
            assertThat(writer).isNotDone();
            long readFromClient = svc.snapshot().inBytes();
            long writtenToServer = forwarder.stats().bytesToServers();
            assertThat(readFromClient).isLessThan(size);
            assertThat(readFromClient - writtenToServer).as("bytes held by the forwarder")
                    .isBetween(0L, (long) bufferSize);

            go.countDown();
            assertThat(serverGot.get(30, TimeUnit.SECONDS)).isEqualTo(size);
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tableFollowsTheConnectionThroughHalfCloseToTimeWait() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        CountDownLatch sawEof = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RealServer rs = add(BackendServer.start("127.0.0.2", "half", s -> {
            InputStream in = s.getInputStream();
            String request = new String(in.readAllBytes(), StandardCharsets.US_ASCII); // to the client's FIN
            sawEof.countDown();
            release.await();
            s.getOutputStream().write(("after " + request).getBytes(StandardCharsets.US_ASCII));
        }), 1);
        startForwarder();

        try (Socket s = connect(vip)) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(eventually(WAIT, () -> entry(s) != null && entry(s).state() == ConnectionState.ESTABLISHED))
                    .isTrue();
            assertThat(rs.activeConnections()).isEqualTo(1);
            assertThat(rs.inactiveConnections()).isZero();

            s.shutdownOutput(); // client FIN: CLOSE_WAIT, inactive
            assertThat(sawEof.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(eventually(WAIT, () -> entry(s).state() == ConnectionState.CLOSE_WAIT)).isTrue();
            assertThat(rs.activeConnections()).isZero();
            assertThat(rs.inactiveConnections()).isEqualTo(1);

            release.countDown(); // the server still sends, then closes
            assertThat(readAll(s)).isEqualTo("after hello");
            assertThat(eventually(WAIT, this::allClosed)).isTrue();
            assertThat(entry(s).state()).isEqualTo(ConnectionState.TIME_WAIT);
            assertThat(entry(s).expiresInNanos()).isGreaterThan(TimeUnit.SECONDS.toNanos(100));
            assertThat(rs.inactiveConnections()).isEqualTo(1);
        }
    }

    @Test
    void serverClosingFirstEndsInTimeWaitThroughFinWait() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        CountDownLatch closed = new CountDownLatch(1);
        add(BackendServer.start("127.0.0.2", "first", s -> {
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            closed.countDown();
            s.getInputStream().readAllBytes();
        }), 1);
        startForwarder();
        try (Socket s = connect(vip)) {
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(eventually(WAIT, () -> entry(s) != null && entry(s).state() == ConnectionState.FIN_WAIT))
                    .isTrue();
            assertThat(readAll(s)).isEqualTo("bye");
            s.shutdownOutput();
            assertThat(eventually(WAIT, this::allClosed)).isTrue();
            assertThat(entry(s).state()).isEqualTo(ConnectionState.TIME_WAIT);
        }
    }

    @Test
    void refusingServerResetsTheClientClosesTheEntryAndTheNextConnectionGoesElsewhere() throws Exception {
        service(ServiceOptions.builder().scheduler("wlc").build());
        add(BackendServer.naming("127.0.0.2", "A"), 1);
        int dead = Loopback.freePort("127.0.0.3");
        RealServer refusing = table.addRealServer(web, ip("127.0.0.3"), dead,
                new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0)); // newest: first in scan order
        startForwarder();

        assertThat(Loopback.exchange(vip)).isEqualTo("RESET");
        assertThat(eventually(WAIT, () -> forwarder.stats().connectFailures() == 1)).isTrue();
        assertThat(table.connections()).singleElement().satisfies(c -> {
            assertThat(c.realServer()).isSameAs(refusing);
            assertThat(c.state()).isEqualTo(ConnectionState.CLOSE);
        });
        assertThat(refusing.activeConnections()).isZero();
        assertThat(refusing.inactiveConnections()).isEqualTo(1);
        assertThat(forwarder.stats().connectFailures()).isEqualTo(1);
        try (Socket s = connect(vip)) {
            assertThat(readAll(s)).isEqualTo("A"); // wlc: the refusing server has overhead 1, A has 0
        }
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
    }

    @Test
    void serverStallingInConnectTimesOutAndTheClientIsReset() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        // a listener whose accept queue is full drops SYNs: the connect hangs
        ServerSocket full = new ServerSocket();
        full.bind(new InetSocketAddress(ip("127.0.0.4"), 0), 1);
        toClose.add(full);
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            filler.connect(full.getLocalSocketAddress(), 1000);
            toClose.add(filler);
        }
        RealServer stalling = table.addRealServer(web, ip("127.0.0.4"), full.getLocalPort(),
                new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        startForwarder(ForwarderOptions.builder().connectTimeout(Duration.ofMillis(400)));

        long start = System.nanoTime();
        try (Socket s = connect(vip)) {
            assertThat(eventually(WAIT, () -> entry(s) != null)).isTrue();
            assertThat(entry(s).state()).isEqualTo(ConnectionState.SYN_RECV);
            assertThat(stalling.activeConnections()).isEqualTo(1);
            assertThat(eventually(WAIT, () -> forwarder.stats().openConnections() == 1)).isTrue();
            assertThat(readAll(s)).isEqualTo("RESET");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(350));
            // the client gave up: IPVS keeps the entry in SYN_RECV until it expires
            assertThat(entry(s).state()).isEqualTo(ConnectionState.SYN_RECV);
        }
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
        assertThat(forwarder.stats().connectFailures()).isEqualTo(1);
    }

    @Test
    void serverDyingMidTransferResetsTheClientAndTheForwarderCarriesOn() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        add(BackendServer.naming("127.0.0.3", "B"), 1);
        add(BackendServer.start("127.0.0.2", "dies", s -> {
            s.getInputStream().read();
            s.getOutputStream().write(new byte[200_000]);
            s.setSoLinger(true, 0); // dies: RST
        }), 1);
        startForwarder();

        try (Socket s = connect(vip)) {
            s.getOutputStream().write('x');
            InputStream in = s.getInputStream();
            long got = 0;
            String outcome;
            try {
                int n;
                byte[] b = new byte[8192];
                while ((n = in.read(b)) >= 0) {
                    got += n;
                }
                outcome = "EOF";
            } catch (java.net.SocketException e) {
                outcome = "RESET";
            }
            assertThat(outcome).isEqualTo("RESET");
            assertThat(got).isLessThanOrEqualTo(200_000);
            assertThat(eventually(WAIT, () -> entry(s).state() == ConnectionState.CLOSE)).isTrue();
        }
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
        try (Socket s = connect(vip)) {
            assertThat(readAll(s)).isEqualTo("B");
        }
    }

    @Test
    void clientResetIsPassedToTheServer() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        add(BackendServer.start("127.0.0.2", "hold", s -> {
            try {
                int n = s.getInputStream().read();
                while (n >= 0) {
                    n = s.getInputStream().read();
                }
                serverSaw.complete("EOF");
            } catch (java.net.SocketException e) {
                serverSaw.complete("RESET");
            }
        }), 1);
        startForwarder();

        Socket s = connect(vip);
        s.getOutputStream().write('x');
        assertThat(eventually(WAIT, () -> entry(s) != null && entry(s).state() == ConnectionState.ESTABLISHED))
                .isTrue();
        Connection c = entry(s);
        s.setSoLinger(true, 0);
        s.close();
        assertThat(serverSaw.get(10, TimeUnit.SECONDS)).isEqualTo("RESET");
        assertThat(eventually(WAIT, () -> c.state() == ConnectionState.CLOSE)).isTrue();
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
        assertThat(c.realServer().activeConnections()).isZero();
    }

    @Test
    void persistentServiceKeepsEachClientOnItsRealServer() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).build());
        add(BackendServer.naming("127.0.0.2", "A"), 1);
        add(BackendServer.naming("127.0.0.3", "B"), 1);
        add(BackendServer.naming("127.0.0.4", "C"), 1);
        startForwarder();

        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Socket s = connectFrom("127.0.0.1", vip)) {
                first.add(readAll(s));
            }
            try (Socket s = connectFrom("127.0.0.9", vip)) {
                second.add(readAll(s));
            }
        }
        assertThat(first).containsOnly(first.get(0));
        assertThat(second).containsOnly(second.get(0));
        assertThat(second.get(0)).isNotEqualTo(first.get(0)); // rr: the second client's template got the next one
        assertThat(table.templateCount()).isEqualTo(2);
    }

    @Test
    void idleConnectionIsResetWhenItsEntryExpires() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        add(BackendServer.start("127.0.0.2", "hold", s -> s.getInputStream().readAllBytes()), 1);
        table.setTimeouts(new io.lvs4j.core.TimeoutSettings(1, 0, 0)); // ESTABLISHED: 1 s
        startForwarder();
        toClose.add(table.startMaintenance()); // expiry, as the table's owner runs it
        try (Socket s = connect(vip)) {
            s.getOutputStream().write('x');
            assertThat(eventually(WAIT, () -> entry(s) != null && entry(s).state() == ConnectionState.ESTABLISHED))
                    .isTrue();
            long start = System.nanoTime();
            assertThat(readAll(s)).isEqualTo("RESET");
            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(700));
        }
        assertThat(eventually(WAIT, this::allClosed)).isTrue();
    }

    @Test
    void noRealServerResetsTheClient() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        startForwarder();
        assertThat(Loopback.exchange(vip)).isEqualTo("RESET");
        assertThat(eventually(WAIT, () -> forwarder.stats().rejectedConnections() == 1)).isTrue();
        assertThat(forwarder.stats().openConnections()).isZero();
    }

    @Test
    void deletedRealServerHoldsTrafficUntilItIsAddedBack() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        BackendServer echo = BackendServer.echo("127.0.0.2", "echo");
        add(echo, 1);
        startForwarder();
        try (Socket s = connect(vip)) {
            s.getOutputStream().write('a');
            assertThat(s.getInputStream().read()).isEqualTo('a');
            table.deleteRealServer(web, echo.address(), echo.port());
            s.getOutputStream().write('b'); // IPVS drops it: nothing comes back
            s.setSoTimeout(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.getInputStream().read())
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            table.addRealServer(web, echo.address(), echo.port(),
                    new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0)); // back from the trash: resumes
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo('b');
            assertThat(entry(s).state()).isEqualTo(ConnectionState.ESTABLISHED);
        }
    }

    @Test
    void closeDrainsOpenConnectionsThenResetsTheRest() throws Exception {
        service(ServiceOptions.builder().scheduler("rr").build());
        add(BackendServer.start("127.0.0.2", "bye", s -> {
            s.getInputStream().readAllBytes();
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        }), 1);
        startForwarder();
        int baseline = Loopback.openFds();
        Socket finishing = connect(vip);
        Socket lingering = connect(vip);
        assertThat(eventually(WAIT, () -> forwarder.stats().openConnections() == 2)).isTrue();

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> forwarder.close(Duration.ofMillis(500)));
        assertThat(eventually(WAIT, () -> forwarder.stats().listeners() == 0)).isTrue();
        finishing.shutdownOutput(); // finishes within the drain period
        assertThat(readAll(finishing)).isEqualTo("bye");
        assertThat(readAll(lingering)).isEqualTo("RESET"); // reset at the end of it
        closing.get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
        assertThat(forwarder.stats().openConnections()).isZero();
        finishing.close();
        lingering.close();
        // the listener and both relays' sockets are gone (the backend's own sockets may still close)
        assertThat(eventually(WAIT, () -> Loopback.openFds() <= baseline - 1)).isTrue();
    }
}
