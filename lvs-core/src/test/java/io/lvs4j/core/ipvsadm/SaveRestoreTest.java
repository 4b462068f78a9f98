package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.fingerprint;
import static io.lvs4j.core.ipvsadm.Fixtures.ip;
import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.restore;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TimeoutSettings;
import io.lvs4j.core.VirtualService;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code -S} reads back through {@code -R}; {@code -R} is all-or-nothing. */
class SaveRestoreTest {
    private static final String TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";

    private final IpvsTable table = Fixtures.table();

    private void variedTable(IpvsTable t) {
        ok(t, "-A -t 192.168.0.10:80 -s wlc -p 600 -M 255.255.255.0");
        ok(t, "-a -t 192.168.0.10:80 -r 10.0.0.1:8080 -m -w 3");
        ok(t, "-a -t 192.168.0.10:80 -r 10.0.0.2 -g -w 0");
        ok(t, "-a -t 192.168.0.10:80 -r 10.0.0.3 -i -w 65535");
        ok(t, "-A -u 192.168.0.10:53 -s rr -o");
        ok(t, "-a -u 192.168.0.10:53 -r 10.0.0.5:53 -m");
        ok(t, "-A -t 192.168.0.10:0 -s sh -p -b sh-fallback,sh-port");
        ok(t, "-a -t 192.168.0.10:0 -r 10.0.0.6 -g");
        ok(t, "-A -f 7 -s mh -b mh-port -p 30");
        ok(t, "-a -f 7 -r 10.0.0.7:443 -m");
        ok(t, "-A -f 8 -6 -s wrr -p 100 -M 56");
        ok(t, "-a -f 8 -6 -r [2001:db8::8]:80 -m -w 4");
        ok(t, "-a -f 8 -6 -r 10.0.0.8 -i");
        ok(t, "-A -t [2001:db8::1]:443 -s lc -p -M 64");
        ok(t, "-a -t [2001:db8::1]:443 -r [2001:db8::11]:8443 -m -w 2");
        ok(t, "-A --sctp-service 192.168.0.10:3868 -s rr");
        ok(t, "-a --sctp-service 192.168.0.10:3868 -r 10.0.0.9 -g");
        ok(t, "-A -t 192.168.0.11:80 -s wrr -b flag-1,flag-3");
    }

    /** Every service's options and every server's options, keyed by text, for a field-by-field comparison. */
    private static Map<String, Object> model(IpvsTable t) {
        Map<String, Object> m = new TreeMap<>();
        for (VirtualService svc : t.services()) {
            m.put(svc.key().toString(), svc.options());
            for (RealServer d : svc.realServers()) {
                m.put(svc.key() + " -> " + d, d.options());
            }
        }
        return m;
    }

    @Test
    void saveReadsBackThroughRestoreToTheSameTable() {
        variedTable(table);
        String dump = run(table, "-S -n").stdout();
        Map<String, Object> before = model(table);
        assertThat(before).hasSize(18);
        ok(table, "-C");
        assertThat(table.services()).isEmpty();
        IpvsadmResult r = restore(table, dump);
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(run(table, "-S -n").stdout()).isEqualTo(dump);
        assertThat(model(table)).isEqualTo(before);
        assertThat(table.service(ServiceKey.fwmark(8, true)).options())
                .isEqualTo(new ServiceOptions("wrr", 0, 100, 56, false));
        assertThat(table.service(ServiceKey.tcp(ip("192.168.0.10"), 80)).options())
                .isEqualTo(new ServiceOptions("wlc", 0, 600, 0xFFFFFF00, false));
    }

    @Test
    void saveWithNamesAlsoReadsBack() {
        variedTable(table);
        String numeric = run(table, "-S -n").stdout();
        String named = run(table, "-S").stdout();
        assertThat(named).contains("-A -t 192.168.0.10:http -s wlc -p 600 -M 255.255.255.0\n");
        ok(table, "-C");
        assertThat(restore(table, named).exitCode()).isZero();
        assertThat(run(table, "-S -n").stdout()).isEqualTo(numeric);
    }

