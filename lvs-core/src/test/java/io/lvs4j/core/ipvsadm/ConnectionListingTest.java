package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.ip;
import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.TcpFlags;
import io.lvs4j.core.ipvsadm.Fixtures.FakeTicker;
import org.junit.jupiter.api.Test;

/** {@code ipvsadm -L -c} (spec §6.5) with a fake clock. */
class ConnectionListingTest {
    private static final String HEAD = "IPVS connection entries\n"
            + "pro expire state       source             virtual            destination\n";

    private final FakeTicker ticker = new FakeTicker();
    private final IpvsTable table = Fixtures.table(ticker);

    private Connection tcp(String client, int port, String vip, int vport) {
        return table.connect(Flow.of(Protocol.TCP, ip(client), port, ip(vip), vport));
    }

    @Test
    void establishedConnectionShowsMinutesAndSecondsLeft() {
        ok(table, "-A -t 192.168.0.10:80 -s rr");
        ok(table, "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -m");
        Connection c = tcp("10.1.1.1", 51234, "192.168.0.10", 80);
        c.outbound(TcpFlags.SYN_ACK, 0);
        c.inbound(TcpFlags.ACK, 0); // ESTABLISHED: 900 s
        ticker.advanceSeconds(1.5);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "TCP 14:58  ESTABLISHED 10.1.1.1:51234     192.168.0.10:80    192.168.0.21:80\n");
        assertThat(run(table, "-L -c").stdout()).isEqualTo(HEAD
                + "TCP 14:58  ESTABLISHED 10.1.1.1:51234     192.168.0.10:http  192.168.0.21:http\n");
    }

    @Test
    void persistenceTemplateShowsTheMaskedClientAndPortZero() {
        ok(table, "-A -t 192.168.0.10:80 -s rr -p -M 255.255.255.0");
        ok(table, "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -m");
        tcp("10.1.1.1", 51234, "192.168.0.10", 80); // SYN_RECV: 60 s; template: 360 s
        ticker.advanceSeconds(0.5);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "TCP 00:59  SYN_RECV    10.1.1.1:51234     192.168.0.10:80    192.168.0.21:80\n"
                + "TCP 05:59  NONE        10.1.1.0:0         192.168.0.10:80    192.168.0.21:80\n");
    }

    @Test
    void udpEntryAndItsState() {
        ok(table, "-A -u 192.168.0.10:53 -s rr");
        ok(table, "-a -u 192.168.0.10:53 -r 10.0.0.5:53 -m");
        table.connect(Flow.of(Protocol.UDP, ip("10.1.1.1"), 40000, ip("192.168.0.10"), 53));
        ticker.advanceSeconds(3);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "UDP 04:57  UDP         10.1.1.1:40000     192.168.0.10:53    10.0.0.5:53\n");
    }

    @Test
    void minutesGoBeyondNinetyNine() {
        ok(table, "--set 6060 0 0");
        ok(table, "-A -t 192.168.0.10:80 -s rr");
        ok(table, "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -m");
        Connection c = tcp("10.1.1.1", 51234, "192.168.0.10", 80);
        c.outbound(TcpFlags.SYN_ACK, 0);
        c.inbound(TcpFlags.ACK, 0);
        ticker.advanceSeconds(1);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "TCP 100:59 ESTABLISHED 10.1.1.1:51234     192.168.0.10:80    192.168.0.21:80\n");
    }

    @Test
    void overdueEntryNotYetCollectedShowsZero() {
        ok(table, "-A -u 192.168.0.10:53 -s rr");
        ok(table, "-a -u 192.168.0.10:53 -r 10.0.0.5:53 -m");
        table.connect(Flow.of(Protocol.UDP, ip("10.1.1.1"), 40000, ip("192.168.0.10"), 53));
        ticker.advanceSeconds(301);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "UDP 00:00  UDP         10.1.1.1:40000     192.168.0.10:53    10.0.0.5:53\n");
        table.runMaintenance();
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD);
    }

    @Test
    void firewallMarkTemplateShowsProtocolIpAndTheMarkAsAddress() {
        ok(table, "-A -f 1 -s rr -p");
        ok(table, "-a -f 1 -r 10.0.0.7:0 -i");
        table.connect(table.service(ServiceKey.fwmark(1, false)),
                Flow.of(Protocol.TCP, ip("10.1.1.1"), 1234, ip("192.168.0.10"), 80), TcpFlags.SYN, 0);
        ticker.advanceSeconds(0.5);
        assertThat(run(table, "-L -n -c").stdout()).isEqualTo(HEAD
                + "TCP 00:59  SYN_RECV    10.1.1.1:1234      192.168.0.10:80    10.0.0.7:80\n"
                + "IP  05:59  NONE        10.1.1.1:0         0.0.0.1:0          10.0.0.7:0\n");
    }

    @Test
    void ipv6FirewallMarkTemplateCarriesTheMarkInTheFirstWord() {
        ok(table, "-A -f 2 -6 -s rr -p -M 64");
        ok(table, "-a -f 2 -6 -r [2001:db8::7]:0 -i");
        table.connect(table.service(ServiceKey.fwmark(2, true)),
                Flow.of(Protocol.TCP, ip("2001:db8:1::5"), 1234, ip("2001:db8::10"), 80), TcpFlags.SYN, 0);
        String out = run(table, "-L -n -c").stdout();
        assertThat(out).startsWith(HEAD);
        assertThat(out.lines().filter(l -> l.startsWith("IP "))).containsExactly(
                "IP  06:00  NONE        [2001:db8:1::]:0   [0:2::]:0          [2001:db8::7]:0");
        assertThat(out.lines().filter(l -> l.startsWith("TCP "))).containsExactly(
                "TCP 01:00  SYN_RECV    [2001:db8:1::5]:1234 [2001:db8::10]:80  [2001:db8::7]:80");
    }

    @Test
    void persistentConnOptionAddsPersistenceEngineColumnsToTheTitle() {
        assertThat(run(table, "-L -n -c --persistent-conn").stdout()).isEqualTo("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination        pe name          pe_data\n");
    }
}
