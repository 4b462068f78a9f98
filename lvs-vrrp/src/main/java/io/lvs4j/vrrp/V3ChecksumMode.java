package io.lvs4j.vrrp;

/**
 * Which pseudo-header a VRRPv3 checksum over IPv4 covers. VRRPv2 never uses a pseudo-header and
 * IPv6 always uses the standard IPv6 one, so this choice only matters for v3 over IPv4.
 */
public enum V3ChecksumMode {
    /**
     * keepalived's default: a 12-byte pseudo-header (source, destination, zero, 112, VRRP length)
     * whose destination is the datagram's real destination: the multicast group, or the unicast
     * peer.
     */
    PSEUDO_HEADER,
    /**
     * keepalived before 1.3.6 in unicast mode ({@code old_unicast_checksum}): the pseudo-header
     * always names the multicast group 224.0.0.18, even when the datagram goes to a unicast peer.
     */
    OLD_UNICAST,
    /**
     * {@code v3_checksum_as_v2}: no pseudo-header, as Cisco and Juniper compute it (and as RFC 9568
     * compliance requires, per keepalived's man page).
     */
    NO_PSEUDO_HEADER
}
