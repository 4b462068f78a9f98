package io.lvs4j.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.lvs4j.core.IpvsException;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Passive health for in-process callers: one Resilience4j {@link CircuitBreaker} per real server of
 * one service, fed with the outcome of real requests ({@link #onSuccess}, {@link #onFailure}).
 *
 * <ul>
 *   <li>When a breaker <b>opens</b> (failure rate or slow-call rate over its threshold in the sliding
 *       window), the real server is quiesced through the table: {@code editRealServer} to weight 0, as
 *       keepalived's {@code inhibit_on_failure} does. Existing connections and leases continue; the
 *       scheduler sends it no new ones.</li>
 *   <li>After {@code waitDurationInOpenState} the {@link CheckTimer} moves the breaker to <b>half-open</b>
 *       ({@link CircuitBreaker#transitionToHalfOpenState()}; Resilience4j 2.2.0 takes no injectable clock
 *       in its config) and the weight the server had before is restored, so the next
 *       {@code permittedNumberOfCallsInHalfOpenState} real requests probe it.</li>
 *   <li>Those calls close the breaker (weight kept) or re-open it (quiesced again, wait again).</li>
 * </ul>
 *
 * <p>Breakers are created on the first report for a real server. Thread safety: {@link #onSuccess} and
 * {@link #onFailure} may be called from any thread concurrently; each breaker is Resilience4j's
 * lock-free state machine and the table edit for one real server is serialized. Weight edits are not
 * coordinated with a {@link HealthChecker} driving the same service (an edit on a destination the
 * checker removed is logged and skipped). {@link #close} cancels the timers and gives quiesced servers
 * their weight back.
 */
public final class PassiveHealth implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CheckLog.LOGGER_NAME);

    private final IpvsTable table;
    private final ServiceKey service;
    private final CheckTimer timer;
    private final CircuitBreakerConfig config;
    private final Duration waitInOpenState;
    private final PassiveHealthListener listener;
    private final CheckLog log;
    private final Map<InetSocketAddress, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private PassiveHealth(Builder b) {
        this.table = b.table;
        this.service = b.service;
        this.timer = b.timer;
        this.waitInOpenState = b.waitInOpenState;
        this.listener = b.listener;
        this.log = new CheckLog(b.logSink);
        this.config = CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold)
                .slowCallRateThreshold(b.slowCallRateThreshold)
                .slowCallDurationThreshold(b.slowCallDuration)
                .slidingWindow(b.windowSize, b.minimumCalls, b.windowType)
                .waitDurationInOpenState(b.waitInOpenState)
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
    }

    /** A builder for the real servers of {@code service} in {@code table}. */
    public static Builder builder(IpvsTable table, ServiceKey service) {
        return new Builder(table, service);
    }

    /** Records a successful request to {@code realServer} that took {@code latency}. */
    public void onSuccess(InetSocketAddress realServer, Duration latency) {
        entry(realServer).breaker.onSuccess(latency.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records a failed request to {@code realServer}. */
    public void onFailure(InetSocketAddress realServer, Duration latency, Throwable error) {
        Throwable t = error != null ? error : new RuntimeException("request failed");
        entry(realServer).breaker.onError(latency.toNanos(), TimeUnit.NANOSECONDS, t);
    }

    /** The breaker state of {@code realServer} ({@code CLOSED} before any report). */
    public CircuitBreaker.State state(InetSocketAddress realServer) {
        Entry e = entries.get(realServer);
        return e == null ? CircuitBreaker.State.CLOSED : e.breaker.getState();
    }

    /** The breaker of {@code realServer} (created if needed), for metrics. */
    public CircuitBreaker circuitBreaker(InetSocketAddress realServer) {
        return entry(realServer).breaker;
    }

    /** Cancels pending half-open transitions and restores the weight of every quiesced real server. */
    @Override
    public void close() {
        closed = true;
        for (Entry e : entries.values()) {
            synchronized (e) {
                e.cancelTimer();
                if (e.quiesced) {
                    e.restore();
                }
            }
        }
    }

    private Entry entry(InetSocketAddress realServer) {
        Objects.requireNonNull(realServer, "realServer");
        return entries.computeIfAbsent(realServer, Entry::new);
    }

    /** One real server: its breaker, and the weight to give back after quiescing it. */
    private final class Entry {
        final InetSocketAddress address;
        final String label;
        final CircuitBreaker breaker;
        boolean quiesced;
        int savedWeight;
        CheckTimer.Cancellable halfOpenTimer;

        Entry(InetSocketAddress address) {
            this.address = address;
            this.label = KeepalivedFormat.trio(address.getAddress(), address.getPort(), service);
            this.breaker = CircuitBreaker.of(KeepalivedFormat.virtualServer(service) + " -> " + label, config);
            breaker.getEventPublisher().onStateTransition(this::onTransition);
        }

        private void onTransition(CircuitBreakerOnStateTransitionEvent event) {
            CircuitBreaker.StateTransition t = event.getStateTransition();
            synchronized (this) {
                CircuitBreaker.State now = breaker.getState();
                if (now == CircuitBreaker.State.OPEN || now == CircuitBreaker.State.FORCED_OPEN) {
                    if (!quiesced) {
                        quiesce();
                    }
                    if (now == CircuitBreaker.State.OPEN && !closed) {
                        cancelTimer();
                        halfOpenTimer = timer.schedule(waitInOpenState.toNanos(), this::toHalfOpen);
                    }
                } else {
                    cancelTimer();
                    if (quiesced) {
                        restore();
                    }
                }
            }
            try {
                listener.stateChanged(service, address, t.getFromState(), t.getToState());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "passive health listener failed", e);
            }
        }

        private void toHalfOpen() {
            synchronized (this) {
                halfOpenTimer = null;
                if (closed || breaker.getState() != CircuitBreaker.State.OPEN) {
                    return;
                }
            }
            breaker.transitionToHalfOpenState();
        }

        void cancelTimer() {
            if (halfOpenTimer != null) {
                halfOpenTimer.cancel();
                halfOpenTimer = null;
            }
        }

        private void quiesce() {
            RealServer d = destination();
            if (d == null) {
                log.warn("Passive health: " + label + " of VS " + KeepalivedFormat.virtualServer(service)
                        + " is not in the table; nothing to quiesce");
                return;
            }
            try {
                savedWeight = d.weight();
                table.editRealServer(service, address.getAddress(), address.getPort(), d.options().withWeight(0));
                quiesced = true;
                log.info("Passive health: circuit open, disabling service " + label + " of VS "
                        + KeepalivedFormat.virtualServer(service));
            } catch (IpvsException e) {
                log.warn("Passive health: " + e.getMessage());
            }
        }

        void restore() {
            quiesced = false;
            RealServer d = destination();
            if (d == null) {
                log.warn("Passive health: " + label + " of VS " + KeepalivedFormat.virtualServer(service)
                        + " is not in the table; weight not restored");
                return;
            }
            try {
                table.editRealServer(service, address.getAddress(), address.getPort(),
                        d.options().withWeight(savedWeight));
                log.info("Passive health: circuit " + breaker.getState().name().toLowerCase(Locale.ROOT)
                        .replace('_', '-') + ", enabling service " + label + " of VS "
                        + KeepalivedFormat.virtualServer(service) + " with weight " + savedWeight);
            } catch (IpvsException e) {
                log.warn("Passive health: " + e.getMessage());
            }
        }

        private RealServer destination() {
            VirtualService svc = table.service(service);
            return svc == null ? null : svc.realServer(address.getAddress(), address.getPort());
        }
    }

    /**
     * Builder of {@link PassiveHealth}. Defaults: failure rate 50 %, slow calls not counted unless every
     * call is slow (rate 100 %) over 5 s, a count-based window of the last 20 calls evaluated from 10
     * calls, 10 s open before half-open, 3 calls in half-open. {@link #timer} is required.
     */
    public static final class Builder {
        private final IpvsTable table;
        private final ServiceKey service;
        private CheckTimer timer;
        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 100;
        private Duration slowCallDuration = Duration.ofSeconds(5);
        private SlidingWindowType windowType = SlidingWindowType.COUNT_BASED;
        private int windowSize = 20;
        private int minimumCalls = 10;
        private Duration waitInOpenState = Duration.ofSeconds(10);
        private int halfOpenCalls = 3;
        private PassiveHealthListener listener = (s, rs, from, to) -> {
        };
        private Consumer<String> logSink;

        private Builder(IpvsTable table, ServiceKey service) {
            this.table = Objects.requireNonNull(table, "table");
            this.service = Objects.requireNonNull(service, "service");
        }

        /** Schedules the open → half-open transitions. */
        public Builder timer(CheckTimer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /** Percentage (0 < p ≤ 100) of failed calls in the window that opens the breaker. */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent;
            return this;
        }

        /** Percentage of calls slower than {@code duration} that opens the breaker. */
        public Builder slowCalls(float percent, Duration duration) {
            this.slowCallRateThreshold = percent;
            this.slowCallDuration = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /**
         * The sliding window: the last {@code size} calls (COUNT_BASED) or seconds (TIME_BASED; Resilience4j
         * reads the system clock for it), evaluated once {@code minimumCalls} were recorded.
         */
        public Builder slidingWindow(SlidingWindowType type, int size, int minimumCalls) {
            this.windowType = Objects.requireNonNull(type, "type");
            this.windowSize = size;
            this.minimumCalls = minimumCalls;
            return this;
        }

        /** How long a breaker stays open (the server quiesced) before half-open. */
        public Builder waitDurationInOpenState(Duration d) {
            this.waitInOpenState = Objects.requireNonNull(d, "duration");
            return this;
        }

        /** Calls recorded in half-open before the breaker closes or re-opens. */
        public Builder permittedNumberOfCallsInHalfOpenState(int n) {
            this.halfOpenCalls = n;
            return this;
        }

        public Builder listener(PassiveHealthListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Also receives every log line, verbatim. */
        public Builder logSink(Consumer<String> sink) {
            this.logSink = sink;
            return this;
        }

        /** @throws IllegalArgumentException a setting is out of range (the message names it) */
        public PassiveHealth build() {
            if (timer == null) {
                throw new IllegalStateException("timer is required");
            }
            if (waitInOpenState.isNegative() || waitInOpenState.isZero()) {
                throw new IllegalArgumentException("waitDurationInOpenState " + waitInOpenState
                        + " is out of range; accepted: more than 0");
            }
            return new PassiveHealth(this);
        }
    }
}
