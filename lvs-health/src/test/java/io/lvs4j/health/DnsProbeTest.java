package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.closedUdpPort;
import static io.lvs4j.health.IoTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.health.IoTestSupport.UdpResponder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);

    private final IoLoop loop = new IoLoop();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private DnsProbe probe(InetSocketAddress target, Duration timeout, String type, String name) {
        return new DnsProbe(loop, target, null, timeout,
                new CheckerSpec.Dns(CheckSettings.UNSET, ConnectOptions.DEFAULT, type, name));
    }

    /** The query with its header rewritten: ID xor {@code idFlip}, the given flags. */
    private static byte[] answer(byte[] query, int idFlip, int flags) {
        byte[] a = Arrays.copyOf(query, query.length);
        ByteBuffer b = ByteBuffer.wrap(a);
        b.putShort(0, (short) (b.getShort(0) ^ idFlip));
        b.putShort(2, (short) flags);
        return a;
    }

    private static UdpResponder responder(Function<byte[], List<byte[]>> reply) throws IOException {
        return new UdpResponder(reply);
    }

    @Test
    void aMatchingNoErrorReplySucceedsAndTheQueryIsWellFormed() throws IOException {
        try (UdpResponder server = responder(q -> List.of(answer(q, 0, 0x8180)))) {
            ProbeResult r = run(probe(server.address(), TIMEOUT, "SOA", "."));

            assertThat(r).isEqualTo(ProbeResult.ok("success"));
            ByteBuffer q = ByteBuffer.wrap(server.next());
            assertThat(q.getShort(2) & 0xFFFF).as("flags: standard query, RD").isEqualTo(0x0100);
            assertThat(q.getShort(4)).as("QDCOUNT").isEqualTo((short) 1);
            assertThat(q.getShort(6) | q.getShort(8) | q.getShort(10)).isZero();
            assertThat(q.get(12)).as("root name").isZero();
            assertThat(q.getShort(13)).as("QTYPE SOA").isEqualTo((short) 6);
            assertThat(q.getShort(15)).as("QCLASS IN").isEqualTo((short) 1);
            assertThat(q.remaining()).isEqualTo(17);
        }
    }

    @Test
    void theIdIsRandomPerAttempt() throws IOException {
        try (UdpResponder server = responder(q -> List.of(answer(q, 0, 0x8180)))) {
            int same = 0;
            for (int i = 0; i < 8; i++) {
                run(probe(server.address(), TIMEOUT, "A", "example.com"));
            }
            byte[] first = server.next();
            for (int i = 1; i < 8; i++) {
                byte[] other = server.next();
                same += (first[0] == other[0] && first[1] == other[1]) ? 1 : 0;
            }
            assertThat(same).isLessThan(7);
        }
    }

    @Test
    void aNonZeroRcodeFails() throws IOException {
        try (UdpResponder server = responder(q -> List.of(answer(q, 0, 0x8183)))) {
            assertThat(run(probe(server.address(), TIMEOUT, "A", "nx.example")))
                    .isEqualTo(ProbeResult.fail("error occurred (rcode = 3)"));
        }
    }

    @Test
    void repliesWithAnotherIdOrWithoutQrAreIgnored() throws IOException {
        try (UdpResponder wrongId = responder(q -> List.of(answer(q, 0x5a5a, 0x8180)));
             UdpResponder notAResponse = responder(q -> List.of(answer(q, 0, 0x0100)))) {
            assertThat(run(probe(wrongId.address(), SHORT, "A", "example.com"))).isEqualTo(ProbeResult.fail("timeout"));
            assertThat(run(probe(notAResponse.address(), SHORT, "A", "example.com"))).isEqualTo(ProbeResult.fail("timeout"));
        }
    }

    @Test
    void theMatchingReplyAfterIgnoredOnesDecides() throws IOException {
        try (UdpResponder server = responder(q -> List.of(new byte[5], answer(q, 0x0101, 0x8180), answer(q, 0, 0x8180)))) {
            assertThat(run(probe(server.address(), TIMEOUT, "A", "example.com"))).isEqualTo(ProbeResult.ok("success"));
        }
    }

    @Test
    void aClosedPortFails() throws IOException {
        ProbeResult r = run(probe(closedUdpPort(), TIMEOUT, "SOA", "."));

        assertThat(r.success()).isFalse();
        assertThat(r.reason()).startsWith("failed (");
    }

    @ParameterizedTest
    @CsvSource({
            "., 00",
            "example.com, 076578616d706c6503636f6d00",
            "example.com., 076578616d706c6503636f6d00",
            "a.b.c, 01610162016300",
    })
    void namesAreEncodedAsLabels(String name, String hex) {
        assertThat(HexFormat.of().formatHex(DnsProbe.encodeName(name))).isEqualTo(hex);
    }

    @ParameterizedTest
    @CsvSource({"A, 1", "ns, 2", "CNAME, 5", "SOA, 6", "MX, 15", "TXT, 16", "AAAA, 28", "RRSIG, 46", "DNSKEY, 48"})
    void typesMapToTheirCodes(String type, int code) throws IOException {
        try (UdpResponder server = responder(q -> List.of(answer(q, 0, 0x8180)))) {
            run(probe(server.address(), TIMEOUT, type, "x"));

            byte[] q = server.next();
            assertThat(ByteBuffer.wrap(q).getShort(q.length - 4)).isEqualTo((short) code);
        }
    }

    @Test
    void badTypesAndNamesAreRejected() {
        InetSocketAddress any = new InetSocketAddress(IoTestSupport.LOOPBACK, 53);
        assertThatThrownBy(() -> probe(any, TIMEOUT, "PTR", "."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'PTR'").hasMessageContaining("DNSKEY");
        assertThatThrownBy(() -> probe(any, TIMEOUT, "A", "a..b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a..b'");
        assertThatThrownBy(() -> probe(any, TIMEOUT, "A", "x".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
