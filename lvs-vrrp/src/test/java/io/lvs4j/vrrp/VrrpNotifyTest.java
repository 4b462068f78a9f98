package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.VrrpElectionTest.vi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Notify scripts, their argv, and the FIFO lines, in keepalived's order. */
class VrrpNotifyTest {

    private final TestLan lan = new TestLan();

    @Test
    void stateScriptThenGenericScriptThenFifoLine() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(vi(100, c -> c
                .notifyMaster("/etc/keepalived/master.sh --vip 10.0.0.100")
                .notifyBackup("/etc/keepalived/backup.sh")
                .notifyFault("/etc/keepalived/fault.sh")
                .notifyStop("/etc/keepalived/stop.sh")
                .notifyScript("/etc/keepalived/notify.sh \"two words\""))));
        List<String> order = new java.util.ArrayList<>();
        a.actions.extra = e -> order.add("action " + e.substring(e.indexOf(' ') + 1));
        a.start();
        lan.advanceTo(3_609_375);
        a.engine.interfaceStateChanged("eth0", false);
        a.shutdown();
        assertThat(a.scripts.calls).containsExactly(
                List.of("/etc/keepalived/backup.sh"),
                List.of("/etc/keepalived/notify.sh", "two words", "INSTANCE", "VI_1", "BACKUP", "100"),
                List.of("/etc/keepalived/master.sh", "--vip", "10.0.0.100"),
                List.of("/etc/keepalived/notify.sh", "two words", "INSTANCE", "VI_1", "MASTER", "100"),
                List.of("/etc/keepalived/fault.sh"),
                List.of("/etc/keepalived/notify.sh", "two words", "INSTANCE", "VI_1", "FAULT", "100"),
                List.of("/etc/keepalived/stop.sh"),
                List.of("/etc/keepalived/notify.sh", "two words", "INSTANCE", "VI_1", "STOP", "100"));
        assertThat(a.fifo).containsExactly("INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_1\" MASTER 100",
                "INSTANCE \"VI_1\" FAULT 100", "INSTANCE \"VI_1\" STOP 100");
        // no advert or address change after STOP; FAULT left nothing installed
        assertThat(a.instance("VI_1").addressesInstalled()).isFalse();
        assertThat(order).endsWith("action VI_1 state MASTER->FAULT", "action VI_1 state FAULT->STOP");
    }

    @Test
    void priorityChangesAreWrittenToTheFifoWhenAsked() {
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(vi(100, c -> c.notifyPriorityChanges(true)
                .trackInterface(TrackInterface.of("eth1", -10)))));
        a.start();
        lan.advanceTo(4_000_000);
        a.engine.interfaceStateChanged("eth1", false);
        assertThat(a.fifo).containsExactly("INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_1\" MASTER 100",
                "INSTANCE \"VI_1\" MASTER_PRIORITY 90");
    }

    @Test
    void groupShutdownWritesInstanceLinesThenTheGroupLine() {
        VrrpInstanceConfig v1 = VrrpInstanceConfig.builder("VI_1").interfaceName("eth0").virtualRouterId(1)
                .virtualAddress("10.0.1.1").build(w -> { });
        VrrpInstanceConfig v2 = VrrpInstanceConfig.builder("VI_2").interfaceName("eth0").virtualRouterId(2)
                .virtualAddress("10.0.2.1").build(w -> { });
        TestLan.Node a = lan.node("A", "10.0.0.1", b -> b.instance(v1).instance(v2)
                .syncGroup(VrrpSyncGroupConfig.builder("G").members("VI_1", "VI_2").notifyStop("/bin/gstop")
                        .notifyScript("/bin/gn").build(w -> { })));
        a.start();
        lan.advanceTo(4_000_000);
        a.shutdown();
        assertThat(a.fifo).containsExactly(
                "GROUP \"G\" BACKUP 0", "INSTANCE \"VI_1\" BACKUP 100", "INSTANCE \"VI_2\" BACKUP 100",
                "INSTANCE \"VI_2\" MASTER 100", "INSTANCE \"VI_1\" MASTER 100", "GROUP \"G\" MASTER 0",
                "INSTANCE \"VI_1\" STOP 100", "INSTANCE \"VI_2\" STOP 100", "GROUP \"G\" STOP 0");
        assertThat(a.scripts.calls).endsWith(List.of("/bin/gstop"), List.of("/bin/gn", "GROUP", "G", "STOP", "0"));
        assertThat(a.events("advert 0")).containsExactly("4000000 VI_1 advert 0", "4000000 VI_2 advert 0");
        assertThat(a.engine.syncGroupState("G")).contains(VrrpState.STOP);
    }
}
