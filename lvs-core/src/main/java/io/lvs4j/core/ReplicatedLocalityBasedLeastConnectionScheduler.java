package io.lvs4j.core;

import java.net.InetAddress;

/**
 * lblcr (spec §1.8): like lblc, but each destination address maps to a set of servers (newest first).
 * The least-loaded usable member serves while it is not lblc-overloaded; otherwise the wlc rule picks
 * a server, which joins the set. When the set has more than one member and has not changed for
 * {@code lblcr_expiration}, its most-loaded member is dropped (one per period, only when the entry is
 * used). Idle entries are collected by the kernel's 60-second timer, driven by {@link #maintain}.
 *
 * <p>Thread safety: sets are immutable arrays replaced under the table's lock; a pick that is served
 * from the set is lock-free, O(set + n), and allocates nothing.
 */
final class ReplicatedLocalityBasedLeastConnectionScheduler implements Scheduler {
    private static final RealServer[] EMPTY = new RealServer[0];

    static final class Entry extends LocalityTable.Entry {
        /** Members, newest first. Replaced under the table's lock. */
        volatile RealServer[] set = EMPTY;
        volatile long lastMod;

        Entry(InetAddress daddr, int daddrValue, long now) {
            super(daddr, daddrValue, now);
        }
    }

    private final Ticker ticker;
    private final long expirationNanos;
    private final LocalityTable<Entry> table;

    ReplicatedLocalityBasedLeastConnectionScheduler(TableOptions options) {
        this.ticker = options.ticker();
        this.expirationNanos = options.lblcrExpirationSeconds() * LocalityTable.SECOND;
        this.table = new LocalityTable<>(options, options.lblcrExpirationSeconds(), ticker.nanos());
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        long now = ticker.nanos();
        RealServer[] list = service.scanArray();
        InetAddress daddr = flow.destinationAddress();
        Entry en = table.get(daddr);
        if (en != null) {
            en.lastUse = now;
            RealServer m = setMin(en.set);
            if (en.set.length > 1 && now - (en.lastMod + expirationNanos) > 0) {
                synchronized (table.lock) {
                    RealServer[] set = en.set;
                    if (set.length > 1) {
                        RealServer most = setMax(set);
                        if (most != null) {
                            erase(en, most, now);
                        }
                    }
                }
            }
            if (m != null && !LocalityBasedLeastConnectionScheduler.overloaded(m, list)) {
                return m;
            }
        }
        RealServer d = WeightedLeastConnectionScheduler.pick(list);
        if (d == null) {
            return null;
        }
        synchronized (table.lock) {
            Entry cur = en != null ? en : table.get(daddr);
            if (cur == null) {
                cur = new Entry(daddr, flow.destinationAddressValue(), now);
                insert(cur, d, now);
                table.add(cur);
            } else {
                insert(cur, d, now);
            }
        }
        return d;
    }

    /** The wlc rule over the set, counting only members still in the service. */
    static RealServer setMin(RealServer[] set) {
        return WeightedLeastConnectionScheduler.pick(set, true);
    }

    /** The most loaded member with weight &gt; 0 (OVERLOAD and availability not considered). */
    static RealServer setMax(RealServer[] set) {
        int n = set.length;
        int i = 0;
        RealServer most = null;
        for (; i < n; i++) {
            if (set[i].weight() > 0) {
                most = set[i];
                break;
            }
        }
        if (most == null) {
            return null;
        }
        long mostOverhead = most.overhead();
        long mostWeight = most.weight();
        for (i++; i < n; i++) {
            RealServer d = set[i];
            long h = d.overhead();
            long w = d.weight();
            if (mostOverhead * w < h * mostWeight && w > 0) {
                most = d;
                mostOverhead = h;
                mostWeight = w;
            }
        }
        return most;
    }

    // caller holds table.lock
    private static void insert(Entry en, RealServer d, long now) {
        RealServer[] set = en.set;
        for (RealServer x : set) {
            if (x == d) {
                return;
            }
        }
        RealServer[] next = new RealServer[set.length + 1];
        next[0] = d;
        System.arraycopy(set, 0, next, 1, set.length);
        en.set = next;
        en.lastMod = now;
    }

    // caller holds table.lock
    private static void erase(Entry en, RealServer d, long now) {
        RealServer[] set = en.set;
        for (int i = 0; i < set.length; i++) {
            if (set[i] == d) {
                RealServer[] next = new RealServer[set.length - 1];
                System.arraycopy(set, 0, next, 0, i);
                System.arraycopy(set, i + 1, next, i, set.length - i - 1);
                en.set = next;
                en.lastMod = now;
                return;
            }
        }
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
