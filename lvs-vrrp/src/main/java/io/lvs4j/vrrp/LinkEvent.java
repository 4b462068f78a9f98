package io.lvs4j.vrrp;

import java.util.Objects;

/**
 * A change to a network interface reported by a {@link LinkMonitor}.
 *
 * @param kind what happened
 * @param link the interface's state after the change (for {@link Kind#REMOVED}, its last state)
 */
public record LinkEvent(Kind kind, LinkInfo link) {

  /** What a {@link LinkEvent} reports. */
  public enum Kind {
    /** An interface appeared or changed (RTM_NEWLINK): flags, state, MTU, address... */
    CHANGED,
    /** An interface was deleted (RTM_DELLINK). */
    REMOVED,
    /**
     * The kernel dropped notifications (the socket's buffer overflowed), so the monitor read
     * every interface again; one such event per interface, carrying its current state.
     */
    RESYNC
  }

  /** Checks that both parts are present. */
  public LinkEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(link, "link");
  }
}
