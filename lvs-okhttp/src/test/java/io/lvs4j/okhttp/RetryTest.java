package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.await;
import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.ConnectionState;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures: retries on another real server, what is never retried, and failing fast with no real server. */
class RetryTest {
    private final FakeTicker ticker = new FakeTicker();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final LvsEventListener recorder = new LvsEventListener() {
        @Override
        public void routed(String service, Request request, RealServer realServer, int attempt) {
            events.add("routed " + realServer.port() + " #" + attempt);
        }

        @Override
        public void failed(String service, Request request, RealServer realServer, IOException error, boolean retrying) {
            events.add("failed " + realServer.port() + (retrying ? " retrying" : " final"));
        }

        @Override
        public void unavailable(String service, Request request, VirtualServiceUnavailableException error) {
            events.add("unavailable " + service);
        }
    };
    private Backend a;
    private Backend b;

    @BeforeEach
    void start() throws IOException {
        a = new Backend("a");
        b = new Backend("b");
    }

    @AfterEach
    void stop() throws IOException {
        a.close();
        b.close();
    }

    /** A loopback port nothing listens on: connecting is refused. */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static RealServer addDead(IpvsTable table, ServiceKey key) throws IOException {
        return table.addRealServer(key, InetAddress.getLoopbackAddress(), deadPort(), RealServerOptions.defaults());
    }

