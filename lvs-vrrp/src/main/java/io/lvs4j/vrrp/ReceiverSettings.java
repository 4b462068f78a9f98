package io.lvs4j.vrrp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link AdvertValidator} needs to know about the receiving VRRP instance: the subset of its
 * configuration that keepalived's packet checks read.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder(String, int)}.
 *
 * @param instanceName the {@code vrrp_instance} name, used as the {@code (name)} prefix of log
 *     lines
 * @param version 2 or 3
 * @param vrid 1..255
 * @param authType v2 auth type ({@link VrrpPacket#AUTH_NONE}, {@link VrrpPacket#AUTH_PASS} or
 *     {@link VrrpPacket#AUTH_AH}); always none for v3
 * @param authData the 8-byte NUL-padded password for PASS and AH; 8 zero bytes otherwise
 * @param advertInterval the configured {@code advert_int}; compared after keepalived's rounding
 *     ({@link AdvertInterval})
 * @param virtualAddresses the configured {@code virtual_ipaddress} entries (not the excluded ones)
 * @param unicastPeers the configured {@code unicast_peer}s; empty for a multicast instance
 * @param checkUnicastSource {@code check_unicast_src} (or global {@code vrrp_check_unicast_src})
 * @param v3Checksum how a received v3 IPv4 checksum is verified: {@link
 *     V3ChecksumMode#PSEUDO_HEADER} (default), {@link V3ChecksumMode#OLD_UNICAST} ({@code
 *     old_unicast_checksum}, or once the old form has been detected) or {@link
 *     V3ChecksumMode#NO_PSEUDO_HEADER} ({@code v3_checksum_as_v2}: failures are not rejected)
 * @param detectOldUnicastChecksum whether a unicast v3 checksum that fails with the peer address
 *     but verifies with 224.0.0.18 is accepted as the pre-1.3.6 form; false for {@code
 *     old_unicast_checksum never}
 * @param ignoreAdverts {@code owner_ignore_adverts} on an address owner: every advert is dropped
 * @param checkAdvertAddresses false to skip the VIP count and list checks ({@code
 *     skip_check_adv_addr} when the advert comes from the current master)
 * @param verifyIpv6Checksum whether to verify IPv6 checksums; the kernel does it on raw sockets,
 *     so only packet-socket receivers need this
 */
public record ReceiverSettings(
        String instanceName,
        int version,
        int vrid,
        int authType,
        byte[] authData,
        Duration advertInterval,
        List<InetAddress> virtualAddresses,
        List<UnicastPeer> unicastPeers,
        boolean checkUnicastSource,
        V3ChecksumMode v3Checksum,
        boolean detectOldUnicastChecksum,
        boolean ignoreAdverts,
        boolean checkAdvertAddresses,
        boolean verifyIpv6Checksum) {

    public ReceiverSettings {
        Objects.requireNonNull(instanceName, "instanceName");
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version " + version + " (accepted: 2, 3)");
        }
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("vrid " + vrid + " (accepted: 1..255)");
        }
        if (authType < VrrpPacket.AUTH_NONE || authType > VrrpPacket.AUTH_AH) {
            throw new IllegalArgumentException("authType " + authType + " (accepted: 0 none, 1 PASS, 2 AH)");
        }
        if (version == 3 && authType != VrrpPacket.AUTH_NONE) {
            throw new IllegalArgumentException(
                    "authType " + authType + " with VRRPv3 (accepted: 0, v3 has no authentication)");
        }
        authData = Objects.requireNonNull(authData, "authData").clone();
        if (authData.length != VrrpPacket.AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException(
                    "authData length " + authData.length + " (accepted: 8, see VrrpPacket.passwordAuthData)");
        }
        AdvertInterval.toField(version, Objects.requireNonNull(advertInterval, "advertInterval"));
        virtualAddresses = List.copyOf(virtualAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        Objects.requireNonNull(v3Checksum, "v3Checksum");
        if (version == 2) {
            for (InetAddress a : virtualAddresses) {
                if (a instanceof Inet6Address) {
                    throw new IllegalArgumentException(
                            "IPv6 virtual address " + VrrpCodec.formatAddress(a)
                                    + " with VRRPv2 (accepted: version 3 for IPv6)");
                }
            }
        }
    }

    /** A builder with keepalived's defaults: v2, no auth, 1 s, multicast, pseudo-header checksum. */
    public static Builder builder(String instanceName, int vrid) {
        return new Builder(instanceName, vrid);
    }

    /** A copy of the auth data. */
    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** Whether the instance is unicast (has at least one peer). */
    public boolean unicast() {
        return !unicastPeers.isEmpty();
    }

    /** The prefix keepalived puts on an instance's log lines: {@code "(name) "}. */
    public String logPrefix() {
        return "(" + instanceName + ") ";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceiverSettings s
                && instanceName.equals(s.instanceName)
                && version == s.version
                && vrid == s.vrid
                && authType == s.authType
                && Arrays.equals(authData, s.authData)
                && advertInterval.equals(s.advertInterval)
                && virtualAddresses.equals(s.virtualAddresses)
                && unicastPeers.equals(s.unicastPeers)
                && checkUnicastSource == s.checkUnicastSource
                && v3Checksum == s.v3Checksum
                && detectOldUnicastChecksum == s.detectOldUnicastChecksum
                && ignoreAdverts == s.ignoreAdverts
                && checkAdvertAddresses == s.checkAdvertAddresses
                && verifyIpv6Checksum == s.verifyIpv6Checksum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                        instanceName, version, vrid, authType, advertInterval, virtualAddresses, unicastPeers,
                        checkUnicastSource, v3Checksum, detectOldUnicastChecksum, ignoreAdverts,
                        checkAdvertAddresses, verifyIpv6Checksum)
               * 31
                + Arrays.hashCode(authData);
    }

    @Override
    public String toString() {
        return "ReceiverSettings[" + instanceName + " v" + version + " vrid=" + vrid + " auth="
                + authType + " intvl=" + advertInterval + " vips=" + virtualAddresses.size() + " peers="
                + unicastPeers + " v3Checksum=" + v3Checksum + "]";
    }

    /**
     * A configured unicast peer with its optional TTL range ({@code min_ttl}/{@code max_ttl}).
     *
     * @param address the peer address
     * @param minTtl lowest accepted TTL/hop limit, 0..255
     * @param maxTtl highest accepted TTL/hop limit, minTtl..255
     */
    public record UnicastPeer(InetAddress address, int minTtl, int maxTtl) {

        public UnicastPeer {
            Objects.requireNonNull(address, "address");
            if (minTtl < 0 || maxTtl > 255 || minTtl > maxTtl) {
                throw new IllegalArgumentException(
                        "TTL range " + minTtl + ".." + maxTtl + " (accepted: 0 <= min <= max <= 255)");
            }
        }

        /** A peer without a TTL range. */
        public static UnicastPeer of(InetAddress address) {
            return new UnicastPeer(address, 0, 255);
        }

        /** Whether {@code min_ttl} or {@code max_ttl} narrows the accepted range. */
        public boolean hasTtlRange() {
            return minTtl > 0 || maxTtl < 255;
        }
    }

    /** Builds {@link ReceiverSettings}; not thread-safe. */
    public static final class Builder {
        private final String instanceName;
        private final int vrid;
        private int version = 2;
        private int authType = VrrpPacket.AUTH_NONE;
        private byte[] authData = VrrpPacket.noAuthData();
        private Duration advertInterval = Duration.ofSeconds(1);
        private List<InetAddress> virtualAddresses = List.of();
        private List<UnicastPeer> unicastPeers = List.of();
        private boolean checkUnicastSource;
        private V3ChecksumMode v3Checksum = V3ChecksumMode.PSEUDO_HEADER;
        private boolean detectOldUnicastChecksum = true;
        private boolean ignoreAdverts;
        private boolean checkAdvertAddresses = true;
        private boolean verifyIpv6Checksum;

        private Builder(String instanceName, int vrid) {
            this.instanceName = instanceName;
            this.vrid = vrid;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** {@code auth_type PASS} with {@code auth_pass password} (truncated to 8 bytes). */
        public Builder passwordAuth(String password) {
            this.authType = VrrpPacket.AUTH_PASS;
            this.authData = VrrpPacket.passwordAuthData(password);
            return this;
        }

        /** {@code auth_type AH} with {@code auth_pass password} (truncated to 8 bytes). */
        public Builder ahAuth(String password) {
            this.authType = VrrpPacket.AUTH_AH;
            this.authData = VrrpPacket.passwordAuthData(password);
            return this;
        }

        public Builder noAuth() {
            this.authType = VrrpPacket.AUTH_NONE;
            this.authData = VrrpPacket.noAuthData();
            return this;
        }

        public Builder advertInterval(Duration advertInterval) {
            this.advertInterval = advertInterval;
            return this;
        }

        public Builder virtualAddresses(List<? extends InetAddress> virtualAddresses) {
            this.virtualAddresses = List.copyOf(virtualAddresses);
            return this;
        }

        public Builder unicastPeers(List<UnicastPeer> unicastPeers) {
            this.unicastPeers = List.copyOf(unicastPeers);
            return this;
        }

        public Builder checkUnicastSource(boolean checkUnicastSource) {
            this.checkUnicastSource = checkUnicastSource;
            return this;
        }

        public Builder v3Checksum(V3ChecksumMode v3Checksum) {
            this.v3Checksum = v3Checksum;
            return this;
        }

        public Builder detectOldUnicastChecksum(boolean detectOldUnicastChecksum) {
            this.detectOldUnicastChecksum = detectOldUnicastChecksum;
            return this;
        }

        public Builder ignoreAdverts(boolean ignoreAdverts) {
            this.ignoreAdverts = ignoreAdverts;
            return this;
        }

        public Builder checkAdvertAddresses(boolean checkAdvertAddresses) {
            this.checkAdvertAddresses = checkAdvertAddresses;
            return this;
        }

        public Builder verifyIpv6Checksum(boolean verifyIpv6Checksum) {
            this.verifyIpv6Checksum = verifyIpv6Checksum;
            return this;
        }

        public ReceiverSettings build() {
            return new ReceiverSettings(
                    instanceName, version, vrid, authType, authData, advertInterval, virtualAddresses,
                    unicastPeers, checkUnicastSource, v3Checksum, detectOldUnicastChecksum, ignoreAdverts,
                    checkAdvertAddresses, verifyIpv6Checksum);
        }
    }
}
