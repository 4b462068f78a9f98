package io.lvs4j.core;

import java.util.List;

/**
 * What changed in a virtual service's real-server list, as told to its {@link Scheduler}.
 *
 * @param kind   what happened
 * @param server the server added, edited or removed; {@code null} for {@link Kind#ATTACHED}
 * @param before the list in scan order before the change
 * @param after  the list in scan order after the change
 */
public record ServerListChange(Kind kind, RealServer server, List<RealServer> before, List<RealServer> after) {

    /** The kind of change. */
    public enum Kind {
        /** The scheduler was attached to the service (on {@code -A}, or {@code -E} with a new scheduler). */
        ATTACHED,
        /** {@code -a}: a server was added at the head of the list. */
        ADDED,
        /** {@code -e}: a server's options changed; the list order did not. */
        EDITED,
        /** {@code -d}: a server was removed. */
        REMOVED
    }
}
