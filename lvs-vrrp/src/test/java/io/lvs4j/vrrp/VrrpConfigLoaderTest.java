package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link VrrpConfigLoader}: keepalived's samples, every supported keyword, bad values and unknown keywords. */
class VrrpConfigLoaderTest {

    static final Path FILE = Path.of("/virtual/etc/keepalived/keepalived.conf");

    static KeepalivedConfig.Options options() {
        return KeepalivedConfig.Options.builder().configId("main").environment(Map.of()).randomSeed(1).build();
    }

    static VrrpConfigLoader.Result load(String text) {
        return VrrpConfigLoader.load(KeepalivedConfig.parseText(text, FILE, options()));
    }

    static VrrpDaemonConfig ok(String text) {
        VrrpConfigLoader.Result r = load(text);
        assertThat(r.errors()).as("errors").isEmpty();
        return r.config().orElseThrow();
    }

    static Path resource(String name) {
        URL url = VrrpConfigLoaderTest.class.getResource("conf/" + name);
        assertThat(url).as(name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static VrrpConfigLoader.Result sample(String name) throws IOException {
        return VrrpConfigLoader.load(resource(name), options());
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** "line: SEVERITY: message" for compact assertions on one file. */
    static List<String> diagnostics(VrrpConfigLoader.Result r) {
        return r.diagnostics().stream().map(d -> d.line() + ": " + d.severity() + ": " + d.message()).toList();
    }

    // ------------------------------------------------------------------------------ keepalived's samples

    @Test
    void vrrpScriptsSample() throws IOException {
        VrrpConfigLoader.Result r = sample("samples/keepalived.conf.vrrp.scripts");
        assertThat(r.diagnostics()).isEmpty();
        VrrpDaemonConfig c = r.config().orElseThrow();
        assertThat(c.instances()).extracting(VrrpInstanceConfig::name).containsExactly("VI_1", "VI_2", "VI_3");

        VrrpInstanceConfig vi1 = c.instance("VI_1").orElseThrow();
        assertThat(vi1.initialState()).isEqualTo(VrrpState.MASTER);
        assertThat(vi1.priority()).isEqualTo(100);
        assertThat(vi1.interfaceName()).isEqualTo("eth0");
        assertThat(vi1.virtualRouterId()).isEqualTo(51);
        assertThat(vi1.version()).isEqualTo(2);
        assertThat(vi1.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(vi1.authType()).isEqualTo(AuthType.PASS);
        assertThat(vi1.authPassword()).isEqualTo("1111");
        assertThat(vi1.virtualAddresses()).extracting(VirtualAddress::toString)
                .containsExactly("192.168.200.16/32", "192.168.200.17/32", "192.168.200.18/32");
        assertThat(vi1.notifyBackup().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.sh", "BACKUP", "VI_1");
        assertThat(vi1.notifyMaster().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.sh", "MASTER", "VI_1");
        assertThat(vi1.notifyFault().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.sh", "FAULT", "VI_1");

        VrrpInstanceConfig vi2 = c.instance("VI_2").orElseThrow();
        assertThat(vi2.priority()).isEqualTo(150);
        assertThat(vi2.virtualAddresses()).containsExactly(VirtualAddress.of(ip("192.168.200.100"), 27));
        assertThat(vi2.authType()).isEqualTo(AuthType.NONE);

        assertThat(c.syncGroups()).hasSize(1);
        VrrpSyncGroupConfig g = c.syncGroups().get(0);
        assertThat(g.name()).isEqualTo("G1");
        assertThat(g.members()).containsExactly("VI_2", "VI_3");
        assertThat(g.notifyBackup().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.back", "arg1", "arg2");
        assertThat(g.notifyMaster().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.mast", "arg1", "arg2");
        assertThat(g.notifyFault().orElseThrow().argv()).containsExactly("/usr/local/bin/vrrp.fault", "arg1", "arg2");
    }

    @Test
    void sslGetSampleHasAhAuthAndSkipsTheVirtualServers() throws IOException {
        VrrpConfigLoader.Result r = sample("samples/keepalived.conf.SSL_GET");
        assertThat(r.errors()).isEmpty();
        // keepalived clears state MASTER with AH unless the priority is 255; nothing about virtual_server
        assertThat(diagnostics(r)).containsExactly(
                "14: WARNING: (VI_1) Initial state master is incompatible with AH authentication - clearing");
        assertThat(r.diagnostics().get(0).file()).isEqualTo(resource("samples/keepalived.conf.SSL_GET"));
        VrrpInstanceConfig vi1 = r.config().orElseThrow().instance("VI_1").orElseThrow();
        assertThat(vi1.authType()).isEqualTo(AuthType.AH);
        assertThat(vi1.authPassword()).isEqualTo("1111");
        assertThat(vi1.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(vi1.virtualAddresses()).hasSize(3);
    }

    @Test
    void sampleWithNopreempt() throws IOException {
        VrrpConfigLoader.Result r = sample("samples/keepalived.conf.sample");
        assertThat(r.diagnostics()).isEmpty();
        VrrpInstanceConfig vi1 = r.config().orElseThrow().instance("VI_1").orElseThrow();
        assertThat(vi1.nopreempt()).isTrue();
        assertThat(vi1.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(vi1.virtualRouterId()).isEqualTo(50);
        assertThat(r.config().orElseThrow().routerId()).contains("LVS_DEVEL");
    }

    @Test
    void flattenedSeedHasNoInterfaceAsKeepalivedReadsIt() throws IOException {
        // keepalived reads the one-line config as one line per brace: 'state' swallows 'interface ...'
        VrrpConfigLoader.Result r = sample("seeds/seed002-lc7-flattened.conf");
        assertThat(diagnostics(r)).containsExactly(
                "1: ERROR: (VI_1) has no 'interface'; the interface adverts are sent and received on is required");
        assertThat(r.config()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"samples/keepalived.conf.misc_check_arg", "samples/keepalived.conf.quorum",
            "seeds/seed000-lvs-dr-master.conf", "seeds/seed000-lvs-dr-backup.conf", "seeds/seed002-lc1.conf",
            "seeds/seed004-lvs1.conf", "seeds/seed004-lvs1-verbatim.conf",
            "seeds/seed004-lvs2.conf", "seeds/seed004-nopreempt.conf", "seeds/seed004-vrrp-script.conf"})
    void seedsLoadWithoutErrors(String name) throws IOException {
        VrrpConfigLoader.Result r = sample(name);
        assertThat(r.errors()).as(name).isEmpty();
        assertThat(r.config()).as(name).isPresent();
    }

    @Test
    void seedWithScriptAndPreemptDelay() throws IOException {
        VrrpConfigLoader.Result r = sample("seeds/seed004-vrrp-script.conf");
        assertThat(diagnostics(r)).containsExactly(
                "20: WARNING: (VI_1) Warning - preempt delay will not work with initial state MASTER - clearing");
        VrrpDaemonConfig c = r.config().orElseThrow();
        VrrpScriptConfig s = c.scripts().get(0);
        assertThat(s.name()).isEqualTo("chk_nfs");
        assertThat(s.command().argv()).containsExactly("/bin/pidof", "nfsd");
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.weight()).isEqualTo(-90);
        assertThat(s.fall()).isEqualTo(3);
        assertThat(s.rise()).isEqualTo(1);
        VrrpInstanceConfig vi1 = c.instance("VI_1").orElseThrow();
        assertThat(vi1.trackScripts()).containsExactly(TrackScript.of("chk_nfs"));
        assertThat(vi1.preemptDelay()).isZero();
        assertThat(vi1.priority()).isEqualTo(150);
    }

    // ------------------------------------------------------------------------------ every keyword

    @Test
    void everySupportedKeyword() {
        VrrpConfigLoader.Result r = load("""
                global_defs {
                    router_id edge-1
                    vrrp_version 3
                    vrrp_garp_master_delay 7
                    vrrp_garp_master_repeat 3
                    vrrp_garp_master_refresh 60
                    vrrp_garp_master_refresh_repeat 2
                    vrrp_down_timer_adverts 4
                    vrrp_lower_prio_no_advert
                    vrrp_higher_prio_send_advert true
                    vrrp_notify_priority_changes on
                    vrrp_check_unicast_src
                    vrrp_skip_check_adv_addr
                    log_unknown_vrids
                    vrrp_notify_fifo /run/keepalived/vrrp.fifo
                    notify_fifo /run/keepalived/all.fifo
                    vrrp_mcast_group4 224.0.0.19
                    vrrp_mcast_group6 ff02::13
                    vrrp_startup_delay 1.5
                    smtp_server 192.0.2.1
                    notification_email { ops@example.com }
                }
                vrrp_script chk_web {
                    script "/usr/bin/curl -sf 'http://127.0.0.1/health check'"
                    interval 2
                    timeout 1.5
                    weight -20 reverse
                    rise 3
                    fall 2
                    init_fail
                }
                vrrp_script chk_db {
                    script /usr/local/bin/chk_db
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.25
                    virtual_ipaddress {
                        198.18.0.100/24 dev eth0 label eth0:vip
                        198.18.0.101
                    }
                    virtual_ipaddress_excluded {
                        198.18.1.1/24 dev eth1
                        2001:db8::1/64
                    }
                    mcast_src_ip 198.18.0.1
                    track_script {
                        chk_web
                        chk_db weight 10 noreverse
                    }
                    track_interface {
                        eth1
                        eth2 weight -30 reverse
                    }
                    dont_track_primary
                    notify_master "/etc/keepalived/notify.sh master 'VI 1'"
                    notify_backup /etc/keepalived/backup.sh
                    notify_fault /etc/keepalived/fault.sh
                    notify_stop /etc/keepalived/stop.sh
                    notify_master_rx_lower_pri /etc/keepalived/lower.sh
                    notify /etc/keepalived/notify-all.sh
                    notify_priority_changes off
                    garp_master_delay 2
                    garp_master_repeat 4
                    garp_lower_prio_delay 3
                    garp_lower_prio_repeat 6
                    garp_master_refresh 30
                    garp_master_refresh_repeat 1
                    down_timer_adverts 5
                    lower_prio_no_advert false
                    higher_prio_send_advert no
                    v3_checksum_as_v2
                    skip_check_adv_addr off
                    smtp_alert
                    accept
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 52
                    priority 90
                    version 2
                    advert_int 2
                    nopreempt
                    authentication {
                        auth_type PASS
                        auth_pass secret12345
                    }
                    virtual_ipaddress {
                        198.18.0.102/24
                    }
                    unicast_src_ip 198.18.0.1
                    unicast_peer {
                        198.18.0.2
                        198.18.0.3 min_ttl 250 max_ttl 255
                    }
                    unicast_ttl 64
                    check_unicast_src
                    old_unicast_checksum
                }
                vrrp_instance VI_3 {
                    interface eth0
                    virtual_router_id 53
                    preempt_delay 12.5
                    preempt
                    virtual_ipaddress {
                        fe80::1:1/64
                        2001:db8::100/64
                    }
                    old_unicast_checksum never
                    owner_ignore_adverts
                }
                vrrp_sync_group G1 {
                    group {
                        VI_1
                        VI_2
                    }
                    track_script {
                        chk_db weight 5
                    }
                    track_interface {
                        eth3 weight 7
                    }
                    notify_master "/etc/keepalived/group.sh MASTER"
                    notify_backup "/etc/keepalived/group.sh BACKUP"
                    notify_fault "/etc/keepalived/group.sh FAULT"
                    notify_stop "/etc/keepalived/group.sh STOP"
                    notify /etc/keepalived/group-all.sh
                    sync_group_tracking_weight
                }
                virtual_server 198.18.0.100 80 {
                    lb_algo rr
                    real_server 198.18.2.1 80 {
                        TCP_CHECK { connect_timeout 3 }
                    }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(diagnostics(r)).containsExactly(
                "52: WARNING: (VI_1) track_script chk_db is configured on VRRP instance and sync group. Remove"
                        + " vrrp instance config",
                "89: WARNING: (VI_2) Truncating auth_pass to 8 characters");
        VrrpDaemonConfig c = r.config().orElseThrow();

        assertThat(c.routerId()).contains("edge-1");
        assertThat(c.logUnknownVrids()).isTrue();
        assertThat(c.notifyFifos()).containsExactly(Path.of("/run/keepalived/vrrp.fifo"), Path.of("/run/keepalived/all.fifo"));
        assertThat(c.multicastGroup4()).isEqualTo(ip("224.0.0.19"));
        assertThat(c.multicastGroup6()).isEqualTo(ip("ff02::13"));
        assertThat(c.startupDelay()).isEqualTo(Duration.ofMillis(1500));

        VrrpScriptConfig web = c.scripts().stream().filter(s -> s.name().equals("chk_web")).findFirst().orElseThrow();
        assertThat(web.command().argv()).containsExactly("/usr/bin/curl", "-sf", "http://127.0.0.1/health check");
        assertThat(web.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(web.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(web.weight()).isEqualTo(-20);
        assertThat(web.reverse()).isTrue();
        assertThat(web.rise()).isEqualTo(3);
        assertThat(web.fall()).isEqualTo(2);
        assertThat(web.initFail()).isTrue();

        VrrpInstanceConfig vi1 = c.instance("VI_1").orElseThrow();
        assertThat(vi1.initialState()).isEqualTo(VrrpState.MASTER);
        assertThat(vi1.version()).as("global vrrp_version").isEqualTo(3);
        assertThat(vi1.advertInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(vi1.advertIntervalWireValue()).isEqualTo(25);
        assertThat(vi1.virtualAddresses()).containsExactly(
                new VirtualAddress(ip("198.18.0.100"), 24, Optional.of("eth0")), VirtualAddress.of(ip("198.18.0.101")));
        assertThat(vi1.sourceAddress()).contains(ip("198.18.0.1"));
        assertThat(vi1.trackScripts()).containsExactly(TrackScript.of("chk_web"));
        assertThat(vi1.trackInterfaces()).containsExactly(TrackInterface.of("eth1"), new TrackInterface("eth2", -30, true));
        assertThat(vi1.dontTrackPrimary()).isTrue();
        assertThat(vi1.notifyMaster().orElseThrow().argv()).containsExactly("/etc/keepalived/notify.sh", "master", "VI 1");
        assertThat(vi1.notifyBackup().orElseThrow().argv()).containsExactly("/etc/keepalived/backup.sh");
        assertThat(vi1.notifyFault().orElseThrow().argv()).containsExactly("/etc/keepalived/fault.sh");
        assertThat(vi1.notifyStop().orElseThrow().argv()).containsExactly("/etc/keepalived/stop.sh");
        assertThat(vi1.notifyMasterRxLowerPri().orElseThrow().argv()).containsExactly("/etc/keepalived/lower.sh");
        assertThat(vi1.notifyScript().orElseThrow().argv()).containsExactly("/etc/keepalived/notify-all.sh");
        assertThat(vi1.notifyPriorityChanges()).isFalse();
        assertThat(vi1.garpMasterDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(vi1.garpMasterRepeat()).isEqualTo(4);
        assertThat(vi1.garpLowerPrioDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(vi1.garpLowerPrioRepeat()).isEqualTo(6);
        assertThat(vi1.garpMasterRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(vi1.garpMasterRefreshRepeat()).isEqualTo(1);
        assertThat(vi1.downTimerAdverts()).isEqualTo(5);
        assertThat(vi1.lowerPrioNoAdvert()).isFalse();
        assertThat(vi1.higherPrioSendAdvert()).isFalse();
        assertThat(vi1.v3ChecksumAsV2()).isTrue();
        VrrpInstanceHostOptions h1 = c.hostOptions("VI_1");
        assertThat(h1.excludedAddresses()).containsExactly(
                new VirtualAddress(ip("198.18.1.1"), 24, Optional.of("eth1")), VirtualAddress.of(ip("2001:db8::1"), 64));
        assertThat(h1.labels()).containsExactly(
                Map.entry(new VirtualAddress(ip("198.18.0.100"), 24, Optional.of("eth0")), "eth0:vip"));
        assertThat(h1.skipCheckAdvertAddresses()).as("instance off overrides global").isFalse();
        assertThat(h1.checkUnicastSource()).as("global vrrp_check_unicast_src").isTrue();

        VrrpInstanceConfig vi2 = c.instance("VI_2").orElseThrow();
        assertThat(vi2.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(vi2.version()).isEqualTo(2);
        assertThat(vi2.advertIntervalWireValue()).isEqualTo(2);
        assertThat(vi2.nopreempt()).isTrue();
        assertThat(vi2.authType()).isEqualTo(AuthType.PASS);
        assertThat(vi2.authPassword()).isEqualTo("secret12");
        assertThat(vi2.unicastPeers()).containsExactly(ip("198.18.0.2"), ip("198.18.0.3"));
        assertThat(vi2.lowerPrioNoAdvert()).as("global vrrp_lower_prio_no_advert").isTrue();
        assertThat(vi2.higherPrioSendAdvert()).as("global vrrp_higher_prio_send_advert").isTrue();
        assertThat(vi2.notifyPriorityChanges()).as("global vrrp_notify_priority_changes").isTrue();
        assertThat(vi2.garpMasterDelay()).as("global").isEqualTo(Duration.ofSeconds(7));
        assertThat(vi2.garpMasterRepeat()).as("global").isEqualTo(3);
        assertThat(vi2.garpLowerPrioDelay()).as("defaults to garp_master_delay").isEqualTo(Duration.ofSeconds(7));
        assertThat(vi2.garpLowerPrioRepeat()).as("defaults to garp_master_repeat").isEqualTo(3);
        assertThat(vi2.garpMasterRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(vi2.garpMasterRefreshRepeat()).isEqualTo(2);
        assertThat(vi2.downTimerAdverts()).isEqualTo(4);
        VrrpInstanceHostOptions h2 = c.hostOptions("VI_2");
        assertThat(h2.unicastTtl()).isEqualTo(64);
        assertThat(h2.checkUnicastSource()).isTrue();
        assertThat(h2.oldUnicastChecksum()).isTrue();
        assertThat(h2.skipCheckAdvertAddresses()).as("global").isTrue();
        assertThat(h2.unicastPeers()).containsExactly(ReceiverSettings.UnicastPeer.of(ip("198.18.0.2")),
                new ReceiverSettings.UnicastPeer(ip("198.18.0.3"), 250, 255));

        VrrpInstanceConfig vi3 = c.instance("VI_3").orElseThrow();
        assertThat(vi3.isIpv6()).isTrue();
        assertThat(vi3.version()).isEqualTo(3);
        assertThat(vi3.priority()).isEqualTo(100);
        assertThat(vi3.initialState()).isEqualTo(VrrpState.BACKUP);
        assertThat(vi3.preemptDelay()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(vi3.nopreempt()).isFalse();
        assertThat(c.hostOptions("VI_3").detectOldUnicastChecksum()).isFalse();
        assertThat(c.hostOptions("VI_3").ownerIgnoreAdverts()).isTrue();

        VrrpSyncGroupConfig g = c.syncGroups().get(0);
        assertThat(g.members()).containsExactly("VI_1", "VI_2");
        assertThat(g.trackScripts()).containsExactly(TrackScript.of("chk_db", 5));
        assertThat(g.trackInterfaces()).containsExactly(TrackInterface.of("eth3", 7));
        assertThat(g.notifyMaster().orElseThrow().argv()).containsExactly("/etc/keepalived/group.sh", "MASTER");
        assertThat(g.notifyBackup().orElseThrow().argv()).containsExactly("/etc/keepalived/group.sh", "BACKUP");
        assertThat(g.notifyFault().orElseThrow().argv()).containsExactly("/etc/keepalived/group.sh", "FAULT");
        assertThat(g.notifyStop().orElseThrow().argv()).containsExactly("/etc/keepalived/group.sh", "STOP");
        assertThat(g.notifyScript().orElseThrow().argv()).containsExactly("/etc/keepalived/group-all.sh");
    }

    @Test
    void minGarpAndGlobalLowerPrioSettings() {
        VrrpDaemonConfig c = ok("""
                global_defs {
                    vrrp_min_garp
                    vrrp_garp_lower_prio_delay 9
                    vrrp_garp_lower_prio_repeat 2
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress { 198.18.0.100 }
                }
                """);
        VrrpInstanceConfig vi = c.instances().get(0);
        assertThat(vi.garpMasterRepeat()).isEqualTo(1);
        assertThat(vi.garpMasterDelay()).isZero();
        assertThat(vi.garpLowerPrioDelay()).isEqualTo(Duration.ofSeconds(9));
        assertThat(vi.garpLowerPrioRepeat()).isEqualTo(2);
        assertThat(vi.version()).isEqualTo(2);
        assertThat(vi.priority()).isEqualTo(100);
        assertThat(vi.initialState()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void keepalivedDerivedDefaultsAndAdjustments() {
        VrrpConfigLoader.Result r = load("""
                vrrp_instance OWNER {
                    state MASTER
                    interface eth0
                    virtual_router_id 1
                    nopreempt
                    advert_int 1.4
                    virtual_ipaddress { 198.18.0.100 }
                }
                vrrp_instance SIX {
                    interface eth0
                    virtual_router_id 2
                    version 2
                    advert_int 0.123
                    virtual_ipaddress { fe80::5 }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(diagnostics(r)).containsExactly(
                "6: WARNING: (OWNER) VRRPv2 advertisement interval 1.400000s must be an integer - rounding",
                "5: WARNING: (OWNER) nopreempt is incompatible with priority 255 - resetting nopreempt",
                "12: WARNING: (SIX) cannot use IPv6 with VRRP version 2; setting version 3",
                "13: WARNING: (SIX) VRRPv3 advertisement interval 0.123000s must be in units of 10ms - rounding");
        VrrpDaemonConfig c = r.config().orElseThrow();
        VrrpInstanceConfig owner = c.instance("OWNER").orElseThrow();
        assertThat(owner.priority()).as("state MASTER without priority").isEqualTo(255);
        assertThat(owner.nopreempt()).isFalse();
        assertThat(owner.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        VrrpInstanceConfig six = c.instance("SIX").orElseThrow();
        assertThat(six.version()).isEqualTo(3);
        assertThat(six.advertInterval()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void syncGroupMembersTrackWithWeightZeroUnlessAsked() {
        VrrpConfigLoader.Result r = load("""
                vrrp_script chk { script /bin/true
                    weight 20 }
                vrrp_sync_group G {
                    group { A B }
                }
                vrrp_instance A {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress { 198.18.0.100 }
                    track_script { chk }
                    track_interface { eth1 weight 10 }
                }
                vrrp_instance B {
                    interface eth0
                    virtual_router_id 2
                    virtual_ipaddress { 198.18.0.101 }
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(diagnostics(r)).containsExactly(
                "10: WARNING: (A) track_script chk weight 20 is set to 0 since the instance is in sync group G"
                        + " (use sync_group_tracking_weight to keep weights)",
                "11: WARNING: (A) track_interface eth1 weight 10 is set to 0 since the instance is in sync group G"
                        + " (use sync_group_tracking_weight to keep weights)");
        VrrpInstanceConfig a = r.config().orElseThrow().instance("A").orElseThrow();
        assertThat(a.trackScripts()).containsExactly(TrackScript.of("chk", 0, false));
        assertThat(a.trackInterfaces()).containsExactly(TrackInterface.of("eth1"));
        assertThat(r.config().orElseThrow().syncGroups().get(0).members()).containsExactly("A", "B");
    }

    @Test
    void scriptArgumentsSurviveQuotingExactly() {
        for (List<String> argv : List.of(List.of("/bin/echo", "a b", "it's", "\"q\"", "back\\slash", ""),
                List.of("/usr/bin/x"))) {
            assertThat(ScriptCommand.parse(VrrpConfigLoader.commandLine(argv)).argv()).isEqualTo(argv);
        }
        VrrpDaemonConfig c = ok("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress { 198.18.0.100 }
                    notify "/bin/notify.sh \\"two words\\" 'single quoted' last"
                }
                """);
        assertThat(c.instances().get(0).notifyScript().orElseThrow().argv())
                .containsExactly("/bin/notify.sh", "two words", "single quoted", "last");
    }

    // ------------------------------------------------------------------------------ bad values

    @Test
    void everyBadValueIsAnErrorAtItsLine() {
        VrrpConfigLoader.Result r = load("""
                global_defs {
                    vrrp_version 4
                    vrrp_garp_master_delay soon
                    vrrp_lower_prio_no_advert maybe
                    vrrp_mcast_group4 198.18.0.1
                    vrrp_notify_fifo relative/fifo
                }
                vrrp_script chk {
                    script "/bin/true"
                    interval abc
                    weight 300
                    rise 0
                    fall -1
                }
                vrrp_instance VI_1 {
                    state Master
                    interface eth0
                    virtual_router_id 300
                    priority 0
                    advert_int -1
                    preempt_delay 1001
                    authentication {
                        auth_type FOO
                        auth_pass 1111
                    }
                    virtual_ipaddress {
                        10.0.0.x
                        10.0.0.1/33
                        10.0.0.2/24 dev eth0 foo
                        2001:db8::1
                    }
                    unicast_peer {
                        198.18.0.2 min_ttl 300
                        198.18.0.300
                    }
                    unicast_ttl 256
                    mcast_src_ip not-an-ip
                    track_script {
                        chk weight 500
                        chk wheight 5
                    }
                    track_interface {
                        eth1 weight x
                    }
                    garp_master_repeat -2
                    down_timer_adverts 101
                    lower_prio_no_advert perhaps
                }
                """);
        assertThat(diagnostics(r).stream().filter(d -> d.contains("ERROR")).toList()).containsExactly(
                "2: ERROR: Value '4' for 'vrrp_version' is outside range [2, 3]",
                "3: ERROR: Invalid value 'soon' for 'vrrp_garp_master_delay': expected an integer in [0, 4294]",
                "4: ERROR: Invalid value 'maybe' for 'vrrp_lower_prio_no_advert': expected a <BOOL>, one of"
                        + " on|off|true|false|yes|no (the keyword alone means true)",
                "5: ERROR: vrrp_mcast_group4 '198.18.0.1' is not an IPv4 multicast address; accepted 224.0.0.0/4",
                "6: ERROR: vrrp_notify_fifo 'relative/fifo' is not an absolute path; accepted /path/to/fifo",
                "10: ERROR: Invalid value 'abc' for 'interval': expected a <TIMER>, seconds with up to 6 decimal"
                        + " places, in [0.001, 4294]",
                "11: ERROR: Value '300' for 'weight' is outside range [-253, 253]",
                "12: ERROR: Value '0' for 'rise' is outside range [1, 2147483647]",
                "13: ERROR: Value '-1' for 'fall' is outside range [1, 2147483647]",
                "16: ERROR: (VI_1) unknown state 'Master'; accepted MASTER or BACKUP (case-sensitive)",
                "18: ERROR: Value '300' for 'virtual_router_id' is outside range [1, 255]",
                "19: ERROR: Value '0' for 'priority' is outside range [1, 255]",
                "20: ERROR: Invalid value '-1' for 'advert_int': negative number; expected a <TIMER>, seconds with"
                        + " up to 6 decimal places, at least 0.000001",
                "21: ERROR: Value '1001' for 'preempt_delay' is outside range [0, 1000]: expected a <TIMER>, seconds"
                        + " with up to 6 decimal places, in [0, 1000]",
                "23: ERROR: (VI_1) unknown authentication type 'FOO'; accepted PASS or AH",
                "27: ERROR: (VI_1) VRRP parsed invalid IP 10.0.0.x in virtual_ipaddress; accepted <IPADDR>[/<MASK>]"
                        + " [dev <IFNAME>] [label <LABEL>] with a dotted-quad IPv4 or an IPv6 address",
                "28: ERROR: (VI_1) virtual_ipaddress 10.0.0.1/33: prefix length 33 is out of range; accepted 0..32",
                "29: ERROR: (VI_1) Unknown configuration entry 'foo' for ip address 10.0.0.2/24; accepted dev, label,"
                        + " -nodad, brd, scope, peer, home, mngtmpaddr, noprefixroute, autojoin, no_track,"
                        + " preferred_lft, track_group",
                "33: ERROR: (VI_1) unicast_peer 198.18.0.2 min_ttl '300' is not valid; accepted an integer in"
                        + " [0, 255]",
                "34: ERROR: (VI_1) unicast_peer: '198.18.0.300' is not an IP address literal; accepted: dotted-quad"
                        + " IPv4 or IPv6",
                "36: ERROR: Value '256' for 'unicast_ttl' is outside range [0, 255]",
                "37: ERROR: (VI_1) mcast_src_ip: 'not-an-ip' is not an IP address literal; accepted: dotted-quad"
                        + " IPv4 or IPv6",
                "39: ERROR: (VI_1) track script chk weight '500' is not valid; accepted an integer in [-253, 253]",
                "40: ERROR: (VI_1) track script chk: option 'wheight' is not valid; accepted <SCRIPT_NAME>"
                        + " [weight <-253..253> [reverse|noreverse]]",
                "43: ERROR: (VI_1) track_interface eth1 weight 'x' is not valid; accepted an integer in [-253, 253]",
                "45: ERROR: Value '-2' for 'garp_master_repeat' is outside range [0, 2147483647]",
                "46: ERROR: Value '101' for 'down_timer_adverts' is outside range [1, 100]",
                "47: ERROR: Invalid value 'perhaps' for 'lower_prio_no_advert': expected a <BOOL>, one of"
                        + " on|off|true|false|yes|no (the keyword alone means true)");
        assertThat(r.config()).isEmpty();
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.file()).isEqualTo(FILE));
    }

    @Test
    void oneAddressFamilyPerInstance() {
        VrrpConfigLoader.Result r = load("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress {
                        198.18.0.100/24
                        2001:db8::1
                    }
                }
                """);
        assertThat(diagnostics(r)).containsExactly("6: ERROR: (VI_1) virtual_ipaddress 2001:db8:0:0:0:0:0:1/128:"
                + " address family must match the first VIP's (198.18.0.100/24); put other families in"
                + " virtual_ipaddress_excluded");
    }

    @Test
    void builderRefusalsCarryTheLineOfTheKeyword() {
        VrrpConfigLoader.Result r = load("""
                vrrp_instance V3AUTH {
                    interface eth0
                    version 3
                    virtual_router_id 1
                    authentication {
                        auth_type PASS
                        auth_pass 1234
                    }
                    virtual_ipaddress { 198.18.0.100 }
                }
                vrrp_instance NOVIP {
                    interface eth0
                    version 3
                    virtual_router_id 2
                }
                vrrp_instance NOIF {
                    virtual_router_id 3
                }
                vrrp_instance NOVRID {
                    interface eth0
                }
                vrrp_instance {
                    interface eth0
                }
                """);
        assertThat(diagnostics(r)).containsExactly(
                "5: ERROR: (V3AUTH) VRRP version 3 does not support authentication; auth_type PASS is accepted"
                        + " only with version 2",
                "11: ERROR: (NOVIP) No VIP specified; at least one is required",
                "16: ERROR: (NOIF) has no 'interface'; the interface adverts are sent and received on is required",
                "19: ERROR: (NOVRID) has no 'virtual_router_id'; accepted an integer in [1, 255]",
                "22: ERROR: vrrp_instance has no name; accepted vrrp_instance <NAME> { ... }");
    }

    @Test
    void referencesThatDoNotResolveAreErrors() {
        VrrpConfigLoader.Result r = load("""
                vrrp_script used { script /bin/true }
                vrrp_sync_group G1 {
                    group {
                        VI_1
                        GHOST
                    }
                    track_script { nope }
                }
                vrrp_sync_group G2 {
                    group { VI_1 }
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress { 198.18.0.100 }
                    track_script {
                        used
                        missing
                    }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress { 198.18.0.101 }
                }
                vrrp_instance VI_1 {
                    interface eth1
                    virtual_router_id 9
                }
                """);
        assertThat(diagnostics(r)).containsExactly(
                "10: ERROR: Virtual router VI_1 cannot exist in more than one sync group (G1, G2)",
                "18: ERROR: (VI_1) track script missing not found; defined vrrp_scripts: [used]",
                "23: ERROR: (VI_2) virtual_router_id 51 is already used by (VI_1) on interface eth0"
                        + " (/virtual/etc/keepalived/keepalived.conf:12); accepted a VRID unique per interface and"
                        + " address family",
                "26: ERROR: vrrp_instance VI_1 is defined twice (first at /virtual/etc/keepalived/keepalived.conf:12)",
                "5: ERROR: Virtual router GHOST specified in sync group G1 doesn't exist; defined vrrp_instances:"
                        + " [VI_1]",
                "7: ERROR: Sync group G1 track script nope not found; defined vrrp_scripts: [used]",
                "2: WARNING: Sync group G1 has only 1 virtual router(s) - this probably isn't what you want");
        assertThat(r.config()).isEmpty();
    }

    // ------------------------------------------------------------------------------ unknown and unsupported

    @Test
    void unknownKeywordsAreWarnedInVrrpBlocksOnly() {
        VrrpConfigLoader.Result r = load("""
                global_defs {
                    router_id X
                    bogus_global 1
                    script_user nobody
                    enable_script_security
                    vrrp_strict
                    lvs_sync_daemon eth0 VI_1
                }
                bogus_top 1
                static_ipaddress {
                    198.18.9.9/24 dev eth0
                }
                vrrp_script chk {
                    script /bin/true
                    bogus_script 1
                    user nobody
                }
                vrrp_sync_group G {
                    group { VI_1 VI_2 }
                    bogus_group yes
                    track_file { f }
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress {
                        198.18.0.100/24 scope global
                    }
                    track_script { chk }
                    bogus_instance 1
                    use_vmac
                    virtual_routes {
                        198.18.8.0/24 via 198.18.0.254
                    }
                    authentication {
                        auth_type PASS
                        auth_pass x
                        bogus_auth 1
                    }
                    notify_master "/bin/true" root
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 2
                    virtual_ipaddress { 198.18.0.101 }
                }
                virtual_server 198.18.0.100 80 {
                    bogus_vs 1
                    real_server 198.18.2.1 80 { bogus_rs 1 }
                }
                virtual_server_group VSG { 198.18.0.100 80 }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(diagnostics(r)).containsExactly(
                "3: WARNING: Unknown keyword 'bogus_global'",
                "4: WARNING: script_user is ignored by lvs4j: scripts run as the daemon's user",
                "5: WARNING: enable_script_security is not enforced by lvs4j: scripts run as the daemon's user"
                        + " without path checks",
                "6: WARNING: vrrp_strict is not supported by lvs4j - ignoring",
                "9: WARNING: Unknown keyword 'bogus_top'",
                "10: WARNING: static_ipaddress is not supported by lvs4j - ignoring",
                "15: WARNING: Unknown keyword 'bogus_script'",
                "16: WARNING: (chk) vrrp_script user nobody is ignored by lvs4j: scripts run as the daemon's user",
                "20: WARNING: Unknown keyword 'bogus_group'",
                "21: WARNING: Sync group G: track_file is not supported by lvs4j - ignoring",
                "27: WARNING: (VI_1) virtual_ipaddress 198.18.0.100/24: option 'scope' is not supported by lvs4j"
                        + " - ignoring",
                "30: WARNING: Unknown keyword 'bogus_instance'",
                "31: WARNING: (VI_1) use_vmac is not supported by lvs4j - ignoring",
                "32: WARNING: (VI_1) virtual_routes is not supported by lvs4j - ignoring",
                "38: WARNING: Unknown keyword 'bogus_auth'",
                "40: WARNING: notify_master: running as root is not supported by lvs4j - the script runs as the"
                        + " daemon's user");
    }

    @Test
    void includedFilesAreNamedInDiagnostics(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("keepalived.conf");
        Path part = dir.resolve("vi.conf");
        Files.writeString(main, "global_defs {\n    router_id X\n}\ninclude vi.conf\n");
        Files.writeString(part, "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
                + "    priority 256\n}\n");
        VrrpConfigLoader.Result r = VrrpConfigLoader.load(main, options());
        assertThat(r.errors()).hasSize(1);
        ConfigDiagnostic d = r.errors().get(0);
        assertThat(d.file()).isEqualTo(part);
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.toString()).isEqualTo(part + ":4: ERROR: Value '256' for 'priority' is outside range [1, 255]");
    }

    @Test
    void unusedScriptsAreWarnedAndLeftOut() {
        VrrpConfigLoader.Result r = load("""
                vrrp_script idle { script /bin/true }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                    virtual_ipaddress { 198.18.0.100 }
                }
                """);
        assertThat(diagnostics(r)).containsExactly("1: WARNING: Warning - script idle is not used");
        assertThat(r.config().orElseThrow().scripts()).isEmpty();
    }

    @Test
    void parserErrorsComeFirstAndFailTheLoad() {
        VrrpConfigLoader.Result r = load("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 1
                }
                }
                """);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.diagnostics().get(0).message()).contains("Extra '}'");
        assertThat(r.config()).isEmpty();
    }
}
