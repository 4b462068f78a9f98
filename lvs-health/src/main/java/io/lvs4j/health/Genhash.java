package io.lvs4j.health;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * keepalived's {@code genhash}: fetches a URL exactly as HTTP_GET/SSL_GET does and gives the MD5 of its
 * body (raw bytes after the blank line, cut at Content-Length, chunk framing included), the value a
 * {@code digest} line expects. The status code is not checked, as in genhash.
 *
 * <p>Command line: {@code -s server -p port -u url [-S] [-I] [-V virtualhost] [-P 1.0|1.0c|1.1] [-t seconds]}
 * (long forms {@code --server}, {@code --port}, {@code --url}, {@code --use-ssl}, {@code --use-sni},
 * {@code --use-virtualhost}, {@code --protocol}, {@code --timeout}); prints the lowercase hex digest.
 * Thread-safe (each call uses its own I/O loop).
 */
public final class Genhash {

    /** genhash's timeout when {@code -t} is not given (keepalived waits without limit). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private Genhash() {
    }

    /**
     * The MD5 (lowercase hex) of the body of {@code path} on {@code server}, as the checker computes it.
     *
     * @param virtualhost Host header value, or null for {@code ip:port}
     * @param tls         null for plain HTTP; else SSL_GET with these options
     * @param timeout     connect and per-read timeout
     * @throws IOException with the checker's reason when the fetch fails or no data arrives
     */
    public static String digest(InetSocketAddress server, String path, HttpProtocol protocol, String virtualhost,
                                TlsOptions tls, Duration timeout) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(timeout, "timeout");
        CheckerSpec.Http spec = new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, tls != null,
                List.of(UrlSpec.path(path)), protocol, virtualhost, false, tls != null ? tls : TlsOptions.KEEPALIVED);
        AtomicReference<byte[]> digest = new AtomicReference<>();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        try (IoLoop loop = new IoLoop()) {
            HttpProbe probe = new HttpProbe(loop, server, null, timeout, spec, null);
            probe.fetch(0, true, response -> {
                digest.set(response.digest());
                return ProbeResult.ok("");
            }, result::complete);
            ProbeResult r = result.get();
            if (!r.success()) {
                throw new IOException(r.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        return HexFormat.of().formatHex(digest.get());
    }

    /** Runs genhash; exits 0 after printing the digest, 1 on a usage error or a failed fetch. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String server = null;
        Integer port = null;
        String url = null;
        String vhost = null;
        boolean ssl = false;
        boolean sni = false;
        HttpProtocol protocol = HttpProtocol.HTTP_1_0;
        Duration timeout = DEFAULT_TIMEOUT;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-S", "--use-ssl" -> ssl = true;
                    case "-I", "--use-sni" -> sni = true;
                    case "-h", "--help" -> {
                        usage(err);
                        return 1;
                    }
                    case "-s", "--server" -> server = value(args, ++i, a);
                    case "-p", "--port" -> port = port(value(args, ++i, a));
                    case "-u", "--url" -> url = value(args, ++i, a);
                    case "-V", "--use-virtualhost" -> vhost = value(args, ++i, a);
                    case "-P", "--protocol" -> protocol = HttpProtocol.parse(value(args, ++i, a));
                    case "-t", "--timeout" -> timeout = seconds(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
            }
            if (server == null || port == null || url == null) {
                throw new IllegalArgumentException("-s server, -p port and -u url are required");
            }
        } catch (IllegalArgumentException e) {
            err.println("genhash: " + e.getMessage());
            usage(err);
            return 1;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(server);
        } catch (UnknownHostException e) {
            err.println("genhash: server '" + server + "' cannot be resolved");
            return 1;
        }
        TlsOptions tls = ssl ? new TlsOptions(sni, null, false, null, false) : null;
        try {
            out.println(digest(new InetSocketAddress(address, port), url, protocol, vhost, tls, timeout));
            return 0;
        } catch (IOException e) {
            err.println(e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p > 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("invalid port number '" + text + "'; accepted: 1..65535");
    }

    private static Duration seconds(String text) {
        try {
            long s = Long.parseLong(text.strip());
            if (s > 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("invalid timeout '" + text + "'; accepted: a whole number of seconds, 1 or more");
    }

    private static void usage(PrintStream err) {
        err.println("""
                Usage: genhash -s server-address -p port -u url [options]
                Options:
                   --use-ssl         -S       Use SSL connection to remote server.
                   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).
                   --server          -s       Use the specified remote server address.
                   --port            -p       Use the specified remote server port.
                   --url             -u       Use the specified remote server url.
                   --use-virtualhost -V       Use the specified virtualhost in GET query.
                   --protocol        -P       Use the specified HTTP protocol - '1.0', '1.0c', '1.1'.
                   --timeout         -t       Timeout in seconds (default 5).
                   --help            -h       Display this short inlined help screen.""");
    }
}
