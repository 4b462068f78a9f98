package io.lvs4j.health;

import static io.lvs4j.health.Harness.ip;
import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.ServiceKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inheritance VS → RS → checker (§1.1, §1.2), config-time adjustments, and rejected specs. */
class ConfigurationTest {
    private final Harness h = new Harness();

    @Test
    void checkerSettingsResolveCheckerThenRealServerThenVirtualServerThenTypeDefault() {
        h.checker.add(vs().settings(settings().delayLoop(s(7)).warmup(s(0)).connectTimeout(s(9)).build())
                .realServers(List.of(
                        rs("10.0.0.2", 8080, tcp(settings().retry(0).build()))
                                .withSettings(settings().retry(2).delayBeforeRetry(s(2)).build()),
                        rs("10.0.0.3", 8080, tcp()).withSettings(settings().retry(2).build()),
                        rs("10.0.0.4", 8080, new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, false,
                                List.of(UrlSpec.path("/")), HttpProtocol.HTTP_1_0, null, false, TlsOptions.KEEPALIVED)),
                        rs("10.0.0.5", 8080, new CheckerSpec.Misc(CheckSettings.UNSET, List.of("/bin/x"), null, false)),
                        rs("10.0.0.6", 8080, new CheckerSpec.Dns(CheckSettings.UNSET, ConnectOptions.DEFAULT, "SOA", "."))))
                .build());
        CheckSettings a = h.probes.get("10.0.0.2", 8080).context.settings();
        assertThat(a.delayLoop()).as("VS delay_loop").isEqualTo(s(7));
        assertThat(a.retry()).as("checker retry over RS retry").isZero();
        assertThat(a.delayBeforeRetry()).as("RS delay_before_retry").isEqualTo(s(2));
        assertThat(a.connectTimeout()).as("VS connect_timeout").isEqualTo(s(9));
        assertThat(a.warmup()).as("VS warmup").isZero();
        assertThat(a.alpha()).isFalse();
        CheckSettings b = h.probes.get("10.0.0.3", 8080).context.settings();
        assertThat(b.retry()).as("RS retry").isEqualTo(2);
        assertThat(b.delayBeforeRetry()).as("type default").isEqualTo(s(1));
        CheckSettings http = h.probes.get("10.0.0.4", 8080).context.settings();
        assertThat(http.retry()).isEqualTo(1);
        assertThat(http.delayBeforeRetry()).as("HTTP_GET default").isEqualTo(s(3));
        assertThat(h.probes.get("10.0.0.5", 8080).context.settings().retry()).as("MISC_CHECK default").isZero();
        assertThat(h.probes.get("10.0.0.5", 8080).context.virtualServerDelayLoop()).isEqualTo(s(7));
        CheckSettings dns = h.probes.get("10.0.0.6", 8080).context.settings();
        assertThat(dns.retry()).isEqualTo(3);
        assertThat(dns.delayBeforeRetry()).as("DNS_CHECK: delay_loop").isEqualTo(s(7));

