package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.VrrpElectionTest.vi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** track_script and track_interface weights, FAULT, and sync groups. */
class VrrpTrackingTest {

    private static final String VIPS = "[10.0.0.100/24]";

    private final TestLan lan = new TestLan();

    private static VrrpScriptConfig chk(int weight) {
        return VrrpScriptConfig.builder("chk").script("chk").weight(weight).build();
    }

    @Test
    void negativeWeightDropsTheMasterBelowTheBackupAndHandsOver() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.script(chk(-60)).instance(vi(150, c -> c.trackScript("chk"))));
        TestLan.Node b = lan.node("B", "10.0.0.2", e -> e.instance(vi(100)));
        a.start();
        b.start();
        lan.advanceTo(9_500_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)", "VRRP_Script(chk) succeeded",
                "(VI_1) Entering MASTER STATE");
        a.scripts.exits("chk", 1);
        lan.advanceTo(10_000_000);
        assertThat(a.log.subList(3, a.log.size())).containsExactly("Script `chk` now returning 1",
                "VRRP_Script(chk) failed (exited with status 1)", "(VI_1) Changing effective priority from 150 to 90");
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(90);
        lan.advanceTo(10_414_062);
        assertThat(a.events).contains("10414062 VI_1 advert 90");
        assertThat(b.log).last().isEqualTo("(VI_1) received lower priority (90) advert from 10.0.0.1 - discarding");
        lan.advanceTo(13_023_436);
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(13_023_437); // last accepted advert 9.414062 + 3.609375
        assertThat(b.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).last().isEqualTo("(VI_1) Entering BACKUP STATE");
    }

    @Test
    void weightZeroScriptPutsTheInstanceInFaultAndBack() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.script(chk(0)).instance(vi(150, c -> c.trackScript("chk"))));
        a.start();
        // waits in INIT for the script's first result, which decides at once
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.INIT);
        assertThat(a.log).isEmpty();
        lan.scheduler.runPending();
        assertThat(a.log).containsExactly("VRRP_Script(chk) succeeded", "(VI_1) Entering BACKUP STATE");
        lan.advanceTo(3_414_062);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);

        lan.advanceTo(5_500_000);
        a.scripts.exits("chk", 1);
        lan.advanceTo(6_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        assertThat(a.log.subList(3, a.log.size())).containsExactly("Script `chk` now returning 1",
                "VRRP_Script(chk) failed (exited with status 1)", "(VI_1) Entering FAULT STATE");
        assertThat(a.events.subList(a.events.size() - 3, a.events.size())).containsExactly(
                "6000000 VI_1 advert 0", "6000000 VI_1 remove " + VIPS, "6000000 VI_1 state MASTER->FAULT");
        // adverts are ignored in FAULT
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.9"), 51, 10, 1, List.of()));
        lan.advanceTo(8_500_000);
        assertThat(a.times("advert")).last().isEqualTo(6_000_000L);

        a.scripts.exits("chk", 0);
        lan.advanceTo(9_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).endsWith("Script `chk` now returning 0", "VRRP_Script(chk) succeeded",
                "(VI_1) Entering BACKUP STATE");
        lan.advanceTo(12_414_061);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(12_414_062); // a full master-down interval after leaving FAULT
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void initFailStartsInFaultAndReverseInvertsTheSense() {
        VrrpScriptConfig failing = VrrpScriptConfig.builder("chk").script("chk").initFail(true).build();
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.script(failing).instance(vi(150, c -> c.trackScript("chk"))));
        a.scripts.exits("chk", 1);
        a.start();
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        assertThat(a.log).containsExactly("(VI_1) Entering FAULT STATE (init)");
        lan.advanceTo(2_000_000);
        assertThat(a.log).containsExactly("(VI_1) Entering FAULT STATE (init)", "Script `chk` now returning 1");

        TestLan lan2 = new TestLan();
        TestLan.Node r = lan2.node("R", "10.0.0.1", b -> b.script(chk(0))
                .instance(vi(150, c -> c.trackScript(TrackScript.of("chk", 0, true)))));
        r.start();
        lan2.scheduler.runPending();
        assertThat(r.state("VI_1")).isEqualTo(VrrpState.FAULT); // reverse: success means fault
    }

    @Test
    void positiveWeightAndInitialPriority() {
        VrrpScriptConfig s = VrrpScriptConfig.builder("chk").script("chk").weight(20).build();
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.script(s).instance(vi(100, c -> c.trackScript("chk"))));
        a.start();
        lan.scheduler.runPending();
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)", "VRRP_Script(chk) succeeded",
                "(VI_1) Changing effective priority from 100 to 120");
        // the override on the instance wins over the script's weight
        TestLan lan2 = new TestLan();
        TestLan.Node o = lan2.node("O", "10.0.0.1", b -> b.script(s)
                .instance(vi(100, c -> c.trackScript(TrackScript.of("chk", 5)))));
        o.start();
        lan2.scheduler.runPending();
        assertThat(o.instance("VI_1").effectivePriority()).isEqualTo(105);
    }

    @Test
    void priorityIsClampedAndOwnersAreNeverAdjusted() {
        VrrpScriptConfig s = VrrpScriptConfig.builder("chk").script("chk").weight(200).build();
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.script(s).instance(vi(100, c -> c.trackScript("chk"))));
        a.start();
        lan.scheduler.runPending();
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(254);
        VrrpScriptConfig neg = VrrpScriptConfig.builder("chk").script("chk").weight(-200).build();
        TestLan.Node b2 = new TestLan().node("B", "10.0.0.1", b -> b.script(neg).instance(vi(100, c -> c.trackScript("chk"))));
        b2.scripts.exits("chk", 1);
        b2.start();
        b2.lan.scheduler.runPending();
        assertThat(b2.instance("VI_1").effectivePriority()).isEqualTo(1);
        TestLan.Node owner = new TestLan().node("O", "10.0.0.1", b -> b.script(neg)
                .instance(vi(255, c -> c.trackScript("chk"))));
        owner.scripts.exits("chk", 1);
        owner.start();
        owner.lan.scheduler.runPending();
        assertThat(owner.instance("VI_1").effectivePriority()).isEqualTo(255);
        assertThat(owner.log).noneMatch(l -> l.contains("Changing effective priority"));
    }

    @Test
    void priorityChangeInBackupShiftsTheRunningDownTimer() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(vi(100, c -> c.trackInterface(TrackInterface.of("eth1", -50)))));
        a.start();
        lan.advanceTo(1_000_000);
        a.engine.interfaceStateChanged("eth1", false);
        assertThat(a.log).containsExactly("(VI_1) Entering BACKUP STATE (init)", "Netlink reports eth1 down",
                "(VI_1) Changing effective priority from 100 to 50");
        // 3.609375 s + (skew(50) - skew(100)) = 3 + 206/256 s
        lan.advanceTo(3_804_686);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        lan.advanceTo(3_804_687);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.times("advert")).containsExactly(3_804_687L);
        assertThat(a.events).contains("3804687 VI_1 advert 50");
    }

    @Test
    void trackedInterfacesWeightsAndFault() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(vi(100, c -> c
                .trackInterface(TrackInterface.of("eth1"))
                .trackInterface(TrackInterface.of("eth2", 20))
                .trackInterface(TrackInterface.of("eth3", -30))
                .trackInterface(new TrackInterface("eth4", 10, true)))));
        a.start();
        // eth2 up: +20; eth4 up with reverse: -10
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(110);
        assertThat(a.log).containsExactly("(VI_1) Changing effective priority from 100 to 110",
                "(VI_1) Entering BACKUP STATE (init)");
        a.engine.interfaceStateChanged("eth2", false);
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(90);
        a.engine.interfaceStateChanged("eth3", false);
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(60);
        a.engine.interfaceStateChanged("eth4", false);
        assertThat(a.instance("VI_1").effectivePriority()).isEqualTo(70);
        a.engine.interfaceStateChanged("eth1", false);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        assertThat(a.log).last().isEqualTo("(VI_1) Entering FAULT STATE");
        a.engine.interfaceStateChanged("eth1", true);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).last().isEqualTo("(VI_1) Entering BACKUP STATE");
        // the instance's own interface is tracked implicitly
        a.engine.interfaceStateChanged("eth0", false);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        a.engine.interfaceStateChanged("eth0", true);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void interfaceDownAtStartupMeansFaultInit() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.interfaceUp("eth0", false).instance(vi(100)));
        a.start();
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        assertThat(a.log).containsExactly("(VI_1) Entering FAULT STATE (init)");
        assertThat(a.fifo).containsExactly("INSTANCE \"VI_1\" FAULT 100");
        TestLan.Node d = new TestLan().node("D", "10.0.0.1", b -> b.interfaceUp("eth0", false)
                .instance(vi(100, c -> c.dontTrackPrimary(true))));
        d.start();
        assertThat(d.state("VI_1")).isEqualTo(VrrpState.BACKUP);
    }

    private static VrrpInstanceConfig member(String name, String ifname, int vrid, int priority) {
        return VrrpInstanceConfig.builder(name).interfaceName(ifname).virtualRouterId(vrid).priority(priority)
                .virtualAddress("10.0." + vrid + ".100/24").build(w -> { });
    }

    private TestLan.Node groupNode(String name, String address) {
        return lan.node(name, address, b -> b
                .instance(member("VI_1", "eth0", 51, 100))
                .instance(member("VI_2", "eth1", 52, 100))
                .syncGroup(VrrpSyncGroupConfig.builder("G").members("VI_1", "VI_2")
                        .notifyMaster("/bin/group_master").notifyScript("/bin/group_notify").build(w -> { })));
    }

    @Test
    void syncGroupMembersMoveTogether() {
        TestLan.Node a = groupNode("A", "10.0.0.1");
        a.start();
        assertThat(a.fifo).containsExactly("GROUP \"G\" BACKUP 0", "INSTANCE \"VI_1\" BACKUP 100",
                "INSTANCE \"VI_2\" BACKUP 100");
        lan.advanceTo(3_609_375);
        // VI_1 times out first but waits for VI_2; when VI_2 times out both go MASTER
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.MASTER);
        assertThat(a.engine.syncGroupState("G")).contains(VrrpState.MASTER);
        assertThat(a.log).containsSubsequence("(VI_2) Entering MASTER STATE",
                "VRRP_Group(G) Syncing instances to MASTER state", "(VI_1) Entering MASTER STATE");
        assertThat(a.fifo.subList(3, a.fifo.size())).containsExactly("INSTANCE \"VI_2\" MASTER 100",
                "INSTANCE \"VI_1\" MASTER 100", "GROUP \"G\" MASTER 0");
        assertThat(a.scripts.calls).containsExactly(List.of("/bin/group_notify", "GROUP", "G", "BACKUP", "0"),
                List.of("/bin/group_master"), List.of("/bin/group_notify", "GROUP", "G", "MASTER", "0"));

        // one member's interface fails: the whole group goes to FAULT
        lan.advanceTo(5_000_000);
        a.engine.interfaceStateChanged("eth1", false);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.FAULT);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.FAULT);
        assertThat(a.log).endsWith("Netlink reports eth1 down", "(VI_2) Entering FAULT STATE",
                "VRRP_Group(G) Syncing instances to FAULT state", "(VI_1) Entering FAULT STATE");
        assertThat(a.events("5000000 VI_1 advert 0")).hasSize(1);
        assertThat(a.events("5000000 VI_2 advert 0")).hasSize(1);
        assertThat(a.fifo).endsWith("INSTANCE \"VI_2\" FAULT 100", "INSTANCE \"VI_1\" FAULT 100", "GROUP \"G\" FAULT 0");

        a.engine.interfaceStateChanged("eth1", true);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).endsWith("(VI_1) Entering BACKUP STATE", "(VI_2) Entering BACKUP STATE",
                "VRRP_Group(G) Syncing instances to BACKUP state");
        lan.advanceTo(8_609_375);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.MASTER);

        // a higher-priority advert for one member takes the whole group to BACKUP
        lan.advanceTo(9_000_000);
        a.engine.receive("eth0", Advert.v2(TestLan.ip("10.0.0.7"), 51, 200, 1, List.of()));
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.log).endsWith("(VI_1) Master received advert from 10.0.0.7 with higher priority 200, ours 100",
                "(VI_1) Entering BACKUP STATE", "VRRP_Group(G) Syncing instances to BACKUP state",
                "(VI_2) Entering BACKUP STATE");
        assertThat(a.instance("VI_2").addressesInstalled()).isFalse();
    }

    @Test
    void syncGroupDoesNotGoMasterWhileOneMemberStillHearsAMaster() {
        TestLan.Node a = groupNode("A", "10.0.0.1");
        TestLan.Node b = lan.node("B", "10.0.0.2", e -> e.instance(member("VI_2", "eth1", 52, 200)));
        a.start();
        b.start();
        lan.advanceTo(20_000_000);
        assertThat(b.state("VI_2")).isEqualTo(VrrpState.MASTER);
        // VI_1 keeps timing out but VI_2 keeps accepting B's adverts: nobody in G becomes master
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.BACKUP);
        assertThat(a.times("advert")).isEmpty();
        lan.disconnect(b);
        lan.advanceTo(30_000_000);
        assertThat(a.state("VI_1")).isEqualTo(VrrpState.MASTER);
        assertThat(a.state("VI_2")).isEqualTo(VrrpState.MASTER);
    }
}