    @Test
    void restoredServersAreInReverseSortedScanOrderAndThresholdsAreNotSaved() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1 -x 50 -y 10");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.3");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.2");
        String dump = run(table, "-S -n").stdout();
        ok(table, "-C");
        ok(table, "-R"); // empty input: nothing
        assertThat(restore(table, dump).exitCode()).isZero();
        VirtualService svc = table.service(ServiceKey.tcp(ip("10.0.0.1"), 80));
        // -S wrote them sorted; each -a puts a server at the head
        assertThat(svc.realServers()).extracting(d -> d.address().getHostAddress())
                .containsExactly("10.0.1.3", "10.0.1.2", "10.0.1.1");
        assertThat(svc.realServer(ip("10.0.1.1"), 80).options()).isEqualTo(RealServerOptions.defaults());
    }

    @Test
    void refusedLineRollsBackEveryEarlierLine() {
        variedTable(table);
        ok(table, "-a -t 192.168.0.11:80 -r 10.0.2.1 -x 9 -y 3");
        ok(table, "--set 1000 100 200");
        VirtualService untouched = table.service(ServiceKey.udp(ip("192.168.0.10"), 53));
        VirtualService web = table.service(ServiceKey.tcp(ip("192.168.0.10"), 80));
        RealServer masq = web.realServer(ip("10.0.0.1"), 8080);
        Connection c = table.connect(Flow.of(Protocol.TCP, ip("172.16.1.1"), 5555, ip("192.168.0.10"), 80));
        RealServer busy = c.realServer();
        String before = fingerprint(table);
        String input = ""
                + "-A -t 10.9.9.9:80 -s rr\n"
                + "-a -t 10.9.9.9:80 -r 10.9.9.10\n"
                + "-e -t 192.168.0.10:80 -r 10.0.0.1:8080 -m -w 9\n"
                + "-d -t 192.168.0.10:80 -r " + busy.address().getHostAddress() + ":" + busy.port() + "\n"
                + "-E -t 192.168.0.11:80 -s rr\n"
                + "-e -t 192.168.0.11:80 -r 10.0.2.1\n"
                + "-D -f 7\n"
                + "--set 1 2 3\n"
                + "-a -t 10.8.8.8:80 -r 10.8.8.9\n"
                + "-A -t 10.7.7.7:80 -s rr\n";
        IpvsadmResult r = restore(table, input);
        assertThat(r.stderr()).isEqualTo("Service not defined\n");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(fingerprint(table)).isEqualTo(before);
        assertThat(table.timeouts()).isEqualTo(new TimeoutSettings(1000, 100, 200));
        assertThat(table.service(ServiceKey.tcp(ip("10.9.9.9"), 80))).isNull();
        assertThat(table.service(ServiceKey.tcp(ip("10.7.7.7"), 80))).isNull();
        // what was not changed keeps its objects; a deleted server comes back with its connection
        assertThat(table.service(ServiceKey.udp(ip("192.168.0.10"), 53))).isSameAs(untouched);
        assertThat(table.service(ServiceKey.tcp(ip("192.168.0.10"), 80))).isSameAs(web);
        assertThat(web.realServer(ip("10.0.0.1"), 8080)).isSameAs(masq);
        RealServer back = web.realServer(busy.address(), busy.port());
        assertThat(back).isSameAs(busy);
        assertThat(back.inactiveConnections() + back.activeConnections()).isEqualTo(1);
        assertThat(web.realServers()).extracting(RealServer::toString)
                .containsExactly("10.0.0.3:80", "10.0.0.2:80", "10.0.0.1:8080");
        assertThat(table.service(ServiceKey.tcp(ip("192.168.0.11"), 80)).realServer(ip("10.0.2.1"), 80).options())
                .isEqualTo(new RealServerOptions(1, ForwardingMethod.ROUTE, 9, 3));
    }

    @Test
    void refusedLineAfterAClearRestoresEverythingInItsOrder() {
        variedTable(table);
        String before = fingerprint(table);
        IpvsadmResult r = restore(table, "-C\n-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n");
        assertThat(r.stderr()).isEqualTo("Service already exists\n");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(fingerprint(table)).isEqualTo(before);
    }

    @Test
    void lineThatDoesNotParseStopsTheRestoreBeforeAnythingIsApplied() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        String before = fingerprint(table);
        IpvsadmResult r = restore(table, "-L -n\n-a -t 10.0.0.1:80 -r 10.0.1.1\n-a -t 10.0.0.1:80 -r 10.0.1.2 -w 70000\n");
        assertThat(r.stderr()).isEqualTo("illegal weight specified\n");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(fingerprint(table)).isEqualTo(before);
    }

    @Test
    void commentLinesAreNotSkippedByRestore() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        String before = fingerprint(table);
        IpvsadmResult r = restore(table, "-a -t 10.0.0.1:80 -r 10.0.1.1\n# a comment\n");
        assertThat(r.stderr()).isEqualTo(TRY);
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(fingerprint(table)).isEqualTo(before);
    }

    @Test
    void restoreInsideRestoreIsRefused() {
        IpvsadmResult r = restore(table, "-A -t 10.0.0.1:80 -s rr\n-R\n");
        assertThat(r.stderr()).isEqualTo(TRY);
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(table.services()).isEmpty();
        assertThat(run(table, "-R -n").stderr()).isEqualTo("Illegal 'numeric' option with the 'restore' command\n");
    }

    @Test
    void inputIsSplitOnBlanksTabsAndCarriageReturnsAndTheWordIpvsadmIsDropped() {
        IpvsadmResult r = restore(table, "ipvsadm -A -t 10.0.0.1:80 -s rr\r\n\n  \t\n"
                + "-a\t-t 10.0.0.1:80   -r 10.0.1.1 -w 4\n"
                + "ipvsadm\n"
                + "-L -n -t 10.0.0.1:80");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 10.0.1.1:80                  Route   4      0          0         \n");
    }

    @Test
    void blanksBeforeTheEndOfInputWithoutANewlineDropTheLastLine() {
        IpvsadmResult r = restore(table, "-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.2:80 -s rr \t");
        assertThat(r.exitCode()).isZero();
        assertThat(table.services()).extracting(s -> s.key().address().getHostAddress()).containsExactly("10.0.0.1");
    }
}
