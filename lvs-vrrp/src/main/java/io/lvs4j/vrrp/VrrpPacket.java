package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP message (RFC 3768 §5.3 for version 2, RFC 5798 §5.2 for version 3), field by field as
 * it appears on the wire.
 *
 * <p>Immutable and thread-safe; {@link #authData()} returns a copy, and {@link #toString()} leaves
 * it out because for PASS it is the password. The constructor checks every
 * field's range, so a {@code VrrpPacket} always encodes to a well-formed message. It does not
 * check VRRP semantics (vrid 0, type other than advertisement, unknown auth type): received
 * packets carrying such values decode, and {@link AdvertValidator} rejects them with keepalived's
 * log line.
 *
 * @param version 2 or 3
 * @param type the low nibble of the first byte; 1 ({@link #TYPE_ADVERTISEMENT}) is the only type
 *     defined
 * @param vrid Virtual Rtr ID, 0..255
 * @param priority 0..255; 0 means the master is resigning, 255 that it owns the addresses
 * @param addressCount Count IP Addrs; always equal to {@code addresses.size()}
 * @param authType v2 Auth Type ({@link #AUTH_NONE}, {@link #AUTH_PASS}, {@link #AUTH_AH} or any
 *     other byte value as received); always 0 for v3, which has no such field
 * @param advertInterval v2: Adver Int in seconds, 0..255; v3: Max Adver Int in centiseconds,
 *     0..4095 (the 4 reserved bits are not kept)
 * @param checksum the checksum field as received, 0..0xFFFF; encoders ignore it and compute the
 *     right value
 * @param addresses the virtual addresses in wire order; IPv4 for v2, all IPv4 or all IPv6 for v3
 * @param authData v2: exactly 8 bytes of Authentication Data; v3: empty
 */
public record VrrpPacket(
        int version,
        int type,
        int vrid,
        int priority,
        int addressCount,
        int authType,
        int advertInterval,
        int checksum,
        List<InetAddress> addresses,
        byte[] authData) {

    /** The only VRRP packet type: advertisement. */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** v2 Auth Type 0: no authentication. */
    public static final int AUTH_NONE = 0;
    /** v2 Auth Type 1: simple text password (keepalived {@code auth_type PASS}). */
    public static final int AUTH_PASS = 1;
    /** v2 Auth Type 2: IPsec Authentication Header (keepalived {@code auth_type AH}). */
    public static final int AUTH_AH = 2;
    /** Length of the v2 Authentication Data field. */
    public static final int AUTH_DATA_LENGTH = 8;
    /** Length of the fixed VRRP header (both versions), before the addresses. */
    public static final int HEADER_LENGTH = 8;
    /** Largest v3 Max Adver Int: 12 bits of centiseconds. */
    public static final int MAX_V3_INTERVAL = 0x0FFF;

    public VrrpPacket {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version " + version + " (accepted: 2, 3)");
        }
        checkRange("type", type, 0, 15);
        checkRange("vrid", vrid, 0, 255);
        checkRange("priority", priority, 0, 255);
        checkRange("checksum", checksum, 0, 0xFFFF);
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        authData = Objects.requireNonNull(authData, "authData").clone();
        if (addressCount != addresses.size()) {
            throw new IllegalArgumentException(
                    "addressCount " + addressCount + " but " + addresses.size() + " addresses given");
        }
        checkRange("addressCount", addressCount, 0, 255);
        if (version == 2) {
            checkRange("authType", authType, 0, 255);
            checkRange("advertInterval (v2 seconds)", advertInterval, 0, 255);
            if (authData.length != AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException(
                        "v2 authData length " + authData.length + " (accepted: exactly 8 bytes)");
            }
            for (InetAddress a : addresses) {
                if (!(a instanceof Inet4Address)) {
                    throw new IllegalArgumentException("VRRPv2 carries IPv4 addresses only, got " + a);
                }
            }
        } else {
            if (authType != 0) {
                throw new IllegalArgumentException("authType " + authType + " (v3 has none: accepted 0)");
            }
            checkRange("advertInterval (v3 centiseconds)", advertInterval, 0, MAX_V3_INTERVAL);
            if (authData.length != 0) {
                throw new IllegalArgumentException(
                        "v3 authData length " + authData.length + " (v3 has no auth data: accepted 0)");
            }
            boolean ipv6 = !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
            for (InetAddress a : addresses) {
                if ((a instanceof Inet6Address) != ipv6) {
                    throw new IllegalArgumentException(
                            "addresses mix IPv4 and IPv6: " + addresses + " (accepted: one family)");
                }
            }
        }
    }

    /**
     * A VRRPv2 advertisement with the checksum field 0 (encoders compute it).
     *
     * @param authData 8 bytes; see {@link #passwordAuthData(String)}
     */
    public static VrrpPacket advertV2(
            int vrid,
            int priority,
            int authType,
            byte[] authData,
            int intervalSeconds,
            List<? extends InetAddress> addresses) {
        return new VrrpPacket(
                2,
                TYPE_ADVERTISEMENT,
                vrid,
                priority,
                addresses.size(),
                authType,
                intervalSeconds,
                0,
                List.copyOf(addresses),
                authData);
    }

    /** A VRRPv3 advertisement with the checksum field 0 (encoders compute it). */
    public static VrrpPacket advertV3(
            int vrid, int priority, int intervalCentiseconds, List<? extends InetAddress> addresses) {
        return new VrrpPacket(
                3,
                TYPE_ADVERTISEMENT,
                vrid,
                priority,
                addresses.size(),
                0,
                intervalCentiseconds,
                0,
                List.copyOf(addresses),
                new byte[0]);
    }

    /**
     * The v2 Authentication Data keepalived sends for {@code auth_pass}: the UTF-8 bytes of the
     * password truncated to 8 bytes and NUL-padded. Also the HMAC key for AH.
     */
    public static byte[] passwordAuthData(String password) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(bytes, AUTH_DATA_LENGTH);
    }

    /** Eight zero bytes: the v2 Authentication Data for {@link #AUTH_NONE} and {@link #AUTH_AH}. */
    public static byte[] noAuthData() {
        return new byte[AUTH_DATA_LENGTH];
    }

    /** A copy of the authentication data. */
    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** This packet with another priority (for example 0 when resigning). */
    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(
                version, type, vrid, newPriority, addressCount, authType, advertInterval, checksum,
                addresses, authData);
    }

    /** This packet with the given checksum field. */
    public VrrpPacket withChecksum(int newChecksum) {
        return new VrrpPacket(
                version, type, vrid, priority, addressCount, authType, advertInterval, newChecksum,
                addresses, authData);
    }

    /** The advertisement interval as a duration: whole seconds for v2, centiseconds for v3. */
    public Duration interval() {
        return version == 2
                ? AdvertInterval.fromV2Seconds(advertInterval)
                : AdvertInterval.fromV3Centiseconds(advertInterval);
    }

    /** Whether the addresses are IPv6 (only possible for v3 with at least one address). */
    public boolean carriesIpv6() {
        return !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    }

    /**
     * Encoded length of this message: 8 + 4n (IPv4) or 8 + 16n (IPv6) bytes, plus 8 auth bytes for
     * v2.
     */
    public int encodedLength() {
        int addressLength = carriesIpv6() ? 16 : 4;
        return HEADER_LENGTH
                + addressCount * addressLength
                + (version == 2 ? AUTH_DATA_LENGTH : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpPacket p
                && version == p.version
                && type == p.type
                && vrid == p.vrid
                && priority == p.priority
                && addressCount == p.addressCount
                && authType == p.authType
                && advertInterval == p.advertInterval
                && checksum == p.checksum
                && addresses.equals(p.addresses)
                && Arrays.equals(authData, p.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                        version, type, vrid, priority, addressCount, authType, advertInterval, checksum,
                        addresses)
               * 31
                + Arrays.hashCode(authData);
    }

    @Override
    public String toString() {
        StringBuilder sb =
                new StringBuilder("VrrpPacket[v")
                        .append(version)
                        .append(" type=")
                        .append(type)
                        .append(" vrid=")
                        .append(vrid)
                        .append(" prio=")
                        .append(priority)
                        .append(" naddr=")
                        .append(addressCount);
        if (version == 2) {
            sb.append(" auth=").append(authType).append(" intvl=").append(advertInterval).append('s');
        } else {
            sb.append(" intvl=").append(advertInterval).append("cs");
        }
        sb.append(" csum=0x").append(String.format("%04x", checksum)).append(" addrs=[");
        for (int i = 0; i < addresses.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(VrrpCodec.formatAddress(addresses.get(i)));
        }
        return sb.append("]]").toString();
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " " + value + " out of range (accepted: " + min + ".." + max + ")");
        }
    }
}
