package io.lvs4j.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.okhttp.LvsInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 GET over loopback with a kept-alive connection, plain OkHttp versus OkHttp with
 * {@link LvsInterceptor} in front of the same server (a {@code wlc} virtual service with that server as its
 * one real server; interceptor defaults: passive health on, retries on, anonymous client, table maintenance
 * running on the system clock, so finished calls pile up in TIME_WAIT for 120 s as they would in service).
 * The server is the JDK's {@code HttpServer} (2 threads, TCP_NODELAY) in the same JVM, answering {@code ok}.
 * Throughput (calls/s) and sample time (its median is the median call latency) from one client thread;
 * the interceptor's cost is the ratio and the difference of the two.
 *
 * <p>{@code plain} and {@code lvs} run in separate forks, one after the other, so on a shared machine a change
 * in background load between them weighs as much as the interceptor. The {@code paired} group runs one
 * plain client thread and one intercepted client thread at the same time in the same fork, against the same
 * server, so both see the same load: its two results are the comparison to trust on a noisy machine.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// TCP_NODELAY on the server's sockets: it writes headers and body apart, and with Nagle each call would wait
// for the client's delayed ACK (40 ms)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dsun.net.httpserver.nodelay=true"})
@Threads(1)
@State(Scope.Benchmark)
public class OkhttpInterceptorBenchmark {
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private ExecutorService serverThreads;
    private LvsInterceptor lvs;
    private OkHttpClient plainClient;
    private OkHttpClient lvsClient;
    private Request plainRequest;
    private Request lvsRequest;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, OK.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(OK);
            }
        });
        server.start();
        int port = server.getAddress().getPort();

        lvs = LvsInterceptor.builder().service("bench.lvs", ServiceOptions.builder().scheduler("wlc").build()).build();
        lvs.table().addRealServer(lvs.serviceKey("bench.lvs"), InetAddress.getLoopbackAddress(), port,
                RealServerOptions.defaults());
        plainClient = new OkHttpClient();
        lvsClient = plainClient.newBuilder().addInterceptor(lvs).build(); // same pool and dispatcher
        plainRequest = new Request.Builder().url("http://127.0.0.1:" + port + "/orders/42").build();
        lvsRequest = new Request.Builder().url("http://bench.lvs/orders/42").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lvs.close();
        plainClient.connectionPool().evictAll();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static String call(OkHttpClient client, Request request) throws IOException {
        try (Response r = client.newCall(request).execute()) {
            return r.body().string();
        }
    }

    @Benchmark
    public String plain() throws IOException {
        return call(plainClient, plainRequest);
    }

    @Benchmark
    public String lvs() throws IOException {
        return call(lvsClient, lvsRequest);
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public String pairedPlain() throws IOException {
        return call(plainClient, plainRequest);
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public String pairedLvs() throws IOException {
        return call(lvsClient, lvsRequest);
    }
}
