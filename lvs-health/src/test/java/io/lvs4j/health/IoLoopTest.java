package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.await;
import static io.lvs4j.health.IoTestSupport.onLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IoLoopTest {

    private static final long MS = 1_000_000L;

    private final IoLoop loop = new IoLoop();

    @AfterEach
    void tearDown() {
        loop.close();
    }

    @Test
    void timersRunInDeadlineOrderThenSchedulingOrder() {
        List<String> order = new ArrayList<>();
        CompletableFuture<List<String>> all = new CompletableFuture<>();
        loop.execute(() -> {
            loop.schedule(60 * MS, () -> {
                order.add("60ms");
                all.complete(order);
            });
            loop.schedule(20 * MS, () -> order.add("20ms"));
            loop.schedule(40 * MS, () -> order.add("40ms"));
            loop.schedule(0, () -> order.add("now-a"));
            loop.schedule(0, () -> order.add("now-b"));
        });

        assertThat(await(all)).containsExactly("now-a", "now-b", "20ms", "40ms", "60ms");
    }

    @Test
    void aTimerDoesNotRunBeforeItsDelay() {
        CompletableFuture<Long> ranAfter = new CompletableFuture<>();
        long start = loop.nanoTime();
        loop.schedule(50 * MS, () -> ranAfter.complete(loop.nanoTime() - start));

        assertThat(await(ranAfter)).isGreaterThanOrEqualTo(50 * MS);
    }

    @Test
    void cancelledTimersDoNotRunFromAnyThread() {
        AtomicBoolean ran = new AtomicBoolean();
        CheckTimer.Cancellable fromOutside = loop.schedule(30 * MS, () -> ran.set(true));
        fromOutside.cancel();
        CompletableFuture<Void> later = new CompletableFuture<>();
        loop.execute(() -> {
            CheckTimer.Cancellable inside = loop.schedule(10 * MS, () -> ran.set(true));
            inside.cancel();
            loop.schedule(80 * MS, () -> later.complete(null));
        });

        await(later);
        assertThat(ran).isFalse();
    }

    @Test
    void tasksFromManyThreadsAllRunOnTheLoopThread() throws Exception {
        int threads = 8;
        int perThread = 500;
        CountDownLatch done = new CountDownLatch(threads * perThread);
        Set<String> names = ConcurrentHashMap.newKeySet();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    loop.execute(() -> {
                        names.add(Thread.currentThread().getName());
                        done.countDown();
                    });
                }
            });
            submitters.add(th);
            th.start();
        }

        assertThat(done.await(IoTestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(names).containsExactly("lvs4j-health-io");
    }

    @Test
    void survivesTasksAndTimersThatThrow() {
        loop.execute(() -> {
            throw new IllegalStateException("task failure (expected by the test)");
        });
        loop.schedule(0, () -> {
            throw new IllegalStateException("timer failure (expected by the test)");
        });
        CompletableFuture<String> after = new CompletableFuture<>();
        loop.schedule(5 * MS, () -> after.complete("still running"));

        assertThat(await(after)).isEqualTo("still running");
    }

    @Test
    void aHandlerThatThrowsIsAbortedAndItsChannelClosed() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        onLoop(loop, () -> {
            try {
                return loop.register(pipe.source(), SelectionKey.OP_READ, new IoHandler() {
                    @Override
                    public void ready(int readyOps) {
                        throw new IllegalStateException("handler failure (expected by the test)");
                    }

                    @Override
                    public void abort(Throwable cause) {
                        aborted.complete(cause);
                    }
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));

        assertThat(await(aborted)).isInstanceOf(IllegalStateException.class);
        assertThat(pipe.source().isOpen()).isFalse();
        assertThat(onLoop(loop, loop::openChannels)).isZero();
        pipe.sink().close();
    }

    @Test
    void closeAbortsRegisteredChannelsAndStopsTheThread() throws Exception {
        Pipe pipe = Pipe.open();
        CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        onLoop(loop, () -> {
            try {
                return loop.register(pipe.source(), SelectionKey.OP_READ, new IoHandler() {
                    @Override
                    public void ready(int readyOps) {
                    }

                    @Override
                    public void abort(Throwable cause) {
                        aborted.complete(cause);
                    }
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        loop.close();

        assertThat(await(aborted)).hasMessage("I/O loop closed");
        assertThat(pipe.source().isOpen()).isFalse();
        AtomicBoolean ran = new AtomicBoolean();
        loop.execute(() -> ran.set(true));
        loop.schedule(0, () -> ran.set(true)).cancel();
        assertThat(loop.submit(() -> ran.set(true))).isFalse();
        assertThat(ran).isFalse();
        pipe.sink().close();
    }

    @Test
    void loopOnlyOperationsRefuseOtherThreads() {
        assertThatThrownBy(loop::openChannels).isInstanceOf(IllegalStateException.class);
    }
}
