package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.options;
import static io.lvs4j.vrrp.conf.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad content never throws: it ends as diagnostics, and runaway expansions stop. */
class RobustnessTest {

    @Test
    void selfReferencingMultilineParameterStops() {
        KeepalivedConfig c = parse("$M= \\\nx \\\n$M\n$M\nafter\n");
        assertThat(c.hasErrors()).isTrue();
        assertThat(c.errors()).allSatisfy(d -> assertThat(d.line()).isEqualTo(4));
        assertThat(c.roots().get(c.roots().size() - 1).keyword()).isEqualTo("after");
    }

    @Test
    void exponentialExpansionOfNothingStops() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("$P").append(i).append("= \\\n$P").append(i + 1).append(" \\\n$P").append(i + 1).append('\n');
        }
        sb.append("$P40=@nobody x\n$P0\nlast\n");
        KeepalivedConfig c = parse(sb.toString(), options().maxExpandedLines(100_000).build());
        assertThat(c.errors()).singleElement().satisfies(d -> assertThat(d.message()).contains("100000"));
    }

    @Test
    void hugeSequencesAreRejected() {
        KeepalivedConfig c = parse("~SEQ(A, -9223372036854775808, 9223372036854775807) x\n~SEQ(B, 1, 0x7fffffff) y\n");
        assertThat(c.errors()).hasSize(2);
        assertThat(c.roots()).isEmpty();
    }

    @Test
    void oddIncludePatternsAreDiagnosticsNotExceptions() {
        KeepalivedConfig c = parse("include [z-a]*.conf\ninclude {a,{b}.conf\ninclude \u0000x\nok\n");
        assertThat(c.roots()).extracting(ConfigNode::keyword).containsExactly("ok");
        assertThat(c.hasErrors()).isFalse();
    }

    @Test
    void randomTextNeverThrows() {
        String alphabet = "ab$_{}\"'\\#!@^~ \t\n()=,.0123x*?[]";
        String[] pieces = {"include ", "includea ", "$A=", "${A}", "~SEQ(A,1,3) ", "~LST({A,B},{1,2}) ", "@main ",
            "@^x ", " \\\n", "vrrp_instance x {", "}", "\"", "'", "${_RANDOM 1 9}", "${_ENV HOME}", "\r\n"};
        Random random = new Random(7);
        for (int round = 0; round < 1000; round++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(5) == 0) {
                    sb.append(pieces[random.nextInt(pieces.length)]);
                } else {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = sb.toString();
            KeepalivedConfig c = parse(text, options().maxExpandedLines(10_000).build());
            assertThat(c.roots()).as(text).isNotNull();
            KeepalivedConfig.parseText(c.format(), Configs.FILE, options().build());
        }
    }
}
