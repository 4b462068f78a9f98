package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.core.ConnectionState;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private final FakeTicker ticker = new FakeTicker();
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

    private static ServiceOptions rr() {
        return ServiceOptions.builder().scheduler("rr").build();
    }

    @Test
    void namesGetSyntheticServicesInRegistrationOrder() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).service("Users.LVS", rr()).build()) {
            assertThat(lvs.services()).containsExactly(
                    java.util.Map.entry("orders.lvs", ServiceKey.tcp(InetAddress.getByName("0.0.0.1"), 80)),
                    java.util.Map.entry("users.lvs", ServiceKey.tcp(InetAddress.getByName("0.0.0.2"), 80)));
            assertThat(lvs.serviceKey("USERS.lvs")).isEqualTo(ServiceKey.tcp(InetAddress.getByName("0.0.0.2"), 80));
            assertThat(lvs.table().service(lvs.serviceKey("orders.lvs")).options().scheduler()).isEqualTo("rr");
            assertThatThrownBy(() -> lvs.serviceKey("billing.lvs")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("virtual service name 'billing.lvs' is not registered; accepted: orders.lvs, users.lvs");
        }
    }

    @Test
    void syntheticKeysSkipServicesAlreadyInAGivenTableAndAreDeletedOnClose() throws Exception {
        IpvsTable table = new IpvsTable();
        ServiceKey taken = ServiceKey.tcp(InetAddress.getByName("0.0.0.1"), 80);
        table.addService(taken, rr());
        LvsInterceptor lvs = LvsInterceptor.builder().table(table).service("orders.lvs", rr()).build();
        assertThat(lvs.serviceKey("orders.lvs")).isEqualTo(ServiceKey.tcp(InetAddress.getByName("0.0.0.2"), 80));
        lvs.close();
        assertThat(table.services()).extracting(s -> s.key()).containsExactly(taken);
    }

    @Test
    void rewritesHostAndPortKeepsTheVirtualHostAndLeavesOtherHostsAlone() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).build()) {
            ServiceKey orders = lvs.serviceKey("orders.lvs");
            a.addTo(lvs.table(), orders, 1);
            OkHttpClient client = client(lvs);
            try (Response r = client.newCall(new Request.Builder().url("http://orders.lvs/orders/42?x=1").build()).execute()) {
                assertThat(r.body().string()).isEqualTo("a");
                assertThat(r.request().url().toString()).isEqualTo("http://127.0.0.1:" + a.port() + "/orders/42?x=1");
            }
            RecordedRequest seen = a.recorded.get(0);
            assertThat(seen.getHeader("Host")).isEqualTo("orders.lvs");
            assertThat(seen.getPath()).isEqualTo("/orders/42?x=1");

            get(client, "http://orders.lvs:8080/");
            assertThat(a.recorded.get(1).getHeader("Host")).isEqualTo("orders.lvs:8080");

            // a host that is not a virtual service goes out untouched
            assertThat(get(client, "http://127.0.0.1:" + b.port() + "/direct")).isEqualTo("b");
            assertThat(b.recorded.get(0).getHeader("Host")).isEqualTo("127.0.0.1:" + b.port());
            assertThat(lvs.table().service(orders).stats().snapshot().conns()).isEqualTo(2);
        }
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).keepVirtualHost(false).build()) {
            a.addTo(lvs.table(), lvs.serviceKey("orders.lvs"), 1);
            get(client(lvs), "http://orders.lvs/");
            assertThat(a.recorded.get(2).getHeader("Host")).isEqualTo("127.0.0.1:" + a.port());
        }
    }

    @Test
    void aRealServerWithPortZeroKeepsTheUrlPort() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).build()) {
            lvs.table().addRealServer(lvs.serviceKey("orders.lvs"), InetAddress.getLoopbackAddress(), 0,
                    io.lvs4j.core.RealServerOptions.defaults());
            assertThat(get(client(lvs), "http://orders.lvs:" + a.port() + "/")).isEqualTo("a");
        }
    }

    @Test
    void aCallIsActiveUntilItsBodyIsClosedThenRestsInTimeWaitUntilItExpires() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).build()) {
            ServiceKey orders = lvs.serviceKey("orders.lvs");
            RealServer ra = a.addTo(lvs.table(), orders, 1);
            OkHttpClient client = client(lvs);
            Response r = client.newCall(new Request.Builder().url("http://orders.lvs/").build()).execute();
            assertThat(ra.activeConnections()).isEqualTo(1);
            assertThat(ra.inactiveConnections()).isZero();
            assertThat(lvs.table().connections()).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo(ConnectionState.ESTABLISHED));
            assertThat(r.body().string()).isEqualTo("a"); // read to the end and closed
            assertThat(ra.activeConnections()).isZero();
            assertThat(ra.inactiveConnections()).isEqualTo(1);
            assertThat(lvs.table().connections()).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo(ConnectionState.TIME_WAIT));
            assertThat(ra.stats().snapshot().outBytes()).isEqualTo(1);

            // closing without reading ends it too
            Response unread = client.newCall(new Request.Builder().url("http://orders.lvs/").build()).execute();
            assertThat(ra.activeConnections()).isEqualTo(1);
            unread.close();
            assertThat(ra.activeConnections()).isZero();
            assertThat(ra.inactiveConnections()).isEqualTo(2);

            // a HEAD response ends with its headers, whatever its Content-Length says
            Response head = client.newCall(new Request.Builder().url("http://orders.lvs/").head().build()).execute();
            assertThat(ra.activeConnections()).isZero();
            assertThat(ra.inactiveConnections()).isEqualTo(3);
            head.close();

            ticker.advanceSeconds(121);
            lvs.table().runMaintenance();
            assertThat(ra.inactiveConnections()).isZero();
            assertThat(lvs.table().connectionCount()).isZero();
        }
    }

    @Test
    void listingsShowTheInterceptorsTable() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", ServiceOptions.builder().scheduler("wrr").build()).build()) {
            ServiceKey orders = lvs.serviceKey("orders.lvs");
            a.addTo(lvs.table(), orders, 3);
            b.addTo(lvs.table(), orders, 1);
            OkHttpClient client = client(lvs);
            for (int i = 0; i < 4; i++) { // one wrr round: a three times, b once
                get(client, "http://orders.lvs/");
            }
            String list = lvs.ipvsadm("-L", "-n").stdout();
            assertThat(list).contains("TCP  0.0.0.1:80 wrr\n");
            assertThat(list).contains(String.format("  -> 127.0.0.1:%-5d              Route   3      0          3         \n", a.port()));
            assertThat(list).contains(String.format("  -> 127.0.0.1:%-5d              Route   1      0          1         \n", b.port()));
            try (Response open = client.newCall(new Request.Builder().url("http://orders.lvs/").build()).execute()) {
                assertThat(open.code()).isEqualTo(200); // in flight until closed
                assertThat(lvs.ipvsadm("-L", "-n").stdout()).containsPattern("Route +[13] +1 +[13] ");
            }
            String stats = lvs.ipvsadm("-L", "-n", "--stats").stdout();
            assertThat(stats).containsPattern("TCP  0\\.0\\.0\\.1:80 +5 ");
            assertThat(lvs.ipvsadm("-L", "-n", "--rate").stdout()).contains("CPS    InPPS   OutPPS    InBPS   OutBPS");
        }
    }

    @Test
    void theListenerSeesEachStep() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        LvsEventListener listener = new LvsEventListener() {
            @Override
            public void routed(String service, Request request, RealServer realServer, int attempt) {
                events.add("routed " + service + " " + realServer.port() + " #" + attempt);
            }

            @Override
            public void responded(String service, Request request, RealServer realServer, int code, Duration latency) {
                events.add("responded " + code);
            }

            @Override
            public void released(String service, RealServer realServer, boolean aborted) {
                events.add("released " + (aborted ? "aborted" : "closed"));
                throw new IllegalStateException("a failing listener does not break the call");
            }
        };
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).listener(listener).build()) {
            a.addTo(lvs.table(), lvs.serviceKey("orders.lvs"), 1);
            assertThat(get(client(lvs), "http://orders.lvs/")).isEqualTo("a");
            assertThat(events).containsExactly("routed orders.lvs " + a.port() + " #1", "responded 200", "released closed");
        }
    }

    @Test
    void builderRefusesBadInputNamingIt() throws Exception {
        assertThatThrownBy(() -> LvsInterceptor.builder().service("http://orders.lvs", rr()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http://orders.lvs' is not a host name");
        assertThatThrownBy(() -> LvsInterceptor.builder().service("orders.lvs:80", rr()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> LvsInterceptor.builder().service("orders.lvs", rr()).service("ORDERS.lvs", rr()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("virtual service name 'orders.lvs' is already registered");
        assertThatThrownBy(() -> LvsInterceptor.builder().service("dns.lvs", ServiceKey.udp(InetAddress.getByName("10.0.0.1"), 53)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service UDP 10.0.0.1:53 cannot carry HTTP calls; accepted: a TCP or firewall-mark service");
        assertThatThrownBy(() -> LvsInterceptor.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no virtual service registered");
        assertThatThrownBy(() -> builder(ticker).service("x.lvs", ServiceOptions.builder().scheduler("nope").build()).build())
                .hasMessageContaining("scheduler 'nope' not found");
        IpvsTable table = new IpvsTable();
        assertThatThrownBy(() -> LvsInterceptor.builder().table(table).startMaintenance(false)
                .service("a.lvs", rr()).service("b.lvs", ServiceOptions.builder().scheduler("nope").build()).build())
                .hasMessageContaining("scheduler 'nope' not found");
        assertThat(table.services()).isEmpty(); // nothing half-applied
    }

    @Test
    void aFailingKeyExtractorFailsTheCallWithAnIOException() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr())
                .clientKey(r -> { throw new IllegalStateException("no session"); }).build()) {
            a.addTo(lvs.table(), lvs.serviceKey("orders.lvs"), 1);
            assertThatThrownBy(() -> get(client(lvs), "http://orders.lvs/"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the client or destination key of a call to virtual service orders.lvs failed: "
                            + "java.lang.IllegalStateException: no session");
            assertThat(a.requests.get()).isZero();
        }
    }

    @Test
    void closedInterceptorRefusesVirtualCalls() throws Exception {
        LvsInterceptor lvs = builder(ticker).service("orders.lvs", rr()).build();
        a.addTo(lvs.table(), lvs.serviceKey("orders.lvs"), 1);
        OkHttpClient client = client(lvs);
        lvs.close();
        lvs.close();
        assertThatThrownBy(() -> get(client, "http://orders.lvs/"))
                .isInstanceOf(VirtualServiceUnavailableException.class)
                .hasMessage("no real server available for virtual service orders.lvs (TCP 0.0.0.1:80): the interceptor is closed");
    }
}
