package io.lvs4j.core;

/**
 * sh (spec §1.10): a 2^B-bucket table (B = {@link TableOptions#shTabBits()}) filled by walking the
 * scan order cyclically and giving each server {@code max(weight, 1)} consecutive buckets, indexed by
 * {@code hash_32} of the client address (plus the client port with {@code sh-port}). A bucket whose
 * server has weight 0 or is OVERLOAD gives none, unless {@code sh-fallback} is set: then the buckets
 * {@code (2h + k) mod 2^B} are probed for a usable server. The table is rebuilt on every add, edit
 * and delete, so this is not consistent hashing.
 *
 * <p>Thread safety: the table is an immutable array replaced in {@link #onChange}; a pick is O(1)
 * (O(2^B) only while probing past unusable servers with sh-fallback) and allocates nothing.
 */
final class SourceHashingScheduler implements Scheduler {
    private final int bits;
    private final int size;
    private final int mask;
    private final boolean legacyHash;
    private volatile RealServer[] table;

    SourceHashingScheduler(TableOptions options) {
        this.bits = options.shTabBits();
        this.legacyHash = options.legacyHash();
        this.size = 1 << bits;
        this.mask = size - 1;
        this.table = new RealServer[size];
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer[] t = table;
        int flags = service.schedulerFlags();
        int port = (flags & SchedulerFlags.SCHED2) != 0 ? portOf(flow) : 0;
        int hash = IpvsHash.bucketHash(flow.clientAddressValue() + port, bits, legacyHash);
        RealServer d = t[hash];
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
            int offset = (k + hash) & mask;
            d = t[(offset + hash) & mask];
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

    static int portOf(Flow flow) {
        return switch (flow.protocol()) {
            case TCP, UDP, SCTP -> flow.clientPort();
            default -> 0;
        };
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        RealServer[] list = change.after().toArray(new RealServer[0]);
        RealServer[] t = new RealServer[size];
        if (list.length > 0) {
            int p = 0;
            int given = 0;
            for (int i = 0; i < size; i++) {
                RealServer d = list[p];
                t[i] = d;
                if (++given >= d.weight()) {
                    p = p + 1 == list.length ? 0 : p + 1;
                    given = 0;
                }
            }
        }
        table = t;
    }

    /** The server in bucket {@code i}, for tests. */
    RealServer bucket(int i) {
        return table[i];
    }
}
