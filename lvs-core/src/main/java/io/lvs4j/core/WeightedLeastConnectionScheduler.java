package io.lvs4j.core;

/**
 * wlc (spec §1.4), the ipvsadm default: the server with the smallest overhead/weight, compared by
 * cross-multiplication in 64 bits; the first non-OVERLOAD server with weight &gt; 0 is the first
 * candidate and a later one replaces it only when strictly better, so ties go to the first in scan
 * order. Stateless and thread-safe; a pick is one O(n) scan and allocates nothing.
 */
final class WeightedLeastConnectionScheduler implements Scheduler {

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        return pick(service.scanArray(), false);
    }

    /** The wlc rule over {@code list}; lblc and lblcr use it when their cache has no usable server. */
    static RealServer pick(RealServer[] list) {
        return pick(list, false);
    }

    /**
     * The wlc rule over {@code list}; with {@code availableOnly} (lblcr's set minimum) servers deleted from
     * the service neither start as candidate nor replace one.
     */
    static RealServer pick(RealServer[] list, boolean availableOnly) {
        int n = list.length;
        int i = 0;
        RealServer least = null;
        for (; i < n; i++) {
            RealServer d = list[i];
            if (!d.overloaded() && d.weight() > 0 && (!availableOnly || d.available())) {
                least = d;
                break;
            }
        }
        if (least == null) {
            return null;
        }
        long leastOverhead = least.overhead();
        long leastWeight = least.weight();
        for (i++; i < n; i++) {
            RealServer d = list[i];
            if (d.overloaded()) {
                continue;
            }
            long h = d.overhead();
            long w = d.weight();
            if (leastOverhead * w > h * leastWeight && (!availableOnly || d.available())) {
                least = d;
                leastOverhead = h;
                leastWeight = w;
            }
        }
        return least;
    }
}
