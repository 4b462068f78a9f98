package io.lvs4j.core;

import static io.lvs4j.core.TestTables.ip;
import static io.lvs4j.core.TestTables.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
    private final FakeTicker ticker = new FakeTicker();

    @Test
    void estimatorFollowsTheKernelArithmeticForAConstantHundredConnectionsPerSecond() {
        Stats s = new Stats();
        long[] expectedAvg = {25600, 44800, 59200, 70000, 78100};
        long[] expectedCps = {25, 44, 58, 68, 76};
        for (int period = 0; period < 5; period++) {
            for (int i = 0; i < 200; i++) {
                s.countConnection();
            }
            s.estimate();
            assertThat(s.cpsAverageScaled()).isEqualTo(expectedAvg[period]);
            assertThat(s.rates().cps()).isEqualTo(expectedCps[period]);
        }
        for (int period = 5; period < 10; period++) {
            for (int i = 0; i < 200; i++) {
                s.countConnection();
            }
            s.estimate();
        }
        assertThat(s.cpsAverageScaled()).isEqualTo(96633);
        assertThat(s.rates().cps()).isEqualTo(94);
        long[] decay = {72474, 54355, 40766};
        long[] decayCps = {71, 53, 40};
        for (int i = 0; i < 3; i++) {
            s.estimate();
            assertThat(s.cpsAverageScaled()).isEqualTo(decay[i]);
            assertThat(s.rates().cps()).isEqualTo(decayCps[i]);
        }
    }

    @Test
    void byteRatesAreBytesPerSecondScaledBy32() {
        Stats s = new Stats();
        long[] expected = {250000, 437500, 578125, 683594, 762695};
        for (long e : expected) {
            s.countIn(2_000_000);
            s.estimate();
            assertThat(s.rates().inBps()).isEqualTo(e);
            assertThat(s.rates().inPps()).isEqualTo(0); // one packet per 2 s: (256 + 511) >> 10 = 0 at first
        }
    }

    @Test
    void halfIsRoundedDown() {
        Stats s = new Stats();
        // 1 packet in 2 s: avg = (1 << 9) >> 2 = 128 -> (128+511)>>10 = 0; after many periods avg -> 512 = 0.5/s
        for (int i = 0; i < 100; i++) {
            s.countIn(0);
            s.estimate();
        }
        assertThat(s.rates().inPps()).isZero();
        assertThat(s.snapshot().inPackets()).isEqualTo(100);
    }

    @Test
    void zeroRestartsCountersAndEstimatorFromIdle() {
        Stats s = new Stats();
        for (int i = 0; i < 500; i++) {
            s.countConnection();
            s.countOut(10);
        }
        s.estimate();
        assertThat(s.rates().cps()).isPositive();
        s.zero();
        assertThat(s.snapshot()).isEqualTo(StatsSnapshot.ZERO);
        assertThat(s.rates()).isEqualTo(RateSnapshot.ZERO);
        s.countConnection();
        s.estimate();
        assertThat(s.snapshot().conns()).isEqualTo(1);
        assertThat(s.cpsAverageScaled()).isEqualTo(128);
    }

    @Test
    void tableCountsConnectionsPacketsAndBytesPerServerServiceAndGlobally() {
        IpvsTable t = TestTables.table(ticker);
        ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        RealServer b = t.addRealServer(web, ip("10.0.0.2"), 80, new RealServerOptions(1, ForwardingMethod.MASQ, 0, 0));
        Connection c1 = t.connect(tcp("1.1.1.1", 1, "192.168.0.10", 80), TcpFlags.SYN, 60);
        Connection c2 = t.connect(tcp("1.1.1.1", 2, "192.168.0.10", 80), TcpFlags.SYN, 60);
        c1.outbound(TcpFlags.SYN_ACK, 60);
        c1.inbound(TcpFlags.ACK, 1000);
        c2.inbound(TcpFlags.ACK, 52);
        assertThat(b.stats().snapshot()).isEqualTo(new StatsSnapshot(1, 2, 1, 1060, 60));
        assertThat(a.stats().snapshot()).isEqualTo(new StatsSnapshot(1, 2, 0, 112, 0));
        assertThat(t.service(web).stats().snapshot()).isEqualTo(new StatsSnapshot(2, 4, 1, 1172, 60));
        assertThat(t.stats().snapshot()).isEqualTo(new StatsSnapshot(2, 4, 1, 1172, 60));

        t.zero(web);
        assertThat(t.service(web).stats().snapshot()).isEqualTo(StatsSnapshot.ZERO);
        assertThat(b.stats().snapshot()).isEqualTo(StatsSnapshot.ZERO);
        assertThat(t.stats().snapshot().conns()).isEqualTo(2);
        t.zero();
        assertThat(t.stats().snapshot()).isEqualTo(StatsSnapshot.ZERO);
    }

    @Test
    void maintenanceRunsTheEstimatorEveryTwoSeconds() {
        IpvsTable t = TestTables.table(ticker);
        ServiceKey web = ServiceKey.tcp(ip("192.168.0.10"), 80);
        t.addService(web, ServiceOptions.builder().scheduler("rr").build());
        RealServer a = t.addRealServer(web, ip("10.0.0.1"), 80, RealServerOptions.defaults());
        int port = 1;
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 100; i++) {
                Connection c = t.connect(tcp("1.1.1.1", port++, "192.168.0.10", 80));
                c.inbound(TcpFlags.RST, 0);
            }
            ticker.advanceSeconds(1);
            t.runMaintenance();
        }
        assertThat(a.stats().rates().cps()).isEqualTo(76);
        assertThat(t.service(web).stats().rates().cps()).isEqualTo(76);
        assertThat(t.stats().rates().cps()).isEqualTo(76);
        assertThat(a.stats().rates().inPps()).isEqualTo(153); // 200 packets/s: avg 156200 -> 153
    }
}
