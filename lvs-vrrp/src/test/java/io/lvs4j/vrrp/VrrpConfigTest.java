package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpConfigTest {

    private final List<String> warnings = new ArrayList<>();

    private static VrrpInstanceConfig.Builder vi() {
        return VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").virtualRouterId(51)
                .virtualAddress("192.168.200.16/24");
    }

    @Test
    void defaultsFollowKeepalived() {
        VrrpInstanceConfig c = vi().build(warnings::add);
        assertThat(c.priority()).isEqualTo(100);
        assertThat(c.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.advertIntervalWireValue()).isEqualTo(1);
        assertThat(c.garpMasterRepeat()).isEqualTo(5);
        assertThat(c.garpMasterDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.garpMasterRefresh()).isZero();
        assertThat(c.garpMasterRefreshRepeat()).isEqualTo(1);
        assertThat(c.downTimerAdverts()).isEqualTo(3);
        assertThat(c.lowerPrioNoAdvert()).isFalse();
        assertThat(c.higherPrioSendAdvert()).isFalse();
        assertThat(c.nopreempt()).isFalse();
        assertThat(c.authType()).isEqualTo(AuthType.NONE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void stateMasterWithoutPriorityMeansOwnerAndPriority255MeansMaster() {
        VrrpInstanceConfig master = vi().state(VrrpState.MASTER).build(warnings::add);
        assertThat(master.priority()).isEqualTo(255);
        assertThat(master.isAddressOwner()).isTrue();
        VrrpInstanceConfig owner = vi().priority(255).build(warnings::add);
        assertThat(owner.initialState()).isEqualTo(VrrpState.MASTER);
        VrrpInstanceConfig masterLow = vi().state(VrrpState.MASTER).priority(150).build(warnings::add);
        assertThat(masterLow.initialState()).isEqualTo(VrrpState.MASTER);
        assertThat(masterLow.isAddressOwner()).isFalse();
        VrrpInstanceConfig ownerBackup = vi().state(VrrpState.BACKUP).priority(255).build(warnings::add);
        assertThat(ownerBackup.initialState()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void nopreemptIsClearedWithStateMasterOrOwner() {
        VrrpInstanceConfig c = vi().state(VrrpState.MASTER).priority(150).nopreempt(true).build(warnings::add);
        assertThat(c.nopreempt()).isFalse();
        assertThat(warnings).containsExactly("(VI_1) Warning - nopreempt will not work with initial state MASTER - clearing");
        warnings.clear();
        VrrpInstanceConfig owner = vi().state(VrrpState.BACKUP).priority(255).nopreempt(true).build(warnings::add);
        assertThat(owner.nopreempt()).isFalse();
        assertThat(warnings).containsExactly("(VI_1) nopreempt is incompatible with priority 255 - resetting nopreempt");
        warnings.clear();
        VrrpInstanceConfig backup = vi().priority(150).nopreempt(true).build(warnings::add);
        assertThat(backup.nopreempt()).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void preemptDelayIsIgnoredWithStateMasterOrNopreempt() {
        VrrpInstanceConfig c = vi().state(VrrpState.MASTER).priority(150).preemptDelay(Duration.ofSeconds(10))
                .build(warnings::add);
        assertThat(c.preemptDelay()).isZero();
        assertThat(warnings).containsExactly("(VI_1) Warning - preempt delay will not work with initial state MASTER - clearing");
        warnings.clear();
        VrrpInstanceConfig d = vi().nopreempt(true).preemptDelay(Duration.ofSeconds(10)).build(warnings::add);
        assertThat(d.preemptDelay()).isZero();
        assertThat(warnings).containsExactly("(VI_1) preempt_delay is incompatible with nopreempt mode - resetting");
        assertThat(vi().preemptDelay(Duration.ofSeconds(1000)).build(warnings::add).preemptDelay())
                .isEqualTo(Duration.ofSeconds(1000));
        assertThatThrownBy(() -> vi().preemptDelay(Duration.ofSeconds(1001)).build(warnings::add))
                .isInstanceOf(VrrpConfigException.class)
                .hasMessageContaining("preempt_delay 1001s").hasMessageContaining("0..1000");
    }

    @Test
    void v2AdvertIntervalIsRoundedToWholeSecondsAndCapped() {
        assertThat(vi().advertInterval(Duration.ofMillis(1500)).build(warnings::add).advertInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(warnings).containsExactly("(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer - rounding");
        assertThat(vi().advertInterval(Duration.ofMillis(400)).build(warnings::add).advertInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(vi().advertInterval(Duration.ofSeconds(300)).build(warnings::add).advertInterval())
                .isEqualTo(Duration.ofSeconds(255));
        assertThat(warnings).last().isEqualTo(
                "(VI_1) VRRPv2 advertisement interval 300.00s is out of range. Must be less than 256s. Setting to 255s");
        assertThatThrownBy(() -> vi().advertInterval(Duration.ZERO).build(warnings::add))
                .isInstanceOf(VrrpConfigException.class).hasMessageContaining("advert_int 0s");
    }

    @Test
    void v3AdvertIntervalIsInCentiseconds() {
        VrrpInstanceConfig c = vi().version(3).advertInterval(Duration.ofMillis(123)).build(warnings::add);
        assertThat(c.advertInterval()).isEqualTo(Duration.ofMillis(120));
        assertThat(c.advertIntervalWireValue()).isEqualTo(12);
        assertThat(warnings).containsExactly("(VI_1) VRRPv3 advertisement interval 0.123000s must be in units of 10ms - rounding");
        assertThat(vi().version(3).advertInterval(Duration.ofSeconds(50)).build(warnings::add).advertIntervalWireValue())
                .isEqualTo(4095);
    }

    @Test
    void authPasswordIsTruncatedAndForbiddenWithV3() {
        VrrpInstanceConfig c = vi().authentication(AuthType.PASS, "averylongsecret").build(warnings::add);
        assertThat(c.authPassword()).isEqualTo("averylon");
        assertThat(warnings).containsExactly("(VI_1) Truncating auth_pass to 8 characters");
        assertThatThrownBy(() -> vi().version(3).authentication(AuthType.PASS, "secret").build(warnings::add))
                .isInstanceOf(VrrpConfigException.class)
                .hasMessageContaining("VRRP version 3 does not support authentication");
        assertThatThrownBy(() -> vi().authentication(AuthType.PASS, "").build(warnings::add))
                .isInstanceOf(VrrpConfigException.class).hasMessageContaining("no password given");
        warnings.clear();
        VrrpInstanceConfig ah = vi().state(VrrpState.MASTER).priority(150).authentication(AuthType.AH, "pw")
                .build(warnings::add);
        assertThat(ah.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(warnings).containsExactly("(VI_1) Initial state master is incompatible with AH authentication - clearing");
    }

    @Test
    void rangesAreCheckedAndNamed() {
        assertThatThrownBy(() -> vi().virtualRouterId(0).build(warnings::add))
                .hasMessage("(VI_1) virtual_router_id 0 is out of range; accepted 1..255");
        assertThatThrownBy(() -> vi().virtualRouterId(256).build(warnings::add))
                .hasMessageContaining("virtual_router_id 256");
        assertThatThrownBy(() -> vi().priority(0).build(warnings::add))
                .hasMessage("(VI_1) priority 0 is out of range; accepted 1..255");
        assertThatThrownBy(() -> vi().priority(256).build(warnings::add)).hasMessageContaining("priority 256");
        assertThatThrownBy(() -> vi().version(4).build(warnings::add))
                .hasMessage("(VI_1) version 4 is invalid; accepted 2 or 3");
        assertThatThrownBy(() -> vi().downTimerAdverts(0).build(warnings::add))
                .hasMessage("(VI_1) down_timer_adverts 0 is out of range; accepted 1..100");
        assertThatThrownBy(() -> vi().downTimerAdverts(101).build(warnings::add))
                .hasMessageContaining("down_timer_adverts 101");
        assertThatThrownBy(() -> vi().state(VrrpState.FAULT).build(warnings::add))
                .hasMessageContaining("state FAULT is invalid; accepted MASTER or BACKUP");
        assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_1").virtualRouterId(1).build(warnings::add))
                .hasMessage("(VI_1) interface is required");
        assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").build(warnings::add))
                .hasMessageContaining("virtual router id must be set");
        assertThatThrownBy(() -> vi().garpMasterRepeat(-1).build(warnings::add))
                .hasMessageContaining("garp_master_repeat '-1'");
        warnings.clear();
        assertThat(vi().garpMasterRepeat(0).build(warnings::add).garpMasterRepeat()).isEqualTo(1);
        assertThat(warnings).containsExactly("(VI_1): garp_master_repeat must be greater than 0, setting to 1");
    }

    @Test
    void addressFamiliesAndVersions() {
        VrrpInstanceConfig v6 = VrrpInstanceConfig.builder("VI_6").interfaceName("eth0").virtualRouterId(1)
                .virtualAddress("fe80::1/64").virtualAddress("2001:db8::1").build(warnings::add);
        assertThat(v6.version()).isEqualTo(3);
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6.virtualAddresses().get(1).prefixLength()).isEqualTo(128);
        assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_6").interfaceName("eth0").virtualRouterId(1)
                .version(2).virtualAddress("2001:db8::1").build(warnings::add))
                .hasMessageContaining("cannot use IPv6 with VRRP version 2");
        assertThatThrownBy(() -> vi().virtualAddress("2001:db8::1").build(warnings::add))
                .hasMessageContaining("virtual_ipaddress 2001:db8:0:0:0:0:0:1/128 is of a different address family");
        assertThatThrownBy(() -> VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").virtualRouterId(1)
                .version(3).build(warnings::add))
                .hasMessage("(VI_1) No VIP specified; at least one is required");
        assertThatThrownBy(() -> vi().unicastPeer("2001:db8::2").build(warnings::add))
                .hasMessageContaining("unicast_peer 2001:db8:0:0:0:0:0:2 is not of the VIPs' address family");
        assertThatThrownBy(() -> vi().unicastPeer("10.0.0.300").build(warnings::add))
                .hasMessageContaining("'10.0.0.300' is not an IP address literal");
        assertThatThrownBy(() -> vi().unicastPeer("example.com").build(warnings::add))
                .hasMessageContaining("'example.com' is not an IP address literal");
        VrrpInstanceConfig unicast = vi().sourceAddress("10.0.0.1").unicastPeer("10.0.0.2").build(warnings::add);
        assertThat(unicast.isUnicast()).isTrue();
        assertThat(unicast.sourceAddress()).contains(TestLan.ip("10.0.0.1"));
    }

    @Test
    void trackReferencesAreValidated() {
        assertThatThrownBy(() -> vi().trackScript(TrackScript.of("chk", 254)).build(warnings::add))
                .hasMessage("track_script chk weight 254 is out of range; accepted -253..253");
        assertThatThrownBy(() -> vi().trackInterface(TrackInterface.of("eth1", -254)).build(warnings::add))
                .hasMessageContaining("track_interface eth1 weight -254");
        assertThatThrownBy(() -> vi().trackScript("chk").trackScript("chk").build(warnings::add))
                .hasMessage("(VI_1) duplicate track_script chk");
    }

    @Test
    void virtualAddressParsing() {
        VirtualAddress a = VirtualAddress.parse("192.168.200.16/24 dev eth1");
        assertThat(a.address()).isEqualTo(TestLan.ip("192.168.200.16"));
        assertThat(a.prefixLength()).isEqualTo(24);
        assertThat(a.device()).contains("eth1");
        assertThat(a).hasToString("192.168.200.16/24 dev eth1");
        assertThat(VirtualAddress.parse("10.1.1.1").prefixLength()).isEqualTo(32);
        assertThatThrownBy(() -> VirtualAddress.parse("10.1.1.1/33"))
                .hasMessage("virtual_ipaddress 10.1.1.1: prefix length 33 is out of range; accepted 0..32");
        assertThatThrownBy(() -> VirtualAddress.parse("10.1.1.1/24 label eth0:1"))
                .hasMessageContaining("unsupported option 'label'");
    }

    @Test
    void scriptCommandSplitsLikeAShell() {
        assertThat(ScriptCommand.parse("/bin/notify.sh  \"VI 1\" 'a b' c\\ d").argv())
                .containsExactly("/bin/notify.sh", "VI 1", "a b", "c d");
        assertThat(ScriptCommand.parse("x \"say \\\"hi\\\"\"").argv()).containsExactly("x", "say \"hi\"");
        assertThatThrownBy(() -> ScriptCommand.parse("x 'open")).hasMessageContaining("unterminated ' quote");
        assertThatThrownBy(() -> ScriptCommand.parse("   ")).hasMessageContaining("a program is required");
        assertThat(ScriptCommand.of("a", "b").withArguments("c").argv()).containsExactly("a", "b", "c");
    }

    @Test
    void vrrpScriptDefaultsAndValidation() {
        VrrpScriptConfig s = VrrpScriptConfig.builder("chk").script("/bin/true").build();
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.weight()).isZero();
        assertThat(s.rise()).isEqualTo(1);
        assertThat(s.fall()).isEqualTo(1);
        assertThat(s.initFail()).isFalse();
        assertThat(VrrpScriptConfig.builder("chk").script("x").interval(Duration.ofSeconds(3)).build().timeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> VrrpScriptConfig.builder("chk").script("x").weight(-254).build())
                .hasMessage("VRRP_Script(chk) weight -254 is out of range; accepted -253..253");
        assertThatThrownBy(() -> VrrpScriptConfig.builder("chk").script("x").rise(0).build())
                .hasMessage("VRRP_Script(chk) rise 0 is invalid; accepted >= 1");
        assertThatThrownBy(() -> VrrpScriptConfig.builder("chk").script("x").fall(0).build())
                .hasMessageContaining("fall 0");
        assertThatThrownBy(() -> VrrpScriptConfig.builder("chk").script("x").interval(Duration.ZERO).build())
                .hasMessageContaining("interval PT0S is invalid");
        assertThatThrownBy(() -> VrrpScriptConfig.builder("chk").build())
                .hasMessageContaining("has no script");
    }

    @Test
    void syncGroupValidation() {
        List<String> w = new ArrayList<>();
        VrrpSyncGroupConfig g = VrrpSyncGroupConfig.builder("G1").member("VI_1").build(w::add);
        assertThat(g.members()).containsExactly("VI_1");
        assertThat(w).containsExactly("Sync group G1 has only 1 virtual router(s) - this probably isn't what you want");
        assertThatThrownBy(() -> VrrpSyncGroupConfig.builder("G1").build(w::add)).hasMessageContaining("no virtual router");
        assertThatThrownBy(() -> VrrpSyncGroupConfig.builder("G1").members("A", "A").build(w::add))
                .hasMessageContaining("lists an instance twice");
    }

    @Test
    void engineResolvesReferences() {
        ManualVrrpScheduler s = new ManualVrrpScheduler();
        VrrpActions none = new NoActions();
        VrrpInstanceConfig c = vi().trackScript("chk_missing").build(warnings::add);
        assertThatThrownBy(() -> VrrpEngine.builder(s, none).scriptExecutor(new FakeScriptExecutor()).instance(c).build())
                .hasMessage("(VI_1) track script chk_missing not found; defined vrrp_scripts: []");
        VrrpInstanceConfig c2 = VrrpInstanceConfig.builder("VI_2").interfaceName("eth0").virtualRouterId(51)
                .virtualAddress("10.0.0.1").build(warnings::add);
        assertThatThrownBy(() -> VrrpEngine.builder(s, none).instance(vi().build(warnings::add)).instance(c2).build())
                .hasMessage("(VI_2) virtual_router_id 51 is already used by (VI_1) on interface eth0");
        VrrpSyncGroupConfig g = VrrpSyncGroupConfig.builder("G").members("VI_1", "VI_9").build(warnings::add);
        assertThatThrownBy(() -> VrrpEngine.builder(s, none).instance(vi().build(warnings::add)).syncGroup(g).build())
                .hasMessageContaining("Virtual router VI_9 specified in sync group G doesn't exist");
        VrrpInstanceConfig notifying = vi().notifyMaster("/bin/x").build(warnings::add);
        assertThatThrownBy(() -> VrrpEngine.builder(s, none).instance(notifying).build())
                .hasMessageContaining("has notify scripts but the engine has no ScriptExecutor");
    }

    static final class NoActions implements VrrpActions {
        @Override
        public void sendAdvert(VrrpInstance instance, int priority) {
        }

        @Override
        public void addAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
        }

        @Override
        public void removeAddresses(VrrpInstance instance, List<VirtualAddress> addresses) {
        }

        @Override
        public void sendGratuitousArps(VrrpInstance instance, List<VirtualAddress> addresses) {
        }
    }
}
