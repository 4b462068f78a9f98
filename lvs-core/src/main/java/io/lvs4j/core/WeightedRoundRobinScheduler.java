package io.lvs4j.core;

/**
 * wrr (spec §1.2): IPVS's interleaved weighted round robin. Passes over the list with a falling
 * weight threshold {@code cw = mw, mw-di, ...}; each pass returns the servers whose weight reaches
 * the threshold, so the heaviest server comes in bursts ({@code [A5, B1, C1]} gives
 * {@code A A A A A B C}). Every add, edit and delete resets the position to the head and adjusts
 * {@code cw} by the kernel's rules.
 *
 * <p>Thread safety: picks and list changes hold a private lock for the short critical
 * section (the kernel holds a spinlock), so position, threshold and list always match. A pick is
 * O(n * mw / di) in the worst case (all servers ineligible), usually O(1), and allocates nothing.
 */
final class WeightedRoundRobinScheduler implements Scheduler {
    private static final int HEAD = -1;
    private static final int NONE = -2;

    private final Object lock = new Object();

    // guarded by lock
    private RealServer[] servers = new RealServer[0];
    /** Index of the last chosen server, or HEAD. */
    private int cl = HEAD;
    private int cw;
    private int mw;
    private int di = 1;

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        synchronized (lock) {
            return pick();
        }
    }

    private RealServer pick() {
        if (mw == 0) {
            return null;
        }
        RealServer[] list = servers;
        int n = list.length;
        int start = cl;
        int stop = NONE;
        boolean lastPass = false;
        boolean restarted = false;
        int i = start + 1;
        while (true) {
            for (; i < n; i++) {
                RealServer d = list[i];
                if (!d.overloaded() && d.weight() >= cw) {
                    cl = i;
                    return d;
                }
                if (i == stop) {
                    cl = i;
                    return null;
                }
            }
            cw -= di;
            if (cw <= 0) {
                cw = mw;
                if (lastPass || start == HEAD) {
                    cl = HEAD;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && start != HEAD) {
                stop = start;
            }
            i = 0;
        }
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        RealServer[] list = change.after().toArray(new RealServer[0]);
        synchronized (lock) {
            update(list, change.kind() == ServerListChange.Kind.ATTACHED);
        }
    }

    private void update(RealServer[] list, boolean attached) {
        servers = list;
        cl = HEAD;
        int gcd = 0;
        int max = 0;
        for (RealServer d : servers) {
            int w = d.weight();
            if (w > 0) {
                gcd = gcd == 0 ? w : gcd(gcd, w);
            }
            max = Math.max(max, w);
        }
        di = gcd == 0 ? 1 : gcd;
        mw = max - (di - 1);
        if (attached || cw > mw || cw == 0) {
            cw = mw;
        } else if (di > 1) {
            cw = (cw / di) * di + 1;
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The current weight threshold {@code cw}, for tests. */
    int currentWeight() {
        synchronized (lock) {
            return cw;
        }
    }
}
