package io.lvs4j.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLinesTest {

    @Test
    void splitsOnEveryWhitespaceKind() {
        assertThat(CommandLines.split("  /bin/a\tb\fc\nd\re\u000Bf  ")).containsExactly("/bin/a", "b", "c", "d", "e", "f");
    }

    @Test
    void blankIsNoWords() {
        assertThat(CommandLines.split("")).isEmpty();
        assertThat(CommandLines.split(" \t ")).isEmpty();
    }

    @Test
    void manPageQuotedStringExamples() {
        assertThat(CommandLines.split("abcd\" efg h jkl \"mnop")).containsExactly("abcd efg h jkl mnop");
        assertThat(CommandLines.split("abcd \"efg h jkl\" mnop")).containsExactly("abcd", "efg h jkl", "mnop");
    }

    @Test
    void eachQuoteKindProtectsTheOther() {
        assertThat(CommandLines.split("'say \"hi there\"' \"it's  ok\""))
                .containsExactly("say \"hi there\"", "it's  ok");
    }

    @Test
    void emptyQuotesAreEmptyWords() {
        assertThat(CommandLines.split("a \"\" '' b")).containsExactly("a", "", "", "b");
    }

    @Test
    void namedEscapes() {
        assertThat(CommandLines.split("\\a\\b\\E\\f\\n\\r\\t\\v"))
                .containsExactly("\u0007\b\u001b\f\n\r\t\u000B");
    }

    @Test
    void anyOtherEscapedCharacterIsItself() {
        assertThat(CommandLines.split("a\\ b \\\\ \\\" \\' \\q \\8")).containsExactly("a b", "\\", "\"", "'", "q", "8");
    }

    @Test
    void escapesAreProcessedInsideBothQuoteKinds() {
        assertThat(CommandLines.split("'a\\tb\\'c' \"d\\\"e\\x41\"")).containsExactly("a\tb'c", "d\"eA");
    }

    @Test
    void controlEscape() {
        assertThat(CommandLines.split("\\cA\\c[")).containsExactly("\u0001\u001b");
        assertThat(CommandLines.split("x\\c")).containsExactly("xc");
    }

    @Test
    void octalEscapesTakeUpToThreeDigits() {
        assertThat(CommandLines.split("\\101\\1011 \\60\\7")).containsExactly("AA1", "0\u0007");
    }

    @Test
    void hexEscapesConsumeEveryHexDigitKeepingTheLow8Bits() {
        assertThat(CommandLines.split("\\x41 \\x6a \\x414 \\xz")).containsExactly("A", "j", "\u0014", "xz");
    }

    @Test
    void escapedBytesAreDecodedAsUtf8() {
        assertThat(CommandLines.split("caf\\xc3\\xa9 café")).containsExactly("café", "café");
    }

    @Test
    void aNulByteEndsTheWord() {
        assertThat(CommandLines.split("ab\\0cd ef\\x00gh")).containsExactly("ab", "ef");
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> CommandLines.split("/bin/a \"b c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("String '/bin/a \"b c': missing terminating \"");
        assertThatThrownBy(() -> CommandLines.split("/bin/a 'b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing terminating '");
    }

    @Test
    void trailingBackslashIsAnError() {
        assertThatThrownBy(() -> CommandLines.split("/bin/a b\\"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Missing escape char at end: '/bin/a b\\'");
    }

    @Test
    void scriptArgvSplitsTheKeywordsFirstArgumentAgain() {
        assertThat(CommandLines.scriptArgv("\"/bin/check.sh 'a b' c\" nobody nogroup"))
                .containsExactly("/bin/check.sh", "a b", "c");
        assertThat(CommandLines.scriptArgv("/bin/check.sh")).containsExactly("/bin/check.sh");
    }

    @Test
    void scriptArgvProcessesEscapesTwice() {
        // Pass one turns "\ " into a space, so pass two splits there: a backslash cannot protect a space.
        assertThat(CommandLines.scriptArgv("/bin/check\\ a")).containsExactly("/bin/check", "a");
    }

    @Test
    void scriptArgvOfTheManPageNotifyExample() {
        // notify_master "/etc/keepalived/notify_event.sh ' spaces\\\\x20f\\x69le ' '\\\"s p a c e \\\"'
        //   ${SG_NAME}.$INST master" $USER group   (parameters already substituted)
        String args = "\"/etc/keepalived/notify_event.sh ' spaces\\\\\\\\x20f\\\\x69le ' '\\\\\\\"s p a c e \\\\\\\"'"
                + " SG1.low master\" user group";
        assertThat(CommandLines.scriptArgv(args)).containsExactly(
                "/etc/keepalived/notify_event.sh", " spaces\\x20file ", "\"s p a c e \"", "SG1.low", "master");
    }

    @Test
    void scriptArgvWithoutCommandIsAnError() {
        assertThatThrownBy(() -> CommandLines.scriptArgv("\"\" user"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no command");
        assertThatThrownBy(() -> CommandLines.scriptArgv("   "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
