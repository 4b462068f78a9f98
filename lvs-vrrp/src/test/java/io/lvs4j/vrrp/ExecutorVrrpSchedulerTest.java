package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorVrrpSchedulerTest {

    @Test
    void runsTasksOnItsThreadAndSurvivesAFailingTask() throws Exception {
        try (ExecutorVrrpScheduler s = new ExecutorVrrpScheduler("vrrp-test")) {
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<String> thread = new AtomicReference<>();
            s.execute(() -> {
                throw new IllegalStateException("boom");
            });
            s.schedule(Duration.ofMillis(10), () -> {
                thread.set(Thread.currentThread().getName());
                done.countDown();
            });
            VrrpScheduler.Cancellable never = s.schedule(Duration.ofMillis(5), () -> thread.set("cancelled"));
            never.cancel();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get()).isEqualTo("vrrp-test");
        }
    }
}
