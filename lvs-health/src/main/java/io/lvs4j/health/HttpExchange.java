package io.lvs4j.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * One HTTP_GET/SSL_GET fetch on an {@link IoLoop}: connect, TLS handshake (SSL_GET), send the request,
 * read until the server closes the connection, then let {@code evaluator} judge the response. Every
 * wait is bounded by connect_timeout, and the read timeout re-arms on every read that brings data.
 *
 * <p>Failure reasons are keepalived's words, with a detail in parentheses where one helps:
 * {@code Timeout connecting}, {@code Error connecting (..)}, {@code SSL handshake/communication error (..)},
 * {@code Timeout WEB write}, {@code Cannot send get request (..)}, {@code Timeout WEB read} (nothing
 * received), {@code Timeout HTTP read} / {@code Timeout SSL read} (a read stalled),
 * {@code Read error (..)}, {@code Read, no data received (..)}. Loop thread only.
 */
final class HttpExchange extends IoAttempt {

    private static final int READS_PER_WAKEUP = 16;

    private enum Phase { CONNECTING, HANDSHAKING, SENDING, READING }

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration timeout;
    private final ByteBuffer request;
    private final Supplier<SSLEngine> tlsEngine;
    private final HttpResponseScanner scanner;
    private final Function<HttpResponseScanner, ProbeResult> evaluator;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private Phase phase = Phase.CONNECTING;
    private SocketChannel channel;
    private TlsConnection tls;
    private boolean receivedAny;

    /**
     * @param tlsEngine null for plain HTTP; else makes the client engine for this fetch
     */
    HttpExchange(IoProbe owner, Consumer<ProbeResult> done, InetSocketAddress target, InetSocketAddress bindTo,
                 Duration timeout, byte[] request, Supplier<SSLEngine> tlsEngine, HttpResponseScanner scanner,
                 Function<HttpResponseScanner, ProbeResult> evaluator) {
        super(owner, done);
        this.target = target;
        this.bindTo = bindTo;
        this.timeout = timeout;
        this.request = ByteBuffer.wrap(request);
        this.tlsEngine = tlsEngine;
        this.scanner = scanner;
        this.evaluator = evaluator;
    }

    @Override
    void start() throws IOException {
        channel = connectStream(target, bindTo, timeout, "Timeout connecting");
    }

    @Override
    void connected() throws IOException {
        if (tlsEngine == null) {
            startSending();
            return;
        }
        phase = Phase.HANDSHAKING;
        tls = new TlsConnection(tlsEngine.get(), channel);
        handshake();
    }

    @Override
    void onReady(int readyOps) throws IOException {
        switch (phase) {
            case HANDSHAKING -> handshake();
            case SENDING -> send();
            case READING -> read();
            default -> {
            }
        }
    }

    @Override
    String failureReason(Throwable cause) {
        String detail = " (" + describe(cause) + ")";
        return switch (phase) {
            case CONNECTING -> "Error connecting" + detail;
            case HANDSHAKING -> "SSL handshake/communication error" + detail;
            case SENDING -> "Cannot send get request" + detail;
            case READING -> "Read error" + detail;
        };
    }

    private void handshake() throws IOException {
        if (tls.handshake()) {
            startSending();
        } else {
            interest(tls.interestOps());
        }
    }

    private void startSending() throws IOException {
        phase = Phase.SENDING;
        arm(timeout, "Timeout WEB write");
        if (tls != null) {
            tls.write(request);
        }
        send();
    }

    private void send() throws IOException {
        boolean sent;
        if (tls != null) {
            sent = tls.flush();
        } else {
            channel.write(request);
            sent = !request.hasRemaining();
        }
        if (!sent) {
            interest(SelectionKey.OP_WRITE);
            return;
        }
        phase = Phase.READING;
        arm(timeout, "Timeout WEB read");
        read();
    }

    private void read() throws IOException {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            readBuffer.clear();
            int n = tls != null ? tls.read(readBuffer) : channel.read(readBuffer);
            if (n < 0) {
                complete();
                return;
            }
            if (n == 0) {
                interest(tls != null ? tls.interestOps() : SelectionKey.OP_READ);
                return;
            }
            receivedAny = true;
            arm(timeout, tls != null ? "Timeout SSL read" : "Timeout HTTP read");
            readBuffer.flip();
            if (!scanner.feed(readBuffer)) {
                finish(ProbeResult.fail("Read, no data received (headers not within the first "
                        + HttpResponseScanner.MAX_HEADER_BYTES + " bytes)"));
                return;
            }
        }
        loop.execute(() -> {
            if (!finished()) {
                try {
                    read();
                } catch (IOException | RuntimeException e) {
                    abort(e);
                }
            }
        });
    }

    private void complete() {
        if (tls != null) {
            tls.closeQuietly();
        }
        ProbeResult result;
        if (!receivedAny || !scanner.headersComplete()) {
            result = ProbeResult.fail("Read, no data received");
        } else {
            result = evaluator.apply(scanner);
        }
        finish(result);
    }
}
