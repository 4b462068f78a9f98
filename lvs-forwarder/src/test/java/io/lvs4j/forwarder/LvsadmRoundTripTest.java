package io.lvs4j.forwarder;

import static io.lvs4j.forwarder.TestConfigs.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import io.lvs4j.core.ipvsadm.IpvsadmResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lvsadm against an in-process control server on a temporary Unix socket: every answer is what ipvsadm run on
 * the same table state prints, byte for byte, with the same exit status.
 */
class LvsadmRoundTripTest {
    @TempDir
    Path dir;

    private IpvsTable live;
    private IpvsTable reference;
    private ControlServer server;
    private Path socket;
    private final AtomicInteger changes = new AtomicInteger();

    /** What one lvsadm run printed. */
    record Run(int exit, byte[] stdout, byte[] stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws IOException {
        live = new IpvsTable();
        reference = new IpvsTable();
        socket = dir.resolve("ctl.sock");
        server = ControlServer.start(socket, live, changes::incrementAndGet);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run lvsadm(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("--control", socket.toString()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LvsadmMain.run(argv.toArray(String[]::new),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err);
        return new Run(exit, out.toByteArray(), err.toByteArray());
    }

    /** Runs the same command through lvsadm (live table) and ipvsadm (reference table); they must agree. */
    private Run withInput(String stdin, String... args) {
        Run run = lvsadm(stdin, args);
        IpvsadmResult want = Ipvsadm.run(reference, new StringReader(stdin), args);
        assertThat(run.exit()).as("exit status of %s", String.join(" ", args)).isEqualTo(want.exitCode());
        assertThat(run.stdout()).as("stdout of %s", String.join(" ", args))
                .isEqualTo(want.stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(run.stderr()).as("stderr of %s", String.join(" ", args))
                .isEqualTo(want.stderr().getBytes(StandardCharsets.UTF_8));
        return run;
    }

    private Run both(String... args) {
        return withInput("", args);
    }

    @Test
    void seedScriptBuildsTheTableAndListsItByteForByte() {
        both("-C");
        both("-A", "-t", "10.0.102.110:80", "-s", "wrr");
        both("-a", "-t", "10.0.102.110:80", "-r", "10.0.102.204:80", "-m", "-w", "3");
        both("-a", "-t", "10.0.102.110:80", "-r", "10.0.102.214:80", "-m", "-w", "2");
        Run list = both("-L", "-n");
        assertThat(list.out()).isEqualTo("""
                IP Virtual Server version 1.2.1 (size=4096)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                TCP  10.0.102.110:80 wrr
                  -> 10.0.102.204:80              Masq    3      0          0         \n\
                  -> 10.0.102.214:80              Masq    2      0          0         \n\
                """);
        assertThat(list.err()).isEmpty();
        assertThat(changes.get()).as("reconciled after each change, not after the listing").isEqualTo(4);
        both("-L");
        both("-L", "-n", "--stats");
        both("-L", "-n", "--rate");
        both("-L", "-n", "--thresholds");
        both("-L", "-n", "--persistent-conn");
        both("-L", "--timeout");
        assertThat(changes.get()).isEqualTo(4);
    }

    @Test
    void editsChangeTheLiveTable() {
        both("-A", "-t", "10.0.102.110:80", "-s", "rr");
        both("-a", "-t", "10.0.102.110:80", "-r", "10.0.102.204:80", "-g");
        both("-E", "-t", "10.0.102.110:80", "-s", "wrr");
        both("-e", "-t", "10.0.102.110:80", "-r", "10.0.102.204:80", "-g", "-w", "3");
        assertThat(live.service(ServiceKey.tcp(ip("10.0.102.110"), 80)).options().scheduler()).isEqualTo("wrr");
        both("-L", "-n");
        both("-d", "-t", "10.0.102.110:80", "-r", "10.0.102.204:80");
        both("-D", "-t", "10.0.102.110:80");
        assertThat(live.services()).isEmpty();
        both("-L", "-n");
    }

    @Test
    void saveThenRestoreFromStandardInput() {
        both("-A", "-u", "10.0.0.1:53", "-s", "rr", "-o");
        both("-a", "-u", "10.0.0.1:53", "-r", "10.0.0.5:53", "-m");
        both("-A", "-t", "10.0.0.1:443", "-s", "sh", "-b", "sh-port", "-p", "600", "-M", "255.255.255.0");
        both("-a", "-t", "10.0.0.1:443", "-r", "10.0.0.6:443", "-m", "-w", "4");
        Run saved = both("-S", "-n");
        assertThat(saved.out()).contains("-A -t 10.0.0.1:443 -s sh -p 600 -M 255.255.255.0 -b sh-port");
        both("-C");
        int before = changes.get();
        withInput(saved.out(), "-R");
        assertThat(changes.get()).isEqualTo(before + 1);
        Run list = both("-L", "-n");
        assertThat(list.out()).contains("UDP  10.0.0.1:53 rr ops").contains("-> 10.0.0.6:443");
        assertThat(both("-S", "-n").out()).isEqualTo(saved.out());
    }

    @Test
    void zeroClearsTheLiveCounters() {
        both("-A", "-t", "10.0.0.1:80", "-s", "rr");
        both("-a", "-t", "10.0.0.1:80", "-r", "10.0.0.5:80", "-m");
        ServiceKey key = ServiceKey.tcp(ip("10.0.0.1"), 80);
        for (int i = 0; i < 3; i++) {
            try (Lease lease = live.acquire(key, ip("192.0.2." + (i + 1)))) {
                lease.count(100, 200);
            }
        }
        Run stats = lvsadm("", "-L", "-n", "--stats");
        assertThat(stats.exit()).isZero();
        assertThat(stats.out()).containsPattern("TCP  10.0.0.1:80 +3 ");
        Run connections = lvsadm("", "-L", "-n", "-c");
        assertThat(connections.out()).startsWith("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n")
                .contains("192.0.2.1:");
        assertThat(lvsadm("", "-Z").exit()).isZero();
        Run zeroed = lvsadm("", "-L", "-n", "--stats");
        assertThat(zeroed.out()).containsPattern("TCP  10.0.0.1:80 +0 +0 +0 +0 +0\n");
        assertThat(lvsadm("", "-Z", "-t", "10.0.0.1:80").exit()).isZero();
    }

    @Test
    void setTimeoutsAndListThem() {
        both("--set", "100", "20", "30");
        Run t = both("-L", "--timeout");
        assertThat(t.out()).isEqualTo("Timeout (tcp tcpfin udp): 100 20 30\n");
    }

    @Test
    void refusedCommandsKeepIpvsadmsMessagesAndExitStatuses() {
        both("-A", "-t", "10.0.0.1:80");
        Run exists = both("-A", "-t", "10.0.0.1:80");
        assertThat(exists.exit()).isNotZero();
        assertThat(exists.err()).isNotEmpty();
        Run noDest = both("-d", "-t", "10.0.0.1:80", "-r", "10.9.9.9:80");
        assertThat(noDest.exit()).isNotZero();
        Run noService = both("-L", "-n", "-t", "10.0.0.2:80");
        assertThat(noService.exit()).isNotZero();
        Run badScheduler = both("-E", "-t", "10.0.0.1:80", "-s", "nosuch");
        assertThat(badScheduler.exit()).isNotZero();
        assertThat(live.service(ServiceKey.tcp(ip("10.0.0.1"), 80)).options().scheduler()).isEqualTo("wlc");
    }

    @Test
    void parseErrorsAreAnsweredLocallyWithIpvsadmsText() throws IOException {
        server.close();
        Run bad = lvsadm("", "-A", "-t", "bogus:80");
        IpvsadmResult want = Ipvsadm.run(new IpvsTable(), "-A", "-t", "bogus:80");
        assertThat(bad.exit()).isEqualTo(want.exitCode()).isNotZero();
        assertThat(bad.err()).isEqualTo(want.stderr());
        assertThat(bad.out()).isEqualTo(want.stdout());
        Run zeroPort = lvsadm("", "-A", "-t", "10.0.0.1");
        assertThat(zeroPort.err()).isEqualTo("Zero port specified for non-persistent service\n");
        Run unknown = lvsadm("", "--no-such-option");
        assertThat(unknown.exit()).isEqualTo(Ipvsadm.run(new IpvsTable(), "--no-such-option").exitCode());
    }

    @Test
    void anUnreachableForwarderIsOneLineAndExitStatusTwo() throws IOException {
        server.close();
        assertThat(Files.exists(socket)).as("close removes the socket file").isFalse();
        Run r = lvsadm("", "-L", "-n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("lvsadm: cannot reach the forwarder at " + socket + ": ").endsWith("\n");
        assertThat(r.err().lines()).hasSize(1);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LvsadmMain.run(new String[] {"--control=" + dir.resolve("nothing.sock"), "-L"},
                new ByteArrayInputStream(new byte[0]), out, err);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("lvsadm: cannot reach the forwarder at " + dir.resolve("nothing.sock") + ": ");
    }

    @Test
    void theSocketIsPrivateAndAStaleFileIsReplacedButALiveOneIsNot() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        IOException busy = null;
        try {
            ControlServer.start(socket, new IpvsTable(), () -> { });
        } catch (IOException e) {
            busy = e;
        }
        assertThat(busy).isNotNull().hasMessageContaining("already listening on " + socket);

        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel leftOver = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            leftOver.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(Files.exists(stale)).isTrue();
        try (ControlServer second = ControlServer.start(stale, live, () -> { })) {
            assertThat(second.path()).isEqualTo(stale);
        }
    }

    @Test
    void aClientSpeakingGarbageIsDroppedAndTheServerCarriesOn() throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(16);
            int n;
            try {
                n = c.read(b);
            } catch (IOException reset) {
                n = -1;
            }
            assertThat(n).as("dropped without an answer").isEqualTo(-1);
        }
        assertThat(both("-L", "-n").exit()).isZero();
    }
}
