package io.lvs4j.core;

/**
 * mh (spec §1.11): Maglev consistent hashing. A lookup table of M buckets (a prime,
 * {@link TableOptions#mhTableSize()}) is populated from each server's permutation (offset and skip
 * from SipHash-1-3 of its address and port) in proportion to its {@link RealServer#lastWeight()},
 * so setting a weight to 0 does not reshuffle the table. A client (address, plus port with
 * {@code mh-port}) maps to bucket {@code H(key1, client) mod M}; a server with weight 0 or OVERLOAD
 * gives none unless {@code mh-fallback} is set, which rehashes with increasing offsets. The table is
 * rebuilt on every add, edit and delete.
 *
 * <p>Thread safety: the table is an immutable array replaced in {@link #onChange}; a pick is one
 * SipHash and one array read, O(1) (O(M) hashes only while falling back past unusable servers), and
 * allocates nothing.
 */
final class MaglevHashingScheduler implements Scheduler {
    static final long KEY1 = 2654435761L;
    static final long KEY2 = 2654446892L;

    private final int size;
    private final int tabBits;
    private volatile RealServer[] table;

    MaglevHashingScheduler(TableOptions options) {
        this.size = options.mhTableSize();
        this.tabBits = options.mhTabIndex() / 2;
        this.table = new RealServer[size];
    }

    /** {@code H(key, addr, port, offset)}: SipHash-1-3 of {@code offset + port + addr}, low 32 bits. */
    static int hash(long key, int addr, int port, int offset) {
        return IpvsHash.hsiphash32(key, key, offset + port + addr);
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer[] t = table;
        int flags = service.schedulerFlags();
        int addr = flow.clientAddressValue();
        int port = (flags & SchedulerFlags.SCHED2) != 0 ? SourceHashingScheduler.portOf(flow) : 0;
        int b = Integer.remainderUnsigned(hash(KEY1, addr, port, 0), size);
        RealServer d = t[b];
        if (d == null) {
            return null;
        }
        if (usable(d)) {
            return d;
        }
        if ((flags & SchedulerFlags.SCHED1) == 0) {
            return null;
        }
        for (int k = 0; k < size; k++) {
            int offset = (k + b) % size;
            d = t[Integer.remainderUnsigned(hash(KEY1, addr, port, offset), size)];
            if (d == null) {
                return null;
            }
            if (usable(d)) {
                return d;
            }
        }
        return null;
    }

    private static boolean usable(RealServer d) {
        return d.weight() > 0 && !d.overloaded();
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        table = populate(change.after().toArray(new RealServer[0]));
    }

    private RealServer[] populate(RealServer[] list) {
        RealServer[] t = new RealServer[size];
        int n = list.length;
        int gcd = 0;
        int max = 0;
        for (RealServer d : list) {
            int w = d.lastWeight();
            if (w > 0) {
                gcd = gcd == 0 ? w : gcd(gcd, w);
                max = Math.max(max, w);
            }
        }
        if (gcd == 0) {
            return t;
        }
        int shift = Math.max(0, (32 - Integer.numberOfLeadingZeros(max / gcd)) - tabBits);
        int[] turns = new int[n];
        int[] next = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            RealServer d = list[i];
            int w = d.lastWeight();
            turns[i] = w == 0 ? 0 : Math.max(1, (w / gcd) >> shift);
            next[i] = Integer.remainderUnsigned(hash(KEY1, d.addressValue(), d.port(), 0), size);
            skip[i] = Integer.remainderUnsigned(hash(KEY2, d.addressValue(), d.port(), 0), size - 1) + 1;
        }
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < turns[i]; j++) {
                    int c = next[i];
                    while (t[c] != null) {
                        c += skip[i];
                        if (c >= size) {
                            c -= size;
                        }
                    }
                    next[i] = c;
                    t[c] = list[i];
                    if (++filled == size) {
                        return t;
                    }
                }
            }
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

    /** The server in bucket {@code i}, for tests. */
    RealServer bucket(int i) {
        return table[i];
    }

    /** M, for tests. */
    int size() {
        return size;
    }
}
