package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.TestConfigs.ip;
import static io.lvs4j.forwarder.TestConfigs.lines;
import static io.lvs4j.forwarder.TestConfigs.load;
import static io.lvs4j.forwarder.TestConfigs.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HttpProtocol;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.UrlSpec;
import io.lvs4j.health.VirtualServerSpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's sample configurations and the seeds' configurations, mapped. */
class ConfigMapperSamplesTest {

    private static RealServerOptions nat(int weight) {
        return new RealServerOptions(weight, ForwardingMethod.MASQ, 0, 0);
    }

    @Test
    void sampleWithSorryServerAndHttpGet() {
        ForwarderConfig c = load("keepalived.conf.sample");
        assertThat(lines(c)).isEmpty();
        assertThat(c.hasErrors()).isFalse();
        assertThat(c.vrrpInstances()).containsExactly("VI_1");
        assertThat(c.vrrpAddresses()).containsExactlyInAnyOrder(ip("192.168.200.11"), ip("192.168.200.12"),
                ip("192.168.200.13"));
        assertThat(c.services()).hasSize(1);
        VirtualServiceConfig s = c.services().get(0);
        assertThat(s.key()).isEqualTo(tcp("10.10.10.2", 1358));
        assertThat(s.options()).isEqualTo(ServiceOptions.builder().scheduler("rr").persistenceTimeout(50).build());
        assertThat(s.realServers()).containsExactly(new RealServerConfig(ip("192.168.200.2"), 1358, nat(1)));
        assertThat(s.source()).endsWith("keepalived.conf.sample:26");

        VirtualServerSpec h = s.health();
        assertThat(h.forwarding()).isEqualTo(ForwardingMethod.MASQ);
        assertThat(h.settings().delayLoop()).isEqualTo(Duration.ofSeconds(6));
        assertThat(h.sorryServer().address()).isEqualTo(ip("192.168.200.200"));
        assertThat(h.sorryServer().port()).isEqualTo(1358);
        assertThat(h.quorum()).isEqualTo(1);
        RealServerSpec rs = h.realServers().get(0);
        assertThat(rs.weight()).isEqualTo(1);
        CheckerSpec.Http http = (CheckerSpec.Http) rs.checkers().get(0);
        assertThat(http.ssl()).isFalse();
        assertThat(http.protocol()).isEqualTo(HttpProtocol.HTTP_1_0);
        assertThat(http.settings()).isEqualTo(CheckSettings.builder().connectTimeout(Duration.ofSeconds(3)).retry(3)
                .delayBeforeRetry(Duration.ofSeconds(3)).build());
        UrlSpec url = http.urls().get(0);
        assertThat(url.path()).isEqualTo("/testurl3/test.jsp");
        assertThat(HexFormat.of().formatHex(url.digest())).isEqualTo("640205b7b0fc66c1ea91c463fac6334d");
        assertThat(url.statusCodes()).isEmpty();
        assertThat(url.accepts(200)).isTrue();
        assertThat(url.accepts(302)).isFalse();
    }

    @Test
    void sslGetAndHttpGetWithTwoUrlsEach() {
        ForwarderConfig c = load("keepalived.conf.SSL_GET");
        assertThat(lines(c)).isEmpty();
        assertThat(c.services()).extracting(VirtualServiceConfig::key)
                .containsExactly(tcp("192.168.200.100", 443), tcp("192.168.200.100", 80));
        for (VirtualServiceConfig s : c.services()) {
            CheckerSpec.Http http = (CheckerSpec.Http) s.health().realServers().get(0).checkers().get(0);
            assertThat(http.ssl()).isEqualTo(s.key().port() == 443);
            assertThat(http.type()).isEqualTo(s.key().port() == 443 ? "SSL_GET" : "HTTP_GET");
            assertThat(http.urls()).extracting(UrlSpec::path).containsExactly("/", "/mrtg/");
            assertThat(HexFormat.of().formatHex(http.urls().get(1).digest()))
                    .isEqualTo("9b3a0c85a887a256d6939da88aabd8cd");
            assertThat(http.tls().verify()).isFalse();
            assertThat(s.realServers()).containsExactly(new RealServerConfig(ip("192.168.201.100"), s.key().port(),
                    nat(1)));
        }
    }

    @Test
    void miscCheckWithQuotedArguments() {
        ForwarderConfig c = load("keepalived.conf.misc_check_arg");
        assertThat(lines(c)).isEmpty();
        CheckerSpec.Misc misc = (CheckerSpec.Misc) c.services().get(0).health().realServers().get(0).checkers().get(0);
        assertThat(misc.command()).containsExactly("/usr/local/bin/script.sh", "arg1", "arg2");
        assertThat(misc.timeout()).isNull();
        assertThat(misc.dynamic()).isFalse();
        assertThat(misc.settings().retry()).isNull();
        assertThat(misc.typeDefaults(Duration.ofSeconds(6)).retry()).isZero();
    }

