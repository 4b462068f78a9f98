package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.Connection;
import io.lvs4j.core.Flow;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TableOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Persistence ({@code -p}) keyed by a client key of the caller's choosing: stickiness and expiry. */
class PersistenceTest {
    private final FakeTicker ticker = new FakeTicker();
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

    private static ServiceOptions persistentRr(int seconds) {
        return ServiceOptions.builder().scheduler("rr").persistenceTimeout(seconds).build();
    }

    private void addBackends(LvsInterceptor lvs) {
        ServiceKey key = lvs.serviceKey("app.lvs");
        a.addTo(lvs.table(), key, 1);
        b.addTo(lvs.table(), key, 1);
        c.addTo(lvs.table(), key, 1);
    }

    @Test
    void aClientKeySticksToItsServerUntilTheTemplateExpires() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("app.lvs", persistentRr(30))
                .clientKey(RequestKey.header("X-User")).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            assertThat(get(client, "http://app.lvs/", "X-User", "alice")).isEqualTo("c"); // rr, scan order c, b, a
            assertThat(get(client, "http://app.lvs/", "X-User", "bob")).isEqualTo("b");
            for (int i = 0; i < 10; i++) {
                ticker.advanceSeconds(20); // each call renews the 30 s template
                lvs.table().runMaintenance();
                assertThat(get(client, "http://app.lvs/", "X-User", "alice")).isEqualTo("c");
                assertThat(get(client, "http://app.lvs/x", "X-User", "bob")).isEqualTo("b");
            }
            // the template's client is the key's address: CRC-32C("alice") as an IPv4 address
            assertThat(lvs.table().connections()).filteredOn(Connection::isTemplate)
                    .extracting(Connection::clientAddress)
                    .containsExactlyInAnyOrder(Flow.keyAddress("alice"), Flow.keyAddress("bob"));

            // idle: the connections leave TIME_WAIT after 120 s, the templates are then free to expire
            ticker.advanceSeconds(121);
            lvs.table().runMaintenance();
            ticker.advanceSeconds(61);
            lvs.table().runMaintenance();
            assertThat(lvs.table().templateCount()).isZero();
            assertThat(lvs.table().connectionCount()).isZero();
            assertThat(get(client, "http://app.lvs/", "X-User", "alice")).isEqualTo("a"); // scheduled anew
        }
    }

    @Test
    void cookieTagAndFallbackKeys() throws Exception {
        record Caller(String id) {
        }
        RequestKey key = RequestKey.cookie("session")
                .orElse(RequestKey.tag(Caller.class, Caller::id))
                .orElse(RequestKey.header("X-User"));
        try (LvsInterceptor lvs = builder(ticker).service("app.lvs", persistentRr(300)).clientKey(key).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                servers.add(body(client, new Request.Builder().url("http://app.lvs/")
                        .header("Cookie", "theme=dark; session=s-1 ; lang=en").build()));
                servers.add(body(client, new Request.Builder().url("http://app.lvs/")
                        .header("Cookie", "theme=dark").header("X-User", "s-1").build()));
                servers.add(body(client, new Request.Builder().url("http://app.lvs/")
                        .tag(Caller.class, new Caller("s-1")).build()));
            }
            assertThat(servers).hasSize(1); // all three carry the key "s-1"
            assertThat(lvs.table().templateCount()).isEqualTo(1);
        }
    }

    private static String body(OkHttpClient client, Request request) throws IOException {
        try (Response r = client.newCall(request).execute()) {
            return r.body().string();
        }
    }

    @Test
    void realClientAddressesGoThroughThePersistenceNetmask() throws Exception {
        ServiceOptions slash24 = ServiceOptions.builder().scheduler("rr").persistenceTimeout(300).ipv4Prefix(24).build();
        try (LvsInterceptor lvs = builder(ticker).service("app.lvs", slash24)
                .clientAddress(r -> {
                    try {
                        return InetAddress.getByName(r.header("X-Forwarded-For"));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            String first = get(client, "http://app.lvs/", "X-Forwarded-For", "10.1.1.5");
            assertThat(get(client, "http://app.lvs/", "X-Forwarded-For", "10.1.1.77")).isEqualTo(first);
            assertThat(get(client, "http://app.lvs/", "X-Forwarded-For", "10.1.2.5")).isNotEqualTo(first);
            assertThat(lvs.table().connections()).filteredOn(Connection::isTemplate).extracting(Connection::clientAddress)
                    .containsExactlyInAnyOrder(InetAddress.getByName("10.1.1.0"), InetAddress.getByName("10.1.2.0"));
        }
    }

    @Test
    void withoutAKeyAllCallsAreTheAnonymousClient() throws Exception {
        try (LvsInterceptor lvs = builder(ticker).service("app.lvs", persistentRr(300)).build()) {
            addBackends(lvs);
            OkHttpClient client = client(lvs);
            Set<String> servers = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                servers.add(get(client, "http://app.lvs/", "X-User", "user-" + i)); // no key configured
            }
            assertThat(servers).containsExactly("c");
            assertThat(lvs.table().connections()).filteredOn(Connection::isTemplate).extracting(Connection::clientAddress)
                    .containsExactly(InetAddress.getByName("127.0.0.1"));
        }
    }

    @Test
    void aQuiescedServerKeepsItsStickyClientsUnlessExpireQuiescentTemplateIsOn() throws Exception {
        for (boolean expireQuiescent : new boolean[] {false, true}) {
            try (LvsInterceptor lvs = LvsInterceptor.builder()
                    .tableOptions(TableOptions.builder().ticker(ticker).expireQuiescentTemplate(expireQuiescent).build())
                    .startMaintenance(false)
                    .service("app.lvs", persistentRr(300)).clientKey(RequestKey.header("X-User")).build()) {
                addBackends(lvs);
                OkHttpClient client = client(lvs);
                assertThat(get(client, "http://app.lvs/", "X-User", "alice")).isEqualTo("c");
                lvs.table().editRealServer(lvs.serviceKey("app.lvs"), InetAddress.getLoopbackAddress(), c.port(),
                        RealServerOptions.weight(0));
                String next = get(client, "http://app.lvs/", "X-User", "alice");
                if (expireQuiescent) {
                    assertThat(next).isNotEqualTo("c");
                } else {
                    assertThat(next).isEqualTo("c"); // IPVS's default: persistence ignores weight 0
                }
            }
        }
    }
}
