package io.lvs4j.vrrp;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code track_script} entry of an instance or sync group: the name of a {@code vrrp_script}
 * and an optional weight override. Without an override the script's own weight (and its
 * {@code reverse} flag) apply; with {@code weight W} but no {@code reverse|noreverse} the script's
 * reverse flag is kept, as keepalived does. Immutable.
 *
 * @param script  the {@code vrrp_script} name
 * @param weight  the weight override, -253..253
 * @param reverse the reverse override
 */
public record TrackScript(String script, OptionalInt weight, Optional<Boolean> reverse) {

    public TrackScript {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(reverse, "reverse");
        if (script.isBlank()) {
            throw new VrrpConfigException("track_script: a script name is required");
        }
        if (weight.isPresent()) {
            VrrpScriptConfig.checkWeight("track_script " + script, weight.getAsInt());
        }
    }

    /** Tracks {@code script} with the script's own weight. */
    public static TrackScript of(String script) {
        return new TrackScript(script, OptionalInt.empty(), Optional.empty());
    }

    /** Tracks {@code script} with {@code weight W}, keeping the script's reverse flag. */
    public static TrackScript of(String script, int weight) {
        return new TrackScript(script, OptionalInt.of(weight), Optional.empty());
    }

    /** Tracks {@code script} with {@code weight W reverse|noreverse}. */
    public static TrackScript of(String script, int weight, boolean reverse) {
        return new TrackScript(script, OptionalInt.of(weight), Optional.of(reverse));
    }

    int effectiveWeight(VrrpScriptConfig config) {
        return weight.orElse(config.weight());
    }

    boolean effectiveReverse(VrrpScriptConfig config) {
        return reverse.orElse(config.reverse());
    }
}
