package io.lvs4j.health;

import java.util.Arrays;

/**
 * A binary min-heap of timer entries ordered by deadline, then by insertion order, with O(log n)
 * insertion, removal of the earliest entry and removal of any entry (each entry knows its slot).
 * Deadlines are {@link System#nanoTime()}-style values compared by subtraction, so wrap-around is safe.
 * Not thread-safe: {@link IoLoop} uses it from its own thread only.
 */
final class TimerHeap {

    /** One scheduled task; {@code cancelled} may be set from any thread. */
    static final class Entry implements CheckTimer.Cancellable {
        final long deadline;
        final Runnable task;
        private final IoLoop loop;
        private long sequence;
        private int slot = -1;
        private volatile boolean cancelled;

        Entry(IoLoop loop, long deadline, Runnable task) {
            this.loop = loop;
            this.deadline = deadline;
            this.task = task;
        }

        boolean cancelled() {
            return cancelled;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                loop.unschedule(this);
            }
        }
    }

    private Entry[] entries = new Entry[64];
    private int size;
    private long nextSequence;

    int size() {
        return size;
    }

    Entry peek() {
        return size == 0 ? null : entries[0];
    }

    void add(Entry e) {
        if (e.slot >= 0) {
            return;
        }
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        e.sequence = nextSequence++;
        e.slot = size;
        entries[size++] = e;
        siftUp(e.slot);
    }

    Entry poll() {
        if (size == 0) {
            return null;
        }
        Entry first = entries[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code e} if it is in the heap. */
    void remove(Entry e) {
        int i = e.slot;
        if (i >= 0 && i < size && entries[i] == e) {
            removeAt(i);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            entries[i].slot = -1;
            entries[i] = null;
        }
        size = 0;
    }

    private void removeAt(int i) {
        Entry removed = entries[i];
        removed.slot = -1;
        size--;
        if (i == size) {
            entries[size] = null;
            return;
        }
        Entry last = entries[size];
        entries[size] = null;
        entries[i] = last;
        last.slot = i;
        siftDown(i);
        if (entries[i] == last) {
            siftUp(i);
        }
    }

    private static boolean before(Entry a, Entry b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        Entry e = entries[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = entries[parent];
            if (!before(e, p)) {
                break;
            }
            entries[i] = p;
            p.slot = i;
            i = parent;
        }
        entries[i] = e;
        e.slot = i;
    }

    private void siftDown(int i) {
        Entry e = entries[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(entries[right], entries[child])) {
                child = right;
            }
            if (!before(entries[child], e)) {
                break;
            }
            entries[i] = entries[child];
            entries[i].slot = i;
            i = child;
        }
        entries[i] = e;
        e.slot = i;
    }
}
