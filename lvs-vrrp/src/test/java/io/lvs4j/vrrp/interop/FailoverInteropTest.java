package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * (b) A crashed master (SIGKILL: nothing more on the wire) is replaced within the backup's
 * Master_Down_Interval (3 × interval + skew) + 0.5 s; (c) a master stopped cleanly (SIGTERM: a
 * priority-0 advert, VIPs removed) is replaced within the backup's Skew_Time + 0.5 s. Each in both
 * directions: lvs4j master with a keepalived backup, and keepalived master with an lvs4j backup.
 */
class FailoverInteropTest extends InteropTestBase {

    /**
     * The earliest a backup may take over after a crash: the master's last advert came at most one
     * interval before the kill, so Master_Down_Interval − interval (less 50 ms for the clocks).
     */
    static Duration earliestTakeover(VrrpConf.Instance backup) {
        return VrrpTiming.masterDown(backup)
                .minusNanos(Math.round(backup.advertIntSeconds() * 1e9)).minusMillis(50);
    }

    @Test
    void keepalivedTakesOverFromKilledLvs4jWithinMasterDownV2() {
        VrrpConf us = conf("lvs4j", 2, "1", 150);
        VrrpConf ka = conf("ka", 2, "1", 100);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        VrrpPeer keepalived = startKeepalived(h2, ka);
        awaitElected(lvs4j, keepalived, electionTimeout(us, ka));
        int mark = keepalived.current().mark();

        Duration bound = VrrpTiming.masterDown(ka.instance()).plus(VrrpTiming.SLACK);
        long t0 = System.nanoTime();
        lvs4j.kill();
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(keepalived, mark, "(VI_1) Entering MASTER STATE", Duration.ofSeconds(1));
        assertThat(keepalived.current().linesContaining(mark, "priority 0")).as("a crash sends nothing").isEmpty();
        assertThat(took).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(earliestTakeover(ka.instance()));
    }

    @Test
    void lvs4jTakesOverFromKilledKeepalivedWithinMasterDownV3() {
        VrrpConf ka = conf("ka", 3, "0.2", 150);
        VrrpConf us = conf("lvs4j", 3, "0.2", 100);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);
        awaitElected(keepalived, lvs4j, electionTimeout(us, ka));
        int mark = lvs4j.current().mark();

        Duration bound = VrrpTiming.masterDown(us.instance()).plus(VrrpTiming.SLACK);
        long t0 = System.nanoTime();
        keepalived.kill();
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(lvs4j, mark, "(VI_1) Entering MASTER STATE", Duration.ofSeconds(1));
        assertThat(took).isLessThanOrEqualTo(bound).isGreaterThanOrEqualTo(earliestTakeover(us.instance()));
    }

    @Test
    void keepalivedTakesOverFromStoppedLvs4jWithinSkewV2() {
        AdvertCapture capture = lab.capture("stop-v2");
        VrrpConf us = conf("lvs4j", 2, "1", 150);
        VrrpConf ka = conf("ka", 2, "1", 100);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        VrrpPeer keepalived = startKeepalived(h2, ka);
        awaitElected(lvs4j, keepalived, electionTimeout(us, ka));
        int mark = keepalived.current().mark();

        Duration bound = VrrpTiming.skew(ka.instance()).plus(VrrpTiming.SLACK);
        long t0 = System.nanoTime();
        lvs4j.current().sendTerm();
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(keepalived, mark, "(VI_1) Backup received priority 0 advertisement", Duration.ofSeconds(1));
        lab.await(keepalived, mark, "(VI_1) Entering MASTER STATE", Duration.ofSeconds(1));
        assertThat(took).isLessThanOrEqualTo(bound);
        assertThat(lvs4j.current().awaitExit(Duration.ofSeconds(10))).as("lvs4j exits on SIGTERM").isTrue();
        assertThat(lvs4j.current().exitValue()).as("exit status after SIGTERM\n%s", lab.transcripts()).hasValue(0);
        lab.await(lvs4j, 0, "(VI_1) sent 0 priority", Duration.ofSeconds(1));
        lab.await(lvs4j, 0, "(VI_1) removing VIPs.", Duration.ofSeconds(1));
        assertThat(lab.lan().hasAddress(h1, VIP)).as("lvs4j removed the VIP on its way out").isFalse();
        lab.awaitSoleHolder(h2, VIP, Duration.ofSeconds(1));

        List<AdvertCapture.Advert> resign = assertAdvertsValid(capture, h1, us.instance(), 0);
        assertThat(resign).as("one priority-0 advert on SIGTERM").hasSizeBetween(1, 2);
    }

    @Test
    void lvs4jTakesOverFromStoppedKeepalivedWithinSkewV3() {
        VrrpConf ka = conf("ka", 3, "0.2", 150);
        VrrpConf us = conf("lvs4j", 3, "0.2", 100);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);
        awaitElected(keepalived, lvs4j, electionTimeout(us, ka));
        int mark = lvs4j.current().mark();

        Duration bound = VrrpTiming.skew(us.instance()).plus(VrrpTiming.SLACK);
        long t0 = System.nanoTime();
        keepalived.current().sendTerm();
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(lvs4j, mark, "(VI_1) Backup received priority 0 advertisement", Duration.ofSeconds(1));
        lab.await(lvs4j, mark, "(VI_1) Entering MASTER STATE", Duration.ofSeconds(1));
        assertThat(took).isLessThanOrEqualTo(bound);
        assertThat(keepalived.current().awaitExit(Duration.ofSeconds(10))).isTrue();
        lab.awaitSoleHolder(h2, VIP, Duration.ofSeconds(1));
    }
}
