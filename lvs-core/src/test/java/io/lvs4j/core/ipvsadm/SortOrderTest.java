package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.IpvsTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ipvsadm's default order, its int-subtraction quirk, and --nosort (spec §6.1). */
class SortOrderTest {
    private final IpvsTable table = Fixtures.table();

    private List<String> serviceLines(String options) {
        return run(table, "-L -n" + options).stdout().lines().skip(3).filter(l -> !l.startsWith("  ->")).toList();
    }

    private List<String> serverLines(String options) {
        return run(table, "-L -n" + options).stdout().lines().skip(3).filter(l -> l.startsWith("  ->"))
                .map(l -> l.substring(5).trim().split(" ")[0]).toList();
    }

    @Test
    void addressesThatDifferByTwoToTheThirtyOneCompareInverted() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-A -t 192.168.0.1:80 -s rr");
        ok(table, "-A -t 10.0.0.2:80 -s rr");
        assertThat(serviceLines("")).containsExactly(
                "TCP  192.168.0.1:80 rr", "TCP  10.0.0.1:80 rr", "TCP  10.0.0.2:80 rr");
        assertThat(serviceLines(" --nosort")).containsExactly(
                "TCP  10.0.0.1:80 rr", "TCP  192.168.0.1:80 rr", "TCP  10.0.0.2:80 rr");
    }

    @Test
    void serversSortByAddressWithTheSameQuirkThenPortAndNosortShowsScanOrder() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1:81 -m");
        ok(table, "-a -t 10.0.0.1:80 -r 192.168.1.1:80 -m");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m");
        ok(table, "-a -t 10.0.0.1:80 -r 10.0.1.0:9000 -m");
        assertThat(serverLines("")).containsExactly(
                "192.168.1.1:80", "10.0.1.0:9000", "10.0.1.1:80", "10.0.1.1:81");
        // kernel scan order: newest first
        assertThat(serverLines(" --nosort")).containsExactly(
                "10.0.1.0:9000", "10.0.1.1:80", "192.168.1.1:80", "10.0.1.1:81");
    }

    @Test
    void nonTransitiveComparisonsAreResolvedAsGlibcMergeSortDoes() {
        // 1.0.0.1 < 96.0.0.1 < 192.0.0.1 < 1.0.0.1 under int subtraction: the order depends on the input
        ok(table, "-A -t 192.0.0.1:80 -s rr");
        ok(table, "-A -t 96.0.0.1:80 -s rr");
        ok(table, "-A -t 1.0.0.1:80 -s rr");
        assertThat(serviceLines("")).containsExactly(
                "TCP  192.0.0.1:80 rr", "TCP  1.0.0.1:80 rr", "TCP  96.0.0.1:80 rr");
        IpvsTable other = Fixtures.table();
        ok(other, "-A -t 1.0.0.1:80 -s rr");
        ok(other, "-A -t 96.0.0.1:80 -s rr");
        ok(other, "-A -t 192.0.0.1:80 -s rr");
        assertThat(run(other, "-L -n").stdout().lines().skip(3).toList()).containsExactly(
                "TCP  1.0.0.1:80 rr", "TCP  96.0.0.1:80 rr", "TCP  192.0.0.1:80 rr");
    }

    @Test
    void protocolsFamiliesAndFirewallMarks() {
        ok(table, "-A -f 2 -s rr");
        ok(table, "-A --sctp-service 10.0.0.1:80 -s rr");
        ok(table, "-A -u 10.0.0.1:80 -s rr");
        ok(table, "-A -t [2001:db8::1]:80 -s rr");
        ok(table, "-A -t 10.0.0.1:81 -s rr");
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-A -f 1 -6 -s rr");
        ok(table, "-A -f 1 -s rr");
        assertThat(serviceLines("")).containsExactly(
                "TCP  10.0.0.1:80 rr",
                "TCP  10.0.0.1:81 rr",
                "UDP  10.0.0.1:80 rr",
                "SCTP 10.0.0.1:80 rr",
                "TCP  [2001:db8::1]:80 rr",
                "FWM  1 rr",
                "FWM  1 IPv6 rr",
                "FWM  2 rr");
    }

    @Test
    void aFirewallMarkOfTwoToTheThirtyOneOrMoreSortsBeforeAddressServices() {
        ok(table, "-A -t 10.0.0.1:80 -s rr");
        ok(table, "-A -f 2147483649 -s rr");
        // 0 - 0x80000001 is positive as an int, 0x80000001 - 0 negative
        assertThat(serviceLines("")).containsExactly("FWM  2147483649 rr", "TCP  10.0.0.1:80 rr");
        assertThat(serviceLines(" --nosort")).containsExactly("TCP  10.0.0.1:80 rr", "FWM  2147483649 rr");
    }

    @Test
    void glibcMergeSortKeepsEqualElementsInTheirOrder() {
        List<String> input = List.of("b1", "a1", "b2", "a2", "c1", "a3");
        List<String> sorted = EntryOrder.sorted(input, (x, y) -> x.charAt(0) - y.charAt(0));
        assertThat(sorted).containsExactly("a1", "a2", "a3", "b1", "b2", "c1");
    }
}
