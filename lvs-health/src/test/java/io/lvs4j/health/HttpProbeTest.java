package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.closedTcpPort;
import static io.lvs4j.health.IoTestSupport.concat;
import static io.lvs4j.health.IoTestSupport.md5Hex;
import static io.lvs4j.health.IoTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.health.IoTestSupport.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(400);

    private final IoLoop loop = new IoLoop();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    static CheckerSpec.Http spec(HttpProtocol protocol, String virtualhost, UrlSpec... urls) {
        return new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, false, List.of(urls), protocol,
                virtualhost, false, TlsOptions.KEEPALIVED);
    }

    static CheckerSpec.Http spec(UrlSpec... urls) {
        return spec(HttpProtocol.HTTP_1_0, null, urls);
    }

    static UrlSpec url(String path, List<int[]> codes) {
        return new UrlSpec(path, null, codes, null, null, false);
    }

    private HttpProbe probe(RawServer server, CheckerSpec.Http spec) {
        return new HttpProbe(loop, server.address(), null, TIMEOUT, spec, null);
    }

    private ProbeResult fetch(byte[] response, UrlSpec url) throws IOException {
        try (RawServer server = RawServer.replying(response)) {
            return run(probe(server, spec(url)));
        }
    }

    private static byte[] response(String statusLine, String body) {
        return ascii(statusLine + "\r\nServer: test\r\nContent-Type: text/plain\r\n\r\n" + body);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "HTTP/1.0 200 OK, true",
            "HTTP/1.1 204 No Content, true",
            "HTTP/1.1 299 Whatever, true",
            "HTTP/1.1 100 Continue, false",
            "HTTP/1.1 301 Moved Permanently, false",
            "HTTP/1.1 404 Not Found, false",
            "HTTP/1.1 503 Service Unavailable, false",
    })
    void theDefaultStatusSetIs200To299(String statusLine, boolean success) throws IOException {
        ProbeResult r = fetch(response(statusLine, "hello"), UrlSpec.path("/"));

        assertThat(r.success()).isEqualTo(success);
        assertThat(r.reason()).isEqualTo(success ? "HTTP status code success"
                : "HTTP status code error (" + statusLine.substring(9, 12) + ")");
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "101, 100-199, true",
            "301, 300-399, true",
            "404, 300-399, false",
            "404, 200-200 404-404, true",
            "503, 200-200 404-404, false",
            "599, 500-599, true",
    })
    void statusCodeRanges(int code, String ranges, boolean success) throws IOException {
        List<int[]> codes = Arrays.stream(ranges.split(" "))
                .map(r -> Arrays.stream(r.split("-")).mapToInt(Integer::parseInt).toArray())
                .toList();

        ProbeResult r = fetch(response("HTTP/1.1 " + code + " X", ""), url("/", codes));

        assertThat(r.success()).isEqualTo(success);
    }

    @Test
    void aStatusLineWithoutReasonPhraseFails() throws IOException {
        ProbeResult r = fetch(ascii("HTTP/1.1 200\r\nServer: test\r\n\r\nok"), UrlSpec.path("/"));

        assertThat(r).isEqualTo(ProbeResult.fail("HTTP status code error (0)"));
    }

    @Test
    void aStatusWithTrailingSpaceAndNoReasonPasses() throws IOException {
        assertThat(fetch(ascii("HTTP/1.1 200 \r\n\r\nok"), UrlSpec.path("/")).success()).isTrue();
    }

    @Test
    void theDigestIsTheMd5OfTheBodyBytes() throws IOException {
        String body = "<html>the body</html>\n";
        UrlSpec good = UrlSpec.path("/").withDigest(md5Hex(ascii(body)));
        UrlSpec bad = UrlSpec.path("/").withDigest(md5Hex(ascii("something else")));

        assertThat(fetch(response("HTTP/1.0 200 OK", body), good)).isEqualTo(ProbeResult.ok("MD5 digest success"));
        assertThat(fetch(response("HTTP/1.0 200 OK", body), bad)).isEqualTo(ProbeResult.fail("MD5 digest error"));
    }

    @Test
    void theDigestIsNotCheckedWhenTheStatusFails() throws IOException {
        String body = "x";
        UrlSpec url = UrlSpec.path("/").withDigest(md5Hex(ascii(body)));

        assertThat(fetch(response("HTTP/1.0 500 Oops", body), url)).isEqualTo(ProbeResult.fail("HTTP status code error (500)"));
    }

    @Test
    void theDigestStopsAtContentLength() throws IOException {
        byte[] response = ascii("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello, and trailing garbage");
        UrlSpec url = UrlSpec.path("/").withDigest(md5Hex(ascii("hello")));

        assertThat(fetch(response, url).success()).isTrue();
    }

    @Test
    void aShortBodyIsHashedWhole() throws IOException {
        byte[] response = ascii("HTTP/1.0 200 OK\r\nContent-Length: 500\r\n\r\nshort");
        UrlSpec url = UrlSpec.path("/").withDigest(md5Hex(ascii("short")));

        assertThat(fetch(response, url).success()).as("a length mismatch is only logged").isTrue();
    }

    @Test
    void contentLengthIsMatchedCaseSensitively() throws IOException {
        byte[] response = ascii("HTTP/1.0 200 OK\r\ncontent-length: 5\r\n\r\nhello world");
        UrlSpec url = UrlSpec.path("/").withDigest(md5Hex(ascii("hello world")));

        assertThat(fetch(response, url).success()).isTrue();
    }

    @Test
    void aChunkedBodyIsHashedWithItsFraming() throws IOException {
        String framed = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        byte[] response = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed);

        assertThat(fetch(response, UrlSpec.path("/").withDigest(md5Hex(ascii(framed)))).success()).isTrue();
        assertThat(fetch(response, UrlSpec.path("/").withDigest(md5Hex(ascii("hello world")))))
                .isEqualTo(ProbeResult.fail("MD5 digest error"));
    }

    @Test
    void aLargeBodyInManyReadsIsHashedWhole() throws IOException {
        byte[] body = new byte[3 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + (i >>> 9));
        }
        byte[] response = concat(ascii("HTTP/1.0 200 OK\r\n\r\n"), body);

        assertThat(fetch(response, UrlSpec.path("/").withDigest(md5Hex(body)))).isEqualTo(ProbeResult.ok("MD5 digest success"));
    }

    @Test
    void headersMustEndWithinTheFirst4095Bytes() throws IOException {
        String prefix = "HTTP/1.0 200 OK\r\nX-Pad: ";
        String end = "\r\n\r\n";
        String fits = prefix + "a".repeat(4095 - prefix.length() - end.length()) + end;
        String tooLong = prefix + "a".repeat(4096 - prefix.length() - end.length()) + end;

        assertThat(fits).hasSize(4095);
        assertThat(fetch(ascii(fits + "body"), UrlSpec.path("/")).success()).isTrue();
        ProbeResult r = fetch(ascii(tooLong + "body"), UrlSpec.path("/"));
        assertThat(r.success()).isFalse();
        assertThat(r.reason()).startsWith("Read, no data received");
    }

    @Test
    void anEmptyResponseFails() throws IOException {
        assertThat(fetch(new byte[0], UrlSpec.path("/"))).isEqualTo(ProbeResult.fail("Read, no data received"));
    }

    @Test
    void headersThatNeverEndFail() throws IOException {
        ProbeResult r = fetch(ascii("HTTP/1.0 200 OK\r\nServer: test\r\n"), UrlSpec.path("/"));

        assertThat(r).isEqualTo(ProbeResult.fail("Read, no data received"));
    }

    @Test
    void aBodyThatStallsTimesOut() throws IOException {
        try (RawServer server = RawServer.http((s, out, req) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\n\r\npartial"));
            out.flush();
            holdUntilClosed(s);
        })) {
            HttpProbe probe = new HttpProbe(loop, server.address(), null, SHORT, spec(UrlSpec.path("/")), null);

            assertThat(run(probe)).isEqualTo(ProbeResult.fail("Timeout HTTP read"));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (RawServer server = RawServer.http((s, out, req) -> holdUntilClosed(s))) {
            HttpProbe probe = new HttpProbe(loop, server.address(), null, SHORT, spec(UrlSpec.path("/")), null);

            assertThat(run(probe)).isEqualTo(ProbeResult.fail("Timeout WEB read"));
        }
    }

    @Test
    void theReadTimeoutRearmsOnEveryRead() throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (RawServer server = RawServer.http((s, out, req) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\n\r\n"));
            out.flush();
            for (int i = 0; i < 6; i++) {
                pacer.schedule(() -> null, 250, TimeUnit.MILLISECONDS).get();
                out.write(ascii("piece" + i));
                out.flush();
            }
        })) {
            String body = "piece0piece1piece2piece3piece4piece5";
            HttpProbe probe = new HttpProbe(loop, server.address(), null, Duration.ofMillis(1000),
                    spec(UrlSpec.path("/").withDigest(md5Hex(ascii(body)))), null);

            assertThat(run(probe)).as("1.5 s in total, no read gap above 1 s").isEqualTo(ProbeResult.ok("MD5 digest success"));
        } finally {
            pacer.shutdownNow();
        }
    }

    @Test
    void aResetMidResponseFails() throws IOException {
        try (RawServer server = RawServer.http((s, out, req) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\n"));
            out.write(new byte[1000]);
            out.flush();
            s.setSoLinger(true, 0);
        })) {
            ProbeResult r = run(probe(server, spec(UrlSpec.path("/"))));

            assertThat(r.success()).isFalse();
            assertThat(r.reason()).startsWith("Read error (");
        }
    }

    @Test
    void aRefusedConnectionFails() throws IOException {
        HttpProbe probe = new HttpProbe(loop, closedTcpPort(), null, TIMEOUT, spec(UrlSpec.path("/")), null);

        ProbeResult r = run(probe);

        assertThat(r.success()).isFalse();
        assertThat(r.reason()).startsWith("Error connecting (");
    }

    @Test
    void aConnectTimeoutFails() throws IOException {
        try (IoTestSupport.FullBacklog blackhole = new IoTestSupport.FullBacklog()) {
            HttpProbe probe = new HttpProbe(loop, blackhole.address(), null, SHORT, spec(UrlSpec.path("/")), null);

            assertThat(run(probe)).isEqualTo(ProbeResult.fail("Timeout connecting"));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "HTTP_1_0, 'GET /status?x=1 HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: %s\r\n\r\n'",
            "HTTP_1_0_CLOSE, 'GET /status?x=1 HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: %s\r\n\r\n'",
            "HTTP_1_1, 'GET /status?x=1 HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: %s\r\n\r\n'",
    })
    void theRequestBytesAreKeepalivedsExactly(HttpProtocol protocol, String expected) throws IOException {
        try (RawServer server = RawServer.replying(response("HTTP/1.0 200 OK", ""))) {
            HttpProbe probe = probe(server, spec(protocol, null, UrlSpec.path("/status?x=1")));

            assertThat(run(probe).success()).isTrue();
            assertThat(server.request()).isEqualTo(expected.formatted("127.0.0.1:" + server.address().getPort()));
        }
    }

    @Test
    void theHostHeaderPrefersTheUrlThenTheCheckerThenTheInheritedVirtualhost() throws IOException {
        try (RawServer server = RawServer.replying(response("HTTP/1.0 200 OK", ""))) {
            UrlSpec withHost = new UrlSpec("/a", null, List.of(), "url.example", null, false);
            UrlSpec without = UrlSpec.path("/b");

            run(new HttpProbe(loop, server.address(), null, TIMEOUT, spec(HttpProtocol.HTTP_1_0, "checker.example", withHost),
                    "inherited.example"));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT, spec(HttpProtocol.HTTP_1_0, "checker.example", without),
                    "inherited.example"));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT, spec(without), "inherited.example:8080"));

            assertThat(server.request()).contains("\r\nHost: url.example\r\n");
            assertThat(server.request()).contains("\r\nHost: checker.example\r\n");
            assertThat(server.request()).contains("\r\nHost: inherited.example:8080\r\n");
        }
    }

    @Test
    void theDefaultHostOfAnIpv6TargetIsBracketed() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        ServerSocket socket;
        try {
            socket = new ServerSocket(0, 50, v6);
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        try (RawServer server = new RawServer(socket, true, (s, out, req) -> out.write(response("HTTP/1.0 200 OK", "")))) {
            HttpProbe probe = new HttpProbe(loop, new InetSocketAddress(v6, socket.getLocalPort()), null, TIMEOUT,
                    spec(UrlSpec.path("/")), null);

            assertThat(run(probe).success()).isTrue();
            assertThat(server.request()).contains("\r\nHost: [::1]:" + socket.getLocalPort() + "\r\n");
        }
    }

    @Test
    void eachTargetIsOneUrl() throws IOException {
        try (RawServer server = RawServer.http((s, out, req) -> {
            String path = new String(req, java.nio.charset.StandardCharsets.ISO_8859_1).split(" ")[1];
            out.write(response(path.equals("/two") ? "HTTP/1.0 500 No" : "HTTP/1.0 200 OK", ""));
        })) {
            HttpProbe probe = probe(server, spec(UrlSpec.path("/one"), UrlSpec.path("/two")));

            assertThat(probe.targets()).isEqualTo(2);
            assertThat(run(probe, 0).success()).isTrue();
            assertThat(run(probe, 1).success()).isFalse();
            assertThat(server.request()).startsWith("GET /one ");
            assertThat(server.request()).startsWith("GET /two ");
        }
    }

    @Test
    void theRegexSubjectIncludesTheHeaders() throws IOException {
        byte[] response = response("HTTP/1.0 200 OK", "<p>all good</p>");

        assertThat(fetch(response, regexUrl("Server: test", false))).isEqualTo(ProbeResult.ok("Regex match success"));
        assertThat(fetch(response, regexUrl("all good", false))).isEqualTo(ProbeResult.ok("Regex match success"));
        assertThat(fetch(response, regexUrl("all bad", false))).isEqualTo(ProbeResult.fail("Regex match failed"));
    }

    @Test
    void regexNoMatchInvertsTheTest() throws IOException {
        byte[] response = response("HTTP/1.0 200 OK", "<p>maintenance</p>");

        assertThat(fetch(response, regexUrl("maintenance", true))).isEqualTo(ProbeResult.fail("Regex match failed"));
        assertThat(fetch(response, regexUrl("error", true))).isEqualTo(ProbeResult.ok("Regex match success"));
    }

    @Test
    void theRegexRunsAfterTheDigest() throws IOException {
        String body = "<p>ok</p>";
        UrlSpec both = new UrlSpec("/", null, List.of(), null, Pattern.compile("ok"), false).withDigest(md5Hex(ascii("other")));

        assertThat(fetch(response("HTTP/1.0 200 OK", body), both)).isEqualTo(ProbeResult.fail("MD5 digest error"));
    }

    private static UrlSpec regexUrl(String regex, boolean noMatch) {
        return new UrlSpec("/", null, List.of(), null, Pattern.compile(regex), noMatch);
    }

    private static void holdUntilClosed(java.net.Socket s) throws IOException {
        while (s.getInputStream().read() >= 0) {
            // the client closes its side when it gives up
        }
    }
}
