package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A received VRRP advertisement, reduced to what the state machine needs. The integrator builds
 * it from a packet that has already passed validation (keepalived's {@code vrrp_check_packet}
 * order: TTL, version, auth, v2 interval match, checksum...). Immutable.
 *
 * @param source         the IP source address of the packet
 * @param version        2 or 3
 * @param vrid           the Virtual Rtr ID, 0..255
 * @param priority       0..255; 0 means the master is resigning
 * @param advertInterval as on the wire: seconds for v2 (0..255), centiseconds for v3 (0..4095)
 * @param addresses      the addresses listed in the advert
 */
public record Advert(InetAddress source, int version, int vrid, int priority, int advertInterval,
        List<InetAddress> addresses) {

    public Advert {
        Objects.requireNonNull(source, "source");
        addresses = List.copyOf(addresses);
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("advert version " + version + " is invalid; accepted 2 or 3");
        }
        if (vrid < 0 || vrid > 255) {
            throw new IllegalArgumentException("advert vrid " + vrid + " is out of range; accepted 0..255");
        }
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("advert priority " + priority + " is out of range; accepted 0..255");
        }
        int max = version == 2 ? 255 : 4095;
        if (advertInterval < 0 || advertInterval > max) {
            throw new IllegalArgumentException("advert interval " + advertInterval + " is out of range for v"
                    + version + "; accepted 0.." + max);
        }
    }

    /** A VRRPv2 advert; {@code seconds} is the Adver Int byte. */
    public static Advert v2(InetAddress source, int vrid, int priority, int seconds, List<InetAddress> addresses) {
        return new Advert(source, 2, vrid, priority, seconds, addresses);
    }

    /** A VRRPv3 advert; {@code centiseconds} is the 12-bit Max Adver Int. */
    public static Advert v3(InetAddress source, int vrid, int priority, int centiseconds, List<InetAddress> addresses) {
        return new Advert(source, 3, vrid, priority, centiseconds, addresses);
    }

    /** The advertised interval in microseconds. */
    public long advertIntervalMicros() {
        return version == 2 ? advertInterval * 1_000_000L : advertInterval * 10_000L;
    }
}
