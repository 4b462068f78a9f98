package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.closedUdpPort;
import static io.lvs4j.health.IoTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.health.IoTestSupport.UdpResponder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final byte[] PAYLOAD = HexFormat.of().parseHex("cafe0001");

    private final IoLoop loop = new IoLoop();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private static CheckerSpec.Udp spec(byte[] payload, String requireReply, int min, int max) {
        return new CheckerSpec.Udp(CheckSettings.UNSET, ConnectOptions.DEFAULT, payload, requireReply, min, max);
    }

    private UdpProbe probe(InetSocketAddress target, Duration timeout, CheckerSpec.Udp spec) {
        return new UdpProbe(loop, target, null, timeout, spec);
    }

    private static UdpResponder answering(String hex) throws IOException {
        return new UdpResponder(d -> List.of(HexFormat.of().parseHex(hex)));
    }

    @Test
    void aReplyMatchingThePatternSucceeds() throws IOException {
        try (UdpResponder server = answering("0102ff04")) {
            ProbeResult r = run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "0102XX04", 0, 255)));

            assertThat(r).isEqualTo(ProbeResult.ok("success"));
            assertThat(server.next()).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void aNibbleWildcardOnlyCoversItsNibble() throws IOException {
        try (UdpResponder server = answering("0102f504")) {
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "0102X504", 0, 255))).success()).isTrue();
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "0102X604", 0, 255))).success()).isFalse();
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "0102fX04", 0, 255))).success()).isTrue();
        }
    }

    @Test
    void aMismatchedReplyFails() throws IOException {
        try (UdpResponder server = answering("01020304")) {
            ProbeResult r = run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "01ff0304", 0, 255)));

            assertThat(r.success()).isFalse();
            assertThat(r.reason()).startsWith("reply data mismatch");
        }
    }

    @Test
    void replyLengthBoundsApply() throws IOException {
        try (UdpResponder server = answering("01020304")) {
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "", 5, 255))).reason())
                    .isEqualTo("reply data mismatch (length 4 not within 5..255)");
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "", 0, 3))).reason())
                    .isEqualTo("reply data mismatch (length 4 not within 0..3)");
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "", 4, 4))).success()).isTrue();
        }
    }

    @Test
    void onlyTheBytesBothHaveAreCompared() throws IOException {
        try (UdpResponder server = answering("0102")) {
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, "01020304", 0, 255))).success())
                    .as("keepalived compares min(reply, pattern) bytes").isTrue();
        }
    }

    @Test
    void noReplyWhenOneIsRequiredTimesOut() throws IOException {
        try (UdpResponder silent = new UdpResponder(d -> null)) {
            assertThat(run(probe(silent.address(), SHORT, spec(PAYLOAD, "", 0, 255)))).isEqualTo(ProbeResult.fail("timeout"));
        }
    }

    @Test
    void withoutRequireReplySilenceIsSuccess() throws IOException {
        try (UdpResponder silent = new UdpResponder(d -> null)) {
            assertThat(run(probe(silent.address(), SHORT, spec(PAYLOAD, null, 0, 255)))).isEqualTo(ProbeResult.ok("success"));
            assertThat(silent.next()).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void withoutRequireReplyAnyReplyIsSuccess() throws IOException {
        try (UdpResponder server = answering("00")) {
            assertThat(run(probe(server.address(), TIMEOUT, spec(PAYLOAD, null, 0, 255)))).isEqualTo(ProbeResult.ok("success"));
        }
    }

    @Test
    void aClosedPortFailsThroughIcmpPortUnreachable() throws IOException {
        InetSocketAddress closed = closedUdpPort();

        ProbeResult noReplyNeeded = run(probe(closed, TIMEOUT, spec(PAYLOAD, null, 0, 255)));
        ProbeResult replyNeeded = run(probe(closed, TIMEOUT, spec(PAYLOAD, "", 0, 255)));

        assertThat(noReplyNeeded).isEqualTo(ProbeResult.fail("failed (ICMP port unreachable)"));
        assertThat(replyNeeded).isEqualTo(ProbeResult.fail("failed (ICMP port unreachable)"));
    }

    @Test
    void withoutAPayload16RandomBytesAreSent() throws IOException {
        try (UdpResponder server = answering("00")) {
            run(probe(server.address(), TIMEOUT, spec(null, null, 0, 255)));
            run(probe(server.address(), TIMEOUT, spec(null, null, 0, 255)));

            byte[] first = server.next();
            byte[] second = server.next();
            assertThat(first).hasSize(16);
            assertThat(second).hasSize(16).isNotEqualTo(first);
        }
    }

    @Test
    void aBadPatternIsRejected() {
        InetSocketAddress any = new InetSocketAddress(IoTestSupport.LOOPBACK, 9);
        assertThatThrownBy(() -> probe(any, TIMEOUT, spec(PAYLOAD, "012", 0, 255)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'012'");
        assertThatThrownBy(() -> probe(any, TIMEOUT, spec(PAYLOAD, "01zz", 0, 255)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'z'");
    }
}
