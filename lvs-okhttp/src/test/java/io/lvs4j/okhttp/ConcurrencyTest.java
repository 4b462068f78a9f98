package io.lvs4j.okhttp;

import static io.lvs4j.okhttp.TestSupport.active;
import static io.lvs4j.okhttp.TestSupport.builder;
import static io.lvs4j.okhttp.TestSupport.client;
import static io.lvs4j.okhttp.TestSupport.get;
import static io.lvs4j.okhttp.TestSupport.inactive;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Many threads through one interceptor shared by two virtual services, while real servers and weights change:
 * every call is answered, every counter is exact, and once the calls end and their entries expire every
 * counter is back to zero.
 */
class ConcurrencyTest {
    private static final int THREADS = 12;
    private static final int CALLS = 150;

    @Test
    void countersAreExactUnderConcurrencyAndReturnToZero() throws Exception {
        FakeTicker ticker = new FakeTicker();
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backends.add(new Backend("b" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try (LvsInterceptor lvs = builder(ticker)
                .service("orders.lvs", ServiceOptions.builder().scheduler("wlc").build())
                .service("users.lvs", ServiceOptions.builder().scheduler("sh").persistenceTimeout(60).build())
                .clientKey(RequestKey.header("X-User"))
                .build()) {
            IpvsTable table = lvs.table();
            ServiceKey orders = lvs.serviceKey("orders.lvs");
            ServiceKey users = lvs.serviceKey("users.lvs");
            for (int i = 0; i < 3; i++) {
                backends.get(i).addTo(table, orders, i + 1);
                backends.get(i).addTo(table, users, 1);
            }
            OkHttpClient client = client(lvs).newBuilder().connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES)).build();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger ordersCalls = new AtomicInteger();
            AtomicInteger usersCalls = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch go = new CountDownLatch(1);
            // admin changes while traffic runs: a fourth server joins, weights move, one is quiesced and back
            Future<?> admin = pool.submit(() -> {
                go.await();
                backends.get(3).addTo(table, orders, 2);
                InetAddress lo = InetAddress.getLoopbackAddress();
                int w = 0;
                while (running.get()) {
                    table.editRealServer(orders, lo, backends.get(0).port(), RealServerOptions.weight(w++ % 4));
                    Thread.sleep(1);
                }
                table.editRealServer(orders, lo, backends.get(0).port(), RealServerOptions.weight(1));
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < CALLS; i++) {
                        boolean toOrders = ThreadLocalRandom.current().nextBoolean();
                        String user = "user-" + ThreadLocalRandom.current().nextInt(50);
                        try (Response r = client.newCall(new Request.Builder()
                                .url(toOrders ? "http://orders.lvs/" : "http://users.lvs/")
                                .header("X-User", user).build()).execute()) {
                            if (r.code() != 200 || !r.body().string().startsWith("b")) {
                                failures.incrementAndGet();
                            }
                            (toOrders ? ordersCalls : usersCalls).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> w : workers) {
                w.get(120, TimeUnit.SECONDS);
            }
            running.set(false);
            admin.get(10, TimeUnit.SECONDS);

            assertThat(failures.get()).isZero();
            assertThat(ordersCalls.get() + usersCalls.get()).isEqualTo(THREADS * CALLS);
            assertThat(active(table, orders)).isZero();
            assertThat(active(table, users)).isZero();
            assertThat(inactive(table, orders)).isEqualTo(ordersCalls.get()); // each call rests in TIME_WAIT
            assertThat(inactive(table, users)).isEqualTo(usersCalls.get());
            assertThat(table.service(orders).stats().snapshot().conns()).isEqualTo(ordersCalls.get());
            assertThat(table.service(users).stats().snapshot().conns()).isEqualTo(usersCalls.get());
            assertThat(table.stats().snapshot().conns()).isEqualTo(THREADS * CALLS);
            long servedByBackends = backends.stream().mapToLong(b -> b.requests.get()).sum();
            assertThat(servedByBackends).isEqualTo(THREADS * CALLS);
            assertThat(backends.get(3).requests.get()).isPositive(); // the server added at run time got traffic
            assertThat(table.templateCount()).isBetween(1, 50); // one sh template per user

            ticker.advanceSeconds(121);
            table.runMaintenance();
            ticker.advanceSeconds(61);
            table.runMaintenance();
            assertThat(table.connectionCount()).isZero();
            assertThat(table.templateCount()).isZero();
            for (ServiceKey key : List.of(orders, users)) {
                for (RealServer d : table.service(key).realServers()) {
                    assertThat(d.activeConnections()).isZero();
                    assertThat(d.inactiveConnections()).isZero();
                    assertThat(d.persistentConnections()).isZero();
                }
            }
            // and the same user still gets one server per service afterwards
            assertThat(get(client, "http://users.lvs/", "X-User", "user-1")).isEqualTo(get(client, "http://users.lvs/", "X-User", "user-1"));
        } finally {
            pool.shutdownNow();
            for (Backend b : backends) {
                b.close();
            }
        }
    }
}
