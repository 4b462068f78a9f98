package io.lvs4j.vrrp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.VrrpPacket;
import io.lvs4j.vrrp.interop.BridgedLan.Host;
import io.lvs4j.vrrp.interop.VrrpPeer.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the lvs4j ↔ keepalived scenario classes share: a two-host {@link InteropLab} per test (h1 =
 * 198.18.0.1, h2 = 198.18.0.2, VIP 198.18.0.100), built in {@code @BeforeEach} and torn down in
 * {@code @AfterEach}, plus the election and wire checks.
 *
 * <p>The implementation under test is lvs4j. {@code -Dlvs4j.interop.subject=keepalived} puts
 * keepalived in its place, so every scenario can be checked against keepalived ↔ keepalived: the
 * scenarios, timings and expected log lines are then keepalived's own behaviour.
 */
abstract class InteropTestBase {

    static final String VIP = "198.18.0.100";
    static final String VI = "VI_1";
    /** What lvs4j's place is filled with: lvs4j, or keepalived to check the scenarios themselves. */
    static final Kind SUBJECT =
            "keepalived".equalsIgnoreCase(System.getProperty("lvs4j.interop.subject", "")) ? Kind.KEEPALIVED : Kind.LVS4J;

    InteropLab lab;
    Host h1;
    Host h2;

    @BeforeEach
    void createLab() {
        lab = InteropLab.create(2);
        h1 = lab.host(1);
        h2 = lab.host(2);
    }

    @AfterEach
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A conf with one instance VI_1 (VRID 51) holding the VIP. */
    static VrrpConf conf(String routerId, int version, String advertInt, int priority) {
        VrrpConf conf = VrrpConf.single(routerId, VIP);
        conf.instance().version(version).advertInt(advertInt).priority(priority);
        return conf;
    }

    VrrpPeer startLvs4j(Host host, VrrpConf conf) {
        return lab.start(SUBJECT, host, conf);
    }

    VrrpPeer startKeepalived(Host host, VrrpConf conf) {
        return lab.start(Kind.KEEPALIVED, host, conf);
    }

    /** The longest an election may take from a cold start: startup plus twice the slowest master-down. */
    static Duration electionTimeout(VrrpConf... confs) {
        Duration worst = Duration.ZERO;
        for (VrrpConf c : confs) {
            Duration d = VrrpTiming.masterDown(c.instance().version(), c.instance().advertIntSeconds(), 1);
            if (d.compareTo(worst) > 0) {
                worst = d;
            }
        }
        return InteropLab.STARTUP.plus(worst.multipliedBy(2));
    }

    /**
     * Waits until {@code master} is in MASTER and {@code backup} in BACKUP (by their last
     * "Entering" lines) and the VIP is on the master's host only.
     */
    void awaitElected(VrrpPeer master, VrrpPeer backup, Duration timeout) {
        lab.awaitCondition(master + " MASTER holding " + VIP + ", " + backup + " BACKUP", timeout,
                () -> InteropLab.lastState(master, VI).equals("MASTER")
                        && InteropLab.lastState(backup, VI).equals("BACKUP")
                        && lab.lan().holders(VIP).equals(List.of(master.host())));
    }

    /**
     * Checks every captured advert from {@code host}: what the instance's conf says (version, VRID,
     * priority, interval, addresses, auth), what keepalived puts on the wire (TTL 255, TOS 0xC0,
     * 224.0.0.18 and its MAC, the interface's MAC as source) and both checksums, by lvs4j's codec
     * and by tcpdump's own decoder. Returns the adverts checked.
     */
    List<AdvertCapture.Advert> assertAdvertsValid(
            AdvertCapture capture, Host host, VrrpConf.Instance conf, int priority) {
        List<AdvertCapture.Advert> all = capture.stop();
        List<AdvertCapture.Advert> mine = all.stream()
                .filter(a -> a.source().equals(host.address()) && a.vrrp().vrid() == conf.vrid()
                        && a.vrrp().priority() == priority)
                .toList();
        String mac = lab.lan().mac(host);
        int interval = conf.version() == 2
                ? (int) Math.round(conf.advertIntSeconds())
                : (int) Math.round(conf.advertIntSeconds() * 100);
        assertThat(mine).as("adverts from %s with priority %d among %s", host, priority, all).isNotEmpty();
        for (AdvertCapture.Advert a : mine) {
            assertThat(a.ipChecksumValid()).as("IP header checksum of %s", a).isTrue();
            assertThat(a.vrrpChecksumValid()).as("VRRP checksum of %s", a).isTrue();
            assertThat(a.ip().ttl()).as("TTL of %s", a).isEqualTo(255);
            assertThat(a.ip().tos()).as("TOS of %s", a).isEqualTo(0xC0);
            assertThat(a.ip().protocol()).as("protocol of %s", a).isEqualTo(112);
            assertThat(a.ip().flagsAndFragment()).as("flags (no DF) of %s", a).isZero();
            assertThat(a.ip().destination().getHostAddress()).as("destination of %s", a).isEqualTo("224.0.0.18");
            assertThat(a.destinationMac()).as("destination MAC of %s", a).isEqualTo("01:00:5e:00:00:12");
            assertThat(a.sourceMac()).as("source MAC of %s", a).isEqualTo(mac);
            assertThat(a.vrrp().version()).as("version of %s", a).isEqualTo(conf.version());
            assertThat(a.vrrp().type()).as("type of %s", a).isEqualTo(VrrpPacket.TYPE_ADVERTISEMENT);
            assertThat(a.vrrp().vrid()).as("VRID of %s", a).isEqualTo(conf.vrid());
            assertThat(a.vrrp().advertInterval()).as("interval of %s", a).isEqualTo(interval);
            assertThat(a.addresses()).as("addresses of %s", a).isEqualTo(conf.vips());
            if (conf.version() == 2) {
                byte[] auth = new byte[8];
                String password = conf.authPass();
                if (password != null) {
                    byte[] p = password.getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(p, 0, auth, 0, Math.min(8, p.length));
                }
                assertThat(a.vrrp().authType()).as("auth type of %s", a)
                        .isEqualTo(password == null ? VrrpPacket.AUTH_NONE : VrrpPacket.AUTH_PASS);
                assertThat(a.vrrp().authData()).as("auth data of %s", a).isEqualTo(auth);
                assertThat(a.bytes().length).as("length of %s", a).isEqualTo(20 + 16 + 4 * conf.vips().size());
            } else {
                assertThat(a.bytes().length).as("length of %s", a).isEqualTo(20 + 8 + 4 * conf.vips().size());
            }
        }
        String expected = conf.version() == 2
                ? String.format("%s > 224.0.0.18: VRRPv2, Advertisement, vrid %d, prio %d, authtype %s, intvl %ds,"
                                + " length %d, addrs: %s", host.address(), conf.vrid(), priority,
                        conf.authPass() == null ? "none" : "simple", interval, 16 + 4 * conf.vips().size(),
                        String.join(",", conf.vips()))
                : String.format("%s > 224.0.0.18: VRRPv3, Advertisement, vrid %d, prio %d, intvl %dcs,"
                                + " length %d, addrs: %s", host.address(), conf.vrid(), priority, interval,
                        8 + 4 * conf.vips().size(), String.join(",", conf.vips()));
        List<String> text = capture.tcpdumpText().stream().filter(l -> l.contains(host.address() + " > ")).toList();
        assertThat(text).as("tcpdump -vv").anySatisfy(l -> assertThat(l).contains(expected))
                .noneSatisfy(l -> assertThat(l).containsIgnoringCase("bad"));
        return mine;
    }
}
