package io.lvs4j.vrrp;

import java.util.Objects;

/**
 * One {@code track_interface} entry. Weight 0 means "interface down puts the instance in FAULT";
 * a positive weight is added to the priority while the interface is up, a negative one while it is
 * down; {@code reverse} swaps the direction. Immutable.
 *
 * @param name    the interface name
 * @param weight  -253..253, 0 for unweighted
 * @param reverse whether the sense is inverted
 */
public record TrackInterface(String name, int weight, boolean reverse) {

    public TrackInterface {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new VrrpConfigException("track_interface: an interface name is required");
        }
        VrrpScriptConfig.checkWeight("track_interface " + name, weight);
    }

    /** An unweighted tracked interface: down means FAULT. */
    public static TrackInterface of(String name) {
        return new TrackInterface(name, 0, false);
    }

    /** A weighted tracked interface. */
    public static TrackInterface of(String name, int weight) {
        return new TrackInterface(name, weight, false);
    }
}
