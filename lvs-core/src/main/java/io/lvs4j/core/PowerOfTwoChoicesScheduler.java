package io.lvs4j.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * twos (spec §1.14): draws two servers by weight, each with a value uniform in {@code [0, W]}
 * (W = total weight of the non-OVERLOAD servers with weight &gt; 0, both ends included), and keeps the
 * less loaded of the two by overhead/weight; the first choice wins ties. Stateless and thread-safe;
 * a pick is two O(n) scans, draws from {@link ThreadLocalRandom} by default and allocates nothing.
 */
final class PowerOfTwoChoicesScheduler implements Scheduler {

    /** Given a bound, returns a value uniform in {@code [0, bound)}. */
    private final LongUnaryOperator random;

    PowerOfTwoChoicesScheduler() {
        this(bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** With {@code random} as the source of draws (tests feed fixed values). */
    PowerOfTwoChoicesScheduler(LongUnaryOperator random) {
        this.random = random;
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer[] list = service.scanArray();
        long total = 0;
        for (RealServer d : list) {
            int w = d.weight();
            if (!d.overloaded() && w > 0) {
                total += w;
            }
        }
        if (total == 0) {
            return null;
        }
        long r1 = random.applyAsLong(total + 1);
        long r2 = random.applyAsLong(total + 1);
        RealServer choice1 = null;
        RealServer choice2 = null;
        RealServer lastEligible = null;
        int weight1 = 0;
        int weight2 = 0;
        for (RealServer d : list) {
            int w = d.weight();
            if (d.overloaded() || w <= 0) {
                continue;
            }
            lastEligible = d;
            r1 -= w;
            r2 -= w;
            if (choice1 == null && r1 <= 0) {
                choice1 = d;
                weight1 = w;
            }
            if (choice2 == null && r2 <= 0) {
                choice2 = d;
                weight2 = w;
            }
            if (choice1 != null && choice2 != null) {
                break;
            }
        }
        if (lastEligible == null) {
            return null;
        }
        // weights fell between the two scans: the draw ran off the end
        if (choice1 == null) {
            choice1 = lastEligible;
            weight1 = lastEligible.weight();
        }
        if (choice2 == null) {
            choice2 = lastEligible;
            weight2 = lastEligible.weight();
        }
        int overhead1 = choice1.overhead();
        int overhead2 = choice2.overhead();
        return weight2 * overhead1 > weight1 * overhead2 ? choice2 : choice1;
    }
}
