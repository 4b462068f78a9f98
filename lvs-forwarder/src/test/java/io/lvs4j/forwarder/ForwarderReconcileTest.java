package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.Loopback.connect;
import static io.lvs4j.forwarder.Loopback.eventually;
import static io.lvs4j.forwarder.Loopback.ip;
import static io.lvs4j.forwarder.Loopback.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwarderReconcileTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RealServerOptions MASQ = new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0);

    private final IpvsTable table = new IpvsTable();
    private Forwarder forwarder;
    private BackendServer backend;

    @AfterEach
    void tearDown() throws IOException {
        if (forwarder != null) {
            forwarder.close(Duration.ZERO);
        }
        if (backend != null) {
            backend.close();
        }
    }

    private Forwarder start(ForwarderOptions.Builder b) {
        forwarder = Forwarder.start(table, b.eventLoops(2).build());
        return forwarder;
    }

    @Test
    void listenersFollowServicesAddedAndDeleted() throws Exception {
        backend = BackendServer.naming("127.0.0.2", "A");
        start(ForwarderOptions.builder().reconcileInterval(Duration.ofHours(1))); // explicit reconciles only
        assertThat(forwarder.listeners()).isEmpty();

        int port = Loopback.freePort("127.0.0.1");
        ServiceKey web = ServiceKey.tcp(ip("127.0.0.1"), port);
        InetSocketAddress vip = new InetSocketAddress(ip("127.0.0.1"), port);
        table.addService(web, ServiceOptions.builder().scheduler("rr").build());
        table.addRealServer(web, backend.address(), backend.port(), MASQ);
        forwarder.reconcile();
        assertThat(forwarder.listeners()).singleElement().satisfies(l -> {
            assertThat(l.bound()).isTrue();
            assertThat(l.protocol()).isEqualTo(Protocol.TCP);
            assertThat(l.address()).isEqualTo(vip);
            assertThat(l.service()).isEqualTo(web);
        });
        try (Socket s = connect(vip)) {
            assertThat(readAll(s)).isEqualTo("A");
        }

        table.deleteService(web);
        forwarder.reconcile();
        assertThat(forwarder.listeners()).isEmpty();
        assertThat(forwarder.stats().listeners()).isZero();
        assertThatThrownBy(() -> connect(vip).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void theReconcileTimerPicksUpNewServices() throws Exception {
        backend = BackendServer.naming("127.0.0.2", "A");
        start(ForwarderOptions.builder().reconcileInterval(Duration.ofMillis(50)));
        int port = Loopback.freePort("127.0.0.1");
        ServiceKey web = ServiceKey.tcp(ip("127.0.0.1"), port);
        table.addService(web, ServiceOptions.builder().scheduler("rr").build());
        table.addRealServer(web, backend.address(), backend.port(), MASQ);
        assertThat(eventually(WAIT, () -> forwarder.stats().listeners() == 1)).isTrue();
        try (Socket s = connect(new InetSocketAddress(ip("127.0.0.1"), port))) {
            assertThat(readAll(s)).isEqualTo("A");
        }
    }

    @Test
    void anAddressNotOnTheHostIsReportedAndRetried() {
        start(ForwarderOptions.builder().reconcileInterval(Duration.ofHours(1)));
        // TEST-NET-1: never on this host, so the bind fails locally with EADDRNOTAVAIL; no packet is sent
        ServiceKey backup = ServiceKey.tcp(ip("192.0.2.10"), 80);
        table.addService(backup, ServiceOptions.defaults());
        forwarder.reconcile();
        forwarder.reconcile(); // logged once; retried each time
        assertThat(forwarder.listeners()).singleElement().satisfies(l -> {
            assertThat(l.bound()).isFalse();
            assertThat(l.problem()).contains("EADDRNOTAVAIL").contains("not on this host");
        });
        assertThat(forwarder.stats().pendingListeners()).isEqualTo(1);
        table.deleteService(backup);
        forwarder.reconcile();
        assertThat(forwarder.listeners()).isEmpty();
    }

    @Test
    void udpServicesGetADatagramListener() throws Exception {
        start(ForwarderOptions.builder().reconcileInterval(Duration.ofHours(1)));
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            port = probe.getLocalPort();
        }
        ServiceKey dns = ServiceKey.udp(ip("127.0.0.1"), port);
        table.addService(dns, ServiceOptions.defaults());
        forwarder.reconcile();
        assertThat(forwarder.listeners()).singleElement().satisfies(l -> {
            assertThat(l.protocol()).isEqualTo(Protocol.UDP);
            assertThat(l.bound()).isTrue();
        });
        // the port is taken by the forwarder now
        assertThatThrownBy(() -> new java.net.DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), port)).close())
                .isInstanceOf(java.net.BindException.class);
        table.deleteService(dns);
        forwarder.reconcile();
        new java.net.DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), port)).close();
    }

    @Test
    void portZeroServiceIsServedOnTheCatchAllPortsOnly() throws Exception {
        int port = Loopback.freePort("127.0.0.1");
        // a persistent port-0 service keeps the packet's port on the real server (spec §3.2)
        backend = BackendServer.naming("127.0.0.2", port, "A");
        start(ForwarderOptions.builder().catchAllPorts(Set.of(port)).reconcileInterval(Duration.ofHours(1)));
        ServiceKey all = ServiceKey.tcp(ip("127.0.0.1"), 0);
        table.addService(all, ServiceOptions.builder().scheduler("rr").persistenceTimeout(30).build());
        table.addRealServer(all, backend.address(), backend.port(), MASQ);
        forwarder.reconcile();
        assertThat(forwarder.listeners()).singleElement().satisfies(l -> {
            assertThat(l.address().getPort()).isEqualTo(port);
            assertThat(l.service()).isEqualTo(all);
        });
        try (Socket s = connect(new InetSocketAddress(ip("127.0.0.1"), port))) {
            assertThat(readAll(s)).isEqualTo("A");
        }
    }

    @Test
    void firewallMarkServicesAreSkipped() {
        start(ForwarderOptions.builder().reconcileInterval(Duration.ofHours(1)));
        table.addService(ServiceKey.fwmark(1, false), ServiceOptions.defaults());
        forwarder.reconcile();
        assertThat(forwarder.listeners()).isEmpty();
    }

    @Test
    void optionsRejectNonsenseWithAClearMessage() {
        assertThatThrownBy(() -> ForwarderOptions.builder().eventLoops(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventLoops 0");
        assertThatThrownBy(() -> ForwarderOptions.builder().catchAllPorts(Set.of(70000)).build())
                .hasMessageContaining("catch-all port 70000");
        assertThatThrownBy(() -> ForwarderOptions.builder().connectTimeout(Duration.ZERO).build())
                .hasMessageContaining("connectTimeout");
        assertThat(ForwarderOptions.defaults().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ForwarderOptions.defaults().bufferSize()).isEqualTo(65536);
    }
}
