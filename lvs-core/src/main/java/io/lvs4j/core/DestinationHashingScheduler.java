package io.lvs4j.core;

/**
 * dh (spec §1.9): a 256-bucket table filled with the servers in scan order, cyclically (weights
 * ignored), indexed by {@code hash_32} of the packet's destination address. The bucket's server is
 * returned unless it was deleted, has weight 0 or is OVERLOAD; then the result is none (no fallback).
 * The table is rebuilt on add and delete only, not on edit.
 *
 * <p>Thread safety: the table is an immutable array replaced in {@link #onChange}; a pick is one
 * volatile read and one array lookup, O(1), and allocates nothing.
 */
final class DestinationHashingScheduler implements Scheduler {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;

    private final boolean legacyHash;
    private volatile RealServer[] table = new RealServer[TAB_SIZE];

    DestinationHashingScheduler(TableOptions options) {
        this.legacyHash = options.legacyHash();
    }

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        RealServer d = table[IpvsHash.bucketHash(flow.destinationAddressValue(), TAB_BITS, legacyHash)];
        if (d == null || !d.available() || d.weight() <= 0 || d.overloaded()) {
            return null;
        }
        return d;
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        if (change.kind() == ServerListChange.Kind.EDITED) {
            return;
        }
        RealServer[] list = change.after().toArray(new RealServer[0]);
        RealServer[] t = new RealServer[TAB_SIZE];
        if (list.length > 0) {
            for (int i = 0; i < TAB_SIZE; i++) {
                t[i] = list[i % list.length];
            }
        }
        table = t;
    }

    /** The server in bucket {@code i}, for tests. */
    RealServer bucket(int i) {
        return table[i];
    }
}
