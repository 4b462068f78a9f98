package io.lvs4j.vrrp;

/**
 * Told by {@link VrrpDaemon} when one of its VRRP instances changes state, so that a forwarder can serve
 * the virtual addresses exactly while the instance is MASTER.
 *
 * <p>Calls come from one daemon thread ({@code vrrp-listeners}), one at a time, in the order the changes
 * happened, after the addresses were added (on entering MASTER) or removed (on leaving it). A listener may
 * block without delaying the VRRP state machine, but it delays the listeners after it. An exception is logged
 * and does not stop later calls. A reload that keeps an instance in its state reports nothing for it.
 */
@FunctionalInterface
public interface VrrpStateListener {

    /** {@code change} happened. */
    void stateChanged(VrrpStateChange change);
}
