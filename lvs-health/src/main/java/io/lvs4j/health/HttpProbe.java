package io.lvs4j.health;

import io.lvs4j.core.Addresses;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * HTTP_GET and SSL_GET (spec keepalived.md §1.6): {@code attempt(i)} fetches URL {@code i} with
 * keepalived's request bytes, reads the response until the server closes the connection, and tests, in
 * order, that data arrived, the status code, the MD5 digest and the regex ({@link HttpResponseScanner}
 * says exactly what each covers).
 *
 * <p>The Host header is the url's virtualhost, else the checker's, else the inherited one (real server,
 * then virtual server), else {@code ip:port} ({@code [v6]:port}). SSL_GET uses an {@link SSLEngine} on
 * the same loop; it trusts every certificate unless {@link TlsOptions#verify()}, and sends SNI only with
 * {@link TlsOptions#enableSni()} (name: sni_name, else the virtualhost as above, without a port).
 * Hostname verification (with verify and verifyHostname) checks that same name, else the connect address.
 *
 * <p>Success reasons: {@code HTTP status code success}, {@code MD5 digest success} or
 * {@code Regex match success} (the last test configured). Failure reasons: those of {@link HttpExchange},
 * {@code HTTP status code error (<code>)}, {@code MD5 digest error}, {@code Regex match failed}.
 * Thread-safe; all I/O runs on the {@link IoLoop}.
 */
final class HttpProbe extends IoProbe {

    private static final System.Logger LOG = System.getLogger(HttpProbe.class.getName());

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration connectTimeout;
    private final CheckerSpec.Http spec;
    private final String inheritedVirtualhost;
    private final SSLContext sslContext;
    private final long[] lengthMismatch;

    /**
     * @throws IllegalArgumentException if the TLS ca file cannot be read
     */
    HttpProbe(IoLoop loop, InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout,
              CheckerSpec.Http spec, String inheritedVirtualhost) {
        super(loop);
        this.target = Objects.requireNonNull(target, "target");
        this.bindTo = bindTo;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.inheritedVirtualhost = inheritedVirtualhost;
        this.sslContext = spec.ssl() ? TlsContexts.create(spec.tls()) : null;
        this.lengthMismatch = new long[spec.urls().size()];
    }

    @Override
    public int targets() {
        return spec.urls().size();
    }

    @Override
    IoAttempt newAttempt(int index, Consumer<ProbeResult> done) {
        UrlSpec url = spec.urls().get(index);
        return exchange(index, url.digest() != null, s -> evaluate(index, s), done);
    }

    /** Fetches URL {@code index} and hands the complete response to {@code evaluator} (genhash's entry). */
    void fetch(int index, boolean digest, Function<HttpResponseScanner, ProbeResult> evaluator,
               Consumer<ProbeResult> done) {
        Objects.checkIndex(index, targets());
        start(() -> exchange(index, digest, evaluator, done), done);
    }

    private HttpExchange exchange(int index, boolean digest, Function<HttpResponseScanner, ProbeResult> evaluator,
                                  Consumer<ProbeResult> done) {
        UrlSpec url = spec.urls().get(index);
        String vhost = virtualhost(url);
        byte[] request = request(url.path(), spec.protocol(), vhost, target);
        Supplier<SSLEngine> engine = sslContext == null ? null : () -> newEngine(vhost);
        return new HttpExchange(this, done, target, bindTo, connectTimeout, request, engine,
                new HttpResponseScanner(digest, url.regex() != null), evaluator);
    }

    /** The virtualhost for {@code url}: url, then checker, then inherited; null if none. */
    String virtualhost(UrlSpec url) {
        if (url.virtualhost() != null) {
            return url.virtualhost();
        }
        if (spec.virtualhost() != null) {
            return spec.virtualhost();
        }
        return inheritedVirtualhost;
    }

    /** keepalived's request: request line, User-Agent, Connection (1.0C and 1.1), Host, blank line. */
    static byte[] request(String path, HttpProtocol protocol, String virtualhost, InetSocketAddress target) {
        String host = virtualhost != null ? virtualhost : Addresses.format(target.getAddress(), target.getPort());
        String text = "GET " + path + " HTTP/" + protocol.version() + "\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + (protocol.connectionClose() ? "Connection: close\r\n" : "")
                + "Host: " + host + "\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private SSLEngine newEngine(String vhost) {
        TlsOptions tls = spec.tls();
        String name = tls.sniName() != null ? tls.sniName() : withoutPort(vhost);
        String peer = name != null ? name : target.getAddress().getHostAddress();
        SSLEngine engine = sslContext.createSSLEngine(peer, target.getPort());
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        List<SNIServerName> sni = List.of();
        if (tls.enableSni() && name != null) {
            try {
                sni = List.of(new SNIHostName(name));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, () -> "SSL_GET " + target + ": '" + name + "' is not a valid SNI host name; none sent");
            }
        }
        params.setServerNames(sni);
        if (tls.verify() && tls.verifyHostname()) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(params);
        return engine;
    }

    /** {@code host} of {@code host:port} / {@code [v6]:port} / {@code [v6]}; other values unchanged. */
    static String withoutPort(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close > 0 ? hostHeader.substring(1, close) : hostHeader;
        }
        int colon = hostHeader.indexOf(':');
        if (colon >= 0 && colon == hostHeader.lastIndexOf(':')) {
            return hostHeader.substring(0, colon);
        }
        return hostHeader;
    }

    private ProbeResult evaluate(int index, HttpResponseScanner response) {
        UrlSpec url = spec.urls().get(index);
        int code = response.status();
        if (code < 100 || code > 599 || !url.accepts(code)) {
            return ProbeResult.fail("HTTP status code error (" + code + ")");
        }
        noteLengthMismatch(index, url, response);
        String passed = "HTTP status code";
        if (url.digest() != null) {
            if (!Arrays.equals(url.digest(), response.digest())) {
                return ProbeResult.fail("MD5 digest error");
            }
            passed = "MD5 digest";
        }
        Pattern regex = url.regex();
        if (regex != null) {
            boolean matched = regex.matcher(response.regexSubject()).find();
            if (matched == url.regexNoMatch()) {
                return ProbeResult.fail("Regex match failed");
            }
            passed = "Regex match";
        }
        return ProbeResult.ok(passed + " success");
    }

    private void noteLengthMismatch(int index, UrlSpec url, HttpResponseScanner response) {
        long declared = response.contentLength();
        if (declared < 0 || declared == response.bodyBytes()) {
            lengthMismatch[index] = 0;
            return;
        }
        long difference = declared - response.bodyBytes();
        if (lengthMismatch[index] != difference) {
            lengthMismatch[index] = difference;
            String vhost = url.virtualhost() != null ? url.virtualhost() : "";
            LOG.log(Level.INFO, () -> "http_check for RS " + Addresses.format(target.getAddress(), target.getPort())
                    + " url " + vhost + url.path() + ": content_length (" + declared
                    + ") does not match received bytes (" + response.bodyBytes() + ")");
        }
    }

    @Override
    public String toString() {
        return spec.type() + " " + target;
    }
}
