package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link VrrpDaemon} runs: the VRRP part of a keepalived.conf after keepalived's defaulting
 * rules, as {@link VrrpConfigLoader} reads it, or built in code with {@link #builder()}.
 *
 * <p>Immutable and thread-safe. The constructor checks that names are unique and that every instance has
 * host options; references between the parts (tracked scripts, sync group members) are resolved when the
 * daemon builds its {@link VrrpEngine}.
 *
 * @param routerId {@code router_id}, informational
 * @param notifyFifos {@code vrrp_notify_fifo} and {@code notify_fifo}: named pipes that receive keepalived's
 *     notify lines ({@code INSTANCE "VI_1" MASTER 100})
 * @param logUnknownVrids {@code log_unknown_vrids}
 * @param multicastGroup4 {@code vrrp_mcast_group4} (default 224.0.0.18)
 * @param multicastGroup6 {@code vrrp_mcast_group6} (default ff02::12)
 * @param startupDelay {@code vrrp_startup_delay}: how long the instances wait before starting
 * @param scripts the {@code vrrp_script}s, in configuration order
 * @param instances the {@code vrrp_instance}s, in configuration order
 * @param syncGroups the {@code vrrp_sync_group}s, in configuration order
 * @param hostOptions the host-side settings of each instance, by instance name
 */
public record VrrpDaemonConfig(
        Optional<String> routerId,
        List<Path> notifyFifos,
        boolean logUnknownVrids,
        Inet4Address multicastGroup4,
        Inet6Address multicastGroup6,
        Duration startupDelay,
        List<VrrpScriptConfig> scripts,
        List<VrrpInstanceConfig> instances,
        List<VrrpSyncGroupConfig> syncGroups,
        Map<String, VrrpInstanceHostOptions> hostOptions) {

    public VrrpDaemonConfig {
        Objects.requireNonNull(routerId, "routerId");
        notifyFifos = List.copyOf(notifyFifos);
        Objects.requireNonNull(multicastGroup4, "multicastGroup4");
        Objects.requireNonNull(multicastGroup6, "multicastGroup6");
        Objects.requireNonNull(startupDelay, "startupDelay");
        scripts = List.copyOf(scripts);
        instances = List.copyOf(instances);
        syncGroups = List.copyOf(syncGroups);
        hostOptions = Map.copyOf(hostOptions);
        if (!multicastGroup4.isMulticastAddress()) {
            throw new VrrpConfigException("vrrp_mcast_group4 " + multicastGroup4.getHostAddress()
                    + " is not a multicast address; accepted 224.0.0.0/4");
        }
        if (!multicastGroup6.isMulticastAddress()) {
            throw new VrrpConfigException("vrrp_mcast_group6 " + IpLiterals.format(multicastGroup6)
                    + " is not a multicast address; accepted ff00::/8");
        }
        if (startupDelay.isNegative()) {
            throw new VrrpConfigException("vrrp_startup_delay " + startupDelay + " is negative; accepted >= 0");
        }
        unique("vrrp_script", scripts.stream().map(VrrpScriptConfig::name).toList());
        unique("vrrp_instance", instances.stream().map(VrrpInstanceConfig::name).toList());
        unique("vrrp_sync_group", syncGroups.stream().map(VrrpSyncGroupConfig::name).toList());
        for (VrrpInstanceConfig c : instances) {
            if (!hostOptions.containsKey(c.name())) {
                throw new VrrpConfigException("(" + c.name() + ") has no host options");
            }
        }
    }

    private static void unique(String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new VrrpConfigException(what + " " + n + " is defined twice");
            }
        }
    }

    /** A builder with keepalived's global defaults and nothing configured. */
    public static Builder builder() {
        return new Builder();
    }

    /** The host options of the instance named {@code name} (defaults if it has none). */
    public VrrpInstanceHostOptions hostOptions(String name) {
        return hostOptions.getOrDefault(name, VrrpInstanceHostOptions.defaults());
    }

    /** The instance named {@code name}, if there is one. */
    public Optional<VrrpInstanceConfig> instance(String name) {
        return instances.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Mutable builder for {@link VrrpDaemonConfig}; not thread-safe. */
    public static final class Builder {
        private String routerId;
        private final List<Path> notifyFifos = new ArrayList<>();
        private boolean logUnknownVrids;
        private Inet4Address multicastGroup4 = VrrpCodec.IPV4_MULTICAST_GROUP;
        private Inet6Address multicastGroup6 = VrrpCodec.IPV6_MULTICAST_GROUP;
        private Duration startupDelay = Duration.ZERO;
        private final List<VrrpScriptConfig> scripts = new ArrayList<>();
        private final List<VrrpInstanceConfig> instances = new ArrayList<>();
        private final List<VrrpSyncGroupConfig> syncGroups = new ArrayList<>();
        private final Map<String, VrrpInstanceHostOptions> hostOptions = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder routerId(String routerId) {
            this.routerId = routerId;
            return this;
        }

        public Builder notifyFifo(Path path) {
            notifyFifos.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        public Builder logUnknownVrids(boolean value) {
            this.logUnknownVrids = value;
            return this;
        }

        public Builder multicastGroup4(Inet4Address group) {
            this.multicastGroup4 = Objects.requireNonNull(group, "group");
            return this;
        }

        public Builder multicastGroup6(Inet6Address group) {
            this.multicastGroup6 = Objects.requireNonNull(group, "group");
            return this;
        }

        public Builder startupDelay(Duration delay) {
            this.startupDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        public Builder script(VrrpScriptConfig script) {
            scripts.add(Objects.requireNonNull(script, "script"));
            return this;
        }

        /** Adds an instance with {@link VrrpInstanceHostOptions#defaults()}. */
        public Builder instance(VrrpInstanceConfig instance) {
            return instance(instance, VrrpInstanceHostOptions.defaults());
        }

        public Builder instance(VrrpInstanceConfig instance, VrrpInstanceHostOptions options) {
            instances.add(Objects.requireNonNull(instance, "instance"));
            hostOptions.put(instance.name(), Objects.requireNonNull(options, "options"));
            return this;
        }

        public Builder syncGroup(VrrpSyncGroupConfig group) {
            syncGroups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * Builds.
         *
         * @throws VrrpConfigException if a name is used twice or a multicast group is not multicast
         */
        public VrrpDaemonConfig build() {
            return new VrrpDaemonConfig(Optional.ofNullable(routerId), notifyFifos, logUnknownVrids, multicastGroup4,
                    multicastGroup6, startupDelay, scripts, instances, syncGroups, hostOptions);
        }
    }
}
