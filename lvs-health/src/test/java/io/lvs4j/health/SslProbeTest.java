package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.LOOPBACK;
import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.md5Hex;
import static io.lvs4j.health.IoTestSupport.run;
import static io.lvs4j.health.IoTestSupport.sniName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.health.IoTestSupport.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSL_GET against a real TLS server whose self-signed certificate keytool makes for the test. */
class SslProbeTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static Path keystore;
    static Path certPem;
    static SSLContext serverContext;

    private final IoLoop loop = new IoLoop();

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = dir.resolve("server.p12");
        certPem = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-file", certPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private static RawServer tlsServer(byte[] response) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
        return RawServer.tls(socket, (s, out, req) -> out.write(response));
    }

    private static CheckerSpec.Http sslSpec(TlsOptions tls, String virtualhost, UrlSpec url) {
        return new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, true, List.of(url),
                HttpProtocol.HTTP_1_0, virtualhost, false, tls);
    }

    private static final byte[] OK = ascii("HTTP/1.0 200 OK\r\nServer: tls\r\n\r\nsecure body");

    @Test
    void sslGetSucceedsWithoutVerificationByDefault() throws IOException {
        try (RawServer server = tlsServer(OK)) {
            UrlSpec url = UrlSpec.path("/tls").withDigest(md5Hex(ascii("secure body")));
            HttpProbe probe = new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(TlsOptions.KEEPALIVED, null, url), null);

            assertThat(run(probe)).isEqualTo(ProbeResult.ok("MD5 digest success"));
            assertThat(server.request()).isEqualTo("GET /tls HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:"
                    + server.address().getPort() + "\r\n\r\n");
            assertThat(sniName(nextServerNames(server))).as("no SNI unless enable_sni").isNull();
        }
    }

    @Test
    void verifyAgainstTheJdkTrustStoreRejectsASelfSignedCertificate() throws IOException {
        try (RawServer server = tlsServer(OK)) {
            HttpProbe probe = new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(false, null, true, null, false), null, UrlSpec.path("/")), null);

            ProbeResult r = run(probe);

            assertThat(r.success()).isFalse();
            assertThat(r.reason()).startsWith("SSL handshake/communication error (");
        }
    }

    @Test
    void verifyAgainstTheCaFileAcceptsTheCertificate() throws IOException {
        try (RawServer server = tlsServer(OK)) {
            HttpProbe probe = new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(false, null, true, certPem, false), null, UrlSpec.path("/")), null);

            assertThat(run(probe)).isEqualTo(ProbeResult.ok("HTTP status code success"));
        }
    }

    @Test
    void hostnameVerificationChecksTheName() throws IOException {
        try (RawServer server = tlsServer(OK)) {
            TlsOptions wrongName = new TlsOptions(true, "wrong.example", true, certPem, true);
            TlsOptions rightName = new TlsOptions(true, "localhost", true, certPem, true);
            TlsOptions byAddress = new TlsOptions(false, null, true, certPem, true);

            ProbeResult wrong = run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(wrongName, null, UrlSpec.path("/")), null));
            ProbeResult right = run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(rightName, null, UrlSpec.path("/")), null));
            ProbeResult address = run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(byAddress, null, UrlSpec.path("/")), null));

            assertThat(wrong.success()).isFalse();
            assertThat(wrong.reason()).startsWith("SSL handshake/communication error (");
            assertThat(right.success()).isTrue();
            assertThat(address.success()).as("the connect address 127.0.0.1 is in the certificate").isTrue();
        }
    }

    @Test
    void sniNameComesFromSniNameThenTheVirtualhost() throws Exception {
        try (RawServer server = tlsServer(OK)) {
            UrlSpec urlWithHost = new UrlSpec("/", null, List.of(), "url.example:8443", null, false);

            run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(true, "sni.example", false, null, false), "checker.example", urlWithHost), null));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(true, null, false, null, false), "checker.example", urlWithHost), null));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(true, null, false, null, false), "checker.example", UrlSpec.path("/")), null));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(new TlsOptions(true, null, false, null, false), null, UrlSpec.path("/")), "inherited.example"));
            run(new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(TlsOptions.KEEPALIVED, "checker.example", UrlSpec.path("/")), null));

            assertThat(sniName(nextServerNames(server))).isEqualTo("sni.example");
            assertThat(sniName(nextServerNames(server))).isEqualTo("url.example");
            assertThat(sniName(nextServerNames(server))).isEqualTo("checker.example");
            assertThat(sniName(nextServerNames(server))).isEqualTo("inherited.example");
            assertThat(sniName(nextServerNames(server))).isNull();
        }
    }

    @Test
    void aPlainHttpServerFailsTheHandshake() throws IOException {
        try (RawServer server = RawServer.raw((s, out, req) -> out.write(ascii("HTTP/1.0 400 Bad Request\r\n\r\nplain")))) {
            HttpProbe probe = new HttpProbe(loop, server.address(), null, TIMEOUT,
                    sslSpec(TlsOptions.KEEPALIVED, null, UrlSpec.path("/")), null);

            ProbeResult r = run(probe);

            assertThat(r.success()).isFalse();
            assertThat(r.reason()).startsWith("SSL handshake/communication error (");
        }
    }

    @Test
    void anUnreadableCaFileIsRejectedUpFront() {
        TlsOptions missing = new TlsOptions(false, null, true, dir.resolve("missing.pem"), false);

        assertThatThrownBy(() -> new HttpProbe(loop, new java.net.InetSocketAddress(LOOPBACK, 443), null, TIMEOUT,
                sslSpec(missing, null, UrlSpec.path("/")), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem")
                .hasMessageContaining("PEM");
    }

    @Test
    void genhashDigestsOverTls() throws IOException {
        try (RawServer server = tlsServer(OK)) {
            String hex = Genhash.digest(server.address(), "/", HttpProtocol.HTTP_1_0, null, TlsOptions.KEEPALIVED, TIMEOUT);

            assertThat(hex).isEqualTo(md5Hex(ascii("secure body")));
        }
    }

    private static List<SNIServerName> nextServerNames(RawServer server) {
        try {
            List<SNIServerName> names = server.serverNames.poll(IoTestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(names).as("a TLS handshake happened").isNotNull();
            return names;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
