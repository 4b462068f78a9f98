package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.closedTcpPort;
import static io.lvs4j.health.IoTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.health.IoTestSupport.RawServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);

    private final IoLoop loop = new IoLoop();
    private final BlockingQueue<String> linesFromClient = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private SmtpProbe probe(InetSocketAddress target, Duration timeout, String helo) {
        return new SmtpProbe(loop, target, null, timeout, new CheckerSpec.Smtp(CheckSettings.UNSET, ConnectOptions.DEFAULT, helo));
    }

    /** A server that sends {@code banner}, then answers each client line with the next reply. */
    private RawServer server(String banner, String... replies) throws IOException {
        return RawServer.raw((s, out, req) -> {
            InputStream in = s.getInputStream();
            send(out, banner);
            for (String reply : replies) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                linesFromClient.add(line);
                send(out, reply);
            }
            String extra = readLine(in);
            if (extra != null) {
                linesFromClient.add(extra);
            }
        });
    }

    private static void send(OutputStream out, String text) throws IOException {
        if (text != null) {
            out.write(ascii(text));
            out.flush();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private String nextLine() throws InterruptedException {
        return linesFromClient.poll(IoTestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theConversationIsBannerHeloQuit() throws Exception {
        try (RawServer server = server("220 mx.example ESMTP\r\n", "250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
                "221 bye\r\n")) {
            ProbeResult r = run(probe(server.address(), TIMEOUT, CheckerSpec.Smtp.DEFAULT_HELO));

            assertThat(r).isEqualTo(ProbeResult.ok("success"));
            assertThat(List.of(nextLine(), nextLine())).containsExactly("HELO smtpchecker.keepalived.org\r\n", "QUIT\r\n");
        }
    }

    @Test
    void aMultiLineBannerIsReadToItsLastLine() throws Exception {
        try (RawServer server = server("220-mx.example\r\n220-more text\r\n220 ready\r\n", "250 hi\r\n", "221 bye\r\n")) {
            assertThat(run(probe(server.address(), TIMEOUT, "checker.example"))).isEqualTo(ProbeResult.ok("success"));
            assertThat(nextLine()).isEqualTo("HELO checker.example\r\n");
        }
    }

    @Test
    void aReplySplitAcrossReadsIsReassembled() throws Exception {
        try (RawServer server = RawServer.raw((s, out, req) -> {
            InputStream in = s.getInputStream();
            for (String part : new String[] {"22", "0 rea", "dy\r", "\n"}) {
                send(out, part);
            }
            readLine(in);
            send(out, "250-a\r\n");
            send(out, "250 b\r\n");
            readLine(in);
            send(out, "221 bye\r\n");
        })) {
            assertThat(run(probe(server.address(), TIMEOUT, "x"))).isEqualTo(ProbeResult.ok("success"));
        }
    }

    @Test
    void aBadBannerFails() throws IOException {
        try (RawServer server = server("554 go away\r\n")) {
            assertThat(run(probe(server.address(), TIMEOUT, "x"))).isEqualTo(ProbeResult.fail("Bad greeting banner (554 go away)"));
        }
    }

    @Test
    void aBadHeloReplyFails() throws IOException {
        try (RawServer server = server("220 ok\r\n", "501-syntax\r\n501 error\r\n")) {
            assertThat(run(probe(server.address(), TIMEOUT, "x"))).isEqualTo(ProbeResult.fail("Bad HELO response (501 error)"));
        }
    }

    @Test
    void aServerThatHangsUpFails() throws IOException {
        try (RawServer server = RawServer.raw((s, out, req) -> send(out, "220 ok\r\n"))) {
            assertThat(run(probe(server.address(), TIMEOUT, "x"))).isEqualTo(ProbeResult.fail("Read failure (connection closed)"));
        }
    }

    @Test
    void aSilentServerTimesOut() throws IOException {
        try (RawServer server = RawServer.raw((s, out, req) -> readLine(s.getInputStream()))) {
            assertThat(run(probe(server.address(), SHORT, "x"))).isEqualTo(ProbeResult.fail("Read timeout"));
        }
    }

    @Test
    void aRefusedConnectionFails() throws IOException {
        ProbeResult r = run(probe(closedTcpPort(), TIMEOUT, "x"));

        assertThat(r.success()).isFalse();
        assertThat(r.reason()).startsWith("Error connecting (");
    }

    @Test
    void replyParsing() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
        b.put(ascii("250-a\r\n250 b"));
        assertThat(SmtpProbe.lastLine(b)).isNull();
        b.put(ascii("\r\n"));
        assertThat(SmtpProbe.lastLine(b)).isEqualTo("250 b");
        assertThat(SmtpProbe.code("250 b")).isEqualTo(250);
        assertThat(SmtpProbe.code("25x")).isEqualTo(-1);
        java.nio.ByteBuffer bare = java.nio.ByteBuffer.allocate(8);
        bare.put(ascii("220\n"));
        assertThat(SmtpProbe.lastLine(bare)).isEqualTo("220");
    }
}
