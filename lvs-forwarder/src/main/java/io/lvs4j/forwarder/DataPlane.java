package io.lvs4j.forwarder;

import java.time.Duration;

/**
 * The data plane as the control side drives it: whatever accepts clients on the virtual services of an
 * {@link io.lvs4j.core.IpvsTable} and connects them to the real servers the table picks (the forwarder's
 * listeners and relays).
 *
 * <p>The control side calls {@link #reconcile} after every change it makes to the table's set of services (the
 * configuration applied at start or by a reload, an {@code lvsadm} command, a VRRP state change that adds or
 * removes a virtual address on the host), and {@link #close(Duration)} once, at shutdown. Implementations must
 * accept calls from any thread; the control side never calls two methods at the same time.
 */
public interface DataPlane extends AutoCloseable {

    /**
     * Makes the listeners match the table's services: opens those missing (retrying later an address that is not
     * on this host yet), closes those whose service is gone. Returns promptly.
     */
    void reconcile();

    /**
     * Stops accepting, lets open connections finish for at most {@code drain}, then closes what is left.
     * Idempotent.
     */
    void close(Duration drain);

    /** {@link #close(Duration)} without draining. */
    @Override
    default void close() {
        close(Duration.ZERO);
    }

    /** A data plane that does nothing: the control side alone (the table, health checking, VRRP, lvsadm). */
    static DataPlane none() {
        return new DataPlane() {
            @Override
            public void reconcile() {
            }

            @Override
            public void close(Duration drain) {
            }

            @Override
            public String toString() {
                return "DataPlane.none()";
            }
        };
    }
}
