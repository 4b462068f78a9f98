package io.lvs4j.vrrp;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code vrrp_script} block: a command run every {@code interval}, whose exit status (0 =
 * success) feeds keepalived's rise/fall counter. Immutable; build with {@link #builder(String)}.
 *
 * @param name     the script's name, referenced by {@code track_script}
 * @param command  the command (no shell)
 * @param interval period between runs (default 1 s)
 * @param timeout  how long a run may take before SIGTERM (default: the interval)
 * @param weight   -253..253 (default 0: a failure puts tracking instances in FAULT)
 * @param reverse  whether the weight's sense is inverted ({@code weight W reverse})
 * @param rise     consecutive successes needed to become OK (default 1)
 * @param fall     consecutive failures needed to become KO (default 1)
 * @param initFail whether the script starts in the failed state ({@code init_fail})
 */
public record VrrpScriptConfig(String name, ScriptCommand command, Duration interval, Duration timeout,
        int weight, boolean reverse, int rise, int fall, boolean initFail) {

    /** Smallest accepted weight. */
    public static final int MIN_WEIGHT = -253;
    /** Largest accepted weight. */
    public static final int MAX_WEIGHT = 253;

    public VrrpScriptConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new VrrpConfigException("vrrp_script '" + name + "': the name must be one non-empty word");
        }
        String what = "VRRP_Script(" + name + ")";
        if (interval.isNegative() || interval.isZero()) {
            throw new VrrpConfigException(what + " interval " + interval + " is invalid; accepted > 0");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new VrrpConfigException(what + " timeout " + timeout + " is invalid; accepted > 0");
        }
        checkWeight(what, weight);
        if (rise < 1) {
            throw new VrrpConfigException(what + " rise " + rise + " is invalid; accepted >= 1");
        }
        if (fall < 1) {
            throw new VrrpConfigException(what + " fall " + fall + " is invalid; accepted >= 1");
        }
    }

    static void checkWeight(String what, int weight) {
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new VrrpConfigException(what + " weight " + weight + " is out of range; accepted "
                    + MIN_WEIGHT + ".." + MAX_WEIGHT);
        }
    }

    /** A builder with keepalived's defaults for a script named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable builder for {@link VrrpScriptConfig}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private ScriptCommand command;
        private Duration interval = Duration.ofSeconds(1);
        private Duration timeout;
        private int weight;
        private boolean reverse;
        private int rise = 1;
        private int fall = 1;
        private boolean initFail;

        private Builder(String name) {
            this.name = name;
        }

        /** The command line, split as {@link ScriptCommand#parse(String)} does. */
        public Builder script(String commandLine) {
            this.command = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder script(ScriptCommand command) {
            this.command = command;
            return this;
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Defaults to the interval when not set. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        public Builder weight(int weight, boolean reverse) {
            this.weight = weight;
            this.reverse = reverse;
            return this;
        }

        public Builder rise(int rise) {
            this.rise = rise;
            return this;
        }

        public Builder fall(int fall) {
            this.fall = fall;
            return this;
        }

        public Builder initFail(boolean initFail) {
            this.initFail = initFail;
            return this;
        }

        /** Validates and builds. */
        public VrrpScriptConfig build() {
            if (command == null) {
                throw new VrrpConfigException("VRRP_Script(" + name + ") has no script; 'script' is required");
            }
            return new VrrpScriptConfig(name, command, interval, timeout != null ? timeout : interval,
                    weight, reverse, rise, fall, initFail);
        }
    }
}
