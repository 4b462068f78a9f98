package io.lvs4j.vrrp.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** keepalived's quoted-and-escaped splitter and its plain splitter (man keepalived.conf "Quoted strings"). */
class ConfigWordsTest {

    @Test
    void whitespaceOfEveryKindSeparatesWords() {
        assertThat(ConfigWords.split("  a\tb\fc\nd\re\u000Bf  ")).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(ConfigWords.split(" \t ")).isEmpty();
        assertThat(ConfigWords.split("")).isEmpty();
    }

    @Test
    void manPageQuotedStringExamples() {
        assertThat(ConfigWords.split("abcd\" efg h jkl \"mnop")).containsExactly("abcd efg h jkl mnop");
        assertThat(ConfigWords.split("abcd \"efg h jkl\" mnop")).containsExactly("abcd", "efg h jkl", "mnop");
    }

    @Test
    void singleAndDoubleQuotesEachProtectTheOther() {
        assertThat(ConfigWords.split("'say \"hi\"' \"it's\" a'b c'd"))
                .containsExactly("say \"hi\"", "it's", "ab cd");
    }

    @Test
    void emptyQuotesAreEmptyWords() {
        assertThat(ConfigWords.split("a \"\" '' b")).containsExactly("a", "", "", "b");
    }

    @Test
    void namedEscapes() {
        assertThat(ConfigWords.split("\\a\\b\\E\\f\\n\\r\\t\\v"))
                .containsExactly("\u0007\b\u001b\f\n\r\t\u000B");
    }

    @Test
    void hexEscapesTakeEveryHexDigitAndKeepTheLowByte() {
        assertThat(ConfigWords.split("\\x41\\x62")).containsExactly("Ab");
        assertThat(ConfigWords.split("\\x414")).containsExactly("\u0014");
        assertThat(ConfigWords.split("\\xg")).containsExactly("xg");
        assertThat(ConfigWords.split("\\xc3\\xa9t\\xc3\\xa9")).containsExactly("été");
    }

    @Test
    void octalEscapesTakeAtMostThreeDigits() {
        assertThat(ConfigWords.split("\\101\\1011\\7")).containsExactly("AA1\u0007");
        assertThat(ConfigWords.split("x\\18")).containsExactly("x\u00018");
        assertThat(ConfigWords.split("a\\000b")).containsExactly("a");
    }

    @Test
    void controlEscape() {
        assertThat(ConfigWords.split("\\cA\\c[\\ca")).containsExactly("\u0001\u001b\u0001");
    }

    @Test
    void anyOtherEscapedCharacterIsItself() {
        assertThat(ConfigWords.split("\\\\ \\\" \\' \\q \\  \\#")).containsExactly("\\", "\"", "'", "q", " ", "#");
        assertThat(ConfigWords.split("a\\ b")).containsExactly("a b");
    }

    @Test
    void escapesWorkInsideBothQuotes() {
        assertThat(ConfigWords.split("\"a\\tb\\\"c\" 'd\\x41\\'e'")).containsExactly("a\tb\"c", "dA'e");
    }

    @Test
    void manPageScriptExampleFirstPass() {
        String line = "notify_master \"/etc/keepalived/notify_event.sh ' spaces\\\\x20f\\x69le ' "
                + "'\\\"s p a c e \\\"' SG1.low master\" user group";
        assertThat(ConfigWords.split(line)).containsExactly("notify_master",
                "/etc/keepalived/notify_event.sh ' spaces\\x20file ' '\"s p a c e \"' SG1.low master",
                "user", "group");
    }

    @Test
    void unterminatedQuoteAndTrailingBackslashAreErrors() {
        assertThatThrownBy(() -> ConfigWords.split("a 'b c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("String 'a 'b c': missing terminating '");
        assertThatThrownBy(() -> ConfigWords.split("a \"b")).hasMessage("String 'a \"b': missing terminating \"");
        assertThatThrownBy(() -> ConfigWords.split("a\\")).hasMessage("Missing escape char at end: 'a\\'");
    }

    @Test
    void plainSplitterGroupsOnlyDoubleQuotesAndEscapesNothing() {
        assertThat(ConfigWords.splitPlain("regex ^a\\d+$ 'x y' \"p q\"r"))
                .containsExactly("regex", "^a\\d+$", "'x", "y'", "p q", "r");
        assertThat(ConfigWords.splitPlain("abc\"d e\"")).containsExactly("abc", "d e");
        assertThat(ConfigWords.splitPlain("a \"b")).containsExactly("a");
    }
}
