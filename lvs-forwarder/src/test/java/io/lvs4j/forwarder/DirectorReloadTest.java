package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.LineBackend.await;
import static io.lvs4j.forwarder.LineBackend.freePort;
import static io.lvs4j.forwarder.TestConfigs.ip;
import static io.lvs4j.forwarder.TestConfigs.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.Connection;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running control side: a configuration applied to a live table with real connections through a loopback
 * data plane, then reloaded: unchanged services keep their objects and connections, changed ones are edited in
 * place, and a configuration with errors changes nothing.
 */
class DirectorReloadTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private LineBackend b1;
    private LineBackend b2;
    private LineBackend b3;
    private LineBackend b4;
    private int p1;
    private int p2;
    private int p3;
    private int p4;

    @BeforeEach
    void backends() throws IOException {
        b1 = track(new LineBackend("b1"));
        b2 = track(new LineBackend("b2"));
        b3 = track(new LineBackend("b3"));
        b4 = track(new LineBackend("b4"));
        p1 = freePort();
        p2 = freePort();
        p3 = freePort();
        p4 = freePort();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        closeLater.add(c);
        return c;
    }

    private String vs(int port, String sched, String realServers) {
        return "virtual_server 127.0.0.1 " + port + " {\n    protocol TCP\n    lb_algo " + sched
                + "\n    lb_kind NAT\n" + realServers + "}\n";
    }

    private static String rs(LineBackend b, int weight) {
        return "    real_server 127.0.0.1 " + b.port() + " {\n        weight " + weight + "\n    }\n";
    }

    private String configA() {
        return vs(p1, "rr", rs(b1, 1)) + vs(p2, "wrr", rs(b2, 1) + rs(b3, 1)) + vs(p3, "rr", rs(b1, 1));
    }

    private String configB() {
        return "! reloaded: comments and layout around the first service changed, not its meaning\n\n"
                + vs(p1, "rr", rs(b1, 1)).replace("    lb_algo rr", "        lb_algo rr   # same")
                + vs(p2, "rr", rs(b2, 5) + rs(b4, 2))
                + vs(p4, "rr", rs(b4, 1));
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private Director start(String text, AtomicReference<LoopbackProxy> proxy) throws IOException {
        ForwarderConfig config = ForwarderConfig.load(write("keepalived.conf", text));
        assertThat(config.hasErrors()).as("%s", config.diagnostics()).isFalse();
        Director d = Director.builder(config).dataPlane(t -> {
            LoopbackProxy p = new LoopbackProxy(t);
            proxy.set(p);
            return p;
        }).controlSocket(dir.resolve("ctl.sock")).start();
        return track(d);
    }

    @Test
    void unchangedServicesKeepTheirObjectsAndConnectionsChangedOnesAreEditedInPlace() throws Exception {
        AtomicReference<LoopbackProxy> proxy = new AtomicReference<>();
        Director d = start(configA(), proxy);
        IpvsTable table = d.table();
        ServiceKey k1 = tcp("127.0.0.1", p1);
        ServiceKey k2 = tcp("127.0.0.1", p2);
        ServiceKey k3 = tcp("127.0.0.1", p3);
        ServiceKey k4 = tcp("127.0.0.1", p4);
        assertThat(table.services()).extracting(VirtualService::key).containsExactly(k1, k2, k3);

        LineBackend.Client client = track(new LineBackend.Client(p1));
        assertThat(client.ask("hello")).isEqualTo("b1:hello");
        VirtualService vs1 = table.service(k1);
        RealServer rs1 = vs1.realServers().get(0);
        VirtualService vs2 = table.service(k2);
        RealServer rsB2 = vs2.realServer(ip("127.0.0.1"), b2.port());
        Lease lease = null;
        for (int port = 40000; lease == null || lease.realServer() != rsB2; port++) {
            lease = table.acquire(vs2, io.lvs4j.core.Flow.of(io.lvs4j.core.Protocol.TCP, ip("192.0.2.7"), port,
                    ip("127.0.0.1"), p2));
        }
        Connection held = lease.connection();
        int reconcilesBefore = proxy.get().reconciles;

        ReloadResult r = d.reload(ForwarderConfig.load(write("keepalived.conf", configB())));

        assertThat(r.applied()).isTrue();
        assertThat(r.unchanged()).containsExactly(k1);
        assertThat(r.changed()).containsExactly(k2);
        assertThat(r.removed()).containsExactly(k3);
        assertThat(r.added()).containsExactly(k4);
        assertThat(table.services()).extracting(VirtualService::key).containsExactlyInAnyOrder(k1, k2, k4);

        assertThat(table.service(k1)).isSameAs(vs1);
        assertThat(table.service(k1).realServers()).containsExactly(rs1);
        assertThat(client.ask("still there")).as("the open connection survives").isEqualTo("b1:still there");

        assertThat(table.service(k2)).as("edited in place").isSameAs(vs2);
        assertThat(vs2.options().scheduler()).isEqualTo("rr");
        assertThat(vs2.realServer(ip("127.0.0.1"), b2.port())).isSameAs(rsB2);
        assertThat(rsB2.weight()).isEqualTo(5);
        assertThat(vs2.realServer(ip("127.0.0.1"), b3.port())).isNull();
        assertThat(vs2.realServer(ip("127.0.0.1"), b4.port()).weight()).isEqualTo(2);
        assertThat(table.connections()).contains(held);
        assertThat(held.realServer()).isSameAs(rsB2);
        lease.close();

        assertThat(proxy.get().reconciles).isGreaterThan(reconcilesBefore);
        try (LineBackend.Client added = new LineBackend.Client(p4)) {
            assertThat(added.ask("new")).isEqualTo("b4:new");
        }
        assertThat(d.config().services()).hasSize(3);
    }

    @Test
    void aConfigurationWithErrorsChangesNothing() throws Exception {
        AtomicReference<LoopbackProxy> proxy = new AtomicReference<>();
        Director d = start(configA(), proxy);
        IpvsTable table = d.table();
        LineBackend.Client client = track(new LineBackend.Client(p2));
        assertThat(client.ask("x")).startsWith("b");
        String before = Ipvsadm.run(table, "-S", "-n").stdout();
        List<VirtualService> objects = table.services();
        ForwarderConfig running = d.config();

        Path bad = write("keepalived.conf", configB() + "virtual_server fwmark 1 {\n real_server 10.0.0.1 {\n }\n}\n");
        ReloadResult r = d.reload(bad);

        assertThat(r.applied()).isFalse();
        assertThat(r.added()).isEmpty();
        assertThat(r.diagnostics()).anySatisfy(x -> assertThat(x.toString()).contains(": ERROR: virtual_server fwmark"));
        assertThat(Ipvsadm.run(table, "-S", "-n").stdout()).isEqualTo(before);
        assertThat(table.services()).containsExactlyElementsOf(objects);
        assertThat(d.config()).isSameAs(running);
        assertThat(client.ask("y")).startsWith("b");

        ReloadResult missing = d.reload(dir.resolve("no-such.conf"));
        assertThat(missing.applied()).isFalse();
        assertThat(Ipvsadm.run(table, "-S", "-n").stdout()).isEqualTo(before);
    }

    @Test
    void servicesAddedWithLvsadmAreLeftAloneAndServicesDeletedWithLvsadmComeBack() throws Exception {
        AtomicReference<LoopbackProxy> proxy = new AtomicReference<>();
        Director d = start(configA(), proxy);
        IpvsTable table = d.table();
        Ipvsadm.run(table, "-A", "-t", "127.0.0.1:" + p4, "-s", "rr");
        Ipvsadm.run(table, "-D", "-t", "127.0.0.1:" + p3);
        ReloadResult r = d.reload(ForwarderConfig.load(write("keepalived.conf", configA())));
        assertThat(r.changed()).as("configured, but gone from the table: applied again")
                .containsExactly(tcp("127.0.0.1", p3));
        assertThat(r.added()).isEmpty();
        assertThat(r.unchanged()).containsExactly(tcp("127.0.0.1", p1), tcp("127.0.0.1", p2));
        assertThat(table.service(tcp("127.0.0.1", p4))).isNotNull();
        assertThat(table.service(tcp("127.0.0.1", p3)).realServers()).hasSize(1);
    }

    @Test
    void startRefusesAConfigurationWithErrors() {
        ForwarderConfig bad = ForwarderConfig.parseText("virtual_server fwmark 1 {\n}\n", dir.resolve("k.conf"));
        assertThatThrownBy(() -> Director.builder(bad).start()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k.conf:1: ERROR: virtual_server fwmark 1");
    }

    @Test
    void healthCheckingRemovesAndReAddsARealServerWithItsThresholds() throws Exception {
        int down = freePort();
        String text = "virtual_server 127.0.0.1 " + p1 + " {\n"
                + "    protocol TCP\n    lb_algo rr\n    lb_kind NAT\n    delay_loop 0.2\n    warmup 0\n"
                + "    real_server 127.0.0.1 " + b1.port() + " {\n        TCP_CHECK {\n            connect_timeout 1\n"
                + "        }\n    }\n"
                + "    real_server 127.0.0.1 " + down + " {\n        uthreshold 50\n        lthreshold 5\n"
                + "        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n}\n";
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        ForwarderConfig config = ForwarderConfig.load(write("keepalived.conf", text));
        Director d = track(Director.builder(config).healthLogSink(log::add).start());
        VirtualService vs = d.table().service(tcp("127.0.0.1", p1));
        assertThat(vs.realServer(ip("127.0.0.1"), down).options().upperThreshold())
                .as("non-alpha real servers go in at once, with their thresholds").isEqualTo(50);

        assertThat(await(() -> vs.realServer(ip("127.0.0.1"), down) == null, Duration.ofSeconds(10)))
                .as("the first failed check removes it: %s", log).isTrue();
        try (LineBackend back = new LineBackend("late", down)) {
            assertThat(await(() -> vs.realServer(ip("127.0.0.1"), down) != null
                    && vs.realServer(ip("127.0.0.1"), down).options().upperThreshold() == 50,
                    Duration.ofSeconds(10))).as("re-added with its thresholds: %s", log).isTrue();
            assertThat(vs.realServer(ip("127.0.0.1"), down).options().lowerThreshold()).isEqualTo(5);
        }
        assertThat(log).anySatisfy(l -> assertThat(l).contains("Removing service [127.0.0.1]:tcp:" + down));
    }
}
