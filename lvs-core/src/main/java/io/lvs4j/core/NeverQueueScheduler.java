package io.lvs4j.core;

/**
 * nq (spec §1.6): the first eligible server (not OVERLOAD, weight &gt; 0) with no active connection;
 * if every server is busy, the sed rule. Stateless and thread-safe; a pick is at most one O(n) scan
 * and allocates nothing.
 */
final class NeverQueueScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer least = null;
        long leastOverhead = 0;
        long leastWeight = 0;
        for (RealServer d : service.scanArray()) {
            int w = d.weight();
            if (d.overloaded() || w == 0) {
                continue;
            }
            int active = d.activeConnections();
            if (active == 0) {
                return d;
            }
            long h = active + 1L;
            if (least == null || leastOverhead * w > h * leastWeight) {
                least = d;
                leastOverhead = h;
                leastWeight = w;
            }
        }
        return least;
    }
}