        FakeProbe probe = h.probes.get("10.0.0.2", 8080);
        h.checker.start();
        h.timer.advanceTo(8);
        assertThat(probe.times()).as("the VS delay_loop drives the checker").containsExactly(1.0, 8.0);
        probe.fail();
        FakeProbe other = h.probes.get("10.0.0.3", 8080).fail();
        h.timer.advanceTo(15);
        assertThat(h.dest("10.0.0.2", 8080)).as("checker retry 0 wins over RS retry 2").isNull();
        assertThat(h.dest("10.0.0.3", 8080)).isNotNull();
        h.timer.advanceTo(17);
        assertThat(other.times()).containsExactly(1.0, 8.0, 15.0, 16.0, 17.0);
        assertThat(h.dest("10.0.0.3", 8080)).isNull();
    }

    @Test
    void realServerAlphaAndVirtualhostAreInheritedAndTheProbeGetsTheRealServerAddress() {
        h.checker.add(vs().virtualhost("www.example.org").realServers(List.of(
                rs("10.0.0.2", 8080, tcp()).withSettings(settings().alpha(true).build()),
                rs("10.0.0.3", 0, tcp()))).build());
        assertThat(h.dest("10.0.0.2", 8080)).isNull();
        assertThat(h.probes.get("10.0.0.2", 8080).context.inheritedVirtualhost()).isEqualTo("www.example.org");
        assertThat(h.weight("10.0.0.3", 80)).as("NAT real server without port: the VS port").isEqualTo(1);
    }

    @Test
    void directRoutingRealServerPortsAreResetToTheVirtualServerPort() {
        h.checker.add(vs().forwarding(ForwardingMethod.ROUTE).realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build());
        assertThat(h.weight("10.0.0.2", 80)).isEqualTo(1);
        assertThat(h.logs).contains("WARNING - virtual server [10.0.1.1]:tcp:80 and real server [10.0.0.2]:tcp:8080"
                + " ports don't match - resetting");
        assertThat(h.table.service(Harness.VS).realServer(ip("10.0.0.2"), 80).options().forwarding())
                .isEqualTo(ForwardingMethod.ROUTE);
    }

    @Test
    void aVirtualServerWithoutRealServersIsIgnored() {
        h.checker.add(vs().build());
        assertThat(h.table.service(Harness.VS)).isNull();
        assertThat(h.checker.status()).isEmpty();
        assertThat(h.logs).containsExactly("Virtual server [10.0.1.1]:tcp:80 has no real servers - ignoring");
    }

    @Test
    void invalidSpecsAreRejectedNamingTheValueAndChangeNothing() {
        assertRejected(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp()), rs("10.0.0.2", 8080, tcp()))).build(),
                "[10.0.0.2]:tcp:8080 is duplicated");
        assertRejected(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp()).withWeight(70000))).build(),
                "weight 70000 is out of range");
        assertRejected(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp())
                .withSettings(settings().retry(0).build()))).build(), "retry 0 is out of range");
        assertRejected(vs().settings(settings().retry(0).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build(), "retry 0 is out of range");
        assertRejected(vs().realServers(List.of(rs("2001:db8::2", 8080, tcp()))).build(), "address family");
        assertRejected(vs().sorryServer(rs("10.0.0.2", 8080), false)
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build(), "is also a real_server");

        Harness failing = new Harness();
        failing.checker = HealthChecker.builder(failing.table).timer(failing.timer).probes((spec, ctx) -> {
            if (ctx.realServer().getAddress().equals(ip("10.0.0.3"))) {
                throw new IllegalArgumentException("connect_port 99999 is out of range");
            }
            return failing.probes.create(spec, ctx);
        }).build();
        assertThatThrownBy(() -> failing.checker.add(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp()),
                rs("10.0.0.3", 8080, tcp()))).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99999");
        assertThat(failing.table.services()).isEmpty();
        assertThat(failing.probes.get("10.0.0.2", 8080).closed).as("probes made so far are closed").isTrue();
    }

    @Test
    void aSpecRejectedByIpvsIsRolledBack() {
        assertThatThrownBy(() -> h.checker.add(vs().serviceOptions(
                io.lvs4j.core.ServiceOptions.builder().scheduler("nope").build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build()))
                .isInstanceOf(io.lvs4j.core.IpvsException.class).hasMessageContaining("nope");
        assertThat(h.table.services()).isEmpty();
        assertThat(h.events).isEmpty();

        assertThatThrownBy(() -> h.checker.add(vs().realServers(List.of(rs("10.0.0.2", 8080, tcp()),
                rs("224.0.0.1", 8080, tcp()))).build()))
                .isInstanceOf(io.lvs4j.core.IpvsException.class).hasMessageContaining("224.0.0.1");
        assertThat(h.table.services()).as("the first real server and the service are rolled back").isEmpty();
        assertThat(h.probes.get("10.0.0.2", 8080).closed).isTrue();
        assertThat(h.events).isEmpty();
        ServiceKey udp = ServiceKey.udp(ip("10.0.1.1"), 53);
        h.checker.add(VirtualServerSpec.builder(udp).realServers(List.of(rs("10.0.0.2", 53, tcp()))).build());
        assertThat(h.checker.status(udp).realServers().get(0).address().getPort()).isEqualTo(53);
        assertThatThrownBy(() -> h.checker.add(VirtualServerSpec.builder(udp)
                .realServers(List.of(rs("10.0.0.2", 53, tcp()))).build())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void addAfterStartStartsTheNewCheckers() {
        h.checker.start();
        h.timer.advanceTo(10);
        h.checker.add(vs().settings(settings().warmup(Duration.ZERO).build())
                .realServers(List.of(rs("10.0.0.2", 8080, tcp()))).build());
        h.timer.advanceTo(11);
        assertThat(h.probes.get("10.0.0.2", 8080).times()).containsExactly(11.0);
    }

    private void assertRejected(VirtualServerSpec spec, String message) {
        assertThatThrownBy(() -> h.checker.add(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(h.table.services()).isEmpty();
        assertThat(h.checker.status()).isEmpty();
    }
}