    @Test
    void quorumAlphaOmegaAndTenTcpChecks() {
        ForwarderConfig c = load("keepalived.conf.quorum");
        assertThat(lines(c)).isEmpty();
        VirtualServiceConfig s = c.services().get(0);
        assertThat(s.key()).isEqualTo(tcp("10.0.1.1", 80));
        assertThat(s.options()).isEqualTo(ServiceOptions.builder().scheduler("wrr").persistenceTimeout(900).build());
        VirtualServerSpec h = s.health();
        assertThat(h.alpha()).isTrue();
        assertThat(h.omega()).isTrue();
        assertThat(h.quorum()).isEqualTo(7);
        assertThat(h.hysteresis()).isEqualTo(2);
        assertThat(h.quorumUp()).isEqualTo("/usr/local/sbin/quorum-up.sh");
        assertThat(h.quorumDown()).isEqualTo("/usr/local/sbin/quorum-down.sh");
        assertThat(s.realServers()).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(s.realServers().get(i)).isEqualTo(new RealServerConfig(ip("10.0.0." + (i + 1)), 8080, nat(1)));
            CheckerSpec.Tcp tcp = (CheckerSpec.Tcp) h.realServers().get(i).checkers().get(0);
            assertThat(tcp.connect()).isEqualTo(new ConnectOptions(null, 80, null, null));
            assertThat(tcp.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void vrrpOnlySampleHasNoServicesAndNoErrors() {
        ForwarderConfig c = load("keepalived.conf.vrrp.scripts");
        assertThat(c.services()).isEmpty();
        assertThat(c.hasErrors()).isFalse();
        assertThat(c.vrrpInstances()).containsExactly("VI_1", "VI_2", "VI_3");
    }

    @Test
    void seed000DirectorDrWithTyposAndZeroPersistence() {
        ForwarderConfig c = load("seed000-director.conf");
        assertThat(c.hasErrors()).isFalse();
        assertThat(lines(c)).containsExactly(
                "23: WARNING: lb_kind DR: the user-space forwarder cannot hand packets to a real server unchanged"
                        + " (direct routing); forwarded as NAT: each connection is proxied and the real server sees"
                        + " the forwarder's address",
                "24: WARNING: persistence_timeout invalid - 0 is not a timeout; leave persistence_timeout out for a"
                        + " service without persistence",
                "30: WARNING: Unknown keyword 'nb_get_retry'",
                "39: WARNING: Unknown keyword 'nb_get_retry'",
                "41: WARNING: Unknown keyword 'connetc_port'");
        VirtualServiceConfig s = c.services().get(0);
        assertThat(s.key()).isEqualTo(tcp("172.16.100.196", 80));
        assertThat(s.options()).isEqualTo(ServiceOptions.builder().scheduler("rr").build());
        assertThat(s.realServers()).containsExactly(new RealServerConfig(ip("172.16.100.190"), 80, nat(100)),
                new RealServerConfig(ip("172.16.100.191"), 80, nat(100)));
        CheckerSpec.Tcp first = (CheckerSpec.Tcp) s.health().realServers().get(0).checkers().get(0);
        CheckerSpec.Tcp second = (CheckerSpec.Tcp) s.health().realServers().get(1).checkers().get(0);
        assertThat(first.connect().connectPort()).isEqualTo(80);
        assertThat(second.connect().connectPort()).as("the typo connetc_port is ignored").isNull();
        assertThat(first.settings().retry()).as("TCP_CHECK has no nb_get_retry").isNull();
        assertThat(first.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(first.settings().delayBeforeRetry()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.vrrpAddresses()).containsExactlyInAnyOrder(ip("192.168.200.16"), ip("192.168.200.17"),
                ip("192.168.200.18"));
    }

    @Test
    void seed004BothDirectorsMapToTheSameService() {
        for (String name : List.of("seed004-lvs1.conf", "seed004-lvs2.conf")) {
            ForwarderConfig c = load(name);
            assertThat(c.hasErrors()).isFalse();
            assertThat(lines(c)).contains(
                    "27: WARNING: lb_kind DR: the user-space forwarder cannot hand packets to a real server unchanged"
                            + " (direct routing); forwarded as NAT: each connection is proxied and the real server"
                            + " sees the forwarder's address",
                    "33: WARNING: Unknown keyword 'nb_get_retry'",
                    "41: WARNING: Unknown keyword 'nb_get_retry'");
            assertThat(TestConfigs.allLines(c)).as("the article's no-break-space lines are words keepalived does not know")
                    .contains("2: WARNING: Unknown keyword '\u00a0'");
            VirtualServiceConfig s = c.services().get(0);
            assertThat(s.key()).isEqualTo(tcp("10.1.1.166", 80));
            assertThat(s.options().scheduler()).isEqualTo("rr");
            assertThat(s.realServers()).containsExactly(new RealServerConfig(ip("10.1.1.163"), 80, nat(1)),
                    new RealServerConfig(ip("10.1.1.164"), 80, nat(1)));
            assertThat(c.vrrpAddresses()).containsExactly(ip("10.1.1.166"));
        }
    }

    @Test
    void seed002IsVrrpOnly() {
        ForwarderConfig c = load("seed002-vrrp.conf");
        assertThat(c.services()).isEmpty();
        assertThat(c.vrrpInstances()).containsExactly("VI_1");
    }

    @Test
    void seed000OneLineConfigIsReadWithoutFailing() {
        ForwarderConfig c = load("seed000-one-line.conf");
        assertThat(c.errors()).as("only the VRRP part of the line is unusable")
                .allSatisfy(d -> assertThat(lines(c)).doesNotContain(TestConfigs.line(d)));
        assertThat(c.services()).extracting(VirtualServiceConfig::key).containsExactly(tcp("10.0.102.110", 80));
        assertThat(lines(c)).contains("1: WARNING: Virtual server 10.0.102.110:80: no scheduler set, setting default"
                + " 'wlc'");
    }
}
