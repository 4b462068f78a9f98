package io.lvs4j.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * fo (spec §1.12): the non-OVERLOAD server with the highest weight (&gt; 0); ties go to the first in
 * scan order. The kernel scans the whole list; here the servers are ranked once per list change
 * (weight descending, scan order among equals, weight-0 servers left out), so a pick returns the
 * first ranked server that is not OVERLOAD: O(1) unless top servers are overloaded, and no allocation.
 * The result is the kernel's for every list and flag state.
 *
 * <p>Thread safety: the ranking is an immutable array replaced in {@link #onChange}.
 */
final class WeightedFailoverScheduler implements Scheduler {
    private volatile RealServer[] ranked = new RealServer[0];

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        for (RealServer d : ranked) {
            if (!d.overloaded() && d.weight() > 0) {
                return d;
            }
        }
        return null;
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        List<RealServer> list = new ArrayList<>();
        for (RealServer d : change.after()) {
            if (d.weight() > 0) {
                list.add(d);
            }
        }
        list.sort(Comparator.comparingInt(RealServer::weight).reversed()); // stable: scan order among equals
        ranked = list.toArray(new RealServer[0]);
    }
}
