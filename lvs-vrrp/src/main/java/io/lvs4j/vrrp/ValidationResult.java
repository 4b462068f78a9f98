package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link AdvertValidator} decided about one received advert, and the lines keepalived would
 * have logged on the way.
 *
 * <p>Immutable. {@code logLines} are in the order keepalived emits them, already prefixed with the
 * instance name where keepalived prefixes them; the caller logs them (keepalived rate-limits most
 * of them) and counts the drop reasons.
 *
 * @param verdict ACCEPT, ACCEPT_WITH_WARNING (the packet is used, something was logged), or DROP
 * @param dropReason why the packet was dropped; {@code null} unless the verdict is DROP
 * @param warnings what was logged about a packet that is nevertheless used (may be non-empty on a
 *     DROP too, when a warning came before the failing check)
 * @param logLines keepalived's log lines for this packet, oldest first
 * @param source the sender's address, or {@code null} if too little was received to read it
 * @param packet the decoded VRRP message; {@code null} if the packet was dropped before it could
 *     be decoded (length, version, auth or type checks)
 * @param ipv4Header the IPv4 header for an IPv4 packet that reached decoding, else {@code null}
 * @param authHeader the AH header of an IPv4 AH packet that reached decoding, else {@code null}
 *     (its sequence number is for the caller's anti-replay check)
 */
public record ValidationResult(
        Verdict verdict,
        DropReason dropReason,
        Set<Warning> warnings,
        List<String> logLines,
        InetAddress source,
        VrrpPacket packet,
        Ipv4Header ipv4Header,
        IpsecAuthHeader authHeader) {

    public ValidationResult {
        Objects.requireNonNull(verdict, "verdict");
        if ((verdict == Verdict.DROP) != (dropReason != null)) {
            throw new IllegalArgumentException(
                    "dropReason " + dropReason + " with verdict " + verdict
                            + " (accepted: a reason exactly when dropped)");
        }
        warnings = Set.copyOf(warnings);
        logLines = List.copyOf(logLines);
    }

    /** Whether the packet should be processed by the state machine. */
    public boolean accepted() {
        return verdict != Verdict.DROP;
    }

    /** The outcome. */
    public enum Verdict {
        /** Valid; nothing logged. */
        ACCEPT,
        /** Used, but keepalived logs something about it (see {@link Warning}). */
        ACCEPT_WITH_WARNING,
        /** Ignored; the down timer is not reset. */
        DROP
    }

    /** Why a packet was dropped, in keepalived's order of checks. */
    public enum DropReason {
        /** Not an IPv4/VRRP datagram at all (wrong IP version, protocol, AH for another protocol). */
        NOT_VRRP,
        /** Shorter than the IP, AH and VRRP headers. */
        TOO_SHORT,
        /** For the dispatcher: the VRID is not this instance's. Nothing is logged. */
        VRID_MISMATCH,
        /** An AH header without auth type AH, or auth type AH without an AH header. */
        AUTH_HEADER_MISMATCH,
        /** The received length is not that of the headers plus the advertised addresses. */
        LENGTH_MISMATCH,
        /** TTL or hop limit not 255 on a multicast instance. */
        TTL,
        /** VRRP version differs from the instance's. */
        VERSION,
        /** v2 auth type not 0, 1 or 2. */
        INVALID_AUTH_TYPE,
        /** v2 auth type differs from the instance's. */
        AUTH_TYPE_MISMATCH,
        /** PASS: the 8 bytes differ from the configured password. */
        INVALID_PASSWORD,
        /** AH: the ICV does not verify. */
        INVALID_AH_ICV,
        /** AH: the SPI is not the source address. */
        INVALID_AH_SPI,
        /** v2 advert interval differs from the instance's. */
        INTERVAL_MISMATCH,
        /** Type is not 1 (advertisement). */
        PACKET_TYPE,
        /** IPv4 total length differs from the received length. */
        TOTAL_LENGTH_MISMATCH,
        /** The datagram passed the length checks but does not decode (for example a fragment). */
        MALFORMED,
        /** The VRRP checksum does not verify. */
        CHECKSUM,
        /** Multicast destination on a unicast instance or the reverse. */
        DESTINATION_MISMATCH,
        /** The instance is an owner with {@code owner_ignore_adverts}. Nothing is logged. */
        OWNER_IGNORES_ADVERTS,
        /** Unicast with source checking: the source is not a configured peer. */
        NOT_A_UNICAST_PEER,
        /** Unicast: the peer's TTL is outside its {@code min_ttl}..{@code max_ttl}. */
        TTL_OUT_OF_RANGE
    }

    /** Something logged about a packet that is still used. */
    public enum Warning {
        /** v3: the advertised interval differs from the configured one. */
        INTERVAL_MISMATCH,
        /**
         * v3 unicast: the checksum verified only with the multicast group in the pseudo-header (the
         * pre-1.3.6 form); keepalived switches the instance to sending that form too.
         */
        OLD_UNICAST_CHECKSUM,
        /** The advertised address count differs from the configured VIP count. */
        ADDRESS_COUNT_MISMATCH,
        /** A configured VIP is not in the advert. */
        ADDRESS_NOT_PRESENT
    }
}
