package io.lvs4j.core;

/**
 * sed (spec §1.5): like wlc, with overhead {@code activeconns + 1} (inactive connections ignored);
 * ties go to the first in scan order. Stateless and thread-safe; a pick is one O(n) scan and
 * allocates nothing.
 */
final class ShortestExpectedDelayScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer[] list = service.scanArray();
        int n = list.length;
        int i = 0;
        RealServer least = null;
        for (; i < n; i++) {
            RealServer d = list[i];
            if (!d.overloaded() && d.weight() > 0) {
                least = d;
                break;
            }
        }
        if (least == null) {
            return null;
        }
        long leastOverhead = least.activeConnections() + 1L;
        long leastWeight = least.weight();
        for (i++; i < n; i++) {
            RealServer d = list[i];
            if (d.overloaded()) {
                continue;
            }
            long h = d.activeConnections() + 1L;
            long w = d.weight();
            if (leastOverhead * w > h * leastWeight) {
                least = d;
                leastOverhead = h;
                leastWeight = w;
            }
        }
        return least;
    }
}
