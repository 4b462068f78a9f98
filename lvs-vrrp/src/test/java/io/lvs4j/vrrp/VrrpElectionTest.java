package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Whole elections between engines on an in-memory LAN, with a manual clock. */
class VrrpElectionTest {

    private static final String VIPS = "[10.0.0.100/24]";

    private final TestLan lan = new TestLan();

    static VrrpInstanceConfig vi(int priority, UnaryOperator<VrrpInstanceConfig.Builder> extra) {
        return extra.apply(VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").virtualRouterId(51)
                .priority(priority).virtualAddress("10.0.0.100/24")).build(w -> { });
    }

    static VrrpInstanceConfig vi(int priority) {
        return vi(priority, b -> b);
    }

    private TestLan.Node node(String name, String address, VrrpInstanceConfig config) {
        return lan.node(name, address, b -> b.instance(config));
    }

    @Test
    void startsBackupThenBecomesMasterAfterMasterDownInterval() {
        TestLan.Node a = node("A", "10.0.0.1", vi(100));
        a.start();
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)");
        assertThat(a.events).containsExactly("0 VI_1 remove " + VIPS, "0 VI_1 state INIT->BACKUP");

        lan.advanceTo(3_609_374);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceMicros(1);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)", "(VI_1) Entering MASTER STATE");
        // the advert goes first, then the VIPs, then 5 gratuitous ARPs
        assertThat(a.events.subList(2, a.events.size())).containsExactly(
                "3609375 VI_1 advert 100",
                "3609375 VI_1 add " + VIPS,
                "3609375 VI_1 garp " + VIPS, "3609375 VI_1 garp " + VIPS, "3609375 VI_1 garp " + VIPS,
                "3609375 VI_1 garp " + VIPS, "3609375 VI_1 garp " + VIPS,
                "3609375 VI_1 state BACKUP->MASTER");

        lan.advanceTo(8_609_374);
        assertThat(a.times("advert")).containsExactly(3_609_375L, 4_609_375L, 5_609_375L, 6_609_375L, 7_609_375L);
        assertThat(a.times("garp")).hasSize(5);
        lan.advanceTo(8_609_375);
        // second burst garp_master_delay (5 s) later
        assertThat(a.times("garp")).hasSize(10).endsWith(8_609_375L, 8_609_375L, 8_609_375L, 8_609_375L, 8_609_375L);
        lan.advanceTo(60_000_000);
        assertThat(a.times("garp")).hasSize(10);
    }

    @Test
    void ownerWithStateMasterBecomesMasterImmediately() {
        TestLan.Node a = node("A", "10.0.0.1", vi(255, b -> b.state(VrrpState.MASTER)));
        a.start();
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.log).containsExactly("(VI_1) Entering MASTER STATE");
        assertThat(a.events.get(0)).isEqualTo("0 VI_1 advert 255");
        assertThat(a.events.get(1)).isEqualTo("0 VI_1 add " + VIPS);
        assertThat(a.events("remove")).isEmpty();
        assertThat(a.instance("VI_1").skewMicros()).isEqualTo(3_906);
    }

    @Test
    void stateMasterBelow255OnlyStartsAsBackupWithTheFullTimer() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150, b -> b.state(VrrpState.MASTER)));
        a.start();
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(3_414_061);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(3_414_062);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void higherPriorityBackupPreemptsLowerMaster() {
        TestLan.Node a = node("A", "10.0.0.1", vi(100));
        TestLan.Node b = node("B", "10.0.0.2", vi(200));
        a.start();
        lan.advanceTo(10_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        b.start();
        lan.advanceTo(10_609_375);
        assertThat(b.log).containsExactly("(VI_1) Entering BACKUP STATE (init)",
                "(VI_1) received lower priority (100) advert from 10.0.0.1 - discarding");
        // discarded adverts do not reset the down timer: 10 s + 3 + (256-200)/256
        lan.advanceTo(13_218_749);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(13_218_750);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).containsSubsequence(
                "(VI_1) Master received advert from 10.0.0.2 with higher priority 200, ours 100",
                "(VI_1) Entering BACKUP STATE");
        assertThat(a.events("remove")).last().isEqualTo("13218750 VI_1 remove " + VIPS);
        assertThat(a.instance("VI_1").addressesInstalled()).isFalse();
        assertThat(b.instance("VI_1").addressesInstalled()).isTrue();
    }

    @Test
    void deadMasterIsReplacedAfterMasterDownAndWinsBackWhenItReturns() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150));
        TestLan.Node b = node("B", "10.0.0.2", vi(100));
        a.start();
        b.start();
        lan.advanceTo(3_414_062);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        lan.advanceTo(10_000_000);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.times("advert")).last().isEqualTo(9_414_062L);

        lan.disconnect(a); // the master's adverts stop arriving
        lan.advanceTo(13_023_436);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(13_023_437); // 9.414062 + 3.609375
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER); // split brain while partitioned

        lan.advanceTo(13_500_000); // A's advert at 13.414062 was lost too
        lan.reconnect(a);
        lan.advanceTo(14_023_437); // B's next advert reaches A first
        assertThat(a.log).contains(
                "(VI_1) Received advert from 10.0.0.2 with lower priority 100, ours 150, forcing new election");
        assertThat(a.times("advert")).contains(14_023_437L); // answered at once
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(b.log).contains("(VI_1) Master received advert from 10.0.0.1 with higher priority 150, ours 100");
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void cleanShutdownSendsPriorityZeroAndBackupTakesOverAfterSkew() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150, c -> c.notifyStop("/etc/keepalived/stop.sh now")));
        TestLan.Node b = node("B", "10.0.0.2", vi(100));
        a.start();
        b.start();
        lan.advanceTo(10_000_000);
        a.shutdown();
        assertThat(a.events.subList(a.events.size() - 3, a.events.size())).containsExactly(
                "10000000 VI_1 advert 0",
                "10000000 VI_1 remove " + VIPS,
                "10000000 VI_1 state MASTER->STOP");
        assertThat(a.scripts.calls).containsExactly(List.of("/etc/keepalived/stop.sh", "now"));
        assertThat(a.fifo).containsExactly("INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150",
                "INSTANCE \"VI_1\" STOP 150");
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.STOP);
        lan.advanceTo(10_609_374);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(10_609_375); // skew only: (256-100)/256 s
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);

        // the old master comes back with its higher priority and preempts
        TestLan.Node a2 = node("A2", "10.0.0.1", vi(150));
        lan.advanceTo(20_000_000);
        a2.start();
        lan.advanceTo(23_414_062);
        assertThat(a2.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void nopreemptBackupNeverTakesOverFromALiveLowerMaster() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150, c -> c.nopreempt(true)));
        TestLan.Node b = node("B", "10.0.0.2", vi(100));
        b.start();
        lan.advanceTo(10_000_000);
        a.start();
        lan.advanceTo(60_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)");
        // ... but takes over when the master dies
        lan.disconnect(b);
        lan.advanceTo(70_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void preemptDelayHoldsOffTakeover() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150, c -> c.preemptDelay(Duration.ofSeconds(10))));
        TestLan.Node b = node("B", "10.0.0.2", vi(100));
        b.start();
        lan.advanceTo(5_000_000);
        a.start();
        // first lower-priority advert at 5.609375 s starts the 10 s window; adverts inside it are accepted
        lan.advanceTo(15_609_374);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)");
        lan.advanceTo(15_609_375);
        assertThat(a.log).last().isEqualTo("(VI_1) received lower priority (100) advert from 10.0.0.2 - discarding");
        lan.advanceTo(18_023_436); // last accepted advert at 14.609375 + 3.414062
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(18_023_437);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void equalPriorityBackupsBothBecomeMasterAndTheLowerAddressReverts() {
        TestLan.Node a = node("A", "10.0.0.1", vi(100));
        TestLan.Node b = node("B", "10.0.0.2", vi(100));
        a.start();
        b.start();
        lan.advanceTo(3_609_375);
        assertThat(a.events("state BACKUP->MASTER")).containsExactly("3609375 VI_1 state BACKUP->MASTER");
        assertThat(b.events("state BACKUP->MASTER")).containsExactly("3609375 VI_1 state BACKUP->MASTER");
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.log).contains(
                "(VI_1) Master received advert from 10.0.0.2 with same priority 100 but higher IP address than ours");
        assertThat(b.log).contains(
                "(VI_1) Received advert from 10.0.0.1 with lower priority 100, ours 100, forcing new election");
        lan.advanceTo(30_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP); // a backup does no IP tie-break
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void tieBreakUsesTheConfiguredSourceAddressNumerically() {
        // 10.0.0.20 > 10.0.0.3 numerically although "10.0.0.20" < "10.0.0.3" as text
        TestLan.Node a = node("A", "10.0.0.9", vi(100, c -> c.sourceAddress("10.0.0.3")));
        TestLan.Node b = node("B", "10.0.0.8", vi(100, c -> c.sourceAddress("10.0.0.20")));
        a.start();
        b.start();
        lan.advanceTo(4_000_000);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void masterAnswersLowerPriorityAdvertAtOnceUnlessLowerPrioNoAdvert() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150));
        a.start();
        lan.advanceTo(5_000_000);
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.9"), 51, 50, 1, List.of(TestLan.ip("10.0.0.100"))));
        assertThat(a.times("advert")).containsExactly(3_414_062L, 4_414_062L, 5_000_000L);
        assertThat(a.log).last().isEqualTo(
                "(VI_1) Received advert from 10.0.0.9 with lower priority 50, ours 150, forcing new election");
        assertThat(a.fifo).last().isEqualTo("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 150");
        // then garp_lower_prio_repeat (5) gratuitous ARPs now and again garp_lower_prio_delay (5 s) later
        int i = a.events.indexOf("5000000 VI_1 advert 150");
        assertThat(a.events.subList(i + 1, i + 6)).containsOnly("5000000 VI_1 garp " + VIPS).hasSize(5);
        lan.advanceTo(6_000_000); // advert timer was reset by the forced advert
        assertThat(a.times("advert")).containsExactly(3_414_062L, 4_414_062L, 5_000_000L, 6_000_000L);
        lan.advanceTo(10_000_000);
        assertThat(a.times("10000000 VI_1 garp")).hasSize(5);

        TestLan lan2 = new TestLan();
        TestLan.Node q = lan2.node("Q", "10.0.0.1", b -> b.instance(vi(150, c -> c.lowerPrioNoAdvert(true))));
        q.start();
        lan2.advanceTo(5_000_000);
        q.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.9"), 51, 50, 1, List.of()));
        assertThat(q.log).last().isEqualTo("(VI_1) Received advert from 10.0.0.9 with lower priority 50, ours 150");
        lan2.advanceTo(6_000_000);
        assertThat(q.times("advert")).containsExactly(3_414_062L, 4_414_062L, 5_414_062L);
    }

    @Test
    void masterAnswersPriorityZeroAndOwnAddressEqualPriorityWarns() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150));
        a.start();
        lan.advanceTo(4_000_000);
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.5"), 51, 0, 1, List.of()));
        assertThat(a.times("advert")).last().isEqualTo(4_000_000L);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.1"), 51, 150, 1, List.of()));
        assertThat(a.log).last().isEqualTo(
                "(VI_1) WARNING - equal priority advert received from remote host with our IP address.");
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void higherPrioSendAdvertSendsOneMoreAdvertBeforeYielding() {
        TestLan.Node a = node("A", "10.0.0.1", vi(150, c -> c.higherPrioSendAdvert(true)));
        a.start();
        lan.advanceTo(4_000_000);
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.5"), 51, 200, 1, List.of()));
        assertThat(a.events.subList(a.events.size() - 3, a.events.size())).containsExactly(
                "4000000 VI_1 advert 150", "4000000 VI_1 remove " + VIPS, "4000000 VI_1 state MASTER->BACKUP");
    }

    @Test
    void v3BackupAdoptsTheMastersAdvertInterval() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(
                vi(150, c -> c.version(3).advertInterval(Duration.ofMillis(500)))));
        TestLan.Node b = lan.node("B", "10.0.0.2", e -> e.logDetail(true).instance(vi(100, c -> c.version(3))));
        a.start();
        b.start();
        // A: 3 x 0.5 s + (256-150) x 50 cs x 625/16 µs
        lan.advanceTo(1_707_031);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(b.log).contains("(VI_1) advertisement interval updated from 1000ms to 500ms by master");
        assertThat(b.instance("VI_1").masterAdvertIntervalMicros()).isEqualTo(500_000);
        assertThat(b.instance("VI_1").masterDownTimerMicros()).isEqualTo(1_500_000 + 304_687);
        lan.advanceTo(3_000_000);
        lan.disconnect(a); // last advert reached B at 2.707031 s
        lan.advanceTo(4_511_717);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(4_511_718);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(b.log).contains("(VI_1) Receive advertisement timeout",
                "(VI_1) changing advert interval from 500ms to locally configured 1000ms",
                "(VI_1) Sending/queueing gratuitous ARPs on eth0 for 10.0.0.100");
        lan.advanceTo(6_000_000);
        assertThat(b.times("advert")).containsExactly(4_511_718L, 5_511_718L);
    }

    @Test
    void garpRefreshWhileMaster() {
        TestLan.Node a = node("A", "10.0.0.1", vi(100, c -> c.garpMasterDelay(Duration.ZERO)
                .garpMasterRefresh(Duration.ofSeconds(2)).garpMasterRefreshRepeat(2).garpMasterRepeat(1)));
        a.start();
        lan.advanceTo(10_000_000);
        // refresh is checked on each advert and fires once strictly past its due time
        assertThat(a.times("garp")).containsExactly(3_609_375L, 6_609_375L, 6_609_375L, 9_609_375L, 9_609_375L);
    }

    @Test
    void unknownVridIsIgnored() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.logUnknownVrids(true).instance(vi(100)));
        a.start();
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.5"), 52, 200, 1, List.of()));
        assertThat(a.log).last().isEqualTo("Unknown VRID(52) received on interface(eth0). ignoring...");
        a.engine.receive("eth1", Advert.v2(TestLan.ip("10.0.0.5"), 51, 200, 1, List.of()));
        lan.advanceTo(3_609_375);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }
}
