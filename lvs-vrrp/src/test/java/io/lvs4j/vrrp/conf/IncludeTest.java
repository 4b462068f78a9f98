package io.lvs4j.vrrp.conf;

import static io.lvs4j.vrrp.conf.Configs.lines;
import static io.lvs4j.vrrp.conf.Configs.options;
import static io.lvs4j.vrrp.conf.Configs.top;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.lvs4j.vrrp.conf.ConfigDiagnostic.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** include and its variants (keepalived.conf(5) lines 19-60, lib/parser.c include checks). */
class IncludeTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private KeepalivedConfig parse(Path file) throws IOException {
        return KeepalivedConfig.parse(file, options().build());
    }

    @Test
    void includesAreTextualAndRelativeToTheIncludingFile() throws IOException {
        Path main = write("keepalived.conf", "global_defs {\n  include conf.d/defs.conf\n}\ninclude vrrp/*.conf\n");
        write("conf.d/defs.conf", "router_id r1\ninclude ../more/extra.conf\n");
        write("more/extra.conf", "lvs_flush\n");
        write("vrrp/b.conf", "vrrp_instance B {\n  priority 2\n}\n");
        write("vrrp/a.conf", "vrrp_instance A {\n  priority 1\n");
        write("vrrp/a2.conf", "}\n");
        KeepalivedConfig c = parse(main);
        assertThat(c.diagnostics()).isEmpty();
        assertThat(lines(c)).containsExactly("global_defs {", "router_id r1", "lvs_flush", "}",
                "vrrp_instance A {", "priority 1", "}", "vrrp_instance B {", "priority 2", "}");
        ConfigNode routerId = c.roots().get(0).children().get(0);
        assertThat(routerId.file()).isEqualTo(dir.resolve("conf.d/defs.conf"));
        assertThat(routerId.line()).isEqualTo(1);
        assertThat(c.roots().get(0).children().get(1).file()).isEqualTo(dir.resolve("conf.d/../more/extra.conf"));
        assertThat(c.roots().get(0).file()).isEqualTo(main);
    }

    @Test
    void globsAreSortedAndSkipHiddenFiles() throws IOException {
        Path main = write("keepalived.conf", "include d/*\ninclude d/[bc]?.conf\ninclude d/.h*\n");
        write("d/c1.conf", "c1\n");
        write("d/a1.conf", "a1\n");
        write("d/b1.conf", "b1\n");
        write("d/.hidden", "hidden\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a1", "b1", "c1", "b1", "c1", "hidden");
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void cshBracesKeepTheirOrder() throws IOException {
        Path main = write("keepalived.conf", "include {z,a,m/{x,y}}.conf\n");
        write("z.conf", "z\n");
        write("a.conf", "a\n");
        write("m/x.conf", "mx\n");
        write("m/y.conf", "my\n");
        assertThat(top(parse(main))).containsExactly("z", "a", "mx", "my");
    }

    @Test
    void absolutePathsAndPwd() throws IOException {
        Path other = write("elsewhere/x.conf", "x ${_PWD}\n");
        Path main = write("main/keepalived.conf", "include " + other + "\ny ${_PWD}\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("x " + dir.resolve("elsewhere"), "y " + dir.resolve("main"));
    }

    @Test
    void plainIncludeNeverErrors() throws IOException {
        Path main = write("keepalived.conf", "include missing.conf\ninclude nodir/*.conf\ninclude empty/*.conf\n"
                + "include sub\nok\n");
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("sub"));
        KeepalivedConfig c = parse(main);
        assertThat(c.hasErrors()).isFalse();
        assertThat(top(c)).containsExactly("ok");
        assertThat(c.warnings()).extracting(ConfigDiagnostic::line, ConfigDiagnostic::message).containsExactly(
                tuple(1, "Config files missing 'missing.conf'."),
                tuple(2, "Config files missing 'nodir/*.conf'."),
                tuple(4, "Configuration file '" + dir.resolve("sub") + "/' is a directory - skipping"));
    }

    @Test
    void includerRejectsDirectoriesAndExecutables() throws IOException {
        Path main = write("keepalived.conf", "includer d/*\nok\n");
        write("d/a.conf", "a\n");
        Files.createDirectories(dir.resolve("d/sub"));
        Path exe = write("d/run.sh", "echo\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a", "ok");
        assertThat(c.errors()).extracting(ConfigDiagnostic::file, ConfigDiagnostic::line,
                ConfigDiagnostic::message).containsExactly(
                tuple(main, 1, "Configuration file '" + exe
                        + "' is not a regular non-executable file - skipping"),
                tuple(main, 1, "Configuration file '" + dir.resolve("d/sub") + "/' is a directory - skipping"));
    }

    @Test
    void includerDoesNotMindNoMatches() throws IOException {
        Path main = write("keepalived.conf", "includer conf.d/*.conf\nok\n");
        Files.createDirectories(dir.resolve("conf.d"));
        KeepalivedConfig c = parse(main);
        assertThat(c.diagnostics()).isEmpty();
    }

    @Test
    void includemRequiresNamedFilesButNotWildcardMatches() throws IOException {
        Path main = write("keepalived.conf", "includem missing.conf\nincludem empty/*.conf\n"
                + "includem nodir/*.conf\n");
        Files.createDirectories(dir.resolve("empty"));
        KeepalivedConfig c = parse(main);
        assertThat(c.errors()).extracting(ConfigDiagnostic::line, ConfigDiagnostic::message).containsExactly(
                tuple(1, "Config files missing 'missing.conf'."),
                tuple(3, "Config files missing 'nodir/*.conf'."));
    }

    @Test
    void includewRequiresWildcardsToMatch() throws IOException {
        Path main = write("keepalived.conf", "includew empty/*.conf\n");
        Files.createDirectories(dir.resolve("empty"));
        KeepalivedConfig c = parse(main);
        assertThat(c.errors()).singleElement().satisfies(d -> {
            assertThat(d.file()).isEqualTo(main);
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.message()).isEqualTo("No config files matched 'empty/*.conf'.");
        });
    }

    @Test
    void includebRequiresEveryBraceAlternative() throws IOException {
        Path main = write("keepalived.conf", "includeb {a,b}.conf\ninclude {a,b}.conf\n");
        write("a.conf", "a\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a");
        assertThat(c.diagnostics()).extracting(ConfigDiagnostic::severity, ConfigDiagnostic::line,
                ConfigDiagnostic::message).containsExactly(
                tuple(Severity.ERROR, 1, "Some config files missing: \"{a,b}.conf\"."),
                tuple(Severity.WARNING, 2, "Some config files missing: \"{a,b}.conf\"."));
    }

    @Test
    void includeaChecksEverything() throws IOException {
        Path main = write("keepalived.conf", "includea empty/*.conf\nincludea {a,c}.conf\nincludea a.conf\n");
        Files.createDirectories(dir.resolve("empty"));
        write("a.conf", "a\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a");
        assertThat(c.errors()).extracting(ConfigDiagnostic::line).containsExactly(1, 2);
    }

    @Test
    void includeCheckInGlobalDefsRaisesTheLevelForTheRestOfTheFile() throws IOException {
        Path main = write("keepalived.conf", "include missing1.conf\nglobal_defs {\n  include_check\n}\n"
                + "include missing2.conf\ninclude sub.conf\ninclude missing4.conf\n");
        write("sub.conf", "global_defs {\n  include_check -match\n}\ninclude missing3.conf\n");
        KeepalivedConfig c = parse(main);
        assertThat(c.diagnostics()).extracting(ConfigDiagnostic::severity, ConfigDiagnostic::message)
                .containsExactly(
                        tuple(Severity.WARNING, "Config files missing 'missing1.conf'."),
                        tuple(Severity.ERROR, "Config files missing 'missing2.conf'."),
                        tuple(Severity.WARNING, "Config files missing 'missing3.conf'."),
                        tuple(Severity.ERROR, "Config files missing 'missing4.conf'."));
    }

    @Test
    void includeCheckWords() throws IOException {
        Path main = write("keepalived.conf", "global_defs {\n  include_check match -bogus +brace_match read\n}\n"
                + "include missing.conf\n");
        KeepalivedConfig c = parse(main);
        assertThat(c.errors()).extracting(ConfigDiagnostic::line, ConfigDiagnostic::message).containsExactly(
                tuple(2, "Unknown include_check type 'bogus' - ignoring; expected read, match, wildcard_match"
                        + " or brace_match"),
                tuple(2, "Duplicate include_check 'read' specified - ignoring"),
                tuple(4, "Config files missing 'missing.conf'."));
    }

    @Test
    void includeCyclesAreErrorsNamingTheChain() throws IOException {
        Path main = write("keepalived.conf", "a\ninclude b.conf\nd\n");
        Path b = write("b.conf", "b\ninclude c.conf\n");
        Path cc = write("c.conf", "c\ninclude keepalived.conf\ninclude c.conf\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a", "b", "c", "d");
        assertThat(c.errors()).extracting(ConfigDiagnostic::file, ConfigDiagnostic::line).containsExactly(
                tuple(cc, 2), tuple(cc, 3));
        assertThat(c.errors().get(0).message()).isEqualTo("Include cycle: '" + main + "' is already being read ("
                + main + " -> " + b + " -> " + cc + " -> " + main + ") - skipping");
    }

    @Test
    void diagnosticsInAnIncludedFileNameThatFile() throws IOException {
        Path main = write("keepalived.conf", "vrrp_instance VI_1 {\n  include inst.conf\n}\n");
        Path inst = write("inst.conf", "# header\n  notify \"/bin/x\n  authentication {\n");
        KeepalivedConfig c = parse(main);
        assertThat(c.errors()).extracting(ConfigDiagnostic::file, ConfigDiagnostic::line,
                ConfigDiagnostic::message).containsExactly(
                tuple(inst, 2, "Unterminated quote 'notify \"/bin/x'"),
                tuple(main, 1, "Block 'vrrp_instance' is never closed: missing '}'"));
        // the '}' on line 3 of the main file closed the block the included file opened
        assertThat(lines(c)).containsExactly("vrrp_instance VI_1 {", "notify", "authentication {", "}",
                "}");
    }

    @Test
    void includeReachedThroughAConditionalIsFollowedWithAWarning() throws IOException {
        Path main = write("keepalived.conf", "@main include a.conf\n@other include a.conf\n");
        write("a.conf", "a\n");
        KeepalivedConfig c = parse(main);
        assertThat(top(c)).containsExactly("a");
        assertThat(c.warnings()).singleElement().satisfies(d -> assertThat(d.line()).isEqualTo(1));
    }

    @Test
    void parametersAndBlocksCarryAcrossFiles() throws IOException {
        Path main = write("keepalived.conf", "include params.conf\nvirtual_server $VIP 80 {\n"
                + "  include rs/*.conf\n}\n");
        write("params.conf", "$VIP=10.0.0.1\n$W=3\n");
        write("rs/1.conf", "real_server 10.0.1.1 80 {\n  weight $W\n}\n");
        KeepalivedConfig c = parse(main);
        assertThat(lines(c)).containsExactly("virtual_server 10.0.0.1 80 {", "real_server 10.0.1.1 80 {",
                "weight 3", "}", "}");
    }

    @Test
    void unreadableMainFileThrows() {
        assertThatThrownBy(() -> KeepalivedConfig.parse(dir.resolve("nope.conf"), options().build()))
                .isInstanceOf(NoSuchFileException.class);
    }
}
