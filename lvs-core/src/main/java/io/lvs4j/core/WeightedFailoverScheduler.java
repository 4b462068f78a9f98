package io.lvs4j.core;

/**
 * fo (spec §1.12): the non-OVERLOAD server with the highest weight (&gt; 0); ties go to the first in
 * scan order. Stateless and thread-safe; a pick is one O(n) scan and allocates nothing.
 */
final class WeightedFailoverScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer best = null;
        int bestWeight = 0;
        for (RealServer d : service.scanArray()) {
            int w = d.weight();
            if (!d.overloaded() && w > bestWeight) {
                best = d;
                bestWeight = w;
            }
        }
        return best;
    }
}
