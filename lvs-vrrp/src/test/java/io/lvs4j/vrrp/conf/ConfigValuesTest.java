package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.FILE;
import static io.lvs4j.vrrp.conf.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.vrrp.conf.ConfigDiagnostic.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code <BOOL>}, {@code <TIMER>} and integer arguments with keepalived's rules. */
class ConfigValuesTest {

    private final ConfigDiagnostics d = new ConfigDiagnostics();

    private static ConfigNode node(String line) {
        KeepalivedConfig c = parse("\n\n" + line + "\n");
        return c.roots().get(0);
    }

    @Test
    void boolAcceptsExactlyTheSixWordsAndTheBareKeyword() {
        for (String yes : List.of("on", "true", "yes")) {
            assertThat(ConfigValues.bool(node("smtp_alert " + yes), d)).contains(true);
        }
        for (String no : List.of("off", "false", "no")) {
            assertThat(ConfigValues.bool(node("smtp_alert " + no), d)).contains(false);
        }
        assertThat(ConfigValues.bool(node("smtp_alert"), d)).contains(true);
        assertThat(d.all()).isEmpty();
    }

    @Test
    void badBoolIsAnErrorNamingValueKeywordFileLineAndWhatIsAccepted() {
        assertThat(ConfigValues.bool(node("smtp_alert Yes"), d)).isEmpty();
        assertThat(ConfigValues.bool(node("smtp_alert 1"), d)).isEmpty();
        assertThat(d.all()).hasSize(2);
        ConfigDiagnostic e = d.all().get(0);
        assertThat(e.severity()).isEqualTo(Severity.ERROR);
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.message()).isEqualTo("Invalid value 'Yes' for 'smtp_alert': expected a <BOOL>, one of "
                + "on|off|true|false|yes|no (the keyword alone means true)");
        assertThat(e.toString()).startsWith(FILE + ":3: ERROR: Invalid value 'Yes'");
    }

    @Test
    void timersHaveMicrosecondResolution() {
        assertThat(ConfigValues.timer(node("advert_int 1"), d)).contains(Duration.ofSeconds(1));
        assertThat(ConfigValues.timer(node("advert_int 0.5"), d)).contains(Duration.ofMillis(500));
        assertThat(ConfigValues.timer(node("delay 2.71828"), d)).contains(Duration.ofNanos(2_718_280_000L));
        assertThat(ConfigValues.timer(node("delay 3."), d)).contains(Duration.ofSeconds(3));
        assertThat(ConfigValues.timer(node("delay .25"), d)).contains(Duration.ofMillis(250));
        assertThat(ConfigValues.timer(node("delay 0.000001"), d)).contains(Duration.ofNanos(1000));
        assertThat(ConfigValues.timer(node("delay +7"), d)).contains(Duration.ofSeconds(7));
        assertThat(d.all()).isEmpty();
    }

    @Test
    void moreThanSixDecimalsRoundOnTheSeventhWithAWarning() {
        assertThat(ConfigValues.timer(node("advert_int 1.0000004"), d)).contains(Duration.ofSeconds(1));
        assertThat(ConfigValues.timer(node("advert_int 1.0000005"), d)).contains(Duration.ofNanos(1_000_001_000L));
        assertThat(d.all()).extracting(ConfigDiagnostic::severity).containsOnly(Severity.WARNING);
        assertThat(d.all().get(1).message())
                .isEqualTo("Value '1.0000005' for 'advert_int' has too many decimal places - rounded to 1.000001");
    }

    @Test
    void badTimersAreErrors() {
        for (String bad : List.of("-1", "abc", "1e3", "1.2.3", "1s", ".", "0x10")) {
            assertThat(ConfigValues.timer(node("delay_loop " + bad), d)).as(bad).isEmpty();
        }
        assertThat(d.all()).hasSize(7).allSatisfy(e -> {
            assertThat(e.severity()).isEqualTo(Severity.ERROR);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.message()).contains("'delay_loop'").contains("<TIMER>");
        });
        assertThat(d.all().get(0).message()).isEqualTo("Invalid value '-1' for 'delay_loop': negative number; "
                + "expected a <TIMER>, seconds with up to 6 decimal places");
    }

    @Test
    void timerRange() {
        ConfigNode n = node("advert_int 300");
        assertThat(ConfigValues.timer(n, 0, Duration.ofNanos(1000), Duration.ofSeconds(255), d)).isEmpty();
        assertThat(d.all()).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo(
                "Value '300' for 'advert_int' is outside range [0.000001, 255]: expected a <TIMER>, seconds with "
                        + "up to 6 decimal places, in [0.000001, 255]"));
    }

    @Test
    void integersWithRanges() {
        assertThat(ConfigValues.integer(node("priority 100"), 1, 255, d)).hasValue(100);
        assertThat(ConfigValues.integer(node("weight -90"), -253, 253, d)).hasValue(-90);
        assertThat(ConfigValues.integer(node("weight +5"), -253, 253, d)).hasValue(5);
        assertThat(ConfigValues.integer(node("weight \"  7\""), 0, 10, d)).hasValue(7);
        assertThat(ConfigValues.integer(node("x a 12"), 1, 0, Long.MAX_VALUE, d)).hasValue(12);
        assertThat(d.all()).isEmpty();
    }

    @Test
    void badIntegersAreErrors() {
        assertThat(ConfigValues.integer(node("priority 256"), 1, 255, d)).isEmpty();
        assertThat(ConfigValues.integer(node("priority high"), 1, 255, d)).isEmpty();
        assertThat(ConfigValues.integer(node("priority 10x"), 1, 255, d)).isEmpty();
        assertThat(ConfigValues.integer(node("priority 99999999999999999999"), 1, 255, d)).isEmpty();
        assertThat(ConfigValues.integer(node("priority"), 1, 255, d)).isEmpty();
        assertThat(d.all()).extracting(ConfigDiagnostic::message).containsExactly(
                "Value '256' for 'priority' is outside range [1, 255]",
                "Invalid value 'high' for 'priority': expected an integer in [1, 255]",
                "Invalid value '10x' for 'priority': expected an integer in [1, 255]",
                "Value '99999999999999999999' for 'priority' is outside range [1, 255]: expected an integer in "
                        + "[1, 255]",
                "'priority' is missing a parameter at word position 2: expected an integer in [1, 255]");
        assertThat(d.errors()).hasSize(5);
    }

    @Test
    void stringAndScriptArgv() {
        assertThat(ConfigValues.string(node("router_id LVS_1"), d)).contains("LVS_1");
        ConfigNode notify = node("notify_master \"/bin/n.sh ' a b ' \\\\x41 c\\\\ d\" root");
        assertThat(ConfigValues.scriptArgv(notify, d)).contains(List.of("/bin/n.sh", " a b ", "A", "c d"));
        assertThat(d.all()).isEmpty();
        assertThat(ConfigValues.scriptArgv(node("notify_master \"/bin/n.sh 'a\""), d)).isEmpty();
        assertThat(ConfigValues.string(node("router_id"), d)).isEmpty();
        assertThat(d.errors()).hasSize(2);
        assertThat(d.errors().get(0).message()).startsWith("Invalid script '/bin/n.sh 'a' for 'notify_master'");
    }
}
