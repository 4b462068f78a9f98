package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * (f) A {@code vrrp_script} with a negative weight on the master: when it starts failing the
 * master's effective priority drops below the backup's and the backup (the other implementation)
 * takes over; when it succeeds again the master preempts back. The script exits with the number
 * written in a status file, so the test decides when it fails.
 */
class TrackScriptInteropTest extends InteropTestBase {

    private Path status;

    private VrrpConf.Script checkScript(String interval) {
        try {
            status = lab.dir().resolve("chk.status");
            Files.writeString(status, "0\n");
            Path script = lab.dir().resolve("chk.sh");
            Files.writeString(script, "#!/bin/sh\nexit $(cat " + status + ")\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new VrrpConf.Script("chk", script.toString(), interval, -60, 1, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scriptExits(int code) {
        try {
            Files.writeString(status, code + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void failingScriptOnLvs4jMasterHandsOverToKeepalivedAndBackV2() {
        VrrpConf.Script chk = checkScript("1");
        VrrpConf us = conf("lvs4j", 2, "1", 150).add(chk);
        us.instance().trackScript("chk");
        VrrpConf ka = conf("ka", 2, "1", 100);
        VrrpPeer lvs4j = startLvs4j(h1, us);
        VrrpPeer keepalived = startKeepalived(h2, ka);
        awaitElected(lvs4j, keepalived, electionTimeout(us, ka));
        int usMark = lvs4j.current().mark();
        int kaMark = keepalived.current().mark();

        long t0 = System.nanoTime();
        scriptExits(1);
        lab.await(lvs4j, usMark, "VRRP_Script(chk) failed", Duration.ofSeconds(3));
        lab.await(lvs4j, usMark, "(VI_1) Changing effective priority from 150 to 90", Duration.ofSeconds(1));
        lab.await(keepalived, kaMark, "(VI_1) received lower priority (90) advert from 198.18.0.1 - discarding",
                Duration.ofSeconds(3));
        Duration bound = Duration.ofSeconds(1).plus(VrrpTiming.masterDown(ka.instance())).plus(VrrpTiming.SLACK);
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(lvs4j, usMark, "(VI_1) Master received advert from 198.18.0.2 with higher priority 100, ours 90",
                Duration.ofSeconds(2));
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));
        assertThat(took).isLessThanOrEqualTo(bound);

        usMark = lvs4j.current().mark();
        kaMark = keepalived.current().mark();
        scriptExits(0);
        lab.await(lvs4j, usMark, "VRRP_Script(chk) succeeded", Duration.ofSeconds(3));
        lab.await(lvs4j, usMark, "(VI_1) Changing effective priority from 90 to 150", Duration.ofSeconds(1));
        lab.awaitState(lvs4j, VI, "MASTER", usMark, VrrpTiming.masterDown(us.instance()).plusSeconds(2));
        lab.await(keepalived, kaMark, "(VI_1) Master received advert from 198.18.0.1 with higher priority 150, ours 100",
                Duration.ofSeconds(2));
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));
    }

    @Test
    void failingScriptOnKeepalivedMasterHandsOverToLvs4jV3() {
        VrrpConf.Script chk = checkScript("0.2");
        VrrpConf ka = conf("ka", 3, "0.1", 150).add(chk);
        ka.instance().trackScript("chk");
        VrrpConf us = conf("lvs4j", 3, "0.1", 100);
        VrrpPeer keepalived = startKeepalived(h1, ka);
        VrrpPeer lvs4j = startLvs4j(h2, us);
        awaitElected(keepalived, lvs4j, electionTimeout(us, ka));
        int usMark = lvs4j.current().mark();
        int kaMark = keepalived.current().mark();

        long t0 = System.nanoTime();
        scriptExits(1);
        lab.await(keepalived, kaMark, "VRRP_Script(chk) failed", Duration.ofSeconds(3));
        Duration bound = Duration.ofMillis(200).plus(VrrpTiming.masterDown(us.instance())).plus(VrrpTiming.SLACK);
        Duration took = lab.awaitVip(h2, VIP, t0, bound);
        lab.await(keepalived, kaMark, "(VI_1) Master received advert from 198.18.0.2 with higher priority 100, ours 90",
                Duration.ofSeconds(2));
        awaitElected(lvs4j, keepalived, Duration.ofSeconds(2));
        assertThat(took).isLessThanOrEqualTo(bound);

        usMark = lvs4j.current().mark();
        scriptExits(0);
        lab.await(keepalived, kaMark, "VRRP_Script(chk) succeeded", Duration.ofSeconds(3));
        lab.await(lvs4j, usMark, "(VI_1) Master received advert from 198.18.0.1 with higher priority 150, ours 100",
                Duration.ofSeconds(3));
        awaitElected(keepalived, lvs4j, Duration.ofSeconds(2));
    }
}
