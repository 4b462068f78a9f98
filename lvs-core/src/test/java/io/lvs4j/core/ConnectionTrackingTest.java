package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static io.lvs4j.core.TestTables.tcp;
import static io.lvs4j.core.TestTables.udp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTrackingTest {
    private final FakeTicker ticker = new FakeTicker();
    private IpvsTable table;
    private final ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);
    private RealServer nat;

    @BeforeEach
    void setUp() {
        table = TestTables.table(ticker);
        table.addService(web, ServiceOptions.builder().scheduler("rr").build());
        nat = table.addRealServer(web, ip("10.0.0.1"), 8080, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
    }

    private void expireAll(double seconds) {
        ticker.advanceSeconds(seconds);
        table.runMaintenance();
    }

    @Test
    void natFlowClientClosesFirstGoesThroughCloseWaitAndTimeWait() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        assertThat(c.state()).isEqualTo(ConnectionState.SYN_RECV);
        assertThat(nat.activeConnections()).isEqualTo(1);
        assertThat(nat.inactiveConnections()).isZero();
        assertThat(c.destinationPort()).isEqualTo(8080);

        c.outbound(TcpFlags.SYN_ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.SYN_RECV);
        c.inbound(TcpFlags.ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED);
        assertThat(c.expiresInNanos()).isEqualTo(900_000_000_000L);

        c.inbound(TcpFlags.FIN_ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE_WAIT);
        assertThat(nat.activeConnections()).isZero();
        assertThat(nat.inactiveConnections()).isEqualTo(1);
        assertThat(c.expiresInNanos()).isEqualTo(60_000_000_000L);

        c.outbound(TcpFlags.ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE_WAIT);
        c.outbound(TcpFlags.FIN_ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.TIME_WAIT);
        c.inbound(TcpFlags.ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.TIME_WAIT);
        assertThat(c.expiresInNanos()).isEqualTo(120_000_000_000L);

        expireAll(119.9);
        assertThat(c.alive()).isTrue();
        assertThat(nat.inactiveConnections()).isEqualTo(1);
        expireAll(0.2);
        assertThat(c.alive()).isFalse();
        assertThat(nat.inactiveConnections()).isZero();
        assertThat(table.connectionCount()).isZero();
    }

    @Test
    void directRoutingConnectionEndsInFinWaitUsingTheInputOnlyTable() {
        RealServer dr = table.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c = table.connect(tcp("1.1.1.2", 5000, "192.168.0.10", 80));
        assertThat(c.realServer()).isSameAs(dr); // rr: newest first
        c.inbound(TcpFlags.ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED);
        c.inbound(TcpFlags.FIN_ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.FIN_WAIT);
        assertThat(c.expiresInNanos()).isEqualTo(120_000_000_000L);
        assertThat(dr.inactiveConnections()).isEqualTo(1);
        c.inbound(TcpFlags.ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.FIN_WAIT);
    }

    @Test
    void firstOutputPacketSwitchesADirectRoutingConnectionToTheInputTable() {
        table.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Connection c = table.connect(tcp("1.1.1.2", 5000, "192.168.0.10", 80));
        c.outbound(TcpFlags.SYN_ACK, 0);
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.FIN_ACK, 0);
        // INPUT table: ES + FIN -> CLOSE_WAIT (INPUT_ONLY would give FIN_WAIT)
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE_WAIT);
    }

    @Test
    void resetMovesAnEstablishedConnectionToCloseForTenSeconds() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.RST, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE);
        assertThat(c.expiresInNanos()).isEqualTo(10_000_000_000L);
        assertThat(nat.activeConnections()).isZero();
        assertThat(nat.inactiveConnections()).isEqualTo(1);
    }

    @Test
    void aPacketWithoutRstSynFinOrAckClosesTheConnection() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.PSH, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE);
    }

    @Test
    void rstTakesPrecedenceOverSynAndSynOverFin() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.SYN | TcpFlags.FIN, 0); // SYN counts: ES + SYN -> ES
        assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED);
        c.inbound(TcpFlags.SYN | TcpFlags.RST, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSE);
    }

    @Test
    void onlyASynWithoutRstCreatesATcpConnection() {
        assertThat(table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80), TcpFlags.ACK, 0)).isNull();
        assertThat(table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80), TcpFlags.SYN | TcpFlags.RST, 0)).isNull();
        assertThat(table.connectionCount()).isZero();
        assertThat(nat.stats().snapshot().conns()).isZero();
    }

    @Test
    void sloppyTcpLetsAnyNonRstPacketCreateAConnection() {
        IpvsTable sloppy = new IpvsTable(TableOptions.builder().ticker(ticker).sloppyTcp(true).build());
        sloppy.addService(web, ServiceOptions.builder().scheduler("rr").build());
        sloppy.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        Connection c = sloppy.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80), TcpFlags.ACK, 0);
        assertThat(c).isNotNull();
        assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED);
        assertThat(sloppy.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80), TcpFlags.RST, 0)).isNull();
    }

    @Test
    void everyPacketRearmsExpiryFromTheTableTimeoutOfTheCurrentState() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        ticker.advanceSeconds(800);
        c.outbound(TcpFlags.ACK, 100);
        assertThat(c.expiresInNanos()).isEqualTo(900_000_000_000L);
        expireAll(899);
        assertThat(c.alive()).isTrue();
        expireAll(1.01);
        assertThat(c.alive()).isFalse();
        assertThat(nat.activeConnections()).isZero();
    }

    @Test
    void setTimeoutsChangesEstablishedFinWaitAndUdpOnlyAndZeroKeepsAValue() {
        table.setTimeouts(new TimeoutSettings(100, 0, 50));
        assertThat(table.timeouts()).isEqualTo(new TimeoutSettings(100, 120, 50));
        assertThat(table.timeoutSeconds(ConnectionState.TIME_WAIT)).isEqualTo(120);
        assertThat(table.timeoutSeconds(ConnectionState.CLOSE_WAIT)).isEqualTo(60);
        table.setTimeouts(new TimeoutSettings(0, 30, 0));
        assertThat(table.timeouts()).isEqualTo(new TimeoutSettings(100, 30, 50));
    }

    @Test
    void existingConnectionsPickUpANewTimeoutAtTheirNextPacket() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        table.setTimeouts(new TimeoutSettings(30, 0, 0));
        assertThat(c.expiresInNanos()).isEqualTo(900_000_000_000L);
        c.inbound(TcpFlags.ACK, 0);
        assertThat(c.expiresInNanos()).isEqualTo(30_000_000_000L);
    }

    @Test
    void udpHasOneInactiveStateRefreshedByEveryPacket() {
        ServiceKey dns = ServiceKey.udp(ip("192.168.0.10"), 53);
        table.addService(dns, ServiceOptions.builder().scheduler("rr").build());
        RealServer d = table.addRealServer(dns, ip("10.0.0.5"), 53, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Connection c = table.connect(udp("1.1.1.1", 40000, "192.168.0.10", 53));
        assertThat(c.state()).isEqualTo(ConnectionState.UDP);
        assertThat(d.activeConnections()).isZero();
        assertThat(d.inactiveConnections()).isEqualTo(1);
        assertThat(c.expiresInNanos()).isEqualTo(300_000_000_000L);
        ticker.advanceSeconds(200);
        c.outbound(0, 80);
        assertThat(c.expiresInNanos()).isEqualTo(300_000_000_000L);
        // a second datagram of the same flow uses the same entry
        assertThat(table.connect(udp("1.1.1.1", 40000, "192.168.0.10", 53))).isSameAs(c);
        assertThat(d.stats().snapshot().conns()).isEqualTo(1);
        assertThat(d.stats().snapshot().inPackets()).isEqualTo(2);
        expireAll(300.5);
        assertThat(d.inactiveConnections()).isZero();
    }

    @Test
    void onePacketSchedulingSchedulesEveryDatagramAndKeepsNoEntry() {
        ServiceKey dns = ServiceKey.udp(ip("192.168.0.10"), 53);
        table.addService(dns, ServiceOptions.builder().scheduler("rr").onePacket(true).build());
        RealServer a = table.addRealServer(dns, ip("10.0.0.5"), 53, RealServerOptions.defaults());
        RealServer b = table.addRealServer(dns, ip("10.0.0.6"), 53, RealServerOptions.defaults());
        Connection first = table.connect(udp("1.1.1.1", 40000, "192.168.0.10", 53));
        Connection second = table.connect(udp("1.1.1.1", 40000, "192.168.0.10", 53));
        assertThat(first.realServer()).isSameAs(b);
        assertThat(second.realServer()).isSameAs(a);
        assertThat(first.alive()).isFalse();
        assertThat(table.connectionCount()).isZero();
        assertThat(a.inactiveConnections() + b.inactiveConnections()).isZero();
        VirtualService svc = table.service(dns);
        assertThat(svc.stats().snapshot().conns()).isEqualTo(2);
        assertThat(svc.stats().snapshot().inPackets()).isEqualTo(2);
    }

    @Test
    void aNewSynReusesAnEntryInTimeWaitAndReschedules() {
        RealServer other = table.addRealServer(web, ip("10.0.0.3"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Flow f = tcp("1.1.1.1", 5000, "192.168.0.10", 80);
        Connection c = table.connect(f);
        assertThat(c.realServer()).isSameAs(other);
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.FIN_ACK, 0);
        c.outbound(TcpFlags.FIN_ACK, 0);
        assertThat(c.state()).isEqualTo(ConnectionState.TIME_WAIT);
        Connection again = table.connect(f);
        assertThat(again).isNotSameAs(c);
        assertThat(c.alive()).isFalse();
        assertThat(again.realServer()).isSameAs(nat); // rr moved on
        assertThat(other.inactiveConnections()).isZero();
    }

    @Test
    void aSynOnAnEstablishedEntryStaysOnIt() {
        Flow f = tcp("1.1.1.1", 5000, "192.168.0.10", 80);
        Connection c = table.connect(f);
        c.inbound(TcpFlags.ACK, 0);
        assertThat(table.connect(f)).isSameAs(c);
        assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED);
        assertThat(nat.stats().snapshot().conns()).isEqualTo(1);
    }

    @Test
    void connReuseModeZeroKeepsTimeWaitEntries() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).connReuseMode(0).build());
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Flow f = tcp("1.1.1.1", 5000, "192.168.0.10", 80);
        Connection c = t.connect(f);
        c.inbound(TcpFlags.ACK, 0);
        c.inbound(TcpFlags.FIN_ACK, 0);
        c.outbound(TcpFlags.FIN_ACK, 0);
        assertThat(t.connect(f)).isSameAs(c);
        assertThat(c.state()).isEqualTo(ConnectionState.SYN_RECV); // TW + SYN -> SR on the same entry
    }

    @Test
    void packetsToADeletedRealServerAreDroppedAndTheConnectionResumesWhenItIsReAdded() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        table.deleteRealServer(web, ip("10.0.0.1"), 8080);
        assertThat(nat.available()).isFalse();
        assertThat(c.inbound(TcpFlags.ACK, 10)).isFalse();
        assertThat(c.alive()).isTrue();
        RealServer back = table.addRealServer(web, ip("10.0.0.1"), 8080, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        assertThat(back).isSameAs(nat);
        assertThat(c.inbound(TcpFlags.ACK, 10)).isTrue();
        assertThat(nat.activeConnections()).isEqualTo(1);
    }

    @Test
    void expireNodestConnExpiresConnectionsOfADeletedServer() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).expireNodestConn(true).build());
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        Connection c = t.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        c.inbound(TcpFlags.ACK, 0);
        t.deleteRealServer(web, ip("10.0.0.1"), 80);
        assertThat(c.alive()).isFalse();
        assertThat(d.activeConnections()).isZero();
        assertThat(c.inbound(TcpFlags.ACK, 0)).isFalse();
    }

    @Test
    void expireNodestConnReschedulesASynOnAQuiescedServersEntry() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).expireNodestConn(true).build());
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.defaults());
        Flow f = tcp("1.1.1.1", 5000, "192.168.0.10", 80);
        Connection c = t.connect(f);
        assertThat(c.realServer()).isSameAs(b);
        c.inbound(TcpFlags.ACK, 0);
        t.editRealServer(web, ip("10.0.0.2"), 80, RealServerOptions.weight(0));
        Connection again = t.connect(f);
        assertThat(again).isNotSameAs(c);
        assertThat(again.realServer()).isSameAs(a);
        assertThat(b.activeConnections()).isZero();
    }

    @Test
    void aPort0ServiceCatchesEveryPortAndConnectsToTheSamePort() {
        ServiceKey any = ServiceKey.tcp(ip("192.168.0.20"), 0);
        table.addService(any, ServiceOptions.builder().scheduler("rr").persistenceTimeout(360).build());
        RealServer d = table.addRealServer(any, ip("10.0.0.9"), 0, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.20", 443));
        assertThat(c.realServer()).isSameAs(d);
        assertThat(c.destinationPort()).isEqualTo(443);
        assertThat(table.connect(tcp("1.1.1.1", 5001, "192.168.0.30", 443))).isNull();
    }

    @Test
    void noEligibleServerMeansNoConnectionAndNoCounts() {
        table.editRealServer(web, ip("10.0.0.1"), 8080, new RealServerOptions(0, ForwardingMethod.MASQ, 0, 0));
        assertThat(table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80))).isNull();
        assertThat(table.stats().snapshot().conns()).isZero();
        assertThat(table.connectionCount()).isZero();
    }

    @Test
    void deletedServiceDropsPacketsOfItsConnections() {
        Connection c = table.connect(tcp("1.1.1.1", 5000, "192.168.0.10", 80));
        table.deleteService(web);
        assertThat(c.inbound(TcpFlags.ACK, 0)).isFalse();
        assertThat(table.connect(tcp("1.1.1.1", 5001, "192.168.0.10", 80))).isNull();
        expireAll(61);
        assertThat(c.alive()).isFalse();
        assertThat(nat.activeConnections()).isZero();
    }
}
