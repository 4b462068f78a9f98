package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.FILE;
import static io.lvs4j.vrrp.conf.Configs.lines;
import static io.lvs4j.vrrp.conf.Configs.messages;
import static io.lvs4j.vrrp.conf.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.conf.ConfigDiagnostic.Severity;
import org.junit.jupiter.api.Test;

/** keepalived.conf lexical rules (spec keepalived.md §2.1, keepalived.conf(5), lib/parser.c). */
class LexicalRulesTest {

    // ------------------------------------------------------------------ comments

    @Test
    void fullLineCommentsWithHashOrBang() {
        KeepalivedConfig c =
                parse("! Configuration File for keepalived\n# another\n   ! indented\n\t# tab\nlvs_flush\n");
        assertThat(lines(c)).containsExactly("lvs_flush");
        assertThat(c.roots().get(0).line()).isEqualTo(5);
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void commentsStartAnywhereOutsideDoubleQuotes() {
        KeepalivedConfig c = parse("priority 100 # high\nweight 2! low\nrouter_id a#b\n");
        assertThat(lines(c)).containsExactly("priority 100", "weight 2", "router_id a");
    }

    @Test
    void commentCharactersInsideDoubleQuotesAreText() {
        KeepalivedConfig c = parse("script \"/bin/check #1 !2\" # real comment\n");
        assertThat(c.roots().get(0).args()).containsExactly("/bin/check #1 !2");
    }

    @Test
    void singleQuotesDoNotProtectCommentsAsInKeepalived() {
        KeepalivedConfig c = parse("auth_pass 'a#b'\n");
        assertThat(c.roots().get(0).args()).containsExactly("'a");
        assertThat(messages(c)).singleElement().asString().contains("missing terminating '");
        assertThat(c.hasErrors()).isFalse();
    }

    @Test
    void escapedCommentCharactersAreLiteral() {
        KeepalivedConfig c = parse("auth_pass a\\#b\\!c\nscript \"x \\# y\"\n");
        assertThat(c.roots().get(0).args()).containsExactly("a#b!c");
        assertThat(c.roots().get(0).plainArgs()).containsExactly("a#b!c");
        assertThat(c.roots().get(1).args()).containsExactly("x # y");
    }

    @Test
    void escapedBackslashBeforeHashStillStartsAComment() {
        KeepalivedConfig c = parse("auth_pass a\\\\#b\n");
        assertThat(c.roots().get(0).args()).containsExactly("a\\");
    }

    // ------------------------------------------------------------------ continuation

    @Test
    void trailingBackslashContinuesTheLine() {
        KeepalivedConfig c = parse("virtual_server 10.0.0.1 \\\n        80 {\n  lb_algo rr\n}\nlvs_flush\n");
        assertThat(lines(c)).containsExactly("virtual_server 10.0.0.1 80 {", "lb_algo rr", "}", "lvs_flush");
        assertThat(c.roots().get(0).line()).isEqualTo(1);
        assertThat(c.roots().get(0).children().get(0).line()).isEqualTo(3);
        assertThat(c.roots().get(1).line()).isEqualTo(5);
    }

    @Test
    void continuationAcrossSeveralLines() {
        KeepalivedConfig c = parse("notify_master \\\n  /bin/a \\\n  b\nlvs_flush\n");
        assertThat(lines(c)).containsExactly("notify_master /bin/a b", "lvs_flush");
        assertThat(c.roots().get(1).line()).isEqualTo(4);
    }

    @Test
    void backslashEndingACommentDoesNotContinue() {
        KeepalivedConfig c = parse("notify_master # the script \\\n  /bin/a\n");
        assertThat(lines(c)).containsExactly("notify_master", "/bin/a");
    }

    @Test
    void continuationAtEndOfFileIsAWarning() {
        KeepalivedConfig c = parse("lvs_flush \\");
        assertThat(lines(c)).containsExactly("lvs_flush");
        assertThat(c.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.line()).isEqualTo(1);
        });
    }

    @Test
    void emptyLineEndsAContinuation() {
        KeepalivedConfig c = parse("a \\\n\nb\n");
        assertThat(lines(c)).containsExactly("a", "b");
        assertThat(c.roots().get(1).line()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ quoting

    @Test
    void quotedAndUnquotedPartsJoin() {
        KeepalivedConfig c = parse("x abcd\" efg h jkl \"mnop\ny abcd \"efg h jkl\" mnop\n");
        assertThat(c.roots().get(0).args()).containsExactly("abcd efg h jkl mnop");
        assertThat(c.roots().get(1).args()).containsExactly("abcd", "efg h jkl", "mnop");
    }

    @Test
    void escapesInArguments() {
        KeepalivedConfig c = parse("x \"tab\\there\" \\x41\\102 'it\\'s' \\cA\n");
        assertThat(c.roots().get(0).args()).containsExactly("tab\there", "AB", "it's", "\u0001");
    }

    @Test
    void plainArgsAreWhatOrdinaryKeywordHandlersSee() {
        KeepalivedConfig c = parse("regex ^a\\d+$\nauth_pass it's\n");
        assertThat(c.roots().get(0).args()).containsExactly("^ad+$");
        assertThat(c.roots().get(0).plainArgs()).containsExactly("^a\\d+$");
        assertThat(c.roots().get(1).args()).containsExactly("it's");
        assertThat(c.roots().get(1).plainArgs()).containsExactly("it's");
        assertThat(c.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.message()).contains("missing terminating '");
        });
    }

    @Test
    void unterminatedDoubleQuoteIsAnErrorWithFileAndLine() {
        KeepalivedConfig c = parse("vrrp_instance VI_1 {\n  notify_master \"/bin/x.sh\n  priority 100\n}\n");
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo(FILE);
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.message()).isEqualTo("Unterminated quote 'notify_master \"/bin/x.sh'");
        });
        assertThat(lines(c)).contains("priority 100", "}");
    }

    // ------------------------------------------------------------------ braces

    @Test
    void oneLineBlocks() {
        KeepalivedConfig c = parse("url { path / }\na { b { c } d }\n");
        assertThat(lines(c)).containsExactly("url {", "path /", "}", "a {", "b {", "c", "}", "d", "}");
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void openingBraceOnTheNextLine() {
        KeepalivedConfig c = parse("vrrp_instance VI_1\n{\n    state BACKUP\n}\n");
        assertThat(lines(c)).containsExactly("vrrp_instance VI_1 {", "state BACKUP", "}");
        assertThat(c.roots().get(0).line()).isEqualTo(1);
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void textAfterBracesOnTheSameLine() {
        KeepalivedConfig c = parse("a {b}c {\nd } e\n");
        assertThat(lines(c)).containsExactly("a {", "b", "}", "c {", "d", "}", "e");
    }

    @Test
    void bracesInsideDoubleQuotesAreText() {
        KeepalivedConfig c = parse("x \"{a}\" {\n}\n");
        assertThat(lines(c)).containsExactly("x {a} {", "}");
    }

    @Test
    void emptyBlockIsABlock() {
        KeepalivedConfig c = parse("virtual_ipaddress {\n}\nvrrp_strict\n");
        assertThat(c.roots().get(0).block()).isTrue();
        assertThat(c.roots().get(0).children()).isEmpty();
        assertThat(c.roots().get(1).block()).isFalse();
    }

    @Test
    void missingOpeningBraceOfAKnownBlockIsAWarningAndStillABlock() {
        KeepalivedConfig c = parse("vrrp_instance VI_1 {\n  authentication\n    auth_type PASS\n  }\n"
                + "  virtual_ipaddress\n    10.0.0.1/24\n  }\n  priority 100\n}\n");
        assertThat(lines(c)).containsExactly("vrrp_instance VI_1 {", "authentication {", "auth_type PASS", "}",
                "virtual_ipaddress {", "10.0.0.1/24", "}", "priority 100", "}");
        assertThat(c.diagnostics()).extracting(ConfigDiagnostic::severity, ConfigDiagnostic::line,
                        ConfigDiagnostic::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, 2,
                                "'{' missing from beginning of block authentication"),
                        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, 5,
                                "'{' missing from beginning of block virtual_ipaddress"));
    }

    @Test
    void aBlockKeywordIsKnownOnlyWhereItOpensABlock() {
        KeepalivedConfig c = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n"
                + "  FILE_CHECK {\n   track_file f1\n   weight 2\n  }\n }\n}\n");
        assertThat(c.diagnostics()).isEmpty();
        assertThat(lines(c)).contains("track_file f1", "weight 2");
    }

    @Test
    void extraClosingBraceIsAnErrorAndIgnored() {
        KeepalivedConfig c = parse("global_defs {\n  router_id r1\n}\n}\nlvs_flush\n");
        assertThat(lines(c)).containsExactly("global_defs {", "router_id r1", "}", "lvs_flush");
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(4);
            assertThat(d.message()).isEqualTo("Extra '}' found");
        });
    }

    @Test
    void unexpectedOpeningBraceIsIgnoredWithItsMatch() {
        KeepalivedConfig c = parse("global_defs {\n  {\n    router_id r1\n  }\n}\nlvs_flush\n");
        assertThat(lines(c)).containsExactly("global_defs {", "router_id r1", "}", "lvs_flush");
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.message()).isEqualTo("Unexpected '{' - ignoring");
        });
    }

    @Test
    void unclosedBlocksAreErrorsAtTheLinesThatOpenedThem() {
        KeepalivedConfig c = parse("vrrp_instance VI_1 {\n  state MASTER\n  authentication {\n    auth_pass x\n");
        assertThat(lines(c)).containsExactly("vrrp_instance VI_1 {", "state MASTER", "authentication {",
                "auth_pass x", "}", "}");
        assertThat(c.errors()).extracting(ConfigDiagnostic::line, ConfigDiagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "Block 'authentication' is never closed: missing '}'"),
                org.assertj.core.groups.Tuple.tuple(1, "Block 'vrrp_instance' is never closed: missing '}'"));
    }

    // ------------------------------------------------------------------ words and lines

    @Test
    void keywordsAreCaseSensitiveAndKeptAsWritten() {
        KeepalivedConfig c = parse("vrrp_instance VI_1 {\n  state Master\n  Priority 100\n}\n");
        assertThat(lines(c)).containsExactly("vrrp_instance VI_1 {", "state Master", "Priority 100", "}");
    }

    @Test
    void tabsFormFeedsAndCarriageReturnsAreWhitespace() {
        KeepalivedConfig c = parse("\tpriority\t100\r\nweight\f2\u000B3\r\n");
        assertThat(lines(c)).containsExactly("priority 100", "weight 2 3");
        assertThat(c.roots().get(1).line()).isEqualTo(2);
    }

    @Test
    void noBreakSpaceIsNotWhitespaceAndIsReported() {
        KeepalivedConfig c = parse("router_id LVS_1 \u00a0\u00a0\n\u00a0 \n");
        assertThat(lines(c)).containsExactly("router_id LVS_1 \u00a0\u00a0", "\u00a0");
        assertThat(c.warnings()).hasSize(2).allSatisfy(d -> assertThat(d.message()).contains("U+00A0"));
    }

    @Test
    void nodesRememberTheirProcessedText() {
        KeepalivedConfig c = parse("notify_master   \"/bin/x a\"   # c\n");
        assertThat(c.roots().get(0).text()).isEqualTo("notify_master   \"/bin/x a\"");
    }

    @Test
    void emptyInputHasNoNodesAndNoDiagnostics() {
        assertThat(parse("").roots()).isEmpty();
        assertThat(parse("\n\n   \n# only\n").diagnostics()).isEmpty();
    }

    @Test
    void thousandsOfBracesOnOneLineAndAbsurdNestingAreSafe() {
        String line = "a { ".repeat(5000) + "x" + " }".repeat(5000);
        KeepalivedConfig c = parse(line + "\nlvs_flush\n");
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.message()).startsWith("Blocks nested more than 100 deep");
        });
        ConfigNode n = c.roots().get(0);
        int depth = 0;
        while (n.children().size() == 1) {
            n = n.children().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(TreeBuilder.MAX_DEPTH - 1);
        assertThat(c.roots()).hasSize(2);
        assertThat(c.roots().get(1).keyword()).isEqualTo("lvs_flush");
    }
}
