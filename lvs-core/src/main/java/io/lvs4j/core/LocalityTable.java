package io.lvs4j.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The destination-address cache of lblc and lblcr (spec §1.7, §1.8): entries keyed by the packet's
 * destination address, with the kernel's bookkeeping: 1024 hash buckets ({@code hash_32(daddr, 10)}),
 * an entry counter (which classic kernels fail to decrement when lblc replaces an entry), the 2026 cap
 * on new entries, and the 60-second garbage-collection timer (a full expiry check every 30th tick,
 * or a partial collection of entries idle for 6 minutes while the table holds more than 16384).
 *
 * <p>Thread safety: lookups are lock-free reads of a concurrent map; insertions, removals and
 * collection hold the table's lock (the kernel's {@code sched_lock}).
 *
 * @param <E> the entry type
 */
final class LocalityTable<E extends LocalityTable.Entry> {
    static final int TAB_BITS = 10;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int MAX_SIZE = TAB_SIZE * 16;
    static final int CAP_2026 = MAX_SIZE * 3 / 2;
    static final int COUNT_FOR_FULL_EXPIRATION = 30;
    static final long SECOND = 1_000_000_000L;
    static final long CHECK_EXPIRE_INTERVAL = 60 * SECOND;
    static final long ENTRY_TIMEOUT = 6 * 60 * SECOND;

    /** One cached destination address. */
    abstract static class Entry {
        final InetAddress daddr;
        final int daddrValue;
        volatile long lastUse;

        Entry(InetAddress daddr, int daddrValue, long now) {
            this.daddr = daddr;
            this.daddrValue = daddrValue;
            this.lastUse = now;
        }
    }

    private final ConcurrentHashMap<InetAddress, E> map = new ConcurrentHashMap<>();
    private final boolean capped;
    private final long expirationNanos;
    private final boolean legacyHash;
    final Object lock = new Object();

    // guarded by lock
    private int entries;
    private int counter = 1;
    private int rover;
    private long nextCheck;

    LocalityTable(TableOptions options, int expirationSeconds, long now) {
        this.capped = options.kernelFlavor() == KernelFlavor.TOTALCONNS_2026;
        this.legacyHash = options.legacyHash();
        this.expirationNanos = expirationSeconds * SECOND;
        this.nextCheck = now + CHECK_EXPIRE_INTERVAL;
    }

    E get(InetAddress daddr) {
        return map.get(daddr);
    }

    /**
     * Adds {@code e} as a new entry unless the 2026 cap is reached; returns whether it was added.
     * Caller holds {@link #lock}; no entry for the address may exist.
     */
    boolean add(E e) {
        if (capped && entries >= CAP_2026) {
            return false;
        }
        map.put(e.daddr, e);
        entries++;
        return true;
    }

    /** Replaces {@code old} by a new entry for the same address (lblc). Caller holds {@link #lock}. */
    boolean replace(E old, E e) {
        map.remove(old.daddr, old);
        if (capped) {
            entries--;
        }
        return add(e);
    }

    /** The entry counter the collector reads, which classic lblc lets drift above the real size. */
    int entryCount() {
        synchronized (lock) {
            return entries;
        }
    }

    /** Entries actually present. */
    int size() {
        return map.size();
    }

    /** The timer: runs one collection tick when its 60 seconds are up, then re-arms 60 seconds after {@code now}. */
    void maintain(long now) {
        synchronized (lock) {
            if (now - nextCheck < 0) {
                return;
            }
            tick(now);
            nextCheck = now + CHECK_EXPIRE_INTERVAL;
        }
    }

    private void tick(long now) {
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
            map.values().removeIf(e -> {
                if (now - (e.lastUse + expirationNanos) >= 0) {
                    entries--;
                    return true;
                }
                return false;
            });
            counter = 1;
            return;
        }
        if (entries <= MAX_SIZE) {
            counter++;
            return;
        }
        int goal = Math.min((entries - MAX_SIZE) * 4 / 3, MAX_SIZE / 2);
        List<List<E>> buckets = new ArrayList<>(TAB_SIZE);
        for (int i = 0; i < TAB_SIZE; i++) {
            buckets.add(new ArrayList<>());
        }
        for (E e : map.values()) {
            buckets.get(IpvsHash.bucketHash(e.daddrValue, TAB_BITS, legacyHash)).add(e);
        }
        int j = rover;
        for (int i = 0; i < TAB_SIZE; i++) {
            j = (j + 1) & (TAB_SIZE - 1);
            for (E e : buckets.get(j)) {
                if (now - (e.lastUse + ENTRY_TIMEOUT) >= 0 && map.remove(e.daddr, e)) {
                    entries--;
                    goal--;
                }
            }
            if (goal <= 0) {
                break;
            }
        }
        rover = j;
    }
}
