package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.ip;
import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.SchedulerFlags;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TcpFlags;
import io.lvs4j.core.TimeoutSettings;
import io.lvs4j.core.VirtualService;
import io.lvs4j.core.ipvsadm.Fixtures.FakeTicker;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.Kind;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.ListFlag;
import org.junit.jupiter.api.Test;

/** What the commands do to the table: defaults, edit semantics, option forms, -Z, --set. */
class CommandSemanticsTest {
    private final FakeTicker ticker = new FakeTicker();
    private final IpvsTable table = Fixtures.table(ticker);
    private final ServiceKey web = ServiceKey.tcp(ip("10.0.0.1"), 80);

    private VirtualService web() {
        return table.service(web);
    }

    private RealServer server(String address, int port) {
        return web().realServer(ip(address), port);
    }

    @Test
    void addServiceAppliesIpvsadmDefaults() {
        ok(table, "-A -t 10.0.0.1:80");
        assertThat(web().options()).isEqualTo(new ServiceOptions("wlc", 0, 0, ServiceOptions.FULL_NETMASK, false));
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1");
        RealServer d = server("10.0.1.1", 80);
        assertThat(d.options()).isEqualTo(new RealServerOptions(1, ForwardingMethod.ROUTE, 0, 0));
    }

    @Test
    void persistentWithoutValueMeans360AndAnOptionalValueIsTakenOnlyWhenItIsNotAnOption() {
        ok(table, "-A -t 10.0.0.1:80 -p");
        assertThat(web().options().persistenceTimeout()).isEqualTo(360);
        ok(table, "-E -t 10.0.0.1:80 -p 600 -s rr");
        assertThat(web().options().persistenceTimeout()).isEqualTo(600);
        assertThat(web().options().scheduler()).isEqualTo("rr");
        ok(table, "-E -t 10.0.0.1:80 -p -s rr");
        assertThat(web().options().persistenceTimeout()).isEqualTo(360);
        ok(table, "-E -t 10.0.0.1:80 -p45");
        assertThat(web().options().persistenceTimeout()).isEqualTo(45);
        ok(table, "-E -t 10.0.0.1:80 --persistent=30");
        assertThat(web().options().persistenceTimeout()).isEqualTo(30);
        ok(table, "-E --tcp-service 10.0.0.1:80 --persistent 31");
        assertThat(web().options().persistenceTimeout()).isEqualTo(31);
    }

    @Test
    void editServiceResetsEveryOmittedOption() {
        ok(table, "-A -t 10.0.0.1:80 -s sh -b sh-port,sh-fallback -p 600 -M 255.255.255.0");
        assertThat(web().options()).isEqualTo(new ServiceOptions("sh", SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2,
                600, 0xFFFFFF00, false));
        ok(table, "-E -t 10.0.0.1:80");
        assertThat(web().options()).isEqualTo(new ServiceOptions("wlc", 0, 0, ServiceOptions.FULL_NETMASK, false));
        assertThat(run(table, "-L -n").stdout()).endsWith("TCP  10.0.0.1:80 wlc\n");
    }

