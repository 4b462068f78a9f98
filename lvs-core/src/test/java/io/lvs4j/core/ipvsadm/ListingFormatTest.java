package io.lvs4j.core.ipvsadm;

import static io.lvs4j.core.ipvsadm.Fixtures.ip;
import static io.lvs4j.core.ipvsadm.Fixtures.ok;
import static io.lvs4j.core.ipvsadm.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Protocol;
import io.lvs4j.core.RateSnapshot;
import io.lvs4j.core.TableOptions;
import io.lvs4j.core.TcpFlags;
import io.lvs4j.core.ipvsadm.Fixtures.FakeTicker;
import org.junit.jupiter.api.Test;

/** Byte-exact listings (spec §6.2-6.4, §6.7) and the listings of the source documents. */
class ListingFormatTest {
    private static final String HEADER = "IP Virtual Server version 1.2.1 (size=4096)\n";
    private static final String TITLE = "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";

    private final FakeTicker ticker = new FakeTicker();

    /** The table of spec §6.2, built with ipvsadm commands and driven to its connection counts. */
    private IpvsTable specTable() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 192.168.0.10:80 -s wlc -p -M 255.255.255.0");
        ok(t, "-a -t 192.168.0.10:80 -r 192.168.0.22:8080 -m -w 2");
        ok(t, "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -g -w 1");
        ok(t, "-A -u 192.168.0.10:53 -s rr");
        ok(t, "-a -u 192.168.0.10:53 -r 10.0.0.5:53 -m");
        ok(t, "-A -f 1 -s sh -b sh-fallback,sh-port");
        ok(t, "-a -f 1 -r 10.0.0.7:0 -i");
        // one /24 of clients: one template on .21 (first in scan order, both idle); 3 stay in
        // SYN_RECV (active), 10 are established and reset (CLOSE, inactive)
        for (int i = 0; i < 13; i++) {
            Connection c = t.connect(Flow.of(Protocol.TCP, ip("10.1.1." + (i + 1)), 40000 + i, ip("192.168.0.10"), 80));
            assertThat(c.realServer().address()).isEqualTo(ip("192.168.0.21"));
            if (i >= 3) {
                c.inbound(TcpFlags.ACK, 0); // ESTABLISHED
                c.inbound(TcpFlags.RST, 0); // CLOSE
            }
        }
        for (int i = 0; i < 4; i++) {
            t.connect(Flow.of(Protocol.UDP, ip("10.2.0." + (i + 1)), 5353, ip("192.168.0.10"), 53));
        }
        // one-packet scheduling switched on afterwards: the four UDP entries stay
        ok(t, "-E -u 192.168.0.10:53 -s rr -o");
        return t;
    }

    @Test
    void listNumericIsTheSpecExampleByteForByte() {
        IpvsTable t = specTable();
        IpvsadmResult r = run(t, "-L -n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEqualTo(""
                + "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  192.168.0.10:80 wlc persistent 360 mask 255.255.255.0\n"
                + "  -> 192.168.0.21:80              Route   1      3          10        \n"
                + "  -> 192.168.0.22:8080            Masq    2      0          0         \n"
                + "UDP  192.168.0.10:53 rr ops\n"
                + "  -> 10.0.0.5:53                  Masq    1      0          4         \n"
                + "FWM  1 sh (sh-fallback,sh-port)\n"
                + "  -> 10.0.0.7:0                   Tunnel  1      0          0         \n");
    }

    @Test
    void saveIsTheSpecExampleByteForByte() {
        IpvsTable t = specTable();
        IpvsadmResult r = run(t, "-S -n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(""
                + "-A -t 192.168.0.10:80 -s wlc -p 360 -M 255.255.255.0\n"
                + "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -g -w 1\n"
                + "-a -t 192.168.0.10:80 -r 192.168.0.22:8080 -m -w 2\n"
                + "-A -u 192.168.0.10:53 -s rr -o\n"
                + "-a -u 192.168.0.10:53 -r 10.0.0.5:53 -m -w 1\n"
                + "-A -f 1 -s sh -b sh-fallback,sh-port\n"
                + "-a -f 1 -r 10.0.0.7:0 -i -w 1 --tun-type ipip\n");
    }

    @Test
    void saveWithoutNumericNamesPortsButNotFirewallMarkServerPorts() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 192.168.0.10:80 -s rr");
        ok(t, "-a -t 192.168.0.10:80 -r 10.0.0.1 -m");
        ok(t, "-A -u 192.168.0.10:53 -s rr");
        ok(t, "-a -u 192.168.0.10:53 -r 10.0.0.2:53 -m");
        ok(t, "-A -f 7 -s rr");
        ok(t, "-a -f 7 -r 10.0.0.3:80 -m");
        assertThat(run(t, "-S").stdout()).isEqualTo(""
                + "-A -t 192.168.0.10:http -s rr\n"
                + "-a -t 192.168.0.10:http -r 10.0.0.1:http -m -w 1\n"
                + "-A -u 192.168.0.10:domain -s rr\n"
                + "-a -u 192.168.0.10:domain -r 10.0.0.2:domain -m -w 1\n"
                + "-A -f 7 -s rr\n"
                + "-a -f 7 -r 10.0.0.3:80 -m -w 1\n");
    }

    @Test
    void thresholdsAndPersistentConnListings() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 192.168.0.10:80 -s rr -p");
        ok(t, "-a -t 192.168.0.10:80 -r 192.168.0.21:80 -x 100");
        // 7 client networks, one template each; 3 connections stay active, 10 are reset
        for (int i = 0; i < 13; i++) {
            Connection c = t.connect(Flow.of(Protocol.TCP, ip("10.1." + (i % 7) + ".1"), 40000 + i,
                    ip("192.168.0.10"), 80));
            if (i >= 3) {
                c.inbound(TcpFlags.ACK, 0); // ESTABLISHED
                c.inbound(TcpFlags.RST, 0); // CLOSE
            }
        }
        assertThat(run(t, "-L -n --thresholds").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  192.168.0.10:80 rr persistent 360\n"
                + "  -> 192.168.0.21:80              100        0          3          10        \n");
        assertThat(run(t, "-L -n --persistent-conn").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  192.168.0.10:80 rr persistent 360\n"
                + "  -> 192.168.0.21:80              1         7           3          10        \n");
    }

    @Test
    void seedListNumericWithMasqueradingServers() {
        // 001: ipvsadm -A -t 192.168.222.131:80 -s rr; -a ... -r 192.168.2.130 -m; -a ... -r 192.168.2.129 -m
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-C");
        ok(t, "-A -t 192.168.222.131:80 -s rr");
        ok(t, "-a -t 192.168.222.131:80 -r 192.168.2.130 -m");
        ok(t, "-a -t 192.168.222.131:80 -r 192.168.2.129 -m");
        // rr starts at the head of the scan order: the newest server, .129
        t.connect(Flow.of(Protocol.TCP, ip("192.168.222.1"), 50000, ip("192.168.222.131"), 80));
        assertThat(run(t, "-L -n").stdout()).isEqualTo(HEADER + TITLE
                + "TCP  192.168.222.131:80 rr\n"
                + "  -> 192.168.2.129:80             Masq    1      1          0         \n"
                + "  -> 192.168.2.130:80             Masq    1      0          0         \n");
    }

    /** 001's service with traffic sent to one server at a time (the other quiesced). */
    private IpvsTable seedStatsTable(int[][] perServer) {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 192.168.222.131:80 -s rr");
        ok(t, "-a -t 192.168.222.131:80 -r 192.168.2.130 -m");
        ok(t, "-a -t 192.168.222.131:80 -r 192.168.2.129 -m");
        String[] servers = {"192.168.2.129", "192.168.2.130"};
        int port = 20000;
        for (int s = 0; s < 2; s++) {
            ok(t, "-e -t 192.168.222.131:80 -r " + servers[s] + " -m -w 1");
            ok(t, "-e -t 192.168.222.131:80 -r " + servers[1 - s] + " -m -w 0");
            int[] v = perServer[s]; // conns, inPkts, outPkts, inBytes, outBytes
            Connection first = null;
            for (int i = 0; i < v[0]; i++) {
                Connection c = t.connect(Flow.of(Protocol.TCP, ip("172.16.0.9"), port++, ip("192.168.222.131"), 80));
                assertThat(c.realServer().address()).isEqualTo(ip(servers[s]));
                first = first == null ? c : first;
            }
            for (int i = v[0]; i < v[1] - 1; i++) {
                first.inbound(TcpFlags.ACK, 0);
            }
            first.inbound(TcpFlags.ACK, v[3]);
            for (int i = 0; i < v[2] - 1; i++) {
                first.outbound(TcpFlags.ACK, 0);
            }
            first.outbound(TcpFlags.ACK, v[4]);
        }
        ok(t, "-e -t 192.168.222.131:80 -r 192.168.2.130 -m -w 1");
        ok(t, "-e -t 192.168.222.131:80 -r 192.168.2.129 -m -w 1");
        return t;
    }

    @Test
    void seedStatsListingWithServiceNames() {
        IpvsTable t = seedStatsTable(new int[][] {{32, 178, 83, 31215, 13069}, {18, 85, 51, 15058, 7450}});
        assertThat(run(t, "-L --stats").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  192.168.222.131:http               50      263      134    46273    20519\n"
                + "  -> 192.168.2.129:http                 32      178       83    31215    13069\n"
                + "  -> 192.168.2.130:http                 18       85       51    15058     7450\n");
    }

    @Test
    void seedRateListingAfterOneEstimatorPeriod() {
        // one 2-second period of traffic; the EWMA starts from 0, so avg = rate / 4:
        // svc inPPS (8<<9)/4 = 1024 -> 1; inBPS (1728<<4)/4 = 6912 -> 216; outBPS 696 -> 87
        IpvsTable t = seedStatsTable(new int[][] {{2, 6, 2, 1696, 680}, {1, 2, 1, 32, 16}});
        ticker.advanceSeconds(2);
        t.runMaintenance();
        assertThat(run(t, "-L --rate").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  192.168.222.131:http                0        1        0      216       87\n"
                + "  -> 192.168.2.129:http                  0        1        0      212       85\n"
                + "  -> 192.168.2.130:http                  0        0        0        4        2\n");
    }

    @Test
    void seedEditOfSchedulerAndWeightShowsInTheNamedListing() {
        // 000: -A -t $vip:80 -s rr; -a -r $rs1 -g -w 1; -a -r $rs2 -g -w 1; then -E -s wrr and -e -w 3.
        // ipvsadm printed the servers as test2/test3 from /etc/hosts: lvs4j prints addresses.
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.102.110:80 -s rr");
        ok(t, "-a -t 10.0.102.110:80 -r 10.0.102.214 -g -w 1");
        ok(t, "-a -t 10.0.102.110:80 -r 10.0.102.204 -g -w 1");
        assertThat(run(t, "-L").stdout()).isEqualTo(HEADER + TITLE
                + "TCP  10.0.102.110:http rr\n"
                + "  -> 10.0.102.204:http            Route   1      0          0         \n"
                + "  -> 10.0.102.214:http            Route   1      0          0         \n");
        // ten DR connections alternate between the two, and end in FIN_WAIT (inactive)
        for (int i = 0; i < 10; i++) {
            Connection c = t.connect(Flow.of(Protocol.TCP, ip("10.0.100.5"), 30000 + i, ip("10.0.102.110"), 80));
            c.inbound(TcpFlags.ACK, 0);
            c.inbound(TcpFlags.FIN_ACK, 0);
        }
        ok(t, "-E -t 10.0.102.110:80 -s wrr");
        ok(t, "-e -t 10.0.102.110:80 -r 10.0.102.204:80 -g -w 3");
        assertThat(run(t, "-L").stdout()).isEqualTo(HEADER + TITLE
                + "TCP  10.0.102.110:http wrr\n"
                + "  -> 10.0.102.204:http            Route   3      0          5         \n"
                + "  -> 10.0.102.214:http            Route   1      0          5         \n");
    }

    @Test
    void listingOneServiceHasTitleButNoVersionHeader() {
        IpvsTable t = specTable();
        IpvsadmResult r = run(t, "-L -n -u 192.168.0.10:53");
        assertThat(r.stdout()).isEqualTo(TITLE
                + "UDP  192.168.0.10:53 rr ops\n"
                + "  -> 10.0.0.5:53                  Masq    1      0          4         \n");
        assertThat(run(t, "-l -n --stats -f 1").stdout()).isEqualTo(""
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "FWM  1                                   0        0        0        0        0\n"
                + "  -> 10.0.0.7:0                          0        0        0        0        0\n");
    }

    @Test
    void headerShowsTheConnectionTableSize() {
        IpvsTable t = new IpvsTable(TableOptions.builder().ticker(ticker).connTabBits(20).build());
        assertThat(run(t, "-L -n").stdout()).isEqualTo("IP Virtual Server version 1.2.1 (size=1048576)\n" + TITLE);
    }

    @Test
    void noArgumentsListsWithNames() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.0.1:443 -s rr");
        assertThat(run(t, "").stdout()).isEqualTo(HEADER + TITLE + "TCP  10.0.0.1:https rr\n");
    }

    @Test
    void ipv6ServicesAndMasksAndFirewallMarkFamilies() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t [2001:db8::10]:80 -s rr -p 600 -M 64");
        ok(t, "-a -t [2001:db8::10]:80 -r [2001:db8::21]:8080 -m -w 4");
        ok(t, "-A -f 5 -6 -s wlc -p -M 48");
        ok(t, "-A -f 6 -6 -s wlc -p");
        ok(t, "-A -t 10.0.0.1:80 -s rr -p -M 255.255.0.0");
        assertThat(run(t, "-L -n").stdout()).isEqualTo(HEADER + TITLE
                + "TCP  10.0.0.1:80 rr persistent 360 mask 255.255.0.0\n"
                + "TCP  [2001:db8::10]:80 rr persistent 600 mask 64\n"
                + "  -> [2001:db8::21]:8080          Masq    4      0          0         \n"
                + "FWM  5 IPv6 wlc persistent 360 mask 48\n"
                + "FWM  6 IPv6 wlc persistent 360\n");
        assertThat(run(t, "-S -n").stdout()).isEqualTo(""
                + "-A -t 10.0.0.1:80 -s rr -p 360 -M 255.255.0.0\n"
                + "-A -t [2001:db8::10]:80 -s rr -p 600 -M 64\n"
                + "-a -t [2001:db8::10]:80 -r [2001:db8::21]:8080 -m -w 4\n"
                + "-A -f 5 -6 -s wlc -p 360 -M 48\n"
                + "-A -f 6 -6 -s wlc -p 360\n");
    }

    @Test
    void maskIsShownOnlyForPersistentServices() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.0.1:80 -s rr -M 255.255.255.0");
        assertThat(run(t, "-L -n").stdout()).endsWith("TCP  10.0.0.1:80 rr\n");
        assertThat(run(t, "-S -n").stdout()).isEqualTo("-A -t 10.0.0.1:80 -s rr\n");
    }

    @Test
    void schedulerFlagsOfOtherSchedulersAreNumbered() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.0.1:80 -s wrr -b flag-3,flag-1");
        ok(t, "-A -t 10.0.0.2:80 -s mh -b mh-port");
        assertThat(run(t, "-L -n").stdout()).isEqualTo(HEADER + TITLE
                + "TCP  10.0.0.1:80 wrr (flag-1,flag-3)\n"
                + "TCP  10.0.0.2:80 mh (mh-port)\n");
        assertThat(run(t, "-S -n").stdout()).isEqualTo(""
                + "-A -t 10.0.0.1:80 -s wrr -b flag-1,flag-3\n"
                + "-A -t 10.0.0.2:80 -s mh -b mh-port\n");
    }

    @Test
    void tunnelInfoColumn() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.0.1:80 -s rr");
        ok(t, "-a -t 10.0.0.1:80 -r 10.0.1.1 -i");
        ok(t, "-a -t 10.0.0.1:80 -r 10.0.1.2 -g -w 0");
        assertThat(run(t, "-L -n --tun-info").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 10.0.1.1:80                  Tunnel  ipip          1      0          0         \n"
                + "  -> 10.0.1.2:80                  Route   n/a           0      0          0         \n");
    }

    @Test
    void largeNumbersAreAbbreviatedToNineCharacters() {
        assertThat(Listing.largeNumber(0, false)).isEqualTo("        0");
        assertThat(Listing.largeNumber(99_999_999L, false)).isEqualTo(" 99999999");
        assertThat(Listing.largeNumber(100_000_000L, false)).isEqualTo("  100000K");
        assertThat(Listing.largeNumber(999_999_999L, false)).isEqualTo("  999999K");
        assertThat(Listing.largeNumber(1_000_000_000L, false)).isEqualTo("    1000M");
        assertThat(Listing.largeNumber(99_999_999_999L, false)).isEqualTo("   99999M");
        assertThat(Listing.largeNumber(100_000_000_000L, false)).isEqualTo("     100G");
        assertThat(Listing.largeNumber(99_999_999_999_999L, false)).isEqualTo("   99999G");
        assertThat(Listing.largeNumber(100_000_000_000_000L, false)).isEqualTo("     100T");
        assertThat(Listing.largeNumber(-1L, false)).isEqualTo("18446744T"); // unsigned 2^64-1
    }

    @Test
    void exactNumbersUseWidthNineOrLengthPlusOne() {
        assertThat(Listing.largeNumber(0, true)).isEqualTo("        0");
        assertThat(Listing.largeNumber(99_999_999L, true)).isEqualTo(" 99999999");
        assertThat(Listing.largeNumber(100_000_000L, true)).isEqualTo(" 100000000");
        assertThat(Listing.largeNumber(1_000_000_000L, true)).isEqualTo(" 1000000000");
        assertThat(Listing.largeNumber(100_000_000_000_000L, true)).isEqualTo(" 100000000000000");
    }

    @Test
    void statsListingAbbreviatesAndExactDoesNot() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -t 10.0.0.1:80 -s rr");
        ok(t, "-a -t 10.0.0.1:80 -r 10.0.1.1 -m");
        Connection c = t.connect(Flow.of(Protocol.TCP, ip("10.9.9.9"), 1234, ip("10.0.0.1"), 80), TcpFlags.SYN,
                99_999_999L);
        c.outbound(TcpFlags.SYN_ACK, 100_000_000_000_000L);
        assertThat(run(t, "-L -n --stats").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.1:80                         1        1        1 99999999     100T\n"
                + "  -> 10.0.1.1:80                         1        1        1 99999999     100T\n");
        assertThat(run(t, "-L -n --stats --exact").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.1:80                         1        1        1 99999999 100000000000000\n"
                + "  -> 10.0.1.1:80                         1        1        1 99999999 100000000000000\n");
    }

    @Test
    void rateRowsOfServersNeverAbbreviatePacketRates() {
        RateSnapshot r = new RateSnapshot(123_456_789L, 100_000_000L, 5, 100_000_000L, 0);
        assertThat(Listing.serverRates(r, false)).isEqualTo(" 123456789 100000000        5  100000K        0");
        assertThat(Listing.serviceRates(r, false)).isEqualTo("  123456K  100000K        5  100000K        0");
        assertThat(Listing.serverRates(r, true)).isEqualTo(" 123456789 100000000        5 100000000        0");
    }

    @Test
    void rateListingLayout() {
        IpvsTable t = Fixtures.table(ticker);
        ok(t, "-A -u 10.0.0.1:53 -s rr");
        ok(t, "-a -u 10.0.0.1:53 -r 10.0.1.1 -m");
        Connection c = t.connect(Flow.of(Protocol.UDP, ip("10.9.9.9"), 1234, ip("10.0.0.1"), 53));
        for (int i = 1; i < 800; i++) {
            c.inbound(0, 0);
        }
        ticker.advanceSeconds(2);
        t.runMaintenance();
        // 800 packets in one period: ((800 << 9) / 4 + 511) >> 10 = 100 per second
        assertThat(run(t, "-L -n --rate").stdout()).isEqualTo(HEADER
                + "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                + "  -> RemoteAddress:Port\n"
                + "UDP  10.0.0.1:53                         0      100        0        0        0\n"
                + "  -> 10.0.1.1:53                         0      100        0        0        0\n");
    }
}
