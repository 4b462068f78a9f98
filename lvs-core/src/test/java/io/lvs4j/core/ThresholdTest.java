package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static io.lvs4j.core.TestTables.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdTest {
    private final FakeTicker ticker = new FakeTicker();
    private final ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);

    private IpvsTable table(KernelFlavor flavor) {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).kernelFlavor(flavor).build());
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        return t;
    }

    /**
     * Opens n established connections. A later RST moves one to CLOSE (10 s); note that an RST in
     * SYN_RECV would not (SR + RST stays SR in IPVS's tables).
     */
    private static List<Connection> open(IpvsTable t, int n, int firstPort) {
        List<Connection> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = t.connect(tcp("1.1.1.1", firstPort + i, "192.168.0.10", 80));
            if (c != null) {
                c.inbound(TcpFlags.ACK, 0);
                list.add(c);
            }
        }
        return list;
    }

    @Test
    void classicUpperTenSetsAtTheTenthAndClearsWhenConnsFallFromEightToSeven() {
        IpvsTable t = table(KernelFlavor.CLASSIC);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 10, 0));
        List<Connection> conns = open(t, 9, 1000);
        assertThat(d.overloaded()).isFalse();
        conns.addAll(open(t, 1, 2000));
        assertThat(d.overloaded()).isTrue();
        assertThat(t.connect(tcp("1.1.1.1", 3000, "192.168.0.10", 80))).isNull();
        // close 2: 10 -> 8, still overloaded; the 3rd close brings 8 -> 7 and clears (7*4 = 28 < 30)
        for (int i = 0; i < 3; i++) {
            Connection c = conns.remove(0);
            c.inbound(TcpFlags.RST, 0);
            ticker.advanceSeconds(1);
        }
        ticker.advanceSeconds(8.5); // t0+11.5: the first two closes have expired, 8 left
        t.runMaintenance();
        assertThat(d.activeConnections() + d.inactiveConnections()).isEqualTo(8);
        assertThat(d.overloaded()).isTrue();
        ticker.advanceSeconds(1);
        t.runMaintenance();
        assertThat(d.activeConnections() + d.inactiveConnections()).isEqualTo(7);
        assertThat(d.overloaded()).isFalse();
    }

    @Test
    void classicClearHappensOnTheUnbindThatCrossesTheBoundary() {
        IpvsTable t = table(KernelFlavor.CLASSIC);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 10, 0));
        List<Connection> conns = open(t, 10, 1000);
        // expire exactly two: 8 left, overloaded still set
        conns.get(0).inbound(TcpFlags.RST, 0);
        conns.get(1).inbound(TcpFlags.RST, 0);
        ticker.advanceSeconds(10.5);
        t.runMaintenance();
        assertThat(d.activeConnections() + d.inactiveConnections()).isEqualTo(8);
        assertThat(d.overloaded()).isTrue();
    }

    @Test
    void lowerThresholdClearsBelowIt() {
        IpvsTable t = table(KernelFlavor.CLASSIC);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 4, 2));
        List<Connection> conns = open(t, 4, 1000);
        assertThat(d.overloaded()).isTrue();
        conns.get(0).inbound(TcpFlags.RST, 0);
        conns.get(1).inbound(TcpFlags.RST, 0);
        ticker.advanceSeconds(10.5);
        t.runMaintenance();
        assertThat(d.overloaded()).isTrue(); // conns 2, not < 2
        conns.get(2).inbound(TcpFlags.RST, 0);
        ticker.advanceSeconds(10.5);
        t.runMaintenance();
        assertThat(d.overloaded()).isFalse();
    }

    @Test
    void classicEditClearsOnlyWhenUpperIsRemovedOrRaised() {
        IpvsTable t = table(KernelFlavor.CLASSIC);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 3, 0));
        open(t, 3, 1000);
        assertThat(d.overloaded()).isTrue();
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 2, 0));
        assertThat(d.overloaded()).isTrue();
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 5, 0));
        assertThat(d.overloaded()).isFalse();
        // a lowered upper threshold takes effect at the next bind
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 2, 0));
        assertThat(d.overloaded()).isFalse();
        // rr has only this server; the bind happens, then the flag is set
        assertThat(t.connect(tcp("1.1.1.1", 2000, "192.168.0.10", 80))).isNotNull();
        assertThat(d.overloaded()).isTrue();
    }

    @Test
    void templatesDoNotCountTowardsThresholds() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).build());
        t.addService(web, ServiceOptions.builder().scheduler("rr").persistenceTimeout(300).build());
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 2, 0));
        t.connect(tcp("1.1.1.1", 1000, "192.168.0.10", 80));
        assertThat(d.persistentConnections()).isEqualTo(1);
        assertThat(d.overloaded()).isFalse();
        t.connect(tcp("1.1.1.1", 1001, "192.168.0.10", 80));
        assertThat(d.overloaded()).isTrue();
        // the persisted client still gets through an overloaded server
        assertThat(t.connect(tcp("1.1.1.1", 1002, "192.168.0.10", 80))).isNotNull();
        assertThat(t.connect(tcp("2.2.2.2", 1002, "192.168.0.10", 80))).isNull();
    }

    @Test
    void totalconns2026HasHysteresisBetweenLowerAndUpper() {
        IpvsTable t = table(KernelFlavor.TOTALCONNS_2026);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 10, 0));
        List<Connection> conns = open(t, 10, 1000);
        assertThat(d.overloaded()).isTrue();
        // l_eff = 10 - 10/4 = 8: the unbind starting from 8 clears
        for (int i = 0; i < 2; i++) {
            conns.get(i).inbound(TcpFlags.RST, 0);
        }
        ticker.advanceSeconds(10.5);
        t.runMaintenance();
        assertThat(d.overloaded()).isTrue();
        conns.get(2).inbound(TcpFlags.RST, 0);
        ticker.advanceSeconds(10.5);
        t.runMaintenance();
        assertThat(d.activeConnections() + d.inactiveConnections()).isEqualTo(7);
        assertThat(d.overloaded()).isFalse();
    }

    @Test
    void totalconns2026EditReevaluatesAtOnce() {
        IpvsTable t = table(KernelFlavor.TOTALCONNS_2026);
        RealServer d = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 10, 0));
        open(t, 5, 1000);
        assertThat(d.overloaded()).isFalse();
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 4, 0));
        assertThat(d.overloaded()).isTrue();
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 6, 0));
        assertThat(d.overloaded()).isTrue(); // 5 is between l_eff 5 and u 6: kept
        t.editRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.ROUTE, 0, 0));
        assertThat(d.overloaded()).isFalse();
    }
}
