package io.lvs4j.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * DNS_CHECK (spec keepalived.md §1.8): one UDP query (random ID, RD set, one question of the configured
 * type, class IN, for the configured name; {@code "."} is the root). The first reply with the query's ID
 * and QR set decides: RCODE 0 succeeds, anything else fails. Replies that are too short, carry another
 * ID or are not responses are ignored, as keepalived does, until connect_timeout.
 *
 * <p>Reasons: {@code "success"}, {@code "timeout"}, {@code "failed (<detail>)"} (e.g. an ICMP port
 * unreachable), {@code "error occurred (rcode = N)"}. Thread-safe; all I/O runs on the {@link IoLoop}.
 */
final class DnsProbe extends IoProbe {

    /** Query types keepalived accepts, with their codes. */
    static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15,
            "TXT", 16, "AAAA", 28, "RRSIG", 46, "DNSKEY", 48);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HEADER_BYTES = 12;

    private final InetSocketAddress target;
    private final InetSocketAddress bindTo;
    private final Duration connectTimeout;
    private final int type;
    private final byte[] qname;

    /**
     * @throws IllegalArgumentException for an unknown type or a name that is not a valid DNS name
     */
    DnsProbe(IoLoop loop, InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout,
             CheckerSpec.Dns spec) {
        super(loop);
        this.target = Objects.requireNonNull(target, "target");
        this.bindTo = bindTo;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        Integer t = TYPES.get(spec.queryType().toUpperCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("DNS_CHECK type '" + spec.queryType()
                    + "' is not valid; accepted: A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG, DNSKEY");
        }
        this.type = t;
        this.qname = encodeName(spec.name());
    }

    /** The wire form of {@code name}: length-prefixed labels ending with the root's zero byte. */
    static byte[] encodeName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!trimmed.isEmpty()) {
            for (String label : trimmed.split("\\.", -1)) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                if (b.length == 0 || b.length > 63) {
                    throw new IllegalArgumentException("DNS_CHECK name '" + name
                            + "' is not valid; accepted: labels of 1 to 63 characters separated by dots, or '.'");
                }
                out.write(b.length);
                out.writeBytes(b);
            }
        }
        out.write(0);
        if (out.size() > 255) {
            throw new IllegalArgumentException("DNS_CHECK name '" + name + "' is longer than 255 bytes");
        }
        return out.toByteArray();
    }

    /** A standard query with {@code id}, RD set, one question. */
    static byte[] query(int id, byte[] qname, int type) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + qname.length + 4);
        b.putShort((short) id);
        b.putShort((short) 0x0100);
        b.putShort((short) 1);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.putShort((short) 0);
        b.put(qname);
        b.putShort((short) type);
        b.putShort((short) 1);
        return b.array();
    }

    @Override
    IoAttempt newAttempt(int index, Consumer<ProbeResult> done) {
        return new IoAttempt(this, done) {
            private final int id = RANDOM.nextInt(0x10000);
            private DatagramChannel channel;

            @Override
            void start() throws IOException {
                channel = connectDatagram(target, bindTo);
                byte[] q = query(id, qname, type);
                arm(connectTimeout, "timeout");
                if (channel.write(ByteBuffer.wrap(q)) != q.length) {
                    finish(ProbeResult.fail("failed (datagram not sent)"));
                }
            }

            @Override
            void onReady(int readyOps) throws IOException {
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (!finished() && channel.receive(in) != null) {
                    in.flip();
                    ProbeResult r = judge(id, in);
                    if (r != null) {
                        finish(r);
                    }
                    in.clear();
                }
            }

            @Override
            String failureReason(Throwable cause) {
                return "failed (" + describe(cause) + ")";
            }
        };
    }

    /** The verdict on one datagram, or null to keep waiting. */
    static ProbeResult judge(int id, ByteBuffer reply) {
        if (reply.remaining() < HEADER_BYTES) {
            return null;
        }
        int replyId = reply.getShort(0) & 0xFFFF;
        int flags = reply.getShort(2) & 0xFFFF;
        if (replyId != id || (flags & 0x8000) == 0) {
            return null;
        }
        int rcode = flags & 0xF;
        return rcode == 0 ? ProbeResult.ok("success") : ProbeResult.fail("error occurred (rcode = " + rcode + ")");
    }

    @Override
    public String toString() {
        return "DNS_CHECK " + target;
    }
}
