package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.active;
import static io.lvs4j.okhttp.TestSupport.await;
import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.RealServer;
import io.lvs4j.core.SchedulerRegistry;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which real server each call reaches, per scheduler, against three real backends with weights 3, 2, 1
 * (added in that order, so the scan order is c, b, a). Sequential calls show the weights and the hashing;
 * calls held in flight show that the load-aware schedulers see them as active connections.
 */
class SchedulerDistributionTest {
    private final FakeTicker ticker = new FakeTicker();
    private Backend a;
    private Backend b;
    private Backend c;
    private ExecutorService pool;

    @BeforeEach
    void start() throws IOException {
        a = new Backend("a");
        b = new Backend("b");
        c = new Backend("c");
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() throws Exception {
        a.releaseHeld();
        b.releaseHeld();
        c.releaseHeld();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        a.close();
        b.close();
        c.close();
    }

    private LvsInterceptor.Builder withScheduler(String scheduler) {
        return builder(ticker).service("cache.lvs", ServiceOptions.builder().scheduler(scheduler).build());
    }

    private void addBackends(LvsInterceptor lvs) {
        ServiceKey key = lvs.serviceKey("cache.lvs");
        a.addTo(lvs.table(), key, 3);
        b.addTo(lvs.table(), key, 2);
        c.addTo(lvs.table(), key, 1);
    }

    /** Sequential calls: how many each backend answered. */
    private static Map<String, Integer> count(OkHttpClient client, int calls, String header, String prefix) throws IOException {
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            n.merge(get(client, "http://cache.lvs/", header, header == null ? null : prefix + i), 1, Integer::sum);
        }
        return n;
    }

