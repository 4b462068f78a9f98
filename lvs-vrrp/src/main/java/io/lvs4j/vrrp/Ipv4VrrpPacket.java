package io.lvs4j.vrrp;

import java.util.Objects;
import java.util.Optional;

/**
 * A decoded IPv4 datagram carrying VRRP: the IPv4 header, the AH header when the protocol is 51,
 * and the VRRP message.
 *
 * @param header the IPv4 header as received
 * @param authHeader the AH header, or {@code null} when the protocol is 112
 * @param vrrp the VRRP message
 */
public record Ipv4VrrpPacket(Ipv4Header header, IpsecAuthHeader authHeader, VrrpPacket vrrp) {

    public Ipv4VrrpPacket {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(vrrp, "vrrp");
    }

    /** The AH header, if the datagram has one. */
    public Optional<IpsecAuthHeader> optionalAuthHeader() {
        return Optional.ofNullable(authHeader);
    }
}
