package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.lines;
import static io.lvs4j.vrrp.conf.Configs.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** keepalived's sample configurations and the configurations in the seed articles (see SOURCES.md). */
class SampleConfigsTest {

    static Path resource(String name) {
        URL url = SampleConfigsTest.class.getResource(name);
        assertThat(url).as(name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeepalivedConfig load(String name) throws IOException {
        return KeepalivedConfig.parse(resource(name), options().build());
    }

    static Stream<String> allConfigs() {
        return Stream.of("samples/keepalived.conf.SSL_GET", "samples/keepalived.conf.misc_check_arg",
                "samples/keepalived.conf.quorum", "samples/keepalived.conf.sample",
                "samples/keepalived.conf.vrrp.scripts", "seeds/seed000-lvs-dr-master.conf",
                "seeds/seed000-lvs-dr-backup.conf", "seeds/seed002-lc1.conf", "seeds/seed002-lc7-flattened.conf",
                "seeds/seed004-lvs1.conf", "seeds/seed004-lvs2.conf", "seeds/seed004-nopreempt.conf",
                "seeds/seed004-vrrp-script.conf");
    }

    @ParameterizedTest
    @MethodSource("allConfigs")
    void parsesWithoutDiagnostics(String name) throws IOException {
        KeepalivedConfig c = load(name);
        assertThat(c.diagnostics()).as(name).isEmpty();
        assertThat(c.roots()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("allConfigs")
    void formattedTextParsesToTheSameTree(String name) throws IOException {
        KeepalivedConfig c = load(name);
        KeepalivedConfig again = KeepalivedConfig.parseText(c.format(), c.file(), options().build());
        assertThat(again.diagnostics()).isEmpty();
        assertThat(lines(again)).isEqualTo(lines(c));
        assertThat(again.format()).isEqualTo(c.format());
    }

    @Test
    void quorumSampleHasTenTcpCheckedRealServers() throws IOException {
        KeepalivedConfig c = load("samples/keepalived.conf.quorum");
        assertThat(c.roots()).hasSize(1);
        ConfigNode vs = c.roots().get(0);
        assertThat(vs.words()).containsExactly("virtual_server", "10.0.1.1", "80");
        assertThat(vs.line()).isEqualTo(23);
        assertThat(vs.children().stream().filter(n -> !n.block()).map(n -> String.join(" ", n.words())))
                .containsExactly("delay_loop 6", "lb_algo wrr", "lb_kind NAT", "persistence_timeout 900",
                        "protocol TCP", "alpha", "omega", "quorum 7", "hysteresis 2",
                        "quorum_up /usr/local/sbin/quorum-up.sh", "quorum_down /usr/local/sbin/quorum-down.sh");
        List<ConfigNode> realServers = vs.children("real_server");
        assertThat(realServers).hasSize(10);
        for (int i = 0; i < 10; i++) {
            ConfigNode rs = realServers.get(i);
            assertThat(rs.args()).containsExactly("10.0.0." + (i + 1), "8080");
            assertThat(lines(rs.children())).containsExactly("weight 1", "TCP_CHECK {", "connect_port 80",
                    "connect_timeout 3", "}");
        }
        ConfigDiagnostics d = new ConfigDiagnostics();
        assertThat(ConfigValues.timer(realServers.get(9).child("TCP_CHECK").orElseThrow()
                .child("connect_timeout").orElseThrow(), d)).contains(Duration.ofSeconds(3));
        assertThat(d.all()).isEmpty();
    }

    @Test
    void sslGetSampleHasTwoUrlsPerChecker() throws IOException {
        KeepalivedConfig c = load("samples/keepalived.conf.SSL_GET");
        assertThat(c.roots()).extracting(ConfigNode::keyword)
                .containsExactly("global_defs", "vrrp_instance", "virtual_server", "virtual_server");
        ConfigNode globalDefs = c.roots().get(0);
        assertThat(lines(globalDefs.children())).containsExactly("notification_email {", "acassen", "}",
                "notification_email_from Alexandre.Cassen@firewall.loc", "smtp_server 192.168.200.1",
                "smtp_connect_timeout 30", "router_id LVS_DEVEL");
        ConfigNode auth = c.roots().get(1).child("authentication").orElseThrow();
        assertThat(lines(auth.children())).containsExactly("auth_type AH", "auth_pass 1111");
        ConfigNode ssl = c.roots().get(2).child("real_server").orElseThrow().child("SSL_GET").orElseThrow();
        ConfigNode http = c.roots().get(3).child("real_server").orElseThrow().child("HTTP_GET").orElseThrow();
        for (ConfigNode checker : List.of(ssl, http)) {
            assertThat(lines(checker.children())).containsExactly("url {", "path /",
                    "digest ff20ad2481f97b1754ef3e12ecd3a9cc", "}", "url {", "path /mrtg/",
                    "digest 9b3a0c85a887a256d6939da88aabd8cd", "}", "connect_timeout 3", "retry 3",
                    "delay_before_retry 3");
        }
        assertThat(c.roots().get(1).child("virtual_ipaddress").orElseThrow().children())
                .extracting(ConfigNode::keyword).containsExactly("192.168.200.16", "192.168.200.17",
                        "192.168.200.18");
    }

    @Test
    void miscCheckSampleKeepsTheQuotedScriptAsOneArgument() throws IOException {
        KeepalivedConfig c = load("samples/keepalived.conf.misc_check_arg");
        ConfigNode misc = c.roots().get(1).child("real_server").orElseThrow().child("MISC_CHECK").orElseThrow();
        ConfigNode path = misc.child("misc_path").orElseThrow();
        assertThat(path.args()).containsExactly("/usr/local/bin/script.sh arg1 arg2");
        assertThat(path.line()).isEqualTo(23);
        ConfigDiagnostics d = new ConfigDiagnostics();
        assertThat(ConfigValues.scriptArgv(path, d)).contains(List.of("/usr/local/bin/script.sh", "arg1", "arg2"));
    }

    @Test
    void sampleHasANopreemptInstanceAndASorryServer() throws IOException {
        KeepalivedConfig c = load("samples/keepalived.conf.sample");
        assertThat(lines(c.roots().subList(1, 2))).containsExactly("vrrp_instance VI_1 {", "interface eth0",
                "virtual_router_id 50", "nopreempt", "priority 100", "advert_int 1", "virtual_ipaddress {",
                "192.168.200.11", "192.168.200.12", "192.168.200.13", "}", "}");
        ConfigNode vs = c.roots().get(2);
        assertThat(vs.child("sorry_server").orElseThrow().args()).containsExactly("192.168.200.200", "1358");
        assertThat(vs.child("real_server").orElseThrow().child("HTTP_GET").orElseThrow().child("url").orElseThrow()
                .child("path").orElseThrow().args()).containsExactly("/testurl3/test.jsp");
    }

    @Test
    void vrrpScriptsSampleHasNotifyScriptsWithArguments() throws IOException {
        KeepalivedConfig c = load("samples/keepalived.conf.vrrp.scripts");
        assertThat(c.roots()).extracting(n -> String.join(" ", n.words())).containsExactly("vrrp_sync_group G1",
                "vrrp_instance VI_1", "vrrp_instance VI_2", "vrrp_instance VI_3");
        ConfigNode group = c.roots().get(0);
        assertThat(group.child("group").orElseThrow().children()).extracting(ConfigNode::keyword)
                .containsExactly("VI_2", "VI_3");
        ConfigNode notify = c.roots().get(1).child("notify_master").orElseThrow();
        assertThat(notify.args()).containsExactly("/usr/local/bin/vrrp.sh  MASTER  VI_1");
        ConfigDiagnostics d = new ConfigDiagnostics();
        assertThat(ConfigValues.scriptArgv(notify, d)).contains(List.of("/usr/local/bin/vrrp.sh", "MASTER", "VI_1"));
        assertThat(ConfigValues.bool(c.roots().get(1).child("smtp_alert").orElseThrow(), d)).contains(true);
        assertThat(d.all()).isEmpty();
    }

    // ------------------------------------------------------------------ seeds

    @Test
    void seed000MasterKeepsItsCommentsOutOfTheTreeAndTheTypoForTheSchema() throws IOException {
        KeepalivedConfig c = load("seeds/seed000-lvs-dr-master.conf");
        assertThat(lines(c.roots().subList(1, 2))).containsExactly("vrrp_instance VI_1 {", "state MASTER",
                "interface eth0", "virtual_router_id 51", "priority 100", "advert_int 1", "authentication {",
                "auth_type PASS", "auth_pass 1111", "}", "virtual_ipaddress {", "192.168.200.16", "192.168.200.17",
                "192.168.200.18", "}", "}");
        ConfigDiagnostics d = new ConfigDiagnostics(c.diagnostics());
        KeywordSchemaTest.KEEPALIVED_SUBSET.check(c, d);
        Path file = resource("seeds/seed000-lvs-dr-master.conf");
        assertThat(d.all()).extracting(ConfigDiagnostic::file, ConfigDiagnostic::line, ConfigDiagnostic::message)
                .containsExactly(tuple(file, 52, "Unknown keyword 'connetc_port'"));
    }

    @Test
    void seed002AsPublishedOnOneLineIsOneLinePerBlock() throws IOException {
        KeepalivedConfig flat = load("seeds/seed002-lc7-flattened.conf");
        assertThat(lines(flat)).containsExactly("vrrp_instance VI_1 {",
                "state MASTER interface enp7s0f0 virtual_router_id 51 priority 100 advert_int 1 authentication {",
                "auth_type PASS auth_pass 123456", "}", "virtual_ipaddress {", "172.24.8.150", "}", "}");
        KeepalivedConfig rebuilt = load("seeds/seed002-lc1.conf");
        assertThat(lines(rebuilt)).containsExactly("vrrp_instance VI_1 {", "state MASTER", "interface enp7s0f0",
                "virtual_router_id 51", "priority 101", "advert_int 1", "authentication {", "auth_type PASS",
                "auth_pass 123456", "}", "virtual_ipaddress {", "172.24.8.150", "}", "}");
    }

    @Test
    void seed004VerbatimHasNoBreakSpacesThatKeepalivedWouldReject() throws IOException {
        KeepalivedConfig c = load("seeds/seed004-lvs1-verbatim.conf");
        assertThat(c.hasErrors()).isFalse();
        assertThat(c.warnings()).extracting(ConfigDiagnostic::line).containsExactly(2, 4, 6, 17, 22, 23);
        assertThat(c.roots().get(0).words()).containsExactly("\u00a0");
        ConfigDiagnostics d = new ConfigDiagnostics();
        KeywordSchemaTest.KEEPALIVED_SUBSET.check(c, d);
        assertThat(d.all()).extracting(ConfigDiagnostic::line).containsExactly(2, 6, 17, 22, 23);
        assertThat(d.all().get(0).message()).isEqualTo("Unknown keyword '\u00a0'");
    }

    @Test
    void seed004ConfigsHaveTheExpectedShape() throws IOException {
        KeepalivedConfig lvs2 = load("seeds/seed004-lvs2.conf");
        ConfigNode vs = lvs2.roots("virtual_server").get(0);
        assertThat(vs.children("real_server")).hasSize(2).allSatisfy(rs ->
                assertThat(lines(rs.children())).containsExactly("TCP_CHECK {", "connect_timeout 10",
                        "nb_get_retry 3", "delay_before_retry 3", "connect_port 80", "}"));
        assertThat(vs.child("persistence_timeout")).isEmpty();

        KeepalivedConfig nopreempt = load("seeds/seed004-nopreempt.conf");
        assertThat(nopreempt.roots()).extracting(ConfigNode::keyword)
                .containsExactly("global_defs", "vrrp_instance");
        assertThat(nopreempt.roots("vrrp_instance").get(0).children()).extracting(ConfigNode::keyword)
                .containsExactly("state", "interface", "virtual_router_id", "priority", "advert_int", "nopreempt",
                        "authentication", "virtual_ipaddress");

        KeepalivedConfig script = load("seeds/seed004-vrrp-script.conf");
        ConfigNode chk = script.roots("vrrp_script").get(0);
        assertThat(lines(chk.children())).containsExactly("script /bin/pidof nfsd", "interval 10", "weight -90",
                "fall 3", "rise 1");
        ConfigDiagnostics d = new ConfigDiagnostics();
        assertThat(ConfigValues.integer(chk.child("weight").orElseThrow(), -253, 253, d)).hasValue(-90);
        assertThat(ConfigValues.timer(chk.child("interval").orElseThrow(), d)).contains(Duration.ofSeconds(10));
        ConfigNode instance = script.roots("vrrp_instance").get(0);
        assertThat(instance.child("track_script").orElseThrow().children()).extracting(ConfigNode::keyword)
                .containsExactly("chk_nfs");
        assertThat(instance.child("preempt_delay").orElseThrow().args()).containsExactly("300");
        assertThat(d.all()).isEmpty();
    }

    @Test
    void sourcesNoteIsThere() throws IOException {
        assertThat(Files.readString(resource("SOURCES.md"))).contains("seed000-lvs-dr-master.conf");
    }
}