    @Test
    void roundRobinCyclesInScanOrder() throws Exception {
        try (LvsInterceptor lvs = withScheduler("rr").build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                order.add(get(client, "http://cache.lvs/"));
            }
            assertThat(order).containsExactly("c", "b", "a", "c", "b", "a");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrr", "wlc"})
    void weightedSchedulersFollowTheWeights(String scheduler) throws Exception {
        try (LvsInterceptor lvs = withScheduler(scheduler).build()) {
            addBackends(lvs);
            Map<String, Integer> n = count(client(lvs), 60, null, null);
            // wrr: exact per round; wlc: finished calls are inactive entries, overhead = inactive / weight
            assertThat(n.get("a")).isBetween(29, 31);
            assertThat(n.get("b")).isBetween(19, 21);
            assertThat(n.get("c")).isBetween(9, 11);
        }
    }

    @Test
    void leastConnectionIgnoresWeightsAndFailoverTakesTheHeaviest() throws Exception {
        try (LvsInterceptor lvs = withScheduler("lc").build()) {
            addBackends(lvs);
            assertThat(count(client(lvs), 30, null, null)).containsEntry("a", 10).containsEntry("b", 10).containsEntry("c", 10);
        }
        try (LvsInterceptor lvs = withScheduler("fo").build()) {
            addBackends(lvs);
            assertThat(count(client(lvs), 10, null, null)).containsOnlyKeys("a");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "mh"})
    void sourceHashingSendsAClientKeyToOneServer(String scheduler) throws Exception {
        try (LvsInterceptor lvs = withScheduler(scheduler).clientKey(RequestKey.header("X-User")).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            Map<String, String> first = new HashMap<>();
            for (int round = 0; round < 3; round++) {
                for (int u = 0; u < 60; u++) {
                    String server = get(client, "http://cache.lvs/", "X-User", "user-" + u);
                    assertThat(first.putIfAbsent("user-" + u, server) == null || first.get("user-" + u).equals(server))
                            .as("user-%d always on one server", u).isTrue();
                }
            }
            assertThat(new HashSet<>(first.values())).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dh", "lblc", "lblcr"})
    void destinationSchedulersKeepAPathOnOneServer(String scheduler) throws Exception {
        try (LvsInterceptor lvs = withScheduler(scheduler).destinationKey(RequestKey.path()).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            Map<String, String> first = new HashMap<>();
            for (int round = 0; round < 3; round++) {
                for (int p = 0; p < 30; p++) {
                    String server = get(client, "http://cache.lvs/objects/" + p);
                    assertThat(first.putIfAbsent("/objects/" + p, server) == null || first.get("/objects/" + p).equals(server))
                            .as("/objects/%d always on one server", p).isTrue();
                }
            }
            if (scheduler.equals("dh")) {
                assertThat(new HashSet<>(first.values())).containsExactlyInAnyOrder("a", "b", "c");
            }
            // the flow's destination is the key's address: CRC-32C of "/objects/0"
            assertThat(lvs.table().connections()).anySatisfy(conn ->
                    assertThat(conn.virtualAddress()).isEqualTo(io.lvs4j.core.Flow.keyAddress("/objects/0")));
        }
    }

    /** Starts {@code calls} held calls one after another, each once the previous is active; returns them. */
    private List<Future<String>> hold(LvsInterceptor lvs, int calls) {
        a.hold();
        b.hold();
        c.hold();
        OkHttpClient client = client(lvs);
        ServiceKey key = lvs.serviceKey("cache.lvs");
        List<Future<String>> held = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            held.add(pool.submit(() -> get(client, "http://cache.lvs/")));
            int expected = i + 1;
            await(() -> active(lvs.table(), key) == expected, expected + " active calls");
        }
        return held;
    }

    private Map<String, Integer> actives(LvsInterceptor lvs) {
        ServiceKey key = lvs.serviceKey("cache.lvs");
        Map<String, Integer> m = new HashMap<>();
        for (Backend be : List.of(a, b, c)) {
            m.put(be.name, be.in(lvs.table(), key).activeConnections());
        }
        return m;
    }

    private void releaseAndDrain(LvsInterceptor lvs, List<Future<String>> held) throws Exception {
        a.releaseHeld();
        b.releaseHeld();
        c.releaseHeld();
        for (Future<String> f : held) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isIn("a", "b", "c");
        }
        assertThat(active(lvs.table(), lvs.serviceKey("cache.lvs"))).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wlc", "sed", "lc"})
    void callsInFlightAreTheLoadTheLeastConnectionFamilySees(String scheduler) throws Exception {
        try (LvsInterceptor lvs = withScheduler(scheduler).build()) {
            addBackends(lvs);
            List<Future<String>> held = hold(lvs, 6);
            if (scheduler.equals("lc")) {
                assertThat(actives(lvs)).containsEntry("a", 2).containsEntry("b", 2).containsEntry("c", 2);
            } else {
                assertThat(actives(lvs)).containsEntry("a", 3).containsEntry("b", 2).containsEntry("c", 1);
            }
            releaseAndDrain(lvs, held);
        }
    }

    @Test
    void neverQueueSendsToAnIdleServerFirst() throws Exception {
        try (LvsInterceptor lvs = withScheduler("nq").build()) {
            addBackends(lvs);
            List<Future<String>> held = hold(lvs, 3);
            assertThat(actives(lvs)).containsEntry("a", 1).containsEntry("b", 1).containsEntry("c", 1);
            releaseAndDrain(lvs, held);
        }
    }

    @Test
    void overflowFillsTheHeaviestServerUpToItsWeightPlusOneThenRefuses() throws Exception {
        try (LvsInterceptor lvs = withScheduler("ovf").build()) {
            addBackends(lvs);
            List<Future<String>> held = hold(lvs, 9);
            // spec §1.13: a server stays eligible while active <= weight, so it takes weight + 1
            assertThat(actives(lvs)).containsEntry("a", 4).containsEntry("b", 3).containsEntry("c", 2);
            assertThatThrownBy(() -> get(client(lvs), "http://cache.lvs/"))
                    .isInstanceOf(VirtualServiceUnavailableException.class)
                    .hasMessageContaining("virtual service cache.lvs (TCP 0.0.0.1:80): none of its 3 real servers was eligible");
            releaseAndDrain(lvs, held);
        }
    }

    @Test
    void powerOfTwoChoicesSpreadsCallsInFlight() throws Exception {
        try (LvsInterceptor lvs = withScheduler("twos").build()) {
            addBackends(lvs);
            List<Future<String>> held = hold(lvs, 12);
            Map<String, Integer> act = actives(lvs);
            assertThat(act.values()).allSatisfy(n -> assertThat(n).isPositive());
            assertThat(act.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
            releaseAndDrain(lvs, held);
        }
    }

    @Test
    void everyBuiltInSchedulerServesCalls() throws Exception {
        for (String scheduler : SchedulerRegistry.defaults().names()) {
            if (scheduler.equals("none")) {
                continue;
            }
            try (LvsInterceptor lvs = withScheduler(scheduler).clientKey(RequestKey.header("X-User")).build()) {
                addBackends(lvs);
                Map<String, Integer> n = count(client(lvs), 30, "X-User", "u");
                assertThat(n.values().stream().mapToInt(Integer::intValue).sum()).as(scheduler).isEqualTo(30);
                for (RealServer d : lvs.table().service(lvs.serviceKey("cache.lvs")).realServers()) {
                    assertThat(d.activeConnections()).as(scheduler).isZero();
                }
            }
        }
        try (LvsInterceptor lvs = withScheduler("none").build()) {
            addBackends(lvs);
            assertThatThrownBy(() -> get(client(lvs), "http://cache.lvs/"))
                    .isInstanceOf(VirtualServiceUnavailableException.class).hasMessageContaining("scheduler none");
        }
    }
}
