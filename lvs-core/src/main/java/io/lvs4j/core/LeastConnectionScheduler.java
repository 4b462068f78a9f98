package io.lvs4j.core;

/**
 * lc (spec §1.3): the server with the smallest connection overhead ({@link RealServer#overhead()},
 * compared unsigned), skipping OVERLOAD and weight-0 servers; ties go to the first in scan order.
 * Stateless and thread-safe; a pick is one O(n) scan of the service's snapshot and allocates nothing.
 */
final class LeastConnectionScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer least = null;
        int leastOverhead = 0;
        for (RealServer d : service.scanArray()) {
            if (d.overloaded() || d.weight() == 0) {
                continue;
            }
            int h = d.overhead();
            if (least == null || Integer.compareUnsigned(h, leastOverhead) < 0) {
                least = d;
                leastOverhead = h;
            }
        }
        return least;
    }
}