    private LvsInterceptor.Builder rr() {
        return builder(ticker).service("app.lvs", ServiceOptions.builder().scheduler("rr").build())
                .passiveHealth(false).listener(recorder);
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherRealServer() throws Exception {
        try (LvsInterceptor lvs = rr().build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            a.addTo(lvs.table(), key, 1);
            RealServer dead = addDead(lvs.table(), key); // first in scan order: rr tries it first
            OkHttpClient client = client(lvs);
            assertThat(get(client, "http://app.lvs/")).isEqualTo("a");
            assertThat(events).containsExactly("routed " + dead.port() + " #1", "failed " + dead.port() + " retrying",
                    "routed " + a.port() + " #2");
            for (int i = 0; i < 10; i++) {
                assertThat(get(client, "http://app.lvs/")).isEqualTo("a");
            }
            // the failed attempts were reset (CLOSE, inactive); the good ones rest in TIME_WAIT
            assertThat(dead.activeConnections()).isZero();
            assertThat(lvs.table().connections()).filteredOn(c -> c.realServer() == dead)
                    .allSatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.CLOSE)).isNotEmpty();
        }
    }

    @Test
    void retriesAreBoundedAndTheLastFailureCarriesTheEarlierOnes() throws Exception {
        try (LvsInterceptor lvs = rr().retry(RetryPolicy.defaults().withMaxAttempts(3)).build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            for (int i = 0; i < 4; i++) {
                addDead(lvs.table(), key);
            }
            assertThatThrownBy(() -> get(client(lvs), "http://app.lvs/"))
                    .isInstanceOf(ConnectException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2).allMatch(s -> s instanceof ConnectException));
            assertThat(events).filteredOn(e -> e.startsWith("routed")).hasSize(3);
            assertThat(events).filteredOn(e -> e.startsWith("failed")).extracting(e -> e.substring(e.lastIndexOf(' ') + 1))
                    .containsExactly("retrying", "retrying", "final");
        }
    }

    @Test
    void aRetryNeverGoesBackToAServerThatFailedTheCall() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("app.lvs", ServiceOptions.builder().scheduler("wrr").build())
                .passiveHealth(false).listener(recorder).retry(RetryPolicy.defaults().withMaxAttempts(2)).build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            a.addTo(lvs.table(), key, 1);
            RealServer dead = lvs.table().addRealServer(key, InetAddress.getLoopbackAddress(), deadPort(),
                    RealServerOptions.weight(5)); // wrr picks it five times in a row
            assertThat(get(client(lvs), "http://app.lvs/")).isEqualTo("a");
            assertThat(events).containsExactly("routed " + dead.port() + " #1", "failed " + dead.port() + " retrying",
                    "routed " + a.port() + " #2");
        }
    }

    @Test
    void aRequestThatMayHaveReachedTheServerIsRetriedOnlyWhenIdempotent() throws Exception {
        try (LvsInterceptor lvs = rr().build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            b.addTo(lvs.table(), key, 1);
            a.addTo(lvs.table(), key, 1); // scan order a, b
            a.mode = Backend.Mode.DISCONNECT_AFTER_REQUEST;
            OkHttpClient client = client(lvs).newBuilder().retryOnConnectionFailure(false).build();

            Request post = new Request.Builder().url("http://app.lvs/orders")
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
            assertThatThrownBy(() -> client.newCall(post).execute().close()).isInstanceOf(IOException.class)
                    .isNotInstanceOf(ConnectException.class);
            assertThat(a.requests.get()).isEqualTo(1);
            assertThat(b.requests.get()).isZero();
            assertThat(events).containsExactly("routed " + a.port() + " #1", "failed " + a.port() + " final");

            events.clear();
            assertThat(get(client, "http://app.lvs/orders")).isEqualTo("b"); // rr moved on to b: make a come first again
            events.clear();
            assertThat(get(client, "http://app.lvs/orders")).isEqualTo("b"); // a dropped it; GET retried on b
            assertThat(events).containsExactly("routed " + a.port() + " #1", "failed " + a.port() + " retrying",
                    "routed " + b.port() + " #2");
            assertThat(a.requests.get()).isEqualTo(2);
        }
        try (LvsInterceptor lvs = rr().retry(RetryPolicy.defaults().withRetryIdempotent(false)).build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            b.addTo(lvs.table(), key, 1);
            a.addTo(lvs.table(), key, 1);
            OkHttpClient client = client(lvs).newBuilder().retryOnConnectionFailure(false).build();
            assertThatThrownBy(() -> get(client, "http://app.lvs/")).isInstanceOf(IOException.class);
            assertThat(a.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void noRetryPolicyMeansOneAttempt() throws Exception {
        try (LvsInterceptor lvs = rr().retry(RetryPolicy.none()).build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            a.addTo(lvs.table(), key, 1);
            RealServer dead = addDead(lvs.table(), key);
            assertThatThrownBy(() -> get(client(lvs), "http://app.lvs/")).isInstanceOf(ConnectException.class);
            assertThat(events).containsExactly("routed " + dead.port() + " #1", "failed " + dead.port() + " final");
        }
    }

    @Test
    void aPersistentClientsDeadServerIsNotReplacedByARetry() throws Exception {
        try (LvsInterceptor lvs = builder(ticker)
                .service("app.lvs", ServiceOptions.builder().scheduler("rr").persistenceTimeout(60).build())
                .passiveHealth(false).listener(recorder).clientKey(RequestKey.header("X-User")).build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            a.addTo(lvs.table(), key, 1);
            RealServer dead = addDead(lvs.table(), key);
            // the template sends alice to the dead server; a retry finds no other server for her
            assertThatThrownBy(() -> get(client(lvs), "http://app.lvs/", "X-User", "alice")).isInstanceOf(ConnectException.class);
            assertThat(events).filteredOn(e -> e.startsWith("routed")).containsExactly("routed " + dead.port() + " #1");
            // once the server is deleted (a health checker would), the template is void and alice moves on
            lvs.table().deleteRealServer(key, InetAddress.getLoopbackAddress(), dead.port());
            assertThat(get(client(lvs), "http://app.lvs/", "X-User", "alice")).isEqualTo("a");
        }
    }

    @Test
    void aCancelledCallIsNotRetried() throws Exception {
        try (LvsInterceptor lvs = rr().build()) {
            ServiceKey key = lvs.serviceKey("app.lvs");
            b.addTo(lvs.table(), key, 1);
            a.addTo(lvs.table(), key, 1);
            a.hold();
            Call call = client(lvs).newCall(new Request.Builder().url("http://app.lvs/").build());
            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try (Response r = call.execute()) {
                    return r.body().string();
                } catch (IOException e) {
                    return e;
                }
            });
            await(() -> a.requests.get() == 1, "the held request");
            call.cancel();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(events).containsExactly("routed " + a.port() + " #1", "failed " + a.port() + " final");
            assertThat(b.requests.get()).isZero();
        }
    }

    @Test
    void noRealServerFailsFastNamingTheVirtualService() throws Exception {
        IpvsTable table = new IpvsTable();
        ServiceKey managed = ServiceKey.tcp(InetAddress.getByName("198.18.0.10"), 80);
        try (LvsInterceptor lvs = LvsInterceptor.builder().table(table).startMaintenance(false)
                .service("app.lvs", ServiceOptions.builder().scheduler("rr").build())
                .service("managed.lvs", managed)
                .listener(recorder).build()) {
            OkHttpClient client = client(lvs);
            assertThatThrownBy(() -> get(client, "http://app.lvs/"))
                    .isInstanceOfSatisfying(VirtualServiceUnavailableException.class, e -> {
                        assertThat(e.serviceName()).isEqualTo("app.lvs");
                        assertThat(e.serviceKey()).isEqualTo(lvs.serviceKey("app.lvs"));
                    })
                    .hasMessage("no real server available for virtual service app.lvs (TCP 0.0.0.1:80): "
                            + "the service has no real servers");
            assertThat(events).containsExactly("unavailable app.lvs");

            ServiceKey key = lvs.serviceKey("app.lvs");
            table.addRealServer(key, InetAddress.getLoopbackAddress(), a.port(), RealServerOptions.weight(0));
            table.addRealServer(key, InetAddress.getLoopbackAddress(), b.port(), RealServerOptions.weight(0));
            assertThatThrownBy(() -> get(client, "http://app.lvs/"))
                    .hasMessage("no real server available for virtual service app.lvs (TCP 0.0.0.1:80): "
                            + "none of its 2 real servers was eligible (2 with weight 0, 0 overloaded, scheduler rr)");

            assertThatThrownBy(() -> get(client, "http://managed.lvs/"))
                    .hasMessage("no real server available for virtual service managed.lvs (TCP 198.18.0.10:80): "
                            + "the service is not in the table");

            // asynchronous calls get it in onFailure, as an IOException
            CompletableFuture<IOException> failure = new CompletableFuture<>();
            client.newCall(new Request.Builder().url("http://app.lvs/").build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    failure.complete(e);
                }

                @Override
                public void onResponse(Call call, Response response) {
                    response.close();
                    failure.complete(null);
                }
            });
            assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(VirtualServiceUnavailableException.class);
            assertThat(a.requests.get() + b.requests.get()).isZero();
        }
    }
}