    @Test
    void editServerResetsEveryOmittedOptionAndKeepsTheScanOrder() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1 -i -w 5 -x 100 -y 20");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.2");
        RealServer before = server("10.0.1.1", 80);
        ok(table, "-e -t 10.0.0.1:80 -r 10.0.1.1");
        RealServer after = server("10.0.1.1", 80);
        assertThat(after).isSameAs(before);
        assertThat(after.options()).isEqualTo(RealServerOptions.defaults());
        assertThat(web().realServers()).extracting(RealServer::address)
                .containsExactly(ip("10.0.1.2"), ip("10.0.1.1"));
    }

    @Test
    void directRoutingAndTunnellingForceTheServiceButMasqueradingKeepsTheServerPort() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -g");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -i");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.3:8080 -m");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.4 -m");
        assertThat(web().realServers()).extracting(d -> d.address().getHostAddress() + ":" + d.port())
                .containsExactly("10.0.1.4:80", "10.0.1.3:8080", "10.0.1.2:80", "10.0.1.1:80");
        // a firewall-mark service has no port to force
        ok(table, "-A -f 3 -s rr");
        ok(table, "-a -f 3 -r 10.0.1.1:8080 -g");
        ok(table, "-a -f 3 -r 10.0.1.2");
        assertThat(table.service(ServiceKey.fwmark(3, false)).realServers())
                .extracting(d -> d.address().getHostAddress() + ":" + d.port())
                .containsExactly("10.0.1.2:0", "10.0.1.1:8080");
    }

    @Test
    void serverWithoutPortTakesTheServicePortGivenBeforeIt() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        // ipvsadm copies the service port when -r is read; -r before -t copies 0
        ok(table, "-a -r 10.0.1.1 -m -t 10.0.0.1:80");
        assertThat(server("10.0.1.1", 0)).isNotNull();
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1 -m");
        assertThat(server("10.0.1.1", 80)).isNotNull();
    }

    @Test
    void deleteServerDoesNotForceThePort() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m");
        ok(table, "-d -t 10.0.0.1:80 -r 10.0.1.1:8080");
        assertThat(web().realServers()).isEmpty();
    }

    @Test
    void longOptionsClustersAndPortNames() {
        ok(table, "--add-service --tcp-service 10.0.0.1:http --scheduler rr --persistent 100 --netmask 255.255.0.0");
        assertThat(web().options()).isEqualTo(new ServiceOptions("rr", 0, 100, 0xFFFF0000, false));
        ok(table, "--add-server --tcp-service=10.0.0.1:80 --real-server=10.0.1.1:www --masquerading --weight=7"
                + " --u-threshold 9 --l-threshold 3");
        assertThat(server("10.0.1.1", 80).options()).isEqualTo(new RealServerOptions(7, ForwardingMethod.MASQ, 9, 3));
        ok(table, "--edit-server -t 10.0.0.1:80 -r 10.0.1.1 --gatewaying -w3");
        assertThat(server("10.0.1.1", 80).options()).isEqualTo(new RealServerOptions(3, ForwardingMethod.ROUTE, 0, 0));
        ok(table, "-At 10.0.0.2:443 -s rr");
        assertThat(table.service(ServiceKey.tcp(ip("10.0.0.2"), 443))).isNotNull();
        ok(table, "--add-service --udp-service 10.0.0.1:domain --ops --scheduler rr");
        assertThat(table.service(ServiceKey.udp(ip("10.0.0.1"), 53)).options().onePacket()).isTrue();
        ok(table, "--add-service --sctp-service 10.0.0.1:3868 -s rr");
        assertThat(table.service(ServiceKey.sctp(ip("10.0.0.1"), 3868))).isNotNull();
        ok(table, "--add-service --fwmark-service 12 --ipv6 --sched-flags flag-2 -s wrr");
        assertThat(table.service(ServiceKey.fwmark(12, true)).options().schedulerFlags()).isEqualTo(SchedulerFlags.SCHED2);
        ok(table, "--delete-server -t 10.0.0.1:80 -r 10.0.1.1");
        ok(table, "--delete-service -t 10.0.0.2:443");
        assertThat(table.service(ServiceKey.tcp(ip("10.0.0.2"), 443))).isNull();
        assertThat(run(table, "-Ln").stdout()).isEqualTo(run(table, "--list --numeric").stdout());
        ok(table, "--clear");
        assertThat(table.services()).isEmpty();
    }

    @Test
    void addressFormsFollowInetAton() {
        ok(table, "-A -t 10.1:80 -s rr"); // inet_aton: 10.0.0.1
        ok(table, "-A -t 0x0a.0.0.2:80 -s rr");
        ok(table, "-A -t 012.0.0.3:80 -s rr"); // octal 012 = 10
        ok(table, "-A -t 167772164:80 -s rr"); // one 32-bit number: 10.0.0.4
        assertThat(table.services()).extracting(s -> s.key().address().getHostAddress())
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void schedulerNameIsCutAt15CharactersAndAnEmptyNameMeansWlc() {
        table.options().schedulers().register("abcdefghijklmno", o -> (s, f) -> null);
        ok(table, "-A -t 10.0.0.1:80 -s abcdefghijklmnopqrstuvwxyz");
        assertThat(web().options().scheduler()).isEqualTo("abcdefghijklmno");
        IpvsadmCommand c = Ipvsadm.parse("-A", "-t", "10.0.0.2:80", "-s", "");
        assertThat(c.serviceOptions().scheduler()).isEqualTo("wlc");
    }

    @Test
    void zeroClearsCountersOfAllOrOneService() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1 -m");
        ok(table, "-A -t 10.0.0.2:80 -s rr");
        ok(table, "-a -t 10.0.0.2:80 -r 10.0.1.2 -m");
        for (String vip : new String[] {"10.0.0.1", "10.0.0.2"}) {
            Connection c = table.connect(Flow.of(Protocol.TCP, ip("10.9.9.9"), 1000, ip(vip), 80), TcpFlags.SYN, 60);
            c.outbound(TcpFlags.SYN_ACK, 60);
        }
        ok(table, "-Z -t 10.0.0.1:80");
        assertThat(run(table, "-L -n --stats").stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.1:80                         0        0        0        0        0\n"
                + "  -> 10.0.1.1:80                         0        0        0        0        0\n"
                + "TCP  10.0.0.2:80                         1        1        1       60       60\n"
                + "  -> 10.0.1.2:80                         1        1        1       60       60\n");
        ok(table, "-Z");
        assertThat(table.service(ServiceKey.tcp(ip("10.0.0.2"), 80)).stats().snapshot().conns()).isZero();
        assertThat(table.stats().snapshot().inBytes()).isZero();
        // zeroing keeps the connections
        assertThat(table.connectionCount()).isEqualTo(2);
    }

    @Test
    void setChangesTheThreeTimeoutsAndZeroLeavesOneAlone() {
        assertThat(run(table, "-L --timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 900 120 300\n");
        ok(table, "--set 100 0 50");
        assertThat(table.timeouts()).isEqualTo(new TimeoutSettings(100, 120, 50));
        assertThat(run(table, "-L --timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 100 120 50\n");
        assertThat(run(table, "-l -n --timeout").stdout()).isEqualTo("Timeout (tcp tcpfin udp): 100 120 50\n");
    }

    @Test
    void listingDaemonsPrintsNothingBecauseNoneRun() {
        IpvsadmResult r = run(table, "-L --daemon");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void helpAndVersionGoToStandardOutputWithStatusZero() {
        IpvsadmResult v = run(table, "-v");
        assertThat(v.exitCode()).isZero();
        assertThat(v.stdout()).isEqualTo("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n");
        IpvsadmResult h = run(table, "--help anything after is ignored");
        assertThat(h.exitCode()).isZero();
        assertThat(h.stdout()).startsWith("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\nUsage:\n");
        assertThat(h.stderr()).isEmpty();
    }

    @Test
    void parsedCommandCarriesTheCompleteObject() {
        IpvsadmCommand c = Ipvsadm.parse("-e", "-t", "10.0.0.1:80", "-r", "10.0.1.1:8080", "-m", "-w", "0", "-x", "3",
                "-y", "4");
        assertThat(c.kind()).isEqualTo(Kind.EDIT_SERVER);
        assertThat(c.service()).isEqualTo(web);
        assertThat(c.server()).isEqualTo(new IpvsadmCommand.Server(ip("10.0.1.1"), 8080, ForwardingMethod.MASQ, 0, 3, 4,
                null));
        IpvsadmCommand l = Ipvsadm.parse("-L", "-n", "--stats", "--exact", "--nosort");
        assertThat(l.listFlags()).containsExactlyInAnyOrder(ListFlag.NUMERIC, ListFlag.STATS, ListFlag.EXACT,
                ListFlag.NOSORT);
        IpvsadmCommand s = Ipvsadm.parse("--set", "1", "2", "3");
        assertThat(s.timeouts()).isEqualTo(new TimeoutSettings(1, 2, 3));
        // parse and execute separately give the same result as run
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        IpvsadmResult r = Ipvsadm.execute(table, Ipvsadm.parse("-a", "-t", "10.0.0.1:80", "-r", "10.0.1.1", "-w", "9"), null);
        assertThat(r.exitCode()).isZero();
        assertThat(server("10.0.1.1", 80).weight()).isEqualTo(9);
    }

    @Test
    void ipv6NetmaskIsReadAsPrefixOnlyAfterTheServiceIsKnownToBeIpv6() {
        ok(table, "-A -t [2001:db8::1]:80 -p -M 64");
        assertThat(table.service(ServiceKey.tcp(ip("2001:db8::1"), 80)).options().netmask()).isEqualTo(64);
        // before the IPv6 address is read, -M is an IPv4 mask; the IPv6 address then resets it to /128
        ok(table, "-A -p -M 64 -t [2001:db8::2]:80");
        assertThat(table.service(ServiceKey.tcp(ip("2001:db8::2"), 80)).options().netmask()).isEqualTo(io.lvs4j.core.ServiceOptions.FULL_NETMASK);
        // and for IPv4, "-M 64" is inet_aton's 0.0.0.64
        ok(table, "-A -t 10.0.0.5:80 -p -M 64");
        assertThat(table.service(ServiceKey.tcp(ip("10.0.0.5"), 80)).options().netmask()).isEqualTo(64);
        assertThat(run(table, "-L -n -t 10.0.0.5:80").stdout()).endsWith("TCP  10.0.0.5:80 wlc persistent 360 mask 0.0.0.64\n");
    }

    @Test
    void zeroMaskMakesOneTemplateForEveryClient() {
        ok(table, "-A -t 10.0.0.1:80 -s rr -p 60 -M 0.0.0.0");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m");
        assertThat(web().options().netmask()).isZero();
        assertThat(run(table, "-L -n").stdout()).contains("TCP  10.0.0.1:80 rr persistent 60 mask 0.0.0.0\n");
        io.lvs4j.core.Connection a = table.connect(io.lvs4j.core.Flow.of(io.lvs4j.core.Protocol.TCP, ip("1.2.3.4"), 1000, ip("10.0.0.1"), 80));
        io.lvs4j.core.Connection b = table.connect(io.lvs4j.core.Flow.of(io.lvs4j.core.Protocol.TCP, ip("200.9.9.9"), 1000, ip("10.0.0.1"), 80));
        assertThat(b.realServer()).isSameAs(a.realServer());
        assertThat(a.controller().clientAddress()).isEqualTo(ip("0.0.0.0"));
    }
}
