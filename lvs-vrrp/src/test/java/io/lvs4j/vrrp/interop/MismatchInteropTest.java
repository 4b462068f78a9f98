package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * (e) Misconfigurations keepalived reports, with lvs4j on the other side (v2 only: both checks
 * exist only in VRRPv2). A different {@code advert_int} makes keepalived drop every advert, log the
 * mismatch, and both sides end up MASTER; a different {@code auth_pass} is logged as an invalid
 * password, again with two masters. The same password on both sides elects one master, which shows
 * lvs4j's PASS auth data is what keepalived expects.
 */
class MismatchInteropTest extends InteropTestBase {

    @Test
    void advertIntervalMismatchGivesDualMasterV2() {
        VrrpConf ka = conf("ka", 2, "2", 150);
        VrrpConf us = conf("lvs4j", 2, "1", 100);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);

        lab.await(keepalived, 0, "(VI_1) advertisement interval mismatch mine=2 sec rcv'd=1 sec",
                electionTimeout(us));
        Duration both = electionTimeout(ka, us);
        lab.awaitState(keepalived, VI, "MASTER", 0, both);
        lab.awaitState(lvs4j, VI, "MASTER", 0, both);
        lab.awaitCondition("both hosts hold " + VIP, Duration.ofSeconds(2),
                () -> lab.lan().holders(VIP).equals(List.of(h1, h2)));
        // a dual master is stable: each keeps dropping the other's adverts
        lab.assertHoldersStay(VIP, List.of(h1, h2), Duration.ofMillis(2500));
        assertThat(InteropLab.lastState(keepalived, VI)).isEqualTo("MASTER");
        assertThat(InteropLab.lastState(lvs4j, VI)).isEqualTo("MASTER");
        assertThat(lvs4j.current().lines()).as("lvs4j logs the mismatch too\n%s", lab.transcripts())
                .anySatisfy(l -> assertThat(l.text()).contains("advertisement interval mismatch"));
    }

    @Test
    void passwordMismatchIsInvalidPasswdAndSamePasswordElectsOneMasterV2() {
        AdvertCapture capture = lab.capture("auth-v2");
        // VI_1: same password, one master; VI_2: different passwords, two masters
        VrrpConf ka = new VrrpConf("ka")
                .add(new VrrpConf.Instance("VI_1").vrid(51).priority(100).authPass("secret1").vip(VIP))
                .add(new VrrpConf.Instance("VI_2").vrid(52).priority(100).authPass("secret2").vip("198.18.0.101"));
        VrrpConf us = new VrrpConf("lvs4j")
                .add(new VrrpConf.Instance("VI_1").vrid(51).priority(150).authPass("secret1").vip(VIP))
                .add(new VrrpConf.Instance("VI_2").vrid(52).priority(150).authPass("wrongpw").vip("198.18.0.101"));
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);

        Duration timeout = electionTimeout(ka, us);
        lab.await(keepalived, 0, "(VI_2) received an invalid passwd", timeout);
        awaitElected(lvs4j, keepalived, timeout);
        lab.awaitState(keepalived, "VI_2", "MASTER", 0, timeout);
        lab.awaitState(lvs4j, "VI_2", "MASTER", 0, timeout);
        lab.awaitCondition("both hosts hold 198.18.0.101", Duration.ofSeconds(2),
                () -> lab.lan().holders("198.18.0.101").equals(List.of(h1, h2)));
        lab.assertHoldersStay(VIP, List.of(h2), VrrpTiming.masterDown(ka.instance()).plusMillis(400));
        assertThat(lab.lan().holders("198.18.0.101")).containsExactly(h1, h2);
        assertThat(keepalived.current().lines()).noneSatisfy(l -> assertThat(l.text())
                .contains("(VI_1) received an invalid passwd"));
        assertThat(lvs4j.current().lines()).as("lvs4j rejects keepalived's VI_2 password\n%s", lab.transcripts())
                .anySatisfy(l -> assertThat(l.text()).contains("(VI_2) received an invalid passwd"));

        assertAdvertsValid(capture, h2, us.instances().get(0), 150);
    }
}
