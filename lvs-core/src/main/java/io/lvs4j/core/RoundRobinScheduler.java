package io.lvs4j.core;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rr (spec §1.1): scans circularly from the server after the last one chosen and returns the first
 * that is not OVERLOAD and has weight &gt; 0. Deleting the server the pointer is on moves the pointer
 * to its predecessor; adds and edits leave it alone.
 *
 * <p>Thread safety: lock-free picks. The pointer is an index into this scheduler's own snapshot of the
 * list, advanced by compare-and-set, so concurrent picks behave as if serialized (as under the kernel's
 * spinlock). A list change freezes the old pointer, maps it into the new list and publishes both
 * together, so pointer and list always match. A pick is O(1) plus one step per skipped server and
 * allocates nothing.
 */
final class RoundRobinScheduler implements Scheduler {
    private static final int HEAD = -1;
    private static final int FROZEN = Integer.MIN_VALUE;
    private static final RealServer[] EMPTY = new RealServer[0];

    private static final class State {
        final RealServer[] servers;
        /** Index of the last chosen server in {@link #servers}, {@link #HEAD}, or {@link #FROZEN} once replaced. */
        final AtomicInteger last;

        State(RealServer[] servers, int last) {
            this.servers = servers;
            this.last = new AtomicInteger(last);
        }
    }

    private volatile State state = new State(EMPTY, HEAD);

    @Override
    public RealServer schedule(VirtualService service, Flow flow) {
        while (true) {
            State s = state;
            int last = s.last.get();
            if (last == FROZEN) {
                Thread.onSpinWait();
                continue;
            }
            int i = firstEligible(s.servers, last + 1);
            if (i < 0) {
                return null;
            }
            if (s.last.compareAndSet(last, i)) {
                return s.servers[i];
            }
        }
    }

    /** One circular pass of {@code list} starting at {@code start} (0..n). */
    private static int firstEligible(RealServer[] list, int start) {
        int n = list.length;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            if (i >= n) {
                i -= n;
            }
            RealServer d = list[i];
            if (!d.overloaded() && d.weight() > 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onChange(VirtualService service, ServerListChange change) {
        RealServer[] next = change.after().toArray(EMPTY);
        State old = state;
        int last = old.last.getAndSet(FROZEN);
        int index = HEAD;
        if (change.kind() != ServerListChange.Kind.ATTACHED && last >= 0) {
            RealServer pointed = old.servers[last];
            if (change.kind() == ServerListChange.Kind.REMOVED && pointed == change.server()) {
                pointed = last == 0 ? null : old.servers[last - 1];
            }
            index = indexOf(change.after(), pointed);
        }
        state = new State(next, index);
    }

    private static int indexOf(List<RealServer> list, RealServer d) {
        if (d == null) {
            return HEAD;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == d) {
                return i;
            }
        }
        return HEAD;
    }
}
