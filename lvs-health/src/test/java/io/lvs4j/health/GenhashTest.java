package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.closedTcpPort;
import static io.lvs4j.health.IoTestSupport.md5Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.health.IoTestSupport.RawServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GenhashTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void digestsTheRawBodyLikeTheChecker() throws IOException {
        String framed = "4\r\nabcd\r\n0\r\n\r\n";
        try (RawServer server = RawServer.replying(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed))) {
            String hex = Genhash.digest(server.address(), "/page", HttpProtocol.HTTP_1_1, "www.example", null, TIMEOUT);

            assertThat(hex).isEqualTo(md5Hex(ascii(framed)));
            assertThat(server.request()).isEqualTo(
                    "GET /page HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example\r\n\r\n");
        }
    }

    @Test
    void theStatusCodeDoesNotMatter() throws IOException {
        try (RawServer server = RawServer.replying(ascii("HTTP/1.0 503 Busy\r\n\r\nbusy"))) {
            assertThat(Genhash.digest(server.address(), "/", HttpProtocol.HTTP_1_0, null, null, TIMEOUT))
                    .isEqualTo(md5Hex(ascii("busy")));
        }
    }

    @Test
    void failuresAreIoExceptionsWithTheCheckersReason() throws IOException {
        try (RawServer server = RawServer.replying(new byte[0])) {
            assertThatThrownBy(() -> Genhash.digest(server.address(), "/", HttpProtocol.HTTP_1_0, null, null, TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Read, no data received");
        }
        assertThatThrownBy(() -> Genhash.digest(closedTcpPort(), "/", HttpProtocol.HTTP_1_0, null, null, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Error connecting");
    }

    @Test
    void theCommandLinePrintsTheHexDigest() throws IOException {
        try (RawServer server = RawServer.replying(ascii("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = Genhash.run(new String[] {"-s", "127.0.0.1", "-p", String.valueOf(server.address().getPort()),
                    "-u", "/x", "-V", "vh.example", "-P", "1.0c", "-t", "5"}, print(out), print(err));

            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(md5Hex(ascii("abc")) + System.lineSeparator());
            assertThat(server.request()).isEqualTo(
                    "GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: vh.example\r\n\r\n");
        }
    }

    @Test
    void theCommandLineRejectsMissingOrBadOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(Genhash.run(new String[] {"-s", "127.0.0.1", "-u", "/"}, print(new ByteArrayOutputStream()), print(err)))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("-s server, -p port and -u url are required").contains("Usage");
        assertThat(Genhash.run(new String[] {"-s", "127.0.0.1", "-p", "0", "-u", "/"}, print(new ByteArrayOutputStream()),
                print(err))).isEqualTo(1);
        assertThat(Genhash.run(new String[] {"-s", "127.0.0.1", "-p", "80", "-u", "/", "-P", "2.0"},
                print(new ByteArrayOutputStream()), print(err))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid port number '0'").contains("http_protocol '2.0'");
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
