package io.lvs4j.health;

import static io.lvs4j.health.Harness.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PassiveHealth with Resilience4j's real state machine driving weights in a real IpvsTable. */
class PassiveHealthTest {
    private static final ServiceKey VS = ServiceKey.tcp(ip("10.0.1.1"), 80);
    private static final InetSocketAddress A = new InetSocketAddress(ip("10.0.0.2"), 8080);
    private static final InetSocketAddress B = new InetSocketAddress(ip("10.0.0.3"), 8080);
    private static final Duration FAST = Duration.ofMillis(5);

    private final IpvsTable table = new IpvsTable();
    private final ManualTimer timer = new ManualTimer();
    private final List<String> transitions = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();
    private PassiveHealth passive;

    @BeforeEach
    void setUp() {
        table.addService(VS, ServiceOptions.builder().scheduler("wrr").build());
        table.addRealServer(VS, A.getAddress(), A.getPort(), RealServerOptions.weight(5).withThresholds(100, 50));
        table.addRealServer(VS, B.getAddress(), B.getPort(), RealServerOptions.weight(3));
        passive = PassiveHealth.builder(table, VS).timer(timer)
                .slidingWindow(SlidingWindowType.COUNT_BASED, 4, 4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(2)
                .listener((svc, rs, from, to) -> transitions.add(rs.getPort() + "@" + rs.getAddress().getHostAddress()
                        + " " + from + "->" + to))
                .logSink(logs::add)
                .build();
    }

    private int weight(InetSocketAddress rs) {
        return table.service(VS).realServer(rs.getAddress(), rs.getPort()).weight();
    }

    private void fail(InetSocketAddress rs) {
        passive.onFailure(rs, FAST, new IOException("connection reset"));
    }

    @Test
    void anOpenBreakerQuiescesTheRealServerAndHalfOpenRestoresItsWeight() {
        passive.onSuccess(A, FAST);
        fail(A);
        passive.onSuccess(A, FAST);
        assertThat(passive.state(A)).isEqualTo(State.CLOSED);
        fail(A);                                      // 2 of 4 failed: 50 %
        assertThat(passive.state(A)).isEqualTo(State.OPEN);
        assertThat(weight(A)).isZero();
        assertThat(weight(B)).isEqualTo(3);
        assertThat(table.service(VS).realServer(A.getAddress(), A.getPort()).options().upperThreshold())
                .as("only the weight changes").isEqualTo(100);
        assertThat(logs).containsExactly(
                "Passive health: circuit open, disabling service [10.0.0.2]:tcp:8080 of VS [10.0.1.1]:tcp:80");

        timer.advance(Duration.ofMillis(9_999));
        assertThat(passive.state(A)).isEqualTo(State.OPEN);
        timer.advance(Duration.ofMillis(1));
        assertThat(passive.state(A)).isEqualTo(State.HALF_OPEN);
        assertThat(weight(A)).isEqualTo(5);

        passive.onSuccess(A, FAST);
        fail(A);                                      // half-open: 1 of 2 failed -> open again
        assertThat(passive.state(A)).isEqualTo(State.OPEN);
        assertThat(weight(A)).isZero();
        timer.advance(Duration.ofSeconds(10));
        assertThat(weight(A)).isEqualTo(5);
        passive.onSuccess(A, FAST);
        passive.onSuccess(A, FAST);
        assertThat(passive.state(A)).isEqualTo(State.CLOSED);
        assertThat(weight(A)).isEqualTo(5);
        timer.advance(Duration.ofSeconds(60));
        assertThat(weight(A)).isEqualTo(5);

        assertThat(transitions).containsExactly(
                "8080@10.0.0.2 CLOSED->OPEN", "8080@10.0.0.2 OPEN->HALF_OPEN", "8080@10.0.0.2 HALF_OPEN->OPEN",
                "8080@10.0.0.2 OPEN->HALF_OPEN", "8080@10.0.0.2 HALF_OPEN->CLOSED");
    }

    @Test
    void whileOpenNewConnectionsGoElsewhereAndExistingOnesContinue() {
        Lease before = null;
        for (int i = 0; i < 20 && before == null; i++) {
            Lease l = table.acquire(VS, ip("192.0.2." + (i + 1)));
            if (l.realServer().address().equals(A.getAddress())) {
                before = l;
            } else {
                l.close();
            }
        }
        assertThat(before).isNotNull();
        for (int i = 0; i < 4; i++) {
            fail(A);
        }
        assertThat(passive.state(A)).isEqualTo(State.OPEN);
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (Lease l = table.acquire(VS, ip("198.51.100." + (i + 1)))) {
                picked.add(l.realServer().address().getHostAddress());
            }
        }
        assertThat(picked).containsExactly("10.0.0.3");
        assertThat(before.isOpen()).isTrue();
        before.close();
    }

    @Test
    void slowCallsOpenTheBreakerToo() {
        PassiveHealth slow = PassiveHealth.builder(table, VS).timer(timer)
                .slidingWindow(SlidingWindowType.COUNT_BASED, 4, 4)
                .slowCalls(50, Duration.ofSeconds(1)).build();
        slow.onSuccess(B, Duration.ofSeconds(2));
        slow.onSuccess(B, Duration.ofMillis(10));
        slow.onSuccess(B, Duration.ofSeconds(3));
        slow.onSuccess(B, Duration.ofMillis(10));
        assertThat(slow.state(B)).isEqualTo(State.OPEN);
        assertThat(weight(B)).isZero();
        slow.close();
        assertThat(weight(B)).as("close gives the weight back").isEqualTo(3);
        timer.advance(Duration.ofSeconds(30));
        assertThat(slow.state(B)).as("no transition after close").isEqualTo(State.OPEN);
    }

    @Test
    void aRealServerMissingFromTheTableIsLoggedNotThrown() {
        InetSocketAddress gone = new InetSocketAddress(ip("10.0.0.9"), 8080);
        for (int i = 0; i < 4; i++) {
            fail(gone);
        }
        assertThat(passive.state(gone)).isEqualTo(State.OPEN);
        assertThat(logs).anyMatch(l -> l.contains("[10.0.0.9]:tcp:8080") && l.contains("not in the table"));
        timer.advance(Duration.ofSeconds(10));
        assertThat(passive.state(gone)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> PassiveHealth.builder(table, VS).timer(timer).failureRateThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassiveHealth.builder(table, VS).timer(timer)
                .waitDurationInOpenState(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> PassiveHealth.builder(table, VS).build()).isInstanceOf(IllegalStateException.class);
    }
}
