package io.lvs4j.benchmarks;

import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TableOptions;
import io.lvs4j.core.Ticker;
import io.lvs4j.okhttp.LvsInterceptor;
import io.lvs4j.okhttp.RequestKey;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU the interceptor adds to one call, without a network: an {@link Interceptor.Chain} that answers
 * at once with a 2-byte body stands for the rest of OkHttp. {@code direct} reads the chain's response;
 * {@code intercepted} goes through {@link LvsInterceptor} (schedule and lease, URL rewrite, Resilience4j
 * retry, passive-health report, body wrapper, lease close) and reads it. The table's clock is synthetic and
 * advances 1 ms a call, with maintenance every 1,024 calls, so ~120,000 finished calls wait in TIME_WAIT as
 * on a busy client, and the table stays bounded.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
@State(Scope.Benchmark)
public class OkhttpOverheadBenchmark {
    private static final MediaType TEXT = MediaType.get("text/plain");
    private static final byte[] OK = {(byte) 'o', (byte) 'k'};

    /** {@code none}: the anonymous client; {@code header}: a client key from {@code X-User} (64 users), persistence 300 s. */
    @Param({"none", "header"})
    public String clientKey;

    private final long[] now = {1L << 40};
    private LvsInterceptor lvs;
    private Request[] requests;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Ticker ticker = () -> now[0];
        ServiceOptions.Builder service = ServiceOptions.builder().scheduler("wlc");
        LvsInterceptor.Builder b = LvsInterceptor.builder()
                .tableOptions(TableOptions.builder().ticker(ticker).build())
                .startMaintenance(false);
        if (clientKey.equals("header")) {
            service.persistenceTimeout(300);
            b.clientKey(RequestKey.header("X-User"));
        }
        lvs = b.service("bench.lvs", service.build()).build();
        for (int i = 1; i <= 3; i++) {
            lvs.table().addRealServer(lvs.serviceKey("bench.lvs"), InetAddress.getByName("10.0.0." + i), 8080,
                    RealServerOptions.defaults());
        }
        requests = new Request[64];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new Request.Builder().url("http://bench.lvs/orders/" + i).header("X-User", "user-" + i).build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lvs.close();
    }

    /** Answers every request at once, as if the server had. */
    private static final class AnsweringChain implements Interceptor.Chain {
        private final Request request;

        AnsweringChain(Request request) {
            this.request = request;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response proceed(Request r) {
            return new Response.Builder().request(r).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(OK, TEXT)).build();
        }

        @Override
        public Connection connection() {
            return null;
        }

        @Override
        public Call call() {
            return null;
        }

        @Override
        public int connectTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int readTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
            return this;
        }

        @Override
        public int writeTimeoutMillis() {
            return 10_000;
        }

        @Override
        public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
            return this;
        }
    }

    private Request nextRequest() {
        now[0] += 1_000_000L;
        if ((++next & 1023) == 0) {
            lvs.table().runMaintenance();
        }
        return requests[next & 63];
    }

    @Benchmark
    public String direct() throws IOException {
        Request r = nextRequest();
        try (Response response = new AnsweringChain(r).proceed(r)) {
            return response.body().string();
        }
    }

    @Benchmark
    public String intercepted() throws IOException {
        Request r = nextRequest();
        try (Response response = lvs.intercept(new AnsweringChain(r))) {
            return response.body().string();
        }
    }
}
