package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static io.lvs4j.core.TestTables.tcp;
import static io.lvs4j.core.TestTables.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PersistenceTest {
    private final FakeTicker ticker = new FakeTicker();
    private final ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);

    private IpvsTable table(TableOptions.Builder b, ServiceOptions so) {
        IpvsTable t = new IpvsTable(b.ticker(ticker).build());
        t.addService(web, so);
        return t;
    }

    private void tick(IpvsTable t, double seconds) {
        ticker.advanceSeconds(seconds);
        t.runMaintenance();
    }

    private static Connection templateOf(IpvsTable t) {
        List<Connection> templates = t.connections().stream().filter(Connection::isTemplate).toList();
        assertThat(templates).hasSize(1);
        return templates.get(0);
    }

    @Test
    void clientsOfOneMaskedNetworkStickToOneServerThroughATemplate() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr")
                .persistenceTimeout(360).ipv4Prefix(24).build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c1 = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        Connection c2 = t.connect(tcp("1.1.1.77", 5001, "192.168.0.10", 80));
        Connection c3 = t.connect(tcp("1.1.2.1", 5002, "192.168.0.10", 80));
        assertThat(c1.realServer()).isSameAs(b);
        assertThat(c2.realServer()).isSameAs(b);
        assertThat(c3.realServer()).isSameAs(a);
        assertThat(b.persistentConnections()).isEqualTo(1);
        assertThat(a.persistentConnections()).isEqualTo(1);
        assertThat(t.templateCount()).isEqualTo(2);
        // templates never count in conns statistics
        assertThat(t.service(web).stats().snapshot().conns()).isEqualTo(3);
        Connection tpl = c1.controller();
        assertThat(tpl.isTemplate()).isTrue();
        assertThat(tpl.clientAddress()).isEqualTo(ip("1.1.1.0"));
        assertThat(tpl.clientPort()).isZero();
        assertThat(tpl.virtualPort()).isEqualTo(80);
        assertThat(tpl.destinationPort()).isEqualTo(80);
        assertThat(tpl.state()).isEqualTo(ConnectionState.NONE);
    }

    @Test
    void templateExpiresAfterItsTimeoutOnceItsConnectionsAreGoneAndEachNewConnectionExtendsIt() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        Connection c = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.RST, 0); // CLOSE, 10 s
        Connection tpl = c.controller();
        assertThat(tpl.expiresInNanos()).isEqualTo(360_000_000_000L);
        tick(t, 100);
        Connection c2 = t.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80));
        assertThat(c2.controller()).isSameAs(tpl);
        assertThat(tpl.expiresInNanos()).isEqualTo(360_000_000_000L);
        c2.inbound(TcpFlags.RST, 0);
        tick(t, 359);
        assertThat(tpl.alive()).isTrue();
        tick(t, 1.1);
        assertThat(tpl.alive()).isFalse();
        assertThat(a.persistentConnections()).isZero();
        assertThat(t.templateCount()).isZero();
    }

    @Test
    void expiryOfATemplateWithLiveConnectionsIsDeferredBy60SecondsAndKeeps60() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr").persistenceTimeout(100).build());
        t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        Connection c = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0); // ESTABLISHED, 900 s
        Connection tpl = c.controller();
        assertThat(tpl.state()).isEqualTo(ConnectionState.ASSURED);
        tick(t, 100.1);
        assertThat(tpl.alive()).isTrue();
        assertThat(tpl.expiresInNanos()).isBetween(59_000_000_000L, 60_000_000_000L);
        // reuse now re-arms with 60 s, not the configured 100 s
        Connection c2 = t.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80));
        assertThat(c2.controller()).isSameAs(tpl);
        assertThat(tpl.expiresInNanos()).isEqualTo(60_000_000_000L);
    }

    @Test
    void persistenceIgnoresOverloadAndQuiescedServersByDefault() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        assertThat(c.realServer()).isSameAs(b);
        t.editRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.weight(0));
        Connection c2 = t.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80));
        assertThat(c2.realServer()).isSameAs(b);
        // a new client never goes to the quiesced server
        assertThat(t.connect(tcp("2.2.2.2", 5001, "192.168.0.10", 80)).realServer()).isNotSameAs(b);
    }

    @Test
    void expireQuiescentTemplateReschedulesClientsOfAQuiescedServer() {
        IpvsTable t = table(TableOptions.builder().expireQuiescentTemplate(true),
                ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        assertThat(c.realServer()).isSameAs(b);
        t.editRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.weight(0));
        Connection c2 = t.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80));
        assertThat(c2.realServer()).isSameAs(a);
        assertThat(c2.controller()).isNotSameAs(c.controller());
        // the old template is unreachable but still counted until its timer ends
        assertThat(b.persistentConnections()).isEqualTo(1);
        assertThat(t.templateCount()).isEqualTo(1);
    }

    @Test
    void aDeletedServersTemplateIsReplacedAtItsNextUse() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        t.deleteRealServer(web, ip("10.0.0.2"), 80);
        Connection c2 = t.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80));
        assertThat(c2.realServer()).isSameAs(a);
    }

    @Test
    void noNewConnectionReusesATimeWaitEntryControlledByATemplate() {
        IpvsTable t = table(TableOptions.builder(), ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Flow f = tcp("1.1.1.1", 5000, "192.168.0.10", 80);
        Connection c = t.connect(f);
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.FIN_ACK, 0);
        c.outbound(TcpFlags.FIN_ACK, 0);
        assertThat(t.connect(f)).isSameAs(c);
    }

    @Test
    void fwmarkTemplatesAreSharedAcrossProtocols() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        ServiceKey mark = ServiceKey.fwmark(1, false);
        VirtualService svc = t.addService(mark, ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).build());
        t.addRealServer(mark, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(mark, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c1 = t.connect(svc, tcp("1.1.1.1", 5000, "192.168.0.10", 443), TcpFlags.SYN, 0);
        Connection c2 = t.connect(svc, udp("1.1.1.1", 5000, "192.168.0.10", 53), 0, 0);
        assertThat(c1.realServer()).isSameAs(b);
        assertThat(c2.realServer()).isSameAs(b);
        assertThat(c1.controller()).isSameAs(c2.controller());
        Connection tpl = c1.controller();
        assertThat(tpl.protocol()).isEqualTo(Protocol.IP);
        assertThat(tpl.virtualAddress()).isEqualTo(ip("0.0.0.1"));
        // persistent fwmark: the packet's own port is kept
        assertThat(c1.destinationPort()).isEqualTo(443);
        assertThat(c2.destinationPort()).isEqualTo(53);
    }

    @Test
    void udpReplyAssuresTheTemplate() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        ServiceKey dns = ServiceKey.udp(ip("192.168.0.10"), 53);
        t.addService(dns, ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).build());
        t.addRealServer(dns, ip("10.0.0.1"), 53, RealServerOptions.defaults());
        Connection c = t.connect(udp("1.1.1.1", 4000, "192.168.0.10", 53));
        assertThat(templateOf(t).state()).isEqualTo(ConnectionState.NONE);
        c.outbound(0, 10);
        assertThat(templateOf(t).state()).isEqualTo(ConnectionState.ASSURED);
    }

    @Test
    void ipv6PersistenceMasksByPrefix() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        ServiceKey v6 = ServiceKey.tcp(ip("2001:db8::10"), 80);
        t.addService(v6, ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).netmask(64).build());
        t.addRealServer(v6, ip("2001:db8:1::1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(v6, ip("2001:db8:1::2"), 80, RealServerOptions.defaults());
        Connection c1 = t.connect(Flow.of(Protocol.TCP, ip("2001:db8:5:6:1:2:3:4"), 1000, ip("2001:db8::10"), 80));
        Connection c2 = t.connect(Flow.of(Protocol.TCP, ip("2001:db8:5:6:ffff::9"), 1000, ip("2001:db8::10"), 80));
        assertThat(c1.realServer()).isSameAs(b);
        assertThat(c2.controller()).isSameAs(c1.controller());
        assertThat(c1.controller().clientAddress()).isEqualTo(ip("2001:db8:5:6::"));
    }

    @Test
    void oneTemplateForManyOnePacketDatagrams() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        ServiceKey dns = ServiceKey.udp(ip("192.168.0.10"), 53);
        t.addService(dns, ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).onePacket(true).build());
        RealServer a = t.addRealServer(dns, ip("10.0.0.1"), 53, RealServerOptions.defaults());
        t.addRealServer(dns, ip("10.0.0.2"), 53, RealServerOptions.defaults());
        RealServer first = t.connect(udp("1.1.1.1", 4000, "192.168.0.10", 53)).realServer();
        for (int i = 0; i < 5; i++) {
            assertThat(t.connect(udp("1.1.1.1", 4000 + i, "192.168.0.10", 53)).realServer()).isSameAs(first);
        }
        assertThat(t.connectionCount()).isZero();
        assertThat(t.templateCount()).isEqualTo(1);
        assertThat(templateOf(t).controller()).isNull();
        tick(t, 60.1);
        assertThat(t.templateCount()).isZero();
        assertThat(a.persistentConnections()).isZero();
    }
}
