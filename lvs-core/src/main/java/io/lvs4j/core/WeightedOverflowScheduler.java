package io.lvs4j.core;

/**
 * ovf (spec §1.13): the highest-weight server among those that are not OVERLOAD, have weight &gt; 0
 * and have no more active connections than their weight (so a server takes up to weight + 1);
 * ties go to the first in scan order. Stateless and thread-safe; a pick is one O(n) scan and
 * allocates nothing.
 */
final class WeightedOverflowScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer best = null;
        int bestWeight = 0;
        for (RealServer d : service.scanArray()) {
            int w = d.weight();
            if (d.overloaded() || w == 0 || d.activeConnections() > w) {
                continue;
            }
            if (w > bestWeight) {
                best = d;
                bestWeight = w;
            }
        }
        return best;
    }
}
