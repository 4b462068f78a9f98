package io.lvs4j.vrrp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One state change of a VRRP instance run by {@link VrrpDaemon}, as its {@link VrrpStateListener}s see it.
 * Immutable and thread-safe.
 *
 * @param instance the {@code vrrp_instance} name
 * @param interfaceName the interface the instance runs on
 * @param syncGroup the {@code vrrp_sync_group} the instance belongs to, if any
 * @param from the state it left
 * @param to the state it entered; {@link VrrpState#STOP} when the daemon stops or a reload removes it
 * @param priority its effective priority when it changed
 * @param addresses the addresses it installs while MASTER: the {@code virtual_ipaddress} entries, then the
 *     {@code virtual_ipaddress_excluded} ones
 */
public record VrrpStateChange(String instance, String interfaceName, Optional<String> syncGroup, VrrpState from,
        VrrpState to, int priority, List<VirtualAddress> addresses) {

    public VrrpStateChange {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(syncGroup, "syncGroup");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        addresses = List.copyOf(addresses);
    }

    /** Whether the instance became MASTER: this host now owns {@link #addresses()}. */
    public boolean becameMaster() {
        return to == VrrpState.MASTER && from != VrrpState.MASTER;
    }

    /** Whether the instance stopped being MASTER: the addresses have been removed from this host. */
    public boolean leftMaster() {
        return from == VrrpState.MASTER && to != VrrpState.MASTER;
    }
}
