package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * Every side effect of the VRRP engine on the host and the network. The engine calls these on its
 * scheduler thread, in protocol order (for example: advert, then add VIPs, then gratuitous ARPs on
 * becoming master). Implementations should not block for long; an exception is logged and the
 * state machine carries on as if the action had succeeded, as keepalived does after a failed send.
 */
public interface VrrpActions {

    /**
     * Sends one advertisement for {@code instance} with {@code priority} (0 when resigning),
     * to 224.0.0.18/ff02::12 or to each unicast peer. Everything else in the packet comes from
     * {@link VrrpInstance#config()} (VRID, VIPs, v3 interval = the configured advert interval).
     */
    void sendAdvert(VrrpInstance instance, int priority);

    /** Adds the virtual addresses to their interfaces. */
    void addAddresses(VrrpInstance instance, List<VirtualAddress> addresses);

    /**
     * Removes the virtual addresses. Also called at startup for instances that do not start as
     * master (to clear addresses left by a crashed run): removing an absent address must be harmless.
     */
    void removeAddresses(VrrpInstance instance, List<VirtualAddress> addresses);

    /** Sends one gratuitous ARP (IPv4) or unsolicited NA (IPv6) for each address. */
    void sendGratuitousArps(VrrpInstance instance, List<VirtualAddress> addresses);

    /**
     * A unicast instance left FAULT: announce our source address (one gratuitous ARP/NA) so the
     * master can reach us at once. Optional.
     */
    default void announceSourceAddress(VrrpInstance instance, InetAddress source) {
    }

    /** {@code instance} moved from {@code from} to {@code to}; called after notify scripts were started. */
    default void stateChanged(VrrpInstance instance, VrrpState from, VrrpState to) {
    }
}
