package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualVrrpSchedulerTest {

    @Test
    void runsTasksInDueOrderThenSubmissionOrder() {
        ManualVrrpScheduler s = new ManualVrrpScheduler();
        long start = s.nanoTime();
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofMillis(20), () -> ran.add("b@" + (s.nanoTime() - start)));
        s.schedule(Duration.ofMillis(10), () -> ran.add("a@" + (s.nanoTime() - start)));
        s.schedule(Duration.ofMillis(20), () -> ran.add("c@" + (s.nanoTime() - start)));
        s.advance(Duration.ofMillis(15));
        assertThat(ran).containsExactly("a@10000000");
        s.advance(Duration.ofMillis(15));
        assertThat(ran).containsExactly("a@10000000", "b@20000000", "c@20000000");
        assertThat(s.nanoTime() - start).isEqualTo(30_000_000);
    }

    @Test
    void tasksScheduledWhileAdvancingRunIfDueAndCancelWorks() {
        ManualVrrpScheduler s = new ManualVrrpScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofMillis(1), () -> s.schedule(Duration.ofMillis(1), () -> ran.add("nested")));
        VrrpScheduler.Cancellable c = s.schedule(Duration.ofMillis(1), () -> ran.add("cancelled"));
        c.cancel();
        s.execute(() -> ran.add("now"));
        s.advance(Duration.ofMillis(5));
        assertThat(ran).containsExactly("now", "nested");
        assertThat(s.pendingTasks()).isZero();
        assertThatThrownBy(() -> s.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
