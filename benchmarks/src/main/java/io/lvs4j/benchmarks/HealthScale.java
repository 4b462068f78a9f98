package io.lvs4j.benchmarks;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HealthChecker;
import io.lvs4j.health.HttpProtocol;
import io.lvs4j.health.IoLoop;
import io.lvs4j.health.Probe;
import io.lvs4j.health.ProbeFactory;
import io.lvs4j.health.ProbeResult;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.TlsOptions;
import io.lvs4j.health.UrlSpec;
import io.lvs4j.health.VirtualServerSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Health checking at scale: {@code --tcp N} real servers with TCP_CHECK and {@code --http N} with HTTP_GET,
 * all at {@code delay_loop 1} against tiny servers on 127.0.0.1, for {@code --seconds S} after a warm-up.
 * Prints the threads the checker uses, checks per second, CPU per check (the checker's I/O thread, and the
 * whole process including the in-JVM backends as an upper bound) and how late checks start versus their
 * schedule (delay_loop after the previous result) at the median, 99th percentile and maximum.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.lvs4j.benchmarks.HealthScale --tcp 1000 --http 1000 --seconds 60}
 */
public final class HealthScale {

    public static void main(String[] args) throws Exception {
        java.util.logging.LogManager.getLogManager().reset(); // the checker's INFO lines are not the output here
        int tcp = intArg(args, "--tcp", 1000);
        int http = intArg(args, "--http", 1000);
        int seconds = intArg(args, "--seconds", 60);
        long delayLoop = Duration.ofSeconds(1).toNanos();

        Backends backends = new Backends();
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<RealServerSpec> tcpServers = new ArrayList<>();
        List<RealServerSpec> httpServers = new ArrayList<>();
        CheckerSpec tcpCheck = new CheckerSpec.Tcp(CheckSettings.UNSET, ConnectOptions.DEFAULT);
        CheckerSpec httpCheck = new CheckerSpec.Http(CheckSettings.UNSET, ConnectOptions.DEFAULT, false,
                List.of(UrlSpec.path("/")), HttpProtocol.HTTP_1_0, null, false, TlsOptions.KEEPALIVED);
        for (int i = 0; i < tcp; i++) {
            tcpServers.add(RealServerSpec.of(lo, backends.listen(false), tcpCheck));
        }
        for (int i = 0; i < http; i++) {
            httpServers.add(RealServerSpec.of(lo, backends.listen(true), httpCheck));
        }
        backends.start();

        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        AtomicLong attempts = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long[] lateness = new long[8_000_000];
        AtomicLong latenessCount = new AtomicLong();

        IpvsTable table = new IpvsTable();
        try (IoLoop loop = new IoLoop()) {
            ProbeFactory real = ProbeFactory.real(loop);
            ProbeFactory observed = (spec, context) -> {
                Probe p = real.create(spec, context);
                long[] lastDone = {0};
                boolean[] lastOk = {false};
                return new Probe() {
                    @Override
                    public void attempt(int index, java.util.function.Consumer<ProbeResult> done) {
                        long start = System.nanoTime();
                        if (start >= measuring.get()) {
                            attempts.incrementAndGet();
                            if (lastOk[0]) {
                                int i = (int) latenessCount.getAndIncrement();
                                if (i < lateness.length) {
                                    lateness[i] = start - lastDone[0] - delayLoop;
                                }
                            }
                        }
                        p.attempt(index, r -> {
                            lastDone[0] = System.nanoTime();
                            lastOk[0] = r.success();
                            if (!r.success() && lastDone[0] >= measuring.get()) {
                                failures.incrementAndGet();
                            }
                            done.accept(r);
                        });
                    }

                    @Override
                    public int targets() {
                        return p.targets();
                    }

                    @Override
                    public void close() {
                        p.close();
                    }
                };
            };
            CheckSettings settings = CheckSettings.builder().delayLoop(Duration.ofSeconds(1)).build();
            try (HealthChecker checker = HealthChecker.builder(table).timer(loop).probes(observed).logSink(l -> { }).build()) {
                if (tcp > 0) {
                    checker.add(VirtualServerSpec.builder(ServiceKey.tcp(InetAddress.getByName("198.18.0.1"), 80))
                            .serviceOptions(ServiceOptions.builder().scheduler("rr").build())
                            .settings(settings).realServers(tcpServers).build());
                }
                if (http > 0) {
                    checker.add(VirtualServerSpec.builder(ServiceKey.tcp(InetAddress.getByName("198.18.0.2"), 80))
                            .serviceOptions(ServiceOptions.builder().scheduler("rr").build())
                            .settings(settings).realServers(httpServers).build());
                }
                checker.start();
                Thread.sleep(5_000); // warm-up: first checks are spread over 1..2 s
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long ioThread = Arrays.stream(threads.dumpAllThreads(false, false))
                        .filter(t -> t.getThreadName().equals("lvs4j-health-io")).findFirst().orElseThrow().getThreadId();
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = threads.getThreadCpuTime(ioThread);
                long proc0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                measuring.set(t0);
                Thread.sleep(seconds * 1000L);
                long elapsed = System.nanoTime() - t0;
                long cpu = threads.getThreadCpuTime(ioThread) - cpu0;
                long proc = os.getProcessCpuTime() - proc0;
                long n = attempts.get();
                int lc = (int) Math.min(latenessCount.get(), lateness.length);
                long[] late = Arrays.copyOf(lateness, lc);
                Arrays.sort(late);
                long lvs4jThreads = Arrays.stream(threads.dumpAllThreads(false, false))
                        .filter(t -> t.getThreadName().startsWith("lvs4j")).count();
                System.out.printf("real servers: %d TCP_CHECK + %d HTTP_GET, delay_loop 1 s, measured %d s%n", tcp, http, seconds);
                System.out.printf("threads: lvs4j %d (all JVM threads: %d, including the benchmark's backend thread)%n",
                        lvs4jThreads, threads.getThreadCount());
                System.out.printf("checks: %d (%.0f/s), failed: %d%n", n, n * 1e9 / elapsed, failures.get());
                System.out.printf("CPU per check: checker I/O thread %.1f us; whole process %.1f us (includes backends)%n",
                        cpu / 1e3 / n, proc / 1e3 / n);
                System.out.printf("check start lateness vs schedule: median %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                        pct(late, 0.50) / 1e6, pct(late, 0.99) / 1e6, late.length == 0 ? 0 : late[late.length - 1] / 1e6, lc);
            }
        } finally {
            backends.close();
        }
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }
}
