package io.lvs4j.forwarder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: options, {@code --config-test} exit statuses and what it prints. */
class ForwarderMainTest {
    @TempDir
    Path dir;

    /** What one run printed. */
    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ForwarderMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void configTestOfAGoodFileExitsZero() {
        Path sample = TestConfigs.resource("keepalived.conf.quorum");
        Run r = run("-t", "-f", sample.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("lvs-forwarder: configuration OK: 1 virtual service(s), 0 vrrp instance(s),"
                + " 0 warning(s)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void configTestPrintsWarningsWithFileAndLineAndStillPasses() {
        Path seed = TestConfigs.resource("seed000-director.conf");
        Run r = run("--config-test", "--use-file=" + seed);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains(seed + ":23: WARNING: lb_kind DR: ")
                .contains(seed + ":41: WARNING: Unknown keyword 'connetc_port'\n");
    }

    @Test
    void configTestFailsOnAnyError() throws IOException {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                virtual_server fwmark 1 {
                    lb_algo rr
                    real_server 10.0.0.2 {
                    }
                }
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    lb_algo rr
                    lb_kind NAT
                    real_server 10.0.0.2 80 {
                        weight many
                    }
                }
                """);
        Run r = run("-t", "-f", conf.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(conf + ":1: ERROR: virtual_server fwmark 1: ")
                .contains(conf + ":11: ERROR: Invalid value 'many' for 'weight'")
                .endsWith("lvs-forwarder: configuration test failed: 2 error(s) in " + conf + "\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void startingWithAnErrorExitsOneBeforeOpeningAnything() throws IOException {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "virtual_server fwmark 1 {\n}\n");
        Run r = run("-f", conf.toString(), "--control", dir.resolve("ctl.sock").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(conf + ":1: ERROR: ").endsWith("lvs-forwarder: 1 error(s) in " + conf
                + " - not starting\n");
        assertThat(Files.exists(dir.resolve("ctl.sock"))).isFalse();
    }

    @Test
    void aMissingFileExitsOne() {
        Run r = run("-t", "-f", dir.resolve("nope.conf").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("lvs-forwarder: cannot read " + dir.resolve("nope.conf") + ": no such file\n");
    }

    @Test
    void badOptionsPrintUsage() {
        Run r = run("--frobnicate");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("lvs-forwarder: unknown option '--frobnicate'\nusage: lvs-forwarder ");
        assertThat(run("-f").err()).startsWith("lvs-forwarder: -f needs a value\n");
        assertThat(run("--drain", "x").err()).startsWith("lvs-forwarder: --drain: 'x' is not a number of seconds");
        assertThat(run("--help").out()).startsWith("usage: lvs-forwarder ");
    }

    @Test
    void demoOnceRunsTheShowcaseThroughTheForwarderAndExitsZero() {
        Path socket = dir.resolve("demo.sock");
        Run r = run("--demo-once", "--control", socket.toString());
        assertThat(r.exit()).as("%s", r.err()).isZero();
        assertThat(r.out()).contains("lvs-forwarder demo: three HTTP backends on loopback behind one wrr virtual service")
                .contains("bin/lvsadm --control " + socket + " -L -n");
        assertThat(r.out().lines().filter(l -> l.startsWith("# curl ")).map(l -> l.substring(l.indexOf("-> ") + 3)))
                .containsExactly("backend 3", "backend 2", "backend 1", "backend 1", "backend 2", "backend 1");
        assertThat(Files.exists(socket)).as("the control socket is gone after the demo").isFalse();
    }

    @Test
    void optionsParse() throws Exception {
        ForwarderMain.Options o = ForwarderMain.parse(new String[] {"-lD", "-f/etc/k.conf", "--control=/tmp/x.sock",
                "--catch-all-ports", "80,443", "--drain=3", "--demo-once"});
        assertThat(o.config()).isEqualTo(Path.of("/etc/k.conf"));
        assertThat(o.control()).isEqualTo(Path.of("/tmp/x.sock"));
        assertThat(o.controlGiven()).isTrue();
        assertThat(o.logConsole()).isTrue();
        assertThat(o.logDetail()).isTrue();
        assertThat(o.configTest()).isFalse();
        assertThat(o.catchAllPorts()).containsExactlyInAnyOrder(80, 443);
        assertThat(o.drain()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.demoOnce()).isTrue();
        ForwarderMain.Options d = ForwarderMain.parse(new String[0]);
        assertThat(d.config()).isEqualTo(Path.of("/etc/keepalived/keepalived.conf"));
        assertThat(d.control()).isEqualTo(Path.of("/run/lvs-forwarder.sock"));
        assertThat(d.drain()).isEqualTo(Duration.ofSeconds(10));
    }
}
