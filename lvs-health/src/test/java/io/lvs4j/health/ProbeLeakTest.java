package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.await;
import static io.lvs4j.health.IoTestSupport.closedTcpPort;
import static io.lvs4j.health.IoTestSupport.closedUdpPort;
import static io.lvs4j.health.IoTestSupport.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.health.IoTestSupport.RawServer;
import io.lvs4j.health.IoTestSupport.UdpResponder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every failure mode, many times over: each attempt reports once and no channel stays open. */
class ProbeLeakTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final int ROUNDS = 20;

    private final IoLoop loop = new IoLoop();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private <T extends AutoCloseable> T server(T s) {
        servers.add(s);
        return s;
    }

    private static void stall(java.net.Socket s) throws IOException {
        while (s.getInputStream().read() >= 0) {
            // until the client gives up
        }
    }

    private static CheckerSpec.Http http(boolean ssl) {
        return new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, ssl, List.of(UrlSpec.path("/")),
                HttpProtocol.HTTP_1_0, null, false, TlsOptions.KEEPALIVED);
    }

    @Test
    void noChannelOutlivesItsAttempt() throws Exception {
        InetSocketAddress tcpClosed = closedTcpPort();
        InetSocketAddress udpClosed = closedUdpPort();
        IoTestSupport.FullBacklog blackhole = server(new IoTestSupport.FullBacklog());
        RawServer reset = server(RawServer.http((s, out, req) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\nContent-Length: 9999\r\n\r\nabc"));
            out.flush();
            s.setSoLinger(true, 0);
        }));
        RawServer stalled = server(RawServer.http((s, out, req) -> stall(s)));
        RawServer empty = server(RawServer.replying(new byte[0]));
        RawServer hugeHeaders = server(RawServer.replying(ascii("HTTP/1.0 200 OK\r\nX: " + "a".repeat(8000) + "\r\n\r\n")));
        RawServer badStatus = server(RawServer.replying(ascii("HTTP/1.0 500 Oops\r\n\r\n")));
        RawServer notTls = server(RawServer.raw((s, out, req) -> out.write(ascii("HTTP/1.0 400 Bad\r\n\r\n"))));
        RawServer smtpBad = server(RawServer.raw((s, out, req) -> out.write(ascii("554 no\r\n"))));
        RawServer smtpSilent = server(RawServer.raw((s, out, req) -> stall(s)));
        UdpResponder silent = server(new UdpResponder(d -> null));
        UdpResponder dnsError = server(new UdpResponder(q -> {
            byte[] a = Arrays.copyOf(q, q.length);
            ByteBuffer.wrap(a).putShort(2, (short) 0x8182);
            return List.of(a);
        }));
        CheckerSpec.Udp udpNoReply = new CheckerSpec.Udp(CheckSettings.UNSET, ConnectOptions.DEFAULT, null, null, 0, 255);
        CheckerSpec.Udp udpReply = new CheckerSpec.Udp(CheckSettings.UNSET, ConnectOptions.DEFAULT, null, "", 0, 255);
        CheckerSpec.Dns dns = new CheckerSpec.Dns(CheckSettings.UNSET, ConnectOptions.DEFAULT, "SOA", ".");
        CheckerSpec.Smtp smtp = new CheckerSpec.Smtp(CheckSettings.UNSET, ConnectOptions.DEFAULT, "x");

        List<Probe> failing = List.of(
                new TcpProbe(loop, tcpClosed, null, SHORT),
                new TcpProbe(loop, blackhole.address(), null, SHORT),
                new HttpProbe(loop, tcpClosed, null, SHORT, http(false), null),
                new HttpProbe(loop, blackhole.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, reset.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, stalled.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, empty.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, hugeHeaders.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, badStatus.address(), null, SHORT, http(false), null),
                new HttpProbe(loop, notTls.address(), null, SHORT, http(true), null),
                new HttpProbe(loop, stalled.address(), null, SHORT, http(true), null),
                new UdpProbe(loop, udpClosed, null, SHORT, udpNoReply),
                new UdpProbe(loop, udpClosed, null, SHORT, udpReply),
                new UdpProbe(loop, silent.address(), null, SHORT, udpReply),
                new DnsProbe(loop, udpClosed, null, SHORT, dns),
                new DnsProbe(loop, silent.address(), null, SHORT, dns),
                new DnsProbe(loop, dnsError.address(), null, SHORT, dns),
                new SmtpProbe(loop, tcpClosed, null, SHORT, smtp),
                new SmtpProbe(loop, smtpBad.address(), null, SHORT, smtp),
                new SmtpProbe(loop, smtpSilent.address(), null, SHORT, smtp));

        RawServer ok = server(RawServer.replying(ascii("HTTP/1.0 200 OK\r\n\r\nfine")));
        UdpResponder echo = server(new UdpResponder(List::of));
        // passing probes get a generous timeout: on a loaded machine a short one turns a pass into a timeout
        Duration generous = Duration.ofSeconds(10);
        List<Probe> passing = List.of(
                new TcpProbe(loop, ok.address(), null, generous),
                new HttpProbe(loop, ok.address(), null, generous, http(false), null),
                new UdpProbe(loop, echo.address(), null, generous, udpReply));

        List<CompletableFuture<ProbeResult>> failures = new ArrayList<>();
        List<CompletableFuture<ProbeResult>> successes = new ArrayList<>();
        AtomicInteger duplicateCalls = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            for (Probe p : failing) {
                failures.add(attempt(p, duplicateCalls));
            }
            for (Probe p : passing) {
                successes.add(attempt(p, duplicateCalls));
            }
        }
        for (CompletableFuture<ProbeResult> f : failures) {
            assertThat(await(f).success()).as("every attempt here fails").isFalse();
        }
        for (CompletableFuture<ProbeResult> f : successes) {
            ProbeResult r = await(f);
            assertThat(r.success()).as("every attempt here succeeds, but one said: %s", r.reason()).isTrue();
        }

        assertThat(duplicateCalls).hasValue(0);
        assertThat(onLoop(loop, loop::openChannels)).isZero();
        assertThat(onLoop(loop, this::selectorKeys)).isZero();
    }

    @Test
    void closingAProbeEndsItsAttemptsInFlight() throws Exception {
        RawServer stalled = server(RawServer.http((s, out, req) -> stall(s)));
        HttpProbe probe = new HttpProbe(loop, stalled.address(), null, Duration.ofSeconds(30), http(false), null);
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            probe.attempt(0, f::complete);
            results.add(f);
        }
        for (int i = 0; i < 10; i++) {
            stalled.request();
        }

        probe.close();

        for (CompletableFuture<ProbeResult> f : results) {
            assertThat(await(f)).isEqualTo(ProbeResult.fail("probe closed"));
        }
        assertThat(IoTestSupport.run(probe)).isEqualTo(ProbeResult.fail("probe closed"));
        assertThat(onLoop(loop, loop::openChannels)).isZero();
    }

    @Test
    void closingTheLoopEndsEveryAttemptInFlight() throws Exception {
        RawServer stalled = server(RawServer.http((s, out, req) -> stall(s)));
        IoLoop own = new IoLoop();
        HttpProbe probe = new HttpProbe(own, stalled.address(), null, Duration.ofSeconds(30), http(false), null);
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            probe.attempt(0, f::complete);
            results.add(f);
        }
        for (int i = 0; i < 5; i++) {
            stalled.request();
        }

        own.close();

        for (CompletableFuture<ProbeResult> f : results) {
            ProbeResult r = await(f);
            assertThat(r.success()).isFalse();
            assertThat(r.reason()).contains("I/O loop closed");
        }
        CompletableFuture<ProbeResult> after = new CompletableFuture<>();
        probe.attempt(0, after::complete);
        assertThat(await(after)).isEqualTo(ProbeResult.fail("I/O loop closed"));
    }

    private static CompletableFuture<ProbeResult> attempt(Probe p, AtomicInteger duplicateCalls) {
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        p.attempt(0, r -> {
            if (!f.complete(r)) {
                duplicateCalls.incrementAndGet();
            }
        });
        return f;
    }

    private int selectorKeys() {
        try {
            return loop.selectorKeys();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
