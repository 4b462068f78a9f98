package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VrrpMain} in-process, for what needs no root: the command line, {@code --config-test} and the exit codes
 * of startup failures. The daemon itself is exercised in {@link VrrpDaemonNetnsTest}.
 */
class VrrpMainTest {

    record Run(int code, List<String> out, List<String> err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VrrpMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(code, lines(out), lines(err));
    }

    static List<String> lines(ByteArrayOutputStream b) {
        String s = b.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    static final String GOOD = """
            global_defs {
                router_id test
            }
            vrrp_instance VI_1 {
                state BACKUP
                interface %s
                virtual_router_id 51
                priority 100
                advert_int 1
                virtual_ipaddress {
                    198.18.0.100/24
                }
            }
            """;

    @Test
    void configTestOfAValidFileIsSilentAndZero(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), GOOD.formatted("eth0"));
        Run r = run("-t", "-f", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();

        assertThat(run("--config-test", "--use-file=" + conf).code()).isZero();
        assertThat(run("-tf" + conf).code()).isZero();
    }

    @Test
    void configTestPrintsEachDiagnosticWithFileAndLineAndFailsOnErrors(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 256
                    use_vmac
                    bogus 1
                }
                """);
        Run r = run("-t", "-f", conf.toString());
        assertThat(r.code()).isEqualTo(VrrpMain.EXIT_CONFIG);
        assertThat(r.out()).containsExactly(
                conf + ":3: ERROR: Value '256' for 'virtual_router_id' is outside range [1, 255]",
                conf + ":4: WARNING: (VI_1) use_vmac is not supported by lvs4j - ignoring",
                conf + ":5: WARNING: Unknown keyword 'bogus'");
    }

    @Test
    void warningsAloneDoNotFailTheConfigTest(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), GOOD.formatted("eth0") + "frobnicate 1\n");
        Run r = run("-t", "-f", conf.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsExactly(conf + ":14: WARNING: Unknown keyword 'frobnicate'");
    }

    @Test
    void configIdSelectsConditionalLines(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    @lb1 priority 150
                    @lb2 priority 999
                    virtual_ipaddress { 198.18.0.100 }
                }
                """);
        assertThat(run("-t", "-i", "lb1", "-f", conf.toString()).code()).isZero();
        Run lb2 = run("-t", "--config-id", "lb2", "-f", conf.toString());
        assertThat(lb2.code()).isEqualTo(VrrpMain.EXIT_CONFIG);
        assertThat(lb2.out()).containsExactly(conf + ":5: ERROR: Value '999' for 'priority' is outside range [1, 255]");
    }

    @Test
    void missingFileIsAConfigurationError(@TempDir Path dir) {
        Run r = run("-t", "-f", dir.resolve("nope.conf").toString());
        assertThat(r.code()).isEqualTo(VrrpMain.EXIT_CONFIG);
        assertThat(r.err()).containsExactly("Keepalived_vrrp: cannot read configuration file "
                + dir.resolve("nope.conf") + ": no such file");
    }

    @Test
    void startingWithErrorsRefusesWithOneLine(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), GOOD.formatted("eth0").replace("51", "0"));
        Run r = run("-f", conf.toString());
        assertThat(r.code()).isEqualTo(VrrpMain.EXIT_CONFIG);
        assertThat(r.out()).containsExactly(conf + ":7: ERROR: Value '0' for 'virtual_router_id' is outside range [1, 255]");
        assertThat(r.err()).containsExactly("Keepalived_vrrp: " + conf + " has 1 configuration error(s); not starting");
    }

    @Test
    void aMissingInterfaceIsARuntimeErrorInOneLine(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("keepalived.conf"), GOOD.formatted("nosuch9"));
        Run r = run("-f", conf.toString(), "-l");
        assertThat(r.code()).isEqualTo(VrrpMain.EXIT_RUNTIME);
        assertThat(r.err()).hasSize(1);
        assertThat(r.err().get(0)).startsWith("Keepalived_vrrp: cannot start: ").contains("no such interface nosuch9");
    }

    @Test
    void usage() {
        Run bad = run("--frobnicate");
        assertThat(bad.code()).isEqualTo(VrrpMain.EXIT_CONFIG);
        assertThat(bad.err().get(0)).isEqualTo("Keepalived_vrrp: unrecognized option '--frobnicate'");
        assertThat(run("-x").err().get(0)).isEqualTo("Keepalived_vrrp: invalid option -- 'x'");
        assertThat(run("-f").err().get(0)).isEqualTo("Keepalived_vrrp: option '-f' requires an argument");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(String.join("\n", help.out())).contains("-f, --use-file=FILE").contains("-t, --config-test");
        assertThat(run("-v").out().get(0)).startsWith("lvs4j VRRP");
    }

    @Test
    void argumentsAreReadLikeKeepalivedsGetopt() {
        VrrpMain.Arguments a = VrrpMain.Arguments.parse(new String[] {"-lnD", "-P", "-f", "/x.conf", "-ilb1",
                "--pid=/run/v.pid"});
        assertThat(a.file).isEqualTo(Path.of("/x.conf"));
        assertThat(a.detail).isTrue();
        assertThat(a.configTest).isFalse();
        assertThat(a.configId).isEqualTo("lb1");
        assertThat(a.pidFile).isEqualTo(Path.of("/run/v.pid"));
        assertThat(VrrpMain.Arguments.parse(new String[0]).file).isEqualTo(VrrpMain.DEFAULT_FILE);
        assertThatThrownBy(() -> VrrpMain.Arguments.parse(new String[] {"extra"}))
                .hasMessage("unexpected argument 'extra'");
    }
}
