package io.lvs4j.core;

import java.net.InetAddress;

/**
 * lblc (spec §1.7): remembers one server per packet destination address. The cached server is used
 * while it is in the service, has weight &gt; 0 and is not "lblc-overloaded" (more active connections
 * than its weight while some server has fewer than half its weight active); the OVERLOAD flag is not
 * checked on this path. Otherwise the wlc rule picks a server and the cache is updated. Idle entries
 * are collected by the kernel's 60-second timer, driven by {@link #maintain}.
 *
 * <p>Thread safety: a pick with a usable cached server is a lock-free map lookup plus an O(n) scan for
 * the overload test and allocates nothing; updating the cache takes a short lock.
 */
final class LocalityBasedLeastConnectionScheduler implements Scheduler {

    static final class Entry extends LocalityTable.Entry {
        final RealServer dest;

        Entry(InetAddress daddr, int daddrValue, RealServer dest, long now) {
            super(daddr, daddrValue, now);
            this.dest = dest;
        }
    }

    private final Ticker ticker;
    private final LocalityTable<Entry> table;

    LocalityBasedLeastConnectionScheduler(TableOptions options) {
        this.ticker = options.ticker();
        this.table = new LocalityTable<>(options, options.lblcExpirationSeconds(), ticker.nanos());
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        long now = ticker.nanos();
        RealServer[] list = service.scanArray();
        InetAddress daddr = flow.destinationAddress();
        Entry en = table.get(daddr);
        if (en != null) {
            en.lastUse = now;
            RealServer d = en.dest;
            if (d.available() && d.weight() > 0 && !overloaded(d, list)) {
                return d;
            }
        }
        RealServer d = WeightedLeastConnectionScheduler.pick(list);
        if (d == null) {
            return null;
        }
        synchronized (table.lock) {
            Entry cur = table.get(daddr);
            if (cur == null) {
                table.add(new Entry(daddr, flow.destinationAddressValue(), d, now));
            } else if (cur.dest != d) {
                table.replace(cur, new Entry(daddr, flow.destinationAddressValue(), d, now));
            }
        }
        return d;
    }

    /**
     * lblc's own overload test: {@code d} has more active connections than its weight and some server
     * of the service has fewer than half its weight active.
     */
    static boolean overloaded(RealServer d, RealServer[] list) {
        if (d.activeConnections() > d.weight()) {
            for (RealServer x : list) {
                if (2L * x.activeConnections() < x.weight()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void maintain(long nowNanos) {
        table.maintain(nowNanos);
    }

    /** The cache, for tests. */
    LocalityTable<Entry> table() {
        return table;
    }
}
