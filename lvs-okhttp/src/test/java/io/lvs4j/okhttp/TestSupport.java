package io.lvs4j.okhttp;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.TableOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Helpers shared by the tests: a fake-clock interceptor builder, a client, calls, bounded waits. */
final class TestSupport {
    private TestSupport() {
    }

    /** An interceptor builder with its own table on {@code ticker}, no maintenance thread. */
    static LvsInterceptor.Builder builder(FakeTicker ticker) {
        return LvsInterceptor.builder()
                .tableOptions(TableOptions.builder().ticker(ticker).build())
                .startMaintenance(false);
    }

    static OkHttpClient client(Interceptor interceptor) {
        return new OkHttpClient.Builder()
                .addInterceptor(interceptor)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** GETs {@code url} with header {@code name: value} (none if null) and returns the body. */
    static String get(OkHttpClient client, String url, String name, String value) throws IOException {
        Request.Builder b = new Request.Builder().url(url);
        if (name != null) {
            b.header(name, value);
        }
        try (Response r = client.newCall(b.build()).execute()) {
            return r.body().string();
        }
    }

    static String get(OkHttpClient client, String url) throws IOException {
        return get(client, url, null, null);
    }

    /** Active connections of every real server of {@code key}. */
    static int active(IpvsTable table, ServiceKey key) {
        return table.service(key).realServers().stream().mapToInt(RealServer::activeConnections).sum();
    }

    static int inactive(IpvsTable table, ServiceKey key) {
        return table.service(key).realServers().stream().mapToInt(RealServer::inactiveConnections).sum();
    }

    /** Waits (at most 20 s) for {@code condition}, polling; fails naming {@code what}. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
