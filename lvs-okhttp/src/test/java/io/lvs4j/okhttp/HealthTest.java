package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.await;
import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HttpProtocol;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.TlsOptions;
import io.lvs4j.health.UrlSpec;
import io.lvs4j.health.VirtualServerSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that fails or slows down loses its traffic and gets it back: passive health (circuit breaker
 * per real server, fed by the calls) and active health (keepalived's HTTP_GET checker).
 */
class HealthTest {
    private final FakeTicker ticker = new FakeTicker();
    private final ManualTimer timer = new ManualTimer();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final LvsEventListener recorder = new LvsEventListener() {
        @Override
        public void circuitStateChanged(ServiceKey service, InetSocketAddress realServer, CircuitBreaker.State from,
                                        CircuitBreaker.State to) {
            transitions.add(realServer.getPort() + " " + from + " -> " + to);
        }
    };
    private Backend a;
    private Backend b;
    private Backend c;

    @BeforeEach
    void start() throws IOException {
        a = new Backend("a");
        b = new Backend("b");
        c = new Backend("c");
    }

    @AfterEach
    void stop() throws IOException {
        a.close();
        b.close();
        c.close();
    }

    private LvsInterceptor passive() {
        LvsInterceptor lvs = builder(ticker)
                .service("app.lvs", ServiceOptions.builder().scheduler("rr").build())
                .passiveHealth(p -> p.timer(timer)
                        .slidingWindow(SlidingWindowType.COUNT_BASED, 4, 4)
                        .slowCalls(50, Duration.ofMillis(250))
                        .waitDurationInOpenState(Duration.ofSeconds(10))
                        .permittedNumberOfCallsInHalfOpenState(2))
                .listener(recorder)
                .build();
        ServiceKey key = lvs.serviceKey("app.lvs");
        a.addTo(lvs.table(), key, 1);
        b.addTo(lvs.table(), key, 1);
        c.addTo(lvs.table(), key, 1);
        return lvs;
    }

    /** Makes {@code calls} GETs and counts which backend answered (a 503 counts as "down b"...). */
    private static Map<String, Integer> spread(OkHttpClient client, int calls) throws IOException {
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            try (Response r = client.newCall(new Request.Builder().url("http://app.lvs/").build()).execute()) {
                n.merge(r.body().string(), 1, Integer::sum);
            }
        }
        return n;
    }

    @Test
    void aFailingBackendLosesTrafficAndRegainsItAfterHalfOpenProbes() throws Exception {
        try (LvsInterceptor lvs = passive()) {
            OkHttpClient client = client(lvs);
            ServiceKey key = lvs.serviceKey("app.lvs");
            b.mode = Backend.Mode.FAIL;
            assertThat(spread(client, 12)).containsEntry("down b", 4); // rr: every third call, 4 failures open it
            assertThat(lvs.passiveHealth("app.lvs").state(b.address())).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(b.in(lvs.table(), key).weight()).isZero();
            assertThat(transitions).containsExactly(b.port() + " CLOSED -> OPEN");

            int before = b.requests.get();
            assertThat(spread(client, 30)).containsOnlyKeys("a", "c");
            assertThat(b.requests.get()).isEqualTo(before);

            b.mode = Backend.Mode.OK;
            timer.advanceNanos(TimeUnit.SECONDS.toNanos(10)); // half-open: weight back, real calls probe it
            assertThat(b.in(lvs.table(), key).weight()).isEqualTo(1);
            assertThat(spread(client, 12)).containsEntry("b", 4);
            assertThat(lvs.passiveHealth("app.lvs").state(b.address())).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(transitions).containsExactly(b.port() + " CLOSED -> OPEN", b.port() + " OPEN -> HALF_OPEN",
                    b.port() + " HALF_OPEN -> CLOSED");
        }
    }

    @Test
    void aSlowBackendLosesTrafficAndRegainsIt() throws Exception {
        try (LvsInterceptor lvs = passive()) {
            OkHttpClient client = client(lvs);
            ServiceKey key = lvs.serviceKey("app.lvs");
            c.mode = Backend.Mode.SLOW;
            c.slowMillis = 600;
            spread(client, 12); // c answers four times, each over the 250 ms slow-call threshold
            assertThat(lvs.passiveHealth("app.lvs").state(c.address())).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(c.in(lvs.table(), key).weight()).isZero();
            assertThat(spread(client, 20)).containsOnlyKeys("a", "b");

            c.mode = Backend.Mode.OK;
            timer.advanceNanos(TimeUnit.SECONDS.toNanos(10));
            assertThat(spread(client, 12)).containsEntry("c", 4);
            assertThat(lvs.passiveHealth("app.lvs").state(c.address())).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void aBackendThatStillFailsInHalfOpenIsQuiescedAgain() throws Exception {
        try (LvsInterceptor lvs = passive()) {
            OkHttpClient client = client(lvs);
            ServiceKey key = lvs.serviceKey("app.lvs");
            b.mode = Backend.Mode.FAIL;
            spread(client, 12);
            timer.advanceNanos(TimeUnit.SECONDS.toNanos(10));
            spread(client, 6); // two probes, both fail
            assertThat(lvs.passiveHealth("app.lvs").state(b.address())).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(b.in(lvs.table(), key).weight()).isZero();
            assertThat(timer.pending()).isEqualTo(1); // the next half-open is scheduled
        }
    }

    @Test
    void aBackendThatGoesAwayIsRetriedAroundAndQuiesced() throws Exception {
        LvsInterceptor lvs = passive();
        try {
            OkHttpClient client = client(lvs);
            ServiceKey key = lvs.serviceKey("app.lvs");
            InetSocketAddress gone = b.address();
            b.close(); // connections are refused from now on
            Map<String, Integer> n = spread(client, 30);
            assertThat(n).containsOnlyKeys("a", "c"); // every call succeeded: refused attempts were retried
            assertThat(n.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
            assertThat(lvs.passiveHealth("app.lvs").state(gone)).isEqualTo(CircuitBreaker.State.OPEN);
            RealServer d = lvs.table().service(key).realServer(gone.getAddress(), gone.getPort());
            assertThat(d.weight()).isZero();
            // closing the interceptor gives quiesced servers their weight back (passive health's rule)
            lvs.close();
            assertThat(d.weight()).isEqualTo(1);
        } finally {
            lvs.close();
        }
    }

    @Test
    void activeChecksRemoveAFailingBackendAndAddItBack() throws Exception {
        ServiceKey key = ServiceKey.tcp(InetAddress.getByName("198.18.0.20"), 80);
        CheckSettings fast = CheckSettings.builder().delayLoop(Duration.ofMillis(100)).delayBeforeRetry(Duration.ofMillis(50))
                .connectTimeout(Duration.ofMillis(500)).retry(1).warmup(Duration.ZERO).build();
        CheckerSpec health = new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, false,
                List.of(UrlSpec.path("/health")), HttpProtocol.HTTP_1_1, null, false, TlsOptions.KEEPALIVED);
        InetAddress lo = InetAddress.getLoopbackAddress();
        VirtualServerSpec spec = VirtualServerSpec.builder(key)
                .serviceOptions(ServiceOptions.builder().scheduler("rr").build())
                .settings(fast)
                .realServers(List.of(RealServerSpec.of(lo, a.port(), health), RealServerSpec.of(lo, b.port(), health),
                        RealServerSpec.of(lo, c.port(), health)))
                .build();
        List<String> log = new CopyOnWriteArrayList<>();
        try (LvsInterceptor lvs = LvsInterceptor.builder().activeHealthChecks("app.lvs", spec)
                .healthChecker(h -> h.logSink(log::add)).passiveHealth(false).build()) {
            assertThat(lvs.serviceKey("app.lvs")).isEqualTo(key);
            assertThat(lvs.table().service(key).realServers()).hasSize(3);
            OkHttpClient client = client(lvs);
            assertThat(spread(client, 6)).containsOnlyKeys("a", "b", "c");

            b.mode = Backend.Mode.FAIL; // its /health answers 500 (and calls 503)
            await(() -> lvs.table().service(key).realServer(lo, b.port()) == null, "b removed by its checker");
            assertThat(spread(client, 12)).containsOnlyKeys("a", "c");
            assertThat(log).anyMatch(l -> l.startsWith("Removing service [127.0.0.1]:tcp:" + b.port()));

            b.mode = Backend.Mode.OK;
            await(() -> lvs.table().service(key).realServer(lo, b.port()) != null, "b back after a good check");
            assertThat(spread(client, 6)).containsEntry("b", 2);
        }
    }
}
