package io.lvs4j.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A hashed timing wheel for connection expiry. Re-arming a connection to a later deadline costs
 * nothing (the entry stays where it is and is re-queued when its slot comes round early); an earlier
 * deadline queues it once more. An entry is offered back exactly when its slot's tick is reached,
 * which is never before its deadline and at most one tick after it.
 *
 * <p>Thread safety: {@link #schedule} from any thread; {@link #advance} from one thread at a time.
 */
final class ExpiryWheel {
    private final long tickNanos;
    private final int mask;
    private final ConcurrentLinkedQueue<Connection>[] slots;
    private volatile long processedTick;

    @SuppressWarnings("unchecked")
    ExpiryWheel(long tickNanos, int slotCount, long nowNanos) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two: " + slotCount);
        }
        this.tickNanos = tickNanos;
        this.mask = slotCount - 1;
        this.slots = new ConcurrentLinkedQueue[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new ConcurrentLinkedQueue<>();
        }
        this.processedTick = Math.floorDiv(nowNanos, tickNanos);
    }

    long tickOf(long deadlineNanos) {
        return -Math.floorDiv(-deadlineNanos, tickNanos); // ceiling
    }

    /** Queues {@code c} for its tick; returns the tick it was queued at. */
    long schedule(Connection c, long deadlineNanos) {
        long tick = Math.max(tickOf(deadlineNanos), processedTick + 1);
        slots[(int) (tick & mask)].add(c);
        return tick;
    }

    /** Offers every entry of every tick up to {@code nowNanos} to {@code due}, which re-schedules what is not due. */
    void advance(long nowNanos, Consumer<Connection> due) {
        long target = Math.floorDiv(nowNanos, tickNanos);
        long from = processedTick;
        if (target <= from) {
            return;
        }
        long count = Math.min(target - from, slots.length);
        // entries re-queued during this pass land on ticks after target, so drain only what each slot held
        processedTick = target;
        for (long t = from + 1; t <= from + count; t++) {
            ConcurrentLinkedQueue<Connection> q = slots[(int) (t & mask)];
            int n = q.size();
            for (int i = 0; i < n; i++) {
                Connection c = q.poll();
                if (c == null) {
                    break;
                }
                due.accept(c);
            }
        }
    }

    long processedTick() {
        return processedTick;
    }
}
