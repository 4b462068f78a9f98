package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.lines;
import static io.lvs4j.vrrp.conf.Configs.options;
import static io.lvs4j.vrrp.conf.Configs.parse;
import static io.lvs4j.vrrp.conf.Configs.top;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameters, conditional lines and sequence blocks (keepalived.conf(5) "ADVANCED CONFIGURATION"). */
class ParametersTest {

    // ------------------------------------------------------------------ definitions and substitution

    @Test
    void dollarNameAndBracedName() {
        KeepalivedConfig c = parse("$PRIO=150\n$IF=eth0\npriority $PRIO\ninterface ${IF}.10\nx $PRIO,$PRIO)\n");
        assertThat(top(c)).containsExactly("priority 150", "interface eth0.10", "x 150,150)");
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void unbracedNameMustEndAtBlankCommaParenOrEndOfLine() {
        KeepalivedConfig c = parse("$A=1\nx $Ab $A.b ${A}b\n");
        assertThat(top(c)).containsExactly("x $Ab $A.b 1b");
    }

    @Test
    void undefinedParametersStayAsTheyAre() {
        KeepalivedConfig c = parse("$X=1\nscript \"/bin/a $1 ${UNDEF} ${X} $X\"\n");
        assertThat(c.roots().get(0).args()).containsExactly("/bin/a $1 ${UNDEF} 1 $X");
    }

    @Test
    void withoutAnyDefinitionDollarTextIsUntouched() {
        KeepalivedConfig c = parse("script \"/bin/a $HOME\"\n");
        assertThat(c.roots().get(0).args()).containsExactly("/bin/a $HOME");
    }

    @Test
    void substitutionIsRecursiveAndHappensAtUseTime() {
        KeepalivedConfig c = parse("""
                $ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}
                $ADDRESS_BASE_SUB=0
                ${ADDRESS_BASE}.100/32
                $ADDRESS_BASE_SUB=10
                ${ADDRESS_BASE}.100/32
                """);
        assertThat(top(c)).containsExactly("10.2.0.100/32", "10.2.10.100/32");
    }

    @Test
    void noBlankBeforeTheEqualsSignAndEmptyValuesAllowed() {
        KeepalivedConfig c = parse("$A =1\n$B=\nx [${B}]\n$C=   spaced value  \ny ${C}\n");
        assertThat(top(c)).containsExactly("$A =1", "x []", "y spaced value");
    }

    @Test
    void valueIsDecommentedAndMayHoldQuotes() {
        KeepalivedConfig c = parse("$S=\"/bin/notify.sh a b\" # comment\nnotify_master $S\n");
        assertThat(c.roots().get(0).args()).containsExactly("/bin/notify.sh a b");
    }

    @Test
    void endlessSubstitutionIsAnErrorNotAHang() {
        KeepalivedConfig c = parse("$A=x$A\nv $A\n");
        assertThat(c.errors()).singleElement().satisfies(d -> assertThat(d.line()).isEqualTo(2));
    }

    @Test
    void substitutionCanOpenAndCloseBlocks() {
        KeepalivedConfig c = parse("$OPEN={\n$VIP=10.0.0.1/24\nvirtual_ipaddress $OPEN $VIP }\n");
        assertThat(lines(c)).containsExactly("virtual_ipaddress {", "10.0.0.1/24", "}");
    }

    // ------------------------------------------------------------------ multi-line definitions

    @Test
    void manPageMultilineInstanceExample() {
        KeepalivedConfig c = parse("""
                $INSTANCE= \\
                vrrp_instance VI_${NUM} { \\
                    interface eth0.${NUM} \\
                    use_vmac vrrp${NUM}.1 \\
                    virtual_router_id 1 \\
                    @high priority 130 \\
                    @low priority 120 \\
                    advert_int 1 \\
                    virtual_ipaddress { \\
                        10.0.${NUM}.254/24 \\
                    } \\
                    track_script { \\
                        offset_instance_${NUM} \\
                    } \\
                }

                $NUM=0
                $INSTANCE

                $NUM=1
                $INSTANCE
                """, options().configId("high").build());
        assertThat(c.diagnostics()).isEmpty();
        assertThat(c.roots()).hasSize(2);
        assertThat(lines(c.roots().subList(1, 2))).containsExactly("vrrp_instance VI_1 {", "interface eth0.1",
                "use_vmac vrrp1.1", "virtual_router_id 1", "priority 130", "advert_int 1", "virtual_ipaddress {",
                "10.0.1.254/24", "}", "track_script {", "offset_instance_1", "}", "}");
        assertThat(c.roots().get(0).line()).isEqualTo(18);
        assertThat(c.roots().get(1).children().get(4).line()).isEqualTo(21);
    }

    @Test
    void nestedMultilineDefinitionsAsInTheManPage() {
        KeepalivedConfig c = parse("""
                $RS= \\
                real_server 192.168.${VS_NUM}.${RS_NUM} 80 { \\
                    weight 1 \\
                    MISC_CHECK { \\
                        misc_path "${_PWD}/scripts/vs.sh ${VS_NUM}.${RS_NUM}" \\
                    } \\
                }
                $VS= \\
                virtual_server 10.0.${VS_NUM}.4 80 { \\
                    quorum 2 \\
                    $RS_NUM=1 \\
                    $RS \\
                    $RS_NUM=2 \\
                    $RS \\
                    $ALPHA \\
                }
                $VS_NUM=0
                $ALPHA=alpha
                $VS
                $VS_NUM=1
                $ALPHA=
                $VS
                """);
        assertThat(c.diagnostics()).isEmpty();
        assertThat(lines(c)).containsExactly(
                "virtual_server 10.0.0.4 80 {", "quorum 2",
                "real_server 192.168.0.1 80 {", "weight 1", "MISC_CHECK {",
                "misc_path /virtual/etc/keepalived/scripts/vs.sh 0.1", "}", "}",
                "real_server 192.168.0.2 80 {", "weight 1", "MISC_CHECK {",
                "misc_path /virtual/etc/keepalived/scripts/vs.sh 0.2", "}", "}",
                "alpha", "}",
                "virtual_server 10.0.1.4 80 {", "quorum 2",
                "real_server 192.168.1.1 80 {", "weight 1", "MISC_CHECK {",
                "misc_path /virtual/etc/keepalived/scripts/vs.sh 1.1", "}", "}",
                "real_server 192.168.1.2 80 {", "weight 1", "MISC_CHECK {",
                "misc_path /virtual/etc/keepalived/scripts/vs.sh 1.2", "}", "}",
                "}");
    }

    @Test
    void multilineParameterOnlyWhereItEndsTheLine() {
        KeepalivedConfig c = parse("$M=a \\\nb\nx $M y\nz $M\n");
        assertThat(top(c)).containsExactly("x $M y", "z a", "b");
    }

    @Test
    void emptyLineEndsAMultilineDefinitionButCommentLinesDoNot() {
        KeepalivedConfig c = parse("$M=a \\\n# note\nb \\\n\nc\n$M\n");
        assertThat(top(c)).containsExactly("c", "a", "b");
    }

    @Test
    void multilineDefinitionExcludedByItsConditionSkipsItsLines() {
        KeepalivedConfig c = parse("@other $M=a \\\nb \\\nc\nd\n");
        assertThat(top(c)).containsExactly("d");
    }

    // ------------------------------------------------------------------ pre-defined

    @Test
    void predefinedParameters() {
        KeepalivedConfig c = parse("""
                a ${_PWD}
                b ${_INSTANCE}
                c ${_ENV HOME}
                d x${_HASH}y${_BANG}z
                e ${_RANDOM 5 5} ${_RANDOM 3}
                """);
        assertThat(top(c)).containsExactly("a /virtual/etc/keepalived", "b main", "c /home/ka", "d x#y!z",
                "e 5 " + c.roots().get(4).args().get(1));
        assertThat(Long.parseLong(c.roots().get(4).args().get(1))).isBetween(3L, 32767L);
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void randomIsRepeatableWithASeed() {
        String text = "r ${_RANDOM} ${_RANDOM 10 20}\n";
        assertThat(top(parse(text))).isEqualTo(top(parse(text)));
    }

    @Test
    void unsetEnvironmentVariableIsEmptyWithAWarning() {
        KeepalivedConfig c = parse("c [${_ENV NOPE}]\n");
        assertThat(top(c)).containsExactly("c []");
        assertThat(c.warnings()).singleElement().satisfies(d -> assertThat(d.message()).contains("NOPE"));
    }

    @Test
    void predefinedParametersCanBeRedefined() {
        KeepalivedConfig c = parse("$_INSTANCE=mine\nb ${_INSTANCE}\n");
        assertThat(top(c)).containsExactly("b mine");
    }

    // ------------------------------------------------------------------ conditionals

    private static final String CONDITIONAL = """
            global_defs {
                @main   router_id main_router
                @backup router_id backup_router
            }
            vrrp_instance VRRP {
                @main    unicast_src_ip 1.2.3.4
                @backup  unicast_src_ip 1.2.3.5
                @backup2 unicast_src_ip 1.2.3.6
                unicast_peer {
                    @^main    1.2.3.4
                    @^backup  1.2.3.5
                    @^backup2 1.2.3.6
                }
            }
            """;

    @Test
    void conditionalLinesFollowTheConfigId() {
        KeepalivedConfig c = parse(CONDITIONAL, options().configId("main").build());
        assertThat(lines(c)).containsExactly("global_defs {", "router_id main_router", "}", "vrrp_instance VRRP {",
                "unicast_src_ip 1.2.3.4", "unicast_peer {", "1.2.3.5", "1.2.3.6", "}", "}");
        c = parse(CONDITIONAL, options().configId("backup2").build());
        assertThat(lines(c)).containsExactly("global_defs {", "}", "vrrp_instance VRRP {",
                "unicast_src_ip 1.2.3.6", "unicast_peer {", "1.2.3.4", "1.2.3.5", "}", "}");
    }

    @Test
    void withoutAConfigIdOnlyNegatedLinesRemain() {
        KeepalivedConfig c = parse(CONDITIONAL, options().configId(null).build());
        assertThat(lines(c)).containsExactly("global_defs {", "}", "vrrp_instance VRRP {", "unicast_peer {",
                "1.2.3.4", "1.2.3.5", "1.2.3.6", "}", "}");
    }

    @Test
    void conditionalMatchesTheWholeWordOnly() {
        KeepalivedConfig c = parse("@mai a\n@main2 b\n@main c\n@main\n@^ d\n");
        assertThat(top(c)).containsExactly("c", "d");
    }

    @Test
    void defaultConfigIdIsTheShortHostName() {
        assertThat(KeepalivedConfig.Options.defaults().configId()).hasValueSatisfying(id ->
                assertThat(id).doesNotContain(".").isNotEmpty());
    }

    @Test
    void conditionalsAndParametersTogether() {
        String text = "@main $PRIORITY=240\n@backup $PRIORITY=200\n$IF_MAIN=@main\n"
                + "vrrp_instance VI_0 {\n  priority $PRIORITY\n  $IF_MAIN nopreempt\n}\n";
        assertThat(lines(parse(text, options().configId("main").build())))
                .containsExactly("vrrp_instance VI_0 {", "priority 240", "nopreempt", "}");
        assertThat(lines(parse(text, options().configId("backup").build())))
                .containsExactly("vrrp_instance VI_0 {", "priority 200", "}");
    }

    // ------------------------------------------------------------------ ~SEQ and ~LST

    @Test
    void sequenceBlocks() {
        KeepalivedConfig c = parse("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n");
        assertThat(top(c)).containsExactly("ip_address 10.0.0.1", "ip_address 10.0.1.1", "ip_address 10.0.2.1",
                "ip_address 10.0.3.1");
        assertThat(c.roots()).allSatisfy(n -> assertThat(n.line()).isEqualTo(1));
    }

    @Test
    void hexSequencesAndDefaults() {
        List<String> expected = List.of("ip_address fe80::20:90:1", "ip_address fe80::20:a0:1",
                "ip_address fe80::20:b0:1", "ip_address fe80::20:c0:1");
        assertThat(top(parse("~SEQx(SUBNET, 144, 16, 192) ip_address fe80::20:${SUBNET}:1\n")))
                .isEqualTo(expected);
        assertThat(top(parse("~SEQx(S, 0x90, 0x10, 0xc0) ip_address fe80::20:${S}:1\n"))).isEqualTo(expected);
        assertThat(top(parse("~SEQ(A, 3) a$A\n"))).containsExactly("a1", "a2", "a3");
        assertThat(top(parse("~SEQ(A, -2) a$A\n"))).containsExactly("a-1", "a-2");
        assertThat(top(parse("~SEQ(A, 3, 1) a$A\n"))).containsExactly("a3", "a2", "a1");
    }

    @Test
    void nestedSequencesOnOneLine() {
        KeepalivedConfig c = parse("virtual_ipaddress {\n"
                + "  ~SEQx(AD2, 0x90, 0x10, 0xc0) ~SEQx(AD1, 0x12, -1, 0x0c) fe81::10:${AD2}:${AD1}\n}\n");
        List<ConfigNode> vips = c.roots().get(0).children();
        assertThat(vips).hasSize(4 * 7);
        assertThat(vips.get(0).keyword()).isEqualTo("fe81::10:90:12");
        assertThat(vips.get(6).keyword()).isEqualTo("fe81::10:90:c");
        assertThat(vips.get(27).keyword()).isEqualTo("fe81::10:c0:c");
    }

    @Test
    void sequenceOverAMultilineParameter() {
        KeepalivedConfig c = parse("$VI= \\\nvrrp_instance v${IF}.${ID} { \\\n  virtual_router_id ${ID} \\\n}\n"
                + "~SEQ(IF,0,1) ~SEQ(ID,1,3) $VI\n");
        assertThat(top(c)).containsExactly("vrrp_instance v0.1", "vrrp_instance v0.2", "vrrp_instance v0.3",
                "vrrp_instance v1.1", "vrrp_instance v1.2", "vrrp_instance v1.3");
        assertThat(c.roots().get(5).children().get(0).args()).containsExactly("3");
    }

    @Test
    void listBlocks() {
        assertThat(top(parse("~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n")))
                .containsExactly("192.168.10.1", "192.168.20.4", "192.168.5.6", "192.168.12.8");
        assertThat(top(parse("~LST(IP, 1, 2) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n")))
                .containsExactly("192.169.1.5", "192.169.1.6", "192.169.1.7", "192.169.2.5", "192.169.2.6",
                        "192.169.2.7");
        assertThat(top(parse("~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,172) 192.${IP2}.${IP}.${IP1}\n")))
                .containsExactly("192.168.10.1", "192.170.10.1", "192.172.10.1", "192.168.20.4", "192.170.20.4",
                        "192.172.20.4");
        assertThat(top(parse("~LST({A, B}, {1}) x-${A}-${B}-\n"))).containsExactly("x-1--");
    }

    @Test
    void invalidSequencesAreErrors() {
        KeepalivedConfig c = parse("~SEQ(A, 1, -1, 5) x\n~SEQ A, 1) x\n~SEQx(A, -1, 3) x\n~LST({A}, {1,2}) x\nok\n");
        assertThat(top(c)).containsExactly("ok");
        assertThat(c.errors()).extracting(ConfigDiagnostic::line).containsExactly(1, 2, 3, 4);
        assertThat(c.errors().get(0).message()).isEqualTo("Invalid ~SEQ values '~SEQ(A, 1, -1, 5) x'");
        assertThat(c.errors().get(3).message()).startsWith("~LST specification has too many values");
    }

    @Test
    void runawayExpansionStopsAtTheBound() {
        KeepalivedConfig c = parse("~SEQ(A, 1, 100) ~SEQ(B, 1, 100) x\n", options().maxExpandedLines(500).build());
        assertThat(c.roots()).hasSizeLessThanOrEqualTo(501);
        assertThat(c.errors()).singleElement().satisfies(d ->
                assertThat(d.message()).contains("more than 500 lines"));
    }
}
