package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.interop.BridgedLan.Host;
import io.lvs4j.vrrp.interop.VrrpPeer.Kind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness against keepalived alone: two keepalived peers elect, fail over and are captured as
 * the lvs4j tests expect. If this fails, the machine (or the harness), not lvs4j, is at fault.
 */
class KeepalivedPairTest {

    static final String VIP = "198.18.0.100";
    private InteropLab lab;

    @BeforeEach
    void setUp() {
        lab = InteropLab.create(2);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void keepalivedPairElectsAndFailsOverV3() {
        Host h1 = lab.host(1);
        Host h2 = lab.host(2);
        AdvertCapture capture = lab.capture("pair");
        VrrpConf high = VrrpConf.single("h1", VIP);
        high.instance().version(3).advertInt("0.1").priority(150);
        VrrpConf low = VrrpConf.single("h2", VIP);
        low.instance().version(3).advertInt("0.1").priority(100);
        VrrpPeer master = lab.start(Kind.KEEPALIVED, h1, high);
        VrrpPeer backup = lab.start(Kind.KEEPALIVED, h2, low);

        lab.awaitState(master, "VI_1", "MASTER", 0, InteropLab.STARTUP);
        lab.awaitState(backup, "VI_1", "BACKUP", 0, InteropLab.STARTUP);
        lab.awaitSoleHolder(h1, VIP, Duration.ofSeconds(5));

        long t0 = System.nanoTime();
        master.kill();
        Duration took = lab.awaitVip(h2, VIP, t0, VrrpTiming.masterDown(low.instance()).plus(VrrpTiming.SLACK));
        lab.awaitState(backup, "VI_1", "MASTER", 0, Duration.ofSeconds(1));
        assertThat(took).isLessThanOrEqualTo(VrrpTiming.masterDown(low.instance()).plus(VrrpTiming.SLACK));

        List<AdvertCapture.Advert> adverts = capture.stop();
        assertThat(adverts).filteredOn(a -> a.source().equals(h1.address())).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.vrrpChecksumValid()).as("%s", a).isTrue();
                    assertThat(a.vrrp().priority()).isEqualTo(150);
                    assertThat(a.vrrp().advertInterval()).isEqualTo(10);
                });
    }
}
