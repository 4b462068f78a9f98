package io.lvs4j.health;

import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quorum, hysteresis and the sorry server (§1.4), with shared/samples/keepalived/keepalived.conf.quorum. */
class QuorumTest {
    private static final String VS = "[10.0.1.1]:tcp:80";
    private static final String SORRY = "[10.0.0.99]:tcp:8080";

    private final Harness h = new Harness();

    /**
     * keepalived.conf.quorum: 10 real servers of weight 1, alpha, omega, quorum 7, hysteresis 2. One
     * addition: warmup 0, so that all checks run at 1, 7, 13, ... and a failure's retry (1 s later) falls
     * in the same 6 s round.
     */
    private VirtualServerSpec sample() {
        List<RealServerSpec> servers = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            CheckerSpec.Tcp check = new CheckerSpec.Tcp(settings().connectTimeout(s(3)).build(),
                    new ConnectOptions(null, 80, null, null));
            servers.add(rs("10.0.0." + i, 8080, check).withWeight(1));
        }
        return vs().serviceOptions(ServiceOptions.builder().scheduler("wrr").persistenceTimeout(900).build())
                .forwarding(ForwardingMethod.MASQ)
                .settings(settings().delayLoop(s(6)).warmup(s(0)).build())
                .alpha(true).omega(true).quorum(7, 2)
                .quorumScripts("/usr/local/sbin/quorum-up.sh", "/usr/local/sbin/quorum-down.sh")
                .realServers(servers).build();
    }

    /** Sets the first {@code up} real servers (by number) healthy and the others failing. */
    private void healthy(int... numbers) {
        for (int i = 1; i <= 10; i++) {
            FakeProbe p = h.probes.get("10.0.0." + i, 8080);
            boolean ok = false;
            for (int n : numbers) {
                ok |= n == i;
            }
            if (ok) {
                p.succeed();
            } else {
                p.fail();
            }
        }
    }

    private long inPool() {
        return h.table.service(Harness.VS).realServers().stream().filter(d -> d.weight() > 0).count();
    }

    @Test
    void sampleQuorumIsGainedAtNineAliveAndLostBelowFive() {
        h.checker.add(sample());
        assertThat(h.table.service(Harness.VS).realServers()).as("alpha: nobody before a check").isEmpty();
        assertThat(h.checker.status(Harness.VS)).extracting(VirtualServerStatus::quorum,
                VirtualServerStatus::hysteresis, VirtualServerStatus::quorumUp).containsExactly(7, 2, false);
        assertThat(h.probes.get("10.0.0.1", 8080).context.settings().delayLoop()).isEqualTo(s(6));

        healthy(1, 2, 3, 4, 5, 6, 7, 8);
        h.checker.start();
        h.timer.advanceTo(2);                       // first checks at 1 s; rounds end 1 s after each check
        assertThat(inPool()).isEqualTo(8);
        assertThat(h.checker.status(Harness.VS).quorumUp()).as("8 < 7+2").isFalse();
        assertThat(h.scripts).isEmpty();

        healthy(1, 2, 3, 4, 5, 6, 7, 8, 9);
        h.timer.advanceSeconds(6);
        assertThat(h.logs).contains("Gained quorum 7+2=9 <= 9 for VS " + VS);
        assertThat(h.scripts).hasSize(1).allMatch(c -> c.startsWith("/usr/local/sbin/quorum-up.sh"));

        healthy(5, 6, 7, 8, 9);                     // 1..4 fail (two failures each): 5 alive, still quorum
        h.timer.advanceSeconds(6);
        assertThat(inPool()).isEqualTo(5);
        assertThat(h.checker.status(Harness.VS).quorumUp()).isTrue();

        healthy(6, 7, 8, 9);                        // 4 alive < 7-2
        h.timer.advanceSeconds(6);
        assertThat(h.logs).contains("Lost quorum 7-2=5 > 4 for VS " + VS);
        assertThat(h.scripts).hasSize(2);
        assertThat(h.scripts.get(1)).startsWith("/usr/local/sbin/quorum-down.sh");

        healthy(1, 2, 3, 4, 6, 7, 8, 9);            // 8 alive: not yet 7+2
        h.timer.advanceSeconds(6);
        assertThat(h.checker.status(Harness.VS).quorumUp()).isFalse();
        assertThat(h.checker.status(Harness.VS).aliveWeightSum()).isEqualTo(8);
        healthy(1, 2, 3, 4, 5, 6, 7, 8, 9);
        h.timer.advanceSeconds(6);
        assertThat(h.checker.status(Harness.VS).quorumUp()).isTrue();
        assertThat(h.logsContaining("Gained quorum 7+2=9 <= 9")).hasSize(2);
        assertThat(h.scripts).hasSize(3);

        h.scripts.clear();
        h.events.clear();
        h.checker.close();                          // omega: quorum_down on shutdown, notify_down for the alive
        assertThat(h.scripts).hasSize(1).allMatch(c -> c.startsWith("/usr/local/sbin/quorum-down.sh"));
        assertThat(h.events).hasSize(10);
        assertThat(h.events).filteredOn(e -> e.startsWith("down ")).hasSize(9);
        assertThat(h.events.get(9)).startsWith("quorum down 0");
        assertThat(h.table.service(Harness.VS)).isNull();
        assertThat(h.logs).contains("Shutting down service [10.0.0.1]:tcp:8080 from VS " + VS,
                "Shutting down service [10.0.0.10]:tcp:8080 from VS " + VS);
    }

    private void sorrySetup(boolean inhibit, boolean alpha) {
        h.checker.add(vs().settings(settings().delayLoop(s(5)).warmup(s(0)).retry(1).build()).alpha(alpha)
                .quorum(2, 0)
                .sorryServer(rs("10.0.0.99", 8080), inhibit)
                .realServers(List.of(rs("10.0.0.1", 8080, tcp(settings().retry(0).build())),
                        rs("10.0.0.2", 8080, tcp(settings().retry(0).build())),
                        rs("10.0.0.3", 8080, tcp(settings().retry(0).build())))).build());
        h.checker.start();
        h.timer.advanceTo(1);
    }

    private List<String> pool() {
        List<String> out = new ArrayList<>();
        for (RealServer d : h.table.service(Harness.VS).realServers()) {
            out.add(d.address().getHostAddress() + "=" + d.weight());
        }
        out.sort(null);
        return out;
    }

    @Test
    void theSorryServerReplacesThePoolWhileQuorumIsLost() {
        sorrySetup(false, false);
        assertThat(pool()).containsExactly("10.0.0.1=1", "10.0.0.2=1", "10.0.0.3=1");
        h.probes.get("10.0.0.1", 8080).fail();
        h.timer.advanceTo(6);
        assertThat(pool()).containsExactly("10.0.0.2=1", "10.0.0.3=1");
        h.probes.get("10.0.0.2", 8080).fail();
        h.timer.advanceTo(11);
        assertThat(pool()).containsExactly("10.0.0.99=1");
        assertThat(h.logs.subList(h.logs.size() - 4, h.logs.size())).containsExactly(
                "Removing service [10.0.0.2]:tcp:8080 from VS " + VS,
                "Lost quorum 2-0=2 > 1 for VS " + VS,
                "Adding sorry server " + SORRY + " to VS " + VS,
                "Removing alive servers from the pool for VS " + VS);
        assertThat(h.checker.status(Harness.VS).sorryServerActive()).isTrue();

        h.probes.get("10.0.0.3", 8080).fail();      // while the sorry server stands in: only the flag changes
        h.timer.advanceTo(16);
        assertThat(h.logs).contains("Removing service [10.0.0.3]:tcp:8080 from VS " + VS);
        assertThat(pool()).containsExactly("10.0.0.99=1");
        h.probes.get("10.0.0.1", 8080).succeed();
        h.timer.advanceTo(21);
        assertThat(h.logs).contains("Adding service [10.0.0.1]:tcp:8080 to VS " + VS);
        assertThat(pool()).containsExactly("10.0.0.99=1");

        h.probes.get("10.0.0.2", 8080).succeed();
        h.timer.advanceTo(26);
        assertThat(pool()).containsExactly("10.0.0.1=1", "10.0.0.2=1");
        assertThat(h.logs.subList(h.logs.size() - 3, h.logs.size())).containsExactly(
                "Gained quorum 2+0=2 <= 2 for VS " + VS,
                "Removing sorry server " + SORRY + " from VS " + VS,
                "Adding alive servers to the pool for VS " + VS);
    }

    @Test
    void sorryServerInhibitKeepsItAtWeightZero() {
        sorrySetup(true, false);
        assertThat(pool()).containsExactly("10.0.0.1=1", "10.0.0.2=1", "10.0.0.3=1", "10.0.0.99=0");
        h.probes.get("10.0.0.1", 8080).fail();
        h.probes.get("10.0.0.2", 8080).fail();
        h.timer.advanceTo(6);
        assertThat(pool()).containsExactly("10.0.0.99=1");
        assertThat(h.logs).contains("Enabling sorry server " + SORRY + " to VS " + VS);
        h.probes.get("10.0.0.1", 8080).succeed();
        h.timer.advanceTo(11);
        assertThat(pool()).containsExactly("10.0.0.1=1", "10.0.0.3=1", "10.0.0.99=0");
        assertThat(h.logs).contains("Disabling sorry server " + SORRY + " from VS " + VS);
    }

    @Test
    void alphaWithASorryServerStartsWithQuorumDownAndTheSorryServerIn() {
        sorrySetup(false, true);
        assertThat(h.logs.get(0)).isEqualTo("Starting with quorum down 2-0=2 > 0 for VS " + VS);
        assertThat(h.logs.get(1)).isEqualTo("Adding sorry server " + SORRY + " to VS " + VS);
        // all three succeeded at t=1: the first is logged as added (sorry server in), the second regains quorum
        assertThat(pool()).containsExactly("10.0.0.1=1", "10.0.0.2=1", "10.0.0.3=1");
        assertThat(h.logs).containsSubsequence("Adding service [10.0.0.1]:tcp:8080 to VS " + VS,
                "Adding service [10.0.0.2]:tcp:8080 to VS " + VS, "Gained quorum 2+0=2 <= 2 for VS " + VS,
                "Removing sorry server " + SORRY + " from VS " + VS);
        assertThat(h.events).containsSubsequence("quorum down 0 @0", "quorum up 2 @1");
    }

    @Test
    void quorumIsReducedToTheWeightSumAndHysteresisBelowQuorum() {
        h.checker.add(vs().quorum(5, 4).realServers(List.of(rs("10.0.0.1", 8080, tcp()),
                rs("10.0.0.2", 8080, tcp()).withWeight(2))).build());
        assertThat(h.checker.status(Harness.VS)).extracting(VirtualServerStatus::quorum,
                VirtualServerStatus::hysteresis).containsExactly(3, 2);
        assertThat(h.logs).startsWith(
                "Warning - quorum 5 for " + VS + " exceeds total weight of real servers 3, reducing quorum to 3",
                "Virtual server " + VS + ": hysteresis 4 >= quorum 3; setting hysteresis to 2");
    }
}
