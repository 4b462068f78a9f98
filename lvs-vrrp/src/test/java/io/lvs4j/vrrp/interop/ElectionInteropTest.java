package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * (a) The higher priority wins, whichever side has it: lvs4j at 150 takes the VIP from a running
 * keepalived at 100, and keepalived at 150 takes it from a running lvs4j at 100. The evidence is
 * keepalived's own log (it saw and parsed lvs4j's adverts), the VIP's place by {@code ip addr}, and
 * lvs4j's adverts on the wire, decoded by lvs4j's codec and by tcpdump. With equal priorities the
 * higher address wins once a split brain heals (only a master breaks the tie), whichever side holds
 * it.
 */
class ElectionInteropTest extends InteropTestBase {

    @Test
    void lvs4jWithHigherPriorityTakesOverFromKeepalivedV2() {
        AdvertCapture capture = lab.capture("election-v2");
        VrrpConf ka = conf("ka", 2, "1", 100);
        VrrpConf us = conf("lvs4j", 2, "1", 150);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        lab.awaitSoleHolder(h1, VIP, Duration.ofSeconds(2));

        VrrpPeer lvs4j = startLvs4j(h2, us);
        lab.awaitState(lvs4j, VI, "BACKUP", 0, InteropLab.STARTUP);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        lab.await(keepalived, 0, "(VI_1) Master received advert from 198.18.0.2 with higher priority 150, ours 100",
                Duration.ofSeconds(2));
        lab.awaitState(keepalived, VI, "BACKUP", 0, Duration.ofSeconds(2));
        lab.awaitSoleHolder(h2, VIP, Duration.ofSeconds(2));

        // keepalived keeps accepting lvs4j's adverts: no takeover for longer than its master-down interval
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(ka.instance()).plusMillis(400));
        assertThat(InteropLab.lastState(keepalived, VI)).isEqualTo("BACKUP");
        assertThat(keepalived.current().lines()).noneSatisfy(l -> assertThat(l.text())
                .containsAnyOf("invalid", "checksum", "mismatch", "expected", "not present"));

        List<AdvertCapture.Advert> adverts = assertAdvertsValid(capture, h2, us.instance(), 150);
        assertThat(adverts).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void keepalivedWithHigherPriorityTakesOverFromLvs4jV2() {
        VrrpConf us = conf("lvs4j", 2, "1", 100);
        VrrpConf ka = conf("ka", 2, "1", 150);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        lab.awaitSoleHolder(h1, VIP, Duration.ofSeconds(2));

        VrrpPeer keepalived = startKeepalived(h2, ka);
        lab.await(keepalived, 0, "(VI_1) Entering BACKUP STATE (init)", InteropLab.STARTUP);
        // keepalived parsed lvs4j's advert (valid checksum, auth, interval) and found it lower
        lab.await(keepalived, 0, "(VI_1) received lower priority (100) advert from 198.18.0.1 - discarding",
                Duration.ofSeconds(3));
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        lab.awaitState(lvs4j, VI, "BACKUP", 0, Duration.ofSeconds(2));
        lab.awaitSoleHolder(h2, VIP, Duration.ofSeconds(2));
        lab.assertHoldersStay(VIP, List.of(h2), Duration.ofMillis(1500));
        assertThat(InteropLab.lastState(lvs4j, VI)).isEqualTo("BACKUP");
        assertThat(keepalived.current().lines()).noneSatisfy(l -> assertThat(l.text())
                .containsAnyOf("invalid", "checksum", "mismatch"));
    }

    @Test
    void lvs4jWithHigherPriorityTakesOverFromKeepalivedV3() {
        AdvertCapture capture = lab.capture("election-v3");
        VrrpConf ka = conf("ka", 3, "0.1", 100);
        VrrpConf us = conf("lvs4j", 3, "0.1", 150);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));

        VrrpPeer lvs4j = startLvs4j(h2, us);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        lab.await(keepalived, 0, "(VI_1) Master received advert from 198.18.0.2 with higher priority 150, ours 100",
                Duration.ofSeconds(2));
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(ka.instance()).multipliedBy(2));
        assertThat(InteropLab.lastState(keepalived, VI)).isEqualTo("BACKUP");
        assertThat(keepalived.current().lines()).noneSatisfy(l -> assertThat(l.text())
                .containsAnyOf("invalid", "checksum", "mismatch"));

        assertThat(assertAdvertsValid(capture, h2, us.instance(), 150)).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void keepalivedWithHigherPriorityTakesOverFromLvs4jV3() {
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        VrrpConf ka = conf("ka", 3, "0.1", 150);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));

        VrrpPeer keepalived = startKeepalived(h2, ka);
        lab.await(keepalived, 0, "(VI_1) received lower priority (100) advert from 198.18.0.1 - discarding",
                InteropLab.STARTUP);
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(us.instance()).multipliedBy(2));
        assertThat(InteropLab.lastState(lvs4j, VI)).isEqualTo("BACKUP");
    }

    @Test
    void equalPriorityHigherAddressWinsWhenSplitBrainHealsLvs4jHigherV3() {
        VrrpConf ka = conf("ka", 3, "0.1", 100);
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        lab.lan().partition(h2);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        lab.awaitCondition("both hold " + VIP + " while split", Duration.ofSeconds(2),
                () -> lab.lan().holders(VIP).equals(List.of(h1, h2)));
        int kaMark = keepalived.current().mark();
        int usMark = lvs4j.current().mark();

        lab.lan().heal(h2);
        lab.await(keepalived, kaMark,
                "(VI_1) Master received advert from 198.18.0.2 with same priority 100 but higher IP address than ours",
                Duration.ofSeconds(2));
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));
        assertThat(lvs4j.current().linesContaining(usMark, "Entering")).isEmpty();
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(ka.instance()).multipliedBy(2));
    }

    @Test
    void equalPriorityHigherAddressWinsWhenSplitBrainHealsKeepalivedHigherV3() {
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        VrrpConf ka = conf("ka", 3, "0.1", 100);
        lab.lan().partition(h2);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        VrrpPeer keepalived = startKeepalived(h2, ka);
        lab.awaitState(lvs4j, VI, "MASTER", 0, electionTimeout(us));
        lab.awaitState(keepalived, VI, "MASTER", 0, electionTimeout(ka));
        lab.awaitCondition("both hold " + VIP + " while split", Duration.ofSeconds(2),
                () -> lab.lan().holders(VIP).equals(List.of(h1, h2)));
        int kaMark = keepalived.current().mark();
        int usMark = lvs4j.current().mark();

        lab.lan().heal(h2);
        lab.await(lvs4j, usMark,
                "(VI_1) Master received advert from 198.18.0.2 with same priority 100 but higher IP address than ours",
                Duration.ofSeconds(2));
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));
        assertThat(keepalived.current().linesContaining(kaMark, "Entering")).isEmpty();
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(us.instance()).multipliedBy(2));
    }
}
