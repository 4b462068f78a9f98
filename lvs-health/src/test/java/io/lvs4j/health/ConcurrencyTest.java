package io.lvs4j.health;

import static io.lvs4j.health.Harness.ip;
import static io.lvs4j.health.Harness.rs;
import static io.lvs4j.health.Harness.s;
import static io.lvs4j.health.Harness.settings;
import static io.lvs4j.health.Harness.tcp;
import static io.lvs4j.health.Harness.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real threads: a one-thread scheduler as the timer, probes answering from other threads. */
class ConcurrencyTest {

    /** The simplest real {@link CheckTimer}: one scheduler thread. */
    private static final class ExecutorTimer implements CheckTimer, AutoCloseable {
        final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            ScheduledFuture<?> f = exec.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void execute(Runnable task) {
            exec.execute(task);
        }

        @Override
        public void close() {
            exec.shutdownNow();
        }
    }

    @Test
    @Timeout(20)
    void probesCompletingOnOtherThreadsDriveTheTableWhileStatusIsRead() throws Exception {
        IpvsTable table = new IpvsTable();
        ExecutorService callbacks = Executors.newFixedThreadPool(4);
        AtomicBoolean healthy = new AtomicBoolean(true);
        CountDownLatch removed = new CountDownLatch(1);
        CountDownLatch readded = new CountDownLatch(1);
        try (ExecutorTimer timer = new ExecutorTimer()) {
            HealthChecker checker = HealthChecker.builder(table).timer(timer)
                    .probes((spec, ctx) -> (index, done) -> callbacks.execute(
                            () -> done.accept(healthy.get() ? ProbeResult.ok("") : ProbeResult.fail("refused"))))
                    .listener(new HealthListener() {
                        @Override
                        public void realServerDown(ServiceKey vs, InetSocketAddress rs) {
                            removed.countDown();
                        }

                        @Override
                        public void realServerUp(ServiceKey vs, InetSocketAddress rs) {
                            readded.countDown();
                        }
                    }).build();
            checker.add(vs().settings(settings().delayLoop(s(0.005)).warmup(s(0)).delayBeforeRetry(s(0.001)).build())
                    .realServers(List.of(rs("10.0.0.2", 8080, tcp()), rs("10.0.0.3", 8080, tcp()))).build());
            checker.start();
            healthy.set(false);
            while (removed.getCount() > 0) {
                assertThat(checker.status()).hasSize(1);
                removed.await(1, TimeUnit.MILLISECONDS);
            }
            healthy.set(true);
            assertThat(readded.await(10, TimeUnit.SECONDS)).isTrue();
            checker.close();
            assertThat(table.service(Harness.VS)).isNull();
        } finally {
            callbacks.shutdownNow();
        }
    }

    @Test
    @Timeout(20)
    void concurrentReportsLeaveTheWeightConsistentWithTheBreakerState() throws Exception {
        ServiceKey key = Harness.VS;
        InetSocketAddress a = new InetSocketAddress(ip("10.0.0.2"), 8080);
        IpvsTable table = new IpvsTable();
        table.addService(key, ServiceOptions.defaults());
        table.addRealServer(key, a.getAddress(), a.getPort(), RealServerOptions.weight(5));
        ManualTimer timer = new ManualTimer();
        PassiveHealth passive = PassiveHealth.builder(table, key).timer(timer)
                .slidingWindow(SlidingWindowType.COUNT_BASED, 10, 10).permittedNumberOfCallsInHalfOpenState(4).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger seq = new AtomicInteger();
        for (int round = 0; round < 20; round++) {
            CountDownLatch done = new CountDownLatch(8);
            for (int t = 0; t < 8; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < 200; i++) {
                        if (seq.incrementAndGet() % 3 == 0) {
                            passive.onSuccess(a, Duration.ofMillis(1));
                        } else {
                            passive.onFailure(a, Duration.ofMillis(1), new IOException("reset"));
                        }
                    }
                    done.countDown();
                });
            }
            done.await();
            timer.advance(Duration.ofSeconds(10));
            State state = passive.state(a);
            int weight = table.service(key).realServer(a.getAddress(), a.getPort()).weight();
            assertThat(weight).as("round %d in %s", round, state).isEqualTo(state == State.OPEN ? 0 : 5);
        }
        pool.shutdownNow();
    }
}
