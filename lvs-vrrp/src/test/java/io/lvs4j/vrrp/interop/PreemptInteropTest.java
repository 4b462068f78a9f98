package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * (d) A higher-priority master that crashed and comes back takes the VIP back (preempt, the
 * default), in both directions; with {@code nopreempt} on both sides (both {@code state BACKUP}, as
 * keepalived requires) it comes back as BACKUP and stays there.
 *
 * <p>After the crash the VIP is left on the dead master's host (SIGKILL removes nothing), as after
 * a real process crash; keepalived removes such stray VIPs at startup ("removing VIPs."), and so
 * must lvs4j, before it becomes master.
 */
class PreemptInteropTest extends InteropTestBase {

    @Test
    void restartedLvs4jPreemptsKeepalivedV2() {
        VrrpConf us = conf("lvs4j", 2, "1", 150);
        VrrpConf ka = conf("ka", 2, "1", 100);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        VrrpPeer keepalived = startKeepalived(h2, ka);
        awaitElected(lvs4j, keepalived, electionTimeout(us, ka));

        lvs4j.kill();
        lab.awaitVip(h2, VIP, System.nanoTime(), VrrpTiming.masterDown(ka.instance()).plus(VrrpTiming.SLACK));
        int mark = keepalived.current().mark();

        lvs4j.start();
        lab.await(lvs4j, 0, "(VI_1) Entering BACKUP STATE", InteropLab.STARTUP);
        assertThat(lab.lan().awaitAddress(h1, VIP, false, Duration.ofSeconds(1)))
                .as("lvs4j removes the VIP its crashed run left behind, as keepalived does at startup\n%s",
                        lab.transcripts())
                .isPresent();
        lab.awaitState(lvs4j, VI, "MASTER", 0, VrrpTiming.masterDown(us.instance()).plusSeconds(2));
        lab.await(keepalived, mark, "(VI_1) Master received advert from 198.18.0.1 with higher priority 150, ours 100",
                Duration.ofSeconds(2));
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));
    }

    @Test
    void restartedKeepalivedPreemptsLvs4jV3() {
        VrrpConf ka = conf("ka", 3, "0.1", 150);
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);
        awaitElected(keepalived, lvs4j, electionTimeout(us, ka));

        keepalived.kill();
        lab.awaitVip(h2, VIP, System.nanoTime(), VrrpTiming.masterDown(us.instance()).plus(VrrpTiming.SLACK));
        int mark = lvs4j.current().mark();
        lab.lan().removeAddress(h1, VIP);

        keepalived.start();
        lab.await(keepalived, 0, "(VI_1) received lower priority (100) advert from 198.18.0.2 - discarding",
                InteropLab.STARTUP);
        lab.awaitState(keepalived, VI, "MASTER", 0, Duration.ofSeconds(3));
        lab.await(lvs4j, mark, "(VI_1) Master received advert from 198.18.0.1 with higher priority 150, ours 100",
                Duration.ofSeconds(2));
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));
    }

    @Test
    void restartedLvs4jWithNopreemptStaysBackupV2() {
        VrrpConf us = conf("lvs4j", 2, "1", 150);
        us.instance().nopreempt();
        VrrpConf ka = conf("ka", 2, "1", 100);
        ka.instance().nopreempt();
        // with nopreempt whoever is master first stays master: start lvs4j alone
        VrrpPeer lvs4j = startLvs4j(h1, us);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        VrrpPeer keepalived = startKeepalived(h2, ka);
        lab.await(keepalived, 0, "(VI_1) Entering BACKUP STATE (init)", InteropLab.STARTUP);
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));

        lvs4j.kill();
        lab.awaitVip(h2, VIP, System.nanoTime(), VrrpTiming.masterDown(ka.instance()).plus(VrrpTiming.SLACK));
        lab.lan().removeAddress(h1, VIP);
        int mark = keepalived.current().mark();

        lvs4j.start();
        lab.await(lvs4j, 0, "(VI_1) Entering BACKUP STATE", InteropLab.STARTUP);
        // a preempting lvs4j would be master one Master_Down_Interval after startup: watch longer
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(us.instance()).plusMillis(1500));
        assertThat(InteropLab.lastState(lvs4j, VI)).isEqualTo("BACKUP");
        assertThat(keepalived.current().linesContaining(mark, "Entering")).isEmpty();
    }

    @Test
    void restartedKeepalivedWithNopreemptStaysBackupV3() {
        VrrpConf ka = conf("ka", 3, "0.1", 150);
        ka.instance().nopreempt();
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        us.instance().nopreempt();
        VrrpPeer keepalived = startKeepalived(h1, ka);
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        VrrpPeer lvs4j = startLvs4j(h2, us);
        lab.await(lvs4j, 0, "(VI_1) Entering BACKUP STATE", InteropLab.STARTUP);
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));

        keepalived.kill();
        lab.awaitVip(h2, VIP, System.nanoTime(), VrrpTiming.masterDown(us.instance()).plus(VrrpTiming.SLACK));
        lab.lan().removeAddress(h1, VIP);
        int mark = lvs4j.current().mark();

        keepalived.start();
        lab.await(keepalived, 0, "(VI_1) Entering BACKUP STATE (init)", InteropLab.STARTUP);
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(ka.instance()).multipliedBy(4));
        assertThat(InteropLab.lastState(keepalived, VI)).isEqualTo("BACKUP");
        assertThat(lvs4j.current().linesContaining(mark, "Entering")).isEmpty();
    }
}
