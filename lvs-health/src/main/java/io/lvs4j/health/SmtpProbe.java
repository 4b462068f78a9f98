package io.lvs4j.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * SMTP_CHECK (spec keepalived.md §1.8): connect, expect a {@code 220} greeting, send
 * {@code HELO <helo_name>}, expect {@code 250}, send {@code QUIT}, read its reply (any code), succeed.
 * A reply is complete at its last line: multi-line replies ({@code 250-...}) are read to the line whose
 * fourth character is not {@code -}; its code is that line's three digits. Every connect, read and write
 * wait is bounded by connect_timeout.
 *
 * <p>Reasons: {@code "success"}, {@code "Connection timeout"}, {@code "Error connecting (..)"},
 * {@code "Read timeout"}, {@code "Write timeout"}, {@code "Read failure (..)"}, {@code "Write failure (..)"},
 * {@code "Bad greeting banner (<line>)"}, {@code "Bad HELO response (<line>)"}. Thread-safe; all I/O runs
 * on the {@link IoLoop}.
 */
final class SmtpProbe extends IoProbe {

    private static final int MAX_REPLY_BYTES = 8192;

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration connectTimeout;
    private final byte[] helo;

    SmtpProbe(IoLoop loop, InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout,
              CheckerSpec.Smtp spec) {
        super(loop);
        this.target = Objects.requireNonNull(target, "target");
        this.bindTo = bindTo;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.helo = ("HELO " + spec.heloName() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private enum Step { CONNECT, BANNER, SEND_HELO, HELO_REPLY, SEND_QUIT, QUIT_REPLY }

    @Override
    IoAttempt newAttempt(int index, Consumer<ProbeResult> done) {
        return new IoAttempt(this, done) {
            private final ByteBuffer in = ByteBuffer.allocate(MAX_REPLY_BYTES);
            private ByteBuffer out;
            private SocketChannel channel;
            private Step step = Step.CONNECT;

            @Override
            void start() throws IOException {
                channel = connectStream(target, bindTo, connectTimeout, "Connection timeout");
            }

            @Override
            void connected() {
                expect(Step.BANNER);
            }

            @Override
            void onReady(int readyOps) throws IOException {
                if (step == Step.SEND_HELO || step == Step.SEND_QUIT) {
                    write();
                } else {
                    read();
                }
            }

            @Override
            String failureReason(Throwable cause) {
                String detail = " (" + describe(cause) + ")";
                return switch (step) {
                    case CONNECT -> "Error connecting" + detail;
                    case SEND_HELO, SEND_QUIT -> "Write failure" + detail;
                    default -> "Read failure" + detail;
                };
            }

            private void expect(Step next) {
                step = next;
                in.clear();
                arm(connectTimeout, "Read timeout");
                interest(SelectionKey.OP_READ);
            }

            private void send(Step next, byte[] line) throws IOException {
                step = next;
                out = ByteBuffer.wrap(line);
                arm(connectTimeout, "Write timeout");
                write();
            }

            private void write() throws IOException {
                channel.write(out);
                if (out.hasRemaining()) {
                    interest(SelectionKey.OP_WRITE);
                    return;
                }
                expect(step == Step.SEND_HELO ? Step.HELO_REPLY : Step.QUIT_REPLY);
            }

            private void read() throws IOException {
                int n = channel.read(in);
                if (n < 0) {
                    finish(ProbeResult.fail("Read failure (connection closed)"));
                    return;
                }
                String last = lastLine(in);
                if (last == null) {
                    if (!in.hasRemaining()) {
                        finish(ProbeResult.fail("Read failure (reply longer than " + MAX_REPLY_BYTES + " bytes)"));
                    }
                    return;
                }
                switch (step) {
                    case BANNER -> {
                        if (code(last) != 220) {
                            finish(ProbeResult.fail("Bad greeting banner (" + last + ")"));
                        } else {
                            send(Step.SEND_HELO, helo);
                        }
                    }
                    case HELO_REPLY -> {
                        if (code(last) != 250) {
                            finish(ProbeResult.fail("Bad HELO response (" + last + ")"));
                        } else {
                            send(Step.SEND_QUIT, "QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    default -> finish(ProbeResult.ok("success"));
                }
            }
        };
    }

    /** The final line of a complete reply in {@code buf} (fill mode), without its line end; null if incomplete. */
    static String lastLine(ByteBuffer buf) {
        byte[] b = buf.array();
        int end = buf.position();
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (b[i] != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && b[i - 1] == '\r' ? i - 1 : i;
            if (lineEnd - lineStart < 4 || b[lineStart + 3] != '-') {
                return new String(b, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            }
            lineStart = i + 1;
        }
        return null;
    }

    /** The three-digit code at the start of {@code line}, or -1. */
    static int code(String line) {
        if (line.length() < 3) {
            return -1;
        }
        int c = 0;
        for (int i = 0; i < 3; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            c = c * 10 + (ch - '0');
        }
        return c;
    }

    @Override
    public String toString() {
        return "SMTP_CHECK " + target;
    }
}
