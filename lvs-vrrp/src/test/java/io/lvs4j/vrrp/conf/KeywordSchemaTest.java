package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.FILE;
import static io.lvs4j.vrrp.conf.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lvs4j.vrrp.conf.ConfigDiagnostic.Severity;
import org.junit.jupiter.api.Test;

/** Declared keywords and keepalived's "Unknown keyword" warnings. */
class KeywordSchemaTest {

    /** Enough of keepalived's keywords for the sample and seed configurations. */
    static final KeywordSchema KEEPALIVED_SUBSET = buildSubset();

    private static KeywordSchema buildSubset() {
        KeywordSchema url = KeywordSchema.builder().keywords("path", "digest", "status_code", "virtualhost").build();
        KeywordSchema checkerCommon = KeywordSchema.builder()
                .keywords("connect_ip", "connect_port", "bindto", "connect_timeout", "retry", "nb_get_retry",
                        "delay_before_retry", "warmup", "delay_loop")
                .build();
        KeywordSchema http = KeywordSchema.builder()
                .keywords("connect_ip", "connect_port", "bindto", "connect_timeout", "retry", "nb_get_retry",
                        "delay_before_retry", "warmup", "delay_loop")
                .block("url", url).build();
        KeywordSchema misc = KeywordSchema.builder().keywords("misc_path", "misc_timeout", "misc_dynamic").build();
        KeywordSchema realServer = KeywordSchema.builder()
                .keywords("weight", "inhibit_on_failure", "notify_up", "notify_down")
                .block("TCP_CHECK", checkerCommon).block("HTTP_GET", http).block("SSL_GET", http)
                .block("MISC_CHECK", misc)
                .build();
        KeywordSchema virtualServer = KeywordSchema.builder()
                .keywords("delay_loop", "lb_algo", "lvs_sched", "lb_kind", "lvs_method", "persistence_timeout",
                        "protocol", "alpha", "omega", "quorum", "hysteresis", "quorum_up", "quorum_down",
                        "sorry_server")
                .block("real_server", realServer)
                .build();
        KeywordSchema instance = KeywordSchema.builder()
                .keywords("state", "interface", "virtual_router_id", "priority", "advert_int", "nopreempt",
                        "preempt_delay", "smtp_alert", "notify_master", "notify_backup", "notify_fault")
                .block("authentication", KeywordSchema.builder().keywords("auth_type", "auth_pass").build())
                .valueBlocks("virtual_ipaddress", "track_script", "track_interface")
                .build();
        return KeywordSchema.builder()
                .block("global_defs", KeywordSchema.builder()
                        .keywords("notification_email_from", "smtp_server", "smtp_connect_timeout", "router_id")
                        .valueBlocks("notification_email").build())
                .block("vrrp_instance", instance)
                .block("vrrp_sync_group", KeywordSchema.builder()
                        .keywords("notify_master", "notify_backup", "notify_fault").valueBlocks("group").build())
                .block("vrrp_script", KeywordSchema.builder()
                        .keywords("script", "interval", "weight", "fall", "rise").build())
                .block("virtual_server", virtualServer)
                .build();
    }

    @Test
    void unknownKeywordsAreWarningsWithKeepalivedsWordingAtTheirLines() {
        KeepalivedConfig c = parse("""
                global_defs {
                    router_id r1
                    routerid r2
                }
                vrrp_instance VI_1 {
                    state MASTER
                    Priority 100
                    virtual_ipaddress {
                        10.0.0.1/24 dev eth0
                    }
                    authentication {
                        auth_type PASS
                        auth_secret x
                    }
                }
                vrrp_instanse VI_2 {
                    whatever 1
                }
                """);
        ConfigDiagnostics d = new ConfigDiagnostics(c.diagnostics());
        KEEPALIVED_SUBSET.check(c, d);
        assertThat(d.all()).extracting(ConfigDiagnostic::severity, ConfigDiagnostic::file, ConfigDiagnostic::line,
                ConfigDiagnostic::message).containsExactly(
                tuple(Severity.WARNING, FILE, 3, "Unknown keyword 'routerid'"),
                tuple(Severity.WARNING, FILE, 7, "Unknown keyword 'Priority'"),
                tuple(Severity.WARNING, FILE, 13, "Unknown keyword 'auth_secret'"),
                tuple(Severity.WARNING, FILE, 16, "Unknown keyword 'vrrp_instanse'"));
        assertThat(d.hasErrors()).isFalse();
        assertThat(d.all().get(0).toString())
                .isEqualTo(FILE + ":3: WARNING: Unknown keyword 'routerid'");
    }

    @Test
    void queriesAndRedeclaration() {
        KeywordSchema s = KeywordSchema.builder().keywords("a").block("b", KeywordSchema.builder().build())
                .valueBlocks("c").keywords("c").build();
        assertThat(s.knows("a")).isTrue();
        assertThat(s.isBlock("a")).isFalse();
        assertThat(s.isBlock("b")).isTrue();
        assertThat(s.isBlock("c")).isFalse();
        assertThat(s.blockSchema("b")).isPresent();
        assertThat(s.blockSchema("a")).isEmpty();
        assertThat(s.knows("A")).isFalse();
    }

    @Test
    void keepalivedBlocksKnowsTheNestedBlockKeywords() {
        KeywordSchema k = KeywordSchema.keepalivedBlocks();
        assertThat(k.isBlock("vrrp_instance")).isTrue();
        assertThat(k.isBlock("track_file")).isTrue();
        KeywordSchema rs = k.blockSchema("virtual_server").flatMap(v -> v.blockSchema("real_server")).orElseThrow();
        assertThat(rs.isBlock("HTTP_GET")).isTrue();
        assertThat(rs.blockSchema("FILE_CHECK").orElseThrow().isBlock("track_file")).isFalse();
        assertThat(k.blockSchema("vrrp_instance").orElseThrow().isBlock("virtual_ipaddress")).isTrue();
    }

    @Test
    void parserUsesTheGivenBlockSchema() {
        KeywordSchema blocks = KeywordSchema.builder().block("zone", KeywordSchema.builder().build()).build();
        KeepalivedConfig c = parse("zone a\n  x 1\n}\nvrrp_instance v\n", Configs.options().blocks(blocks).build());
        assertThat(Configs.lines(c)).containsExactly("zone a {", "x 1", "}", "vrrp_instance v");
        assertThat(c.warnings()).singleElement().satisfies(w ->
                assertThat(w.message()).isEqualTo("'{' missing from beginning of block zone"));
    }
}
