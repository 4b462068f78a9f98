package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one {@code vrrp_instance} that only the host side reads ({@link VrrpDaemon}):
 * how its packets are sent and checked and how its addresses are installed. The state machine's
 * settings are in {@link VrrpInstanceConfig}. Immutable and thread-safe.
 *
 * @param excludedAddresses {@code virtual_ipaddress_excluded}: installed and announced with the
 *     VIPs while MASTER, never advertised; may mix address families
 * @param labels IPv4 address labels ({@code label eth0:1}) by VIP or excluded VIP
 * @param unicastPeers the {@code unicast_peer} entries with their {@code min_ttl}/{@code max_ttl}
 *     ranges, in the order of {@link VrrpInstanceConfig#unicastPeers()}
 * @param unicastTtl TTL of unicast IPv4 adverts ({@code unicast_ttl}, default 255)
 * @param checkUnicastSource drop adverts whose source is not a unicast peer ({@code
 *     check_unicast_src} or the global {@code vrrp_check_unicast_src})
 * @param skipCheckAdvertAddresses skip the VIP list check for adverts from the current master
 *     ({@code skip_check_adv_addr})
 * @param ownerIgnoreAdverts an address owner ignores every advert ({@code owner_ignore_adverts})
 * @param oldUnicastChecksum send VRRPv3 unicast checksums in the pre-1.3.6 form ({@code
 *     old_unicast_checksum})
 * @param detectOldUnicastChecksum switch to the old form when a peer uses it (keepalived's
 *     default; {@code old_unicast_checksum never} turns it off)
 */
public record VrrpInstanceHostOptions(
        List<VirtualAddress> excludedAddresses,
        Map<VirtualAddress, String> labels,
        List<ReceiverSettings.UnicastPeer> unicastPeers,
        int unicastTtl,
        boolean checkUnicastSource,
        boolean skipCheckAdvertAddresses,
        boolean ownerIgnoreAdverts,
        boolean oldUnicastChecksum,
        boolean detectOldUnicastChecksum) {

    private static final VrrpInstanceHostOptions DEFAULTS =
            new VrrpInstanceHostOptions(List.of(), Map.of(), List.of(), 255, false, false, false, false, true);

    public VrrpInstanceHostOptions {
        excludedAddresses = List.copyOf(excludedAddresses);
        labels = Map.copyOf(labels);
        unicastPeers = List.copyOf(unicastPeers);
        if (unicastTtl < 0 || unicastTtl > 255) {
            throw new VrrpConfigException("unicast_ttl " + unicastTtl + " is out of range; accepted 0..255");
        }
        for (Map.Entry<VirtualAddress, String> e : labels.entrySet()) {
            if (e.getKey().isIpv6()) {
                throw new VrrpConfigException("label '" + e.getValue() + "' on " + e.getKey()
                        + ": labels apply to IPv4 addresses only");
            }
        }
    }

    /** keepalived's defaults: no excluded VIPs, no labels, TTL 255, no extra checks. */
    public static VrrpInstanceHostOptions defaults() {
        return DEFAULTS;
    }

    /** The label of {@code address}, if one is configured. */
    public Optional<String> label(VirtualAddress address) {
        return Optional.ofNullable(labels.get(address));
    }

    /** The TTL range of the unicast peer {@code address} (0..255 when none is configured). */
    public ReceiverSettings.UnicastPeer peer(InetAddress address) {
        for (ReceiverSettings.UnicastPeer p : unicastPeers) {
            if (Arrays.equals(p.address().getAddress(), address.getAddress())) {
                return p;
            }
        }
        return ReceiverSettings.UnicastPeer.of(Objects.requireNonNull(address, "address"));
    }
}
