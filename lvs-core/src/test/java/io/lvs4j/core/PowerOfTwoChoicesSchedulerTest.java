package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesSchedulerTest {

    /** Feeds fixed draws and records the bounds asked for. */
    private static final class Draws {
        final Deque<Long> values = new ArrayDeque<>();
        final List<Long> bounds = new ArrayList<>();

        long next(long bound) {
            bounds.add(bound);
            long v = values.removeFirst();
            assertThat(v).isBetween(0L, bound - 1);
            return v;
        }
    }

    private static String pick(SchedulerFixture f, Draws draws, long r1, long r2) {
        draws.values.add(r1);
        draws.values.add(r2);
        return f.name(new PowerOfTwoChoicesScheduler(draws::next).schedule(f.svc, f.anyFlow()));
    }

    private static SchedulerFixture specFixture() {
        SchedulerFixture f = new SchedulerFixture("twos").servers("A1", "B2", "C3");
        f.active("B", 1).active("C", 2);
        return f;
    }

    @Test
    void singlePickMapIncludesBothEndsOfZeroToW() {
        SchedulerFixture f = specFixture();
        Draws draws = new Draws();
        StringBuilder map = new StringBuilder();
        for (long r = 0; r <= 6; r++) {
            map.append(pick(f, draws, r, r));
        }
        assertThat(map).hasToString("AABBCCC");
        assertThat(draws.bounds).containsOnly(7L);
    }

    @Test
    void specVectorPrefersTheLessLoadedSecondChoice() {
        SchedulerFixture f = specFixture();
        Draws draws = new Draws();
        assertThat(pick(f, draws, 4, 1)).isEqualTo("A");
    }

    @Test
    void firstChoiceWinsTies() {
        SchedulerFixture f = new SchedulerFixture("twos").servers("A1", "B1");
        Draws draws = new Draws();
        assertThat(pick(f, draws, 0, 2)).isEqualTo("A");
        assertThat(pick(f, draws, 2, 0)).isEqualTo("B");
    }

    @Test
    void moreLoadedSecondChoiceLoses() {
        SchedulerFixture f = specFixture();
        Draws draws = new Draws();
        assertThat(pick(f, draws, 1, 4)).isEqualTo("A");
        assertThat(pick(f, draws, 2, 5)).isEqualTo("B"); // B 256/2 vs C 512/3: 2*512 > 3*256 is false
    }

    @Test
    void weightZeroAndOverloadAreLeftOutOfTheDraw() {
        SchedulerFixture f = new SchedulerFixture("twos").servers("A0", "B2x", "C3");
        f.overload("B");
        Draws draws = new Draws();
        assertThat(pick(f, draws, 0, 3)).isEqualTo("C");
        assertThat(draws.bounds).containsExactly(4L, 4L);
    }

    @Test
    void noEligibleServerGivesNoneWithoutDrawing() {
        SchedulerFixture f = new SchedulerFixture("twos").servers("A0", "Bx");
        f.overload("B");
        Draws draws = new Draws();
        assertThat(f.name(new PowerOfTwoChoicesScheduler(draws::next).schedule(f.svc, f.anyFlow()))).isEqualTo("-");
        assertThat(draws.bounds).isEmpty();
    }

    @Test
    void defaultRandomSpreadsByWeight() {
        SchedulerFixture f = new SchedulerFixture("twos").servers("A1", "B0", "C3");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            counts.merge(f.pick(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("A", "C");
        assertThat(counts.get("C")).isGreaterThan(counts.get("A"));
    }
}
