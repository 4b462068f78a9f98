package io.lvs4j.benchmarks;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.health.CheckSettings;
import io.lvs4j.health.CheckerSpec;
import io.lvs4j.health.ConnectOptions;
import io.lvs4j.health.HealthChecker;
import io.lvs4j.health.HealthListener;
import io.lvs4j.health.ProbeResult;
import io.lvs4j.health.RealServerSpec;
import io.lvs4j.health.VirtualServerSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Detection time of a dead real server: a TCP_CHECK'ed server on 127.0.0.1 is closed right after a
 * successful check (so the connects that follow are refused); the time from closing it to the checker
 * removing it from the table is compared with keepalived's formula for that moment, delay_loop +
 * retry x delay_before_retry (spec keepalived.md §1.3 worked example: 6 + 3 x 3 = 15 s).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.lvs4j.benchmarks.HealthDetection
 * --delay-loop 6 --retry 3 --delay-before-retry 3 --trials 3}
 */
public final class HealthDetection {

    public static void main(String[] args) throws Exception {
        java.util.logging.LogManager.getLogManager().reset();
        double delayLoop = Double.parseDouble(arg(args, "--delay-loop", "6"));
        int retry = HealthScale.intArg(args, "--retry", 3);
        double dbr = Double.parseDouble(arg(args, "--delay-before-retry", "3"));
        int trials = HealthScale.intArg(args, "--trials", 3);
        double formula = delayLoop + retry * dbr;

        InetAddress lo = InetAddress.getLoopbackAddress();
        AtomicReference<ServerSocket> server = new AtomicReference<>(open(lo, 0));
        int port = server.get().getLocalPort();
        AtomicReference<Boolean> armed = new AtomicReference<>(false);
        BlockingQueue<Long> killed = new ArrayBlockingQueue<>(1);
        BlockingQueue<Long> removed = new ArrayBlockingQueue<>(1);
        BlockingQueue<Long> added = new ArrayBlockingQueue<>(1);

        IpvsTable table = new IpvsTable();
        ServiceKey vs = ServiceKey.tcp(InetAddress.getByName("198.18.0.1"), 80);
        CheckSettings settings = CheckSettings.builder().delayLoop(secs(delayLoop)).retry(retry)
                .delayBeforeRetry(secs(dbr)).connectTimeout(Duration.ofSeconds(1)).build();
        HealthListener listener = new HealthListener() {
            @Override
            public void checkerResult(ServiceKey v, InetSocketAddress rs, int checker, String type, int target, ProbeResult r) {
                if (r.success() && armed.getAndSet(false)) {
                    try {
                        server.get().close(); // the server dies right after a successful check
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    killed.add(System.nanoTime());
                }
            }

            @Override
            public void realServerDown(ServiceKey v, InetSocketAddress rs) {
                removed.add(System.nanoTime());
            }

            @Override
            public void realServerUp(ServiceKey v, InetSocketAddress rs) {
                added.add(System.nanoTime());
            }
        };
        List<Double> measured = new ArrayList<>();
        try (HealthChecker checker = HealthChecker.builder(table).listener(listener).logSink(l -> { }).build()) {
            checker.add(VirtualServerSpec.builder(vs).serviceOptions(ServiceOptions.builder().scheduler("rr").build())
                    .settings(settings)
                    .realServers(List.of(RealServerSpec.of(lo, port, new CheckerSpec.Tcp(CheckSettings.UNSET, ConnectOptions.DEFAULT))))
                    .build());
            checker.start();
            for (int t = 0; t < trials; t++) {
                armed.set(true);
                long kill = killed.poll(5 * (long) Math.ceil(delayLoop) + 10, TimeUnit.SECONDS);
                Long down = removed.poll((long) Math.ceil(formula) + 10, TimeUnit.SECONDS);
                if (down == null) {
                    throw new IllegalStateException("the dead server was not removed");
                }
                double s = (down - kill) / 1e9;
                measured.add(s);
                System.out.printf("trial %d: removed %.3f s after the server died; keepalived's formula %.3f s; difference %+.0f ms%n",
                        t + 1, s, formula, (s - formula) * 1000);
                server.set(open(lo, port));
                if (added.poll(2 * (long) Math.ceil(delayLoop) + 10, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("the revived server was not re-added");
                }
            }
        }
        Collections.sort(measured);
        double median = measured.get(measured.size() / 2);
        System.out.printf("delay_loop %s s, retry %d, delay_before_retry %s s: median detection %.3f s, formula %.3f s, median difference %+.0f ms%n",
                delayLoop, retry, dbr, median, formula, (median - formula) * 1000);
        System.exit(0);
    }

    private static ServerSocket open(InetAddress lo, int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(lo, port));
        return s;
    }

    private static Duration secs(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }
}
