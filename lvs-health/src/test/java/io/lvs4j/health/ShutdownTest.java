package io.lvs4j.health;

import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What close() does, with and without omega (§1.4). */
class ShutdownTest {
    private final Harness h = new Harness();

    private void setup(boolean omega) {
        h.checker.add(vs().omega(omega).settings(settings().delayLoop(s(5)).warmup(s(0)).build())
                .quorumScripts("/q/up", "/q/down")
                .realServers(List.of(
                        rs("10.0.0.2", 8080, tcp(settings().retry(0).build())).withNotify("/rs2/up", "/rs2/down"),
                        rs("10.0.0.3", 8080, tcp(settings().retry(0).build())).withNotify("/rs3/up", "/rs3/down")
                                .withInhibitOnFailure(true))).build());
        h.checker.start();
        h.timer.advanceTo(1);
        h.probes.get("10.0.0.3", 8080).fail();
        h.timer.advanceTo(6);
        h.scripts.clear();
        h.logs.clear();
    }

    @Test
    void omegaRunsNotifyDownForAliveRealServersAndQuorumDown() {
        setup(true);
        h.checker.close();
        assertThat(h.scripts).containsExactly("/rs2/down @6", "/q/down @6");
        assertThat(h.logs).containsExactly("Shutting down service [10.0.0.2]:tcp:8080 from VS [10.0.1.1]:tcp:80",
                "Shutting down (inhibited) service [10.0.0.3]:tcp:8080 from VS [10.0.1.1]:tcp:80");
        assertThat(h.table.service(Harness.VS)).isNull();
        assertThat(h.probes.get("10.0.0.2", 8080).closed).isTrue();
        int attempts = h.probes.get("10.0.0.2", 8080).attempts.size();
        h.timer.advanceTo(100);
        assertThat(h.probes.get("10.0.0.2", 8080).attempts).hasSize(attempts);
        h.checker.close();
        assertThat(h.scripts).hasSize(2);
    }

    @Test
    void withoutOmegaShutdownRunsNoNotifiers() {
        setup(false);
        h.checker.close();
        assertThat(h.scripts).isEmpty();
        assertThat(h.table.service(Harness.VS)).isNull();
    }

    @Test
    void releaseOnCloseFalseLeavesTheTable() {
        h.checker = h.builder().releaseOnClose(false).build();
        setup(true);
        h.checker.close();
        assertThat(h.weight("10.0.0.2", 8080)).isEqualTo(1);
        assertThat(h.weight("10.0.0.3", 8080)).isZero();
        assertThat(h.scripts).containsExactly("/rs2/down @6", "/q/down @6");
    }
}
