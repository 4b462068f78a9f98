package io.lvs4j.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * UDP_CHECK (spec keepalived.md §1.8): sends the payload (16 random bytes when none is configured) on a
 * connected UDP socket. An ICMP error (port, host or network unreachable) surfaces as a failed read on
 * the connected socket and fails the attempt.
 * <ul>
 *   <li>With {@code require_reply}: the first datagram within connect_timeout decides; its length must be
 *       within [min_reply_length, max_reply_length] and its bytes must match the hex pattern ({@code X}
 *       matches any nibble). As in keepalived, only the first min(reply length, pattern length) bytes
 *       are compared. No reply in time fails with {@code "timeout"}.</li>
 *   <li>Without it: a reply succeeds at once, and so does connect_timeout passing without an ICMP error
 *       (keepalived's rule: silence is success, since most UDP services do not answer arbitrary bytes).</li>
 * </ul>
 * Reasons: {@code "success"}, {@code "timeout"}, {@code "failed (<detail>)"},
 * {@code "reply data mismatch (<detail>)"}. Thread-safe; all I/O runs on the {@link IoLoop}.
 */
final class UdpProbe extends IoProbe {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_PAYLOAD_BYTES = 16;

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration connectTimeout;
    private final CheckerSpec.Udp spec;
    private final byte[] replyData;
    private final byte[] replyMask;

    /**
     * @throws IllegalArgumentException if {@code require_reply} is not a hex string (X for any nibble)
     */
    UdpProbe(IoLoop loop, InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout,
             CheckerSpec.Udp spec) {
        super(loop);
        this.target = Objects.requireNonNull(target, "target");
        this.bindTo = bindTo;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.spec = Objects.requireNonNull(spec, "spec");
        String hex = spec.requireReply() == null ? "" : spec.requireReply().replaceAll("\\s+", "");
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("require_reply '" + spec.requireReply()
                    + "' has an odd number of hex digits; accepted: pairs of hex digits, X for any nibble");
        }
        replyData = new byte[hex.length() / 2];
        replyMask = new byte[hex.length() / 2];
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int shift = i % 2 == 0 ? 4 : 0;
            if (c == 'X' || c == 'x') {
                replyMask[i / 2] |= (byte) (0xF << shift);
                continue;
            }
            int v = Character.digit(c, 16);
            if (v < 0) {
                throw new IllegalArgumentException("require_reply '" + spec.requireReply() + "' has '" + c
                        + "'; accepted: hex digits, X for any nibble");
            }
            replyData[i / 2] |= (byte) (v << shift);
        }
    }

    @Override
    IoAttempt newAttempt(int index, Consumer<ProbeResult> done) {
        return new IoAttempt(this, done) {
            private DatagramChannel channel;

            @Override
            void start() throws IOException {
                channel = connectDatagram(target, bindTo);
                byte[] payload = spec.payload();
                if (payload == null) {
                    payload = new byte[RANDOM_PAYLOAD_BYTES];
                    RANDOM.nextBytes(payload);
                }
                ByteBuffer out = ByteBuffer.wrap(payload);
                if (channel.write(out) != payload.length) {
                    finish(ProbeResult.fail("failed (datagram not sent)"));
                    return;
                }
                if (spec.requireReply() != null) {
                    arm(connectTimeout, "timeout");
                } else {
                    arm(connectTimeout, () -> finish(ProbeResult.ok("success")));
                }
            }

            @Override
            void onReady(int readyOps) throws IOException {
                ByteBuffer in = ByteBuffer.allocate(spec.maxReplyLength() + 1);
                if (channel.receive(in) != null) {
                    finish(judge(in.array(), in.position()));
                }
            }

            @Override
            String failureReason(Throwable cause) {
                return "failed (" + describe(cause) + ")";
            }
        };
    }

    private ProbeResult judge(byte[] reply, int length) {
        if (spec.requireReply() == null) {
            return ProbeResult.ok("success");
        }
        if (length < spec.minReplyLength() || length > spec.maxReplyLength()) {
            return ProbeResult.fail("reply data mismatch (length " + length + " not within "
                    + spec.minReplyLength() + ".." + spec.maxReplyLength() + ")");
        }
        int n = Math.min(length, replyData.length);
        for (int i = 0; i < n; i++) {
            if (((reply[i] ^ replyData[i]) & ~replyMask[i]) != 0) {
                return ProbeResult.fail("reply data mismatch (byte " + i + ")");
            }
        }
        return ProbeResult.ok("success");
    }

    @Override
    public String toString() {
        return "UDP_CHECK " + target;
    }
}
