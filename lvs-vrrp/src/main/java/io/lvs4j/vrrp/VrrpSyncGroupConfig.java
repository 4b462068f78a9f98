package io.lvs4j.vrrp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@code vrrp_sync_group}: instances that change state together, with the group's own notify
 * scripts and trackers (group trackers apply to every member). Immutable; build with
 * {@link #builder(String)}.
 *
 * @param name            the group name
 * @param members         names of the member {@code vrrp_instance}s, in configuration order
 * @param trackScripts    scripts tracked by every member
 * @param trackInterfaces interfaces tracked by every member
 * @param notifyMaster    run (with its own arguments only) when the group becomes MASTER
 * @param notifyBackup    run when the group becomes BACKUP
 * @param notifyFault     run when the group becomes FAULT
 * @param notifyStop      run on shutdown
 * @param notifyScript    generic script, run with {@code GROUP <name> <state> 0} appended
 */
public record VrrpSyncGroupConfig(String name, List<String> members, List<TrackScript> trackScripts,
        List<TrackInterface> trackInterfaces, Optional<ScriptCommand> notifyMaster,
        Optional<ScriptCommand> notifyBackup, Optional<ScriptCommand> notifyFault,
        Optional<ScriptCommand> notifyStop, Optional<ScriptCommand> notifyScript) {

    public VrrpSyncGroupConfig {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        Objects.requireNonNull(notifyMaster, "notifyMaster");
        Objects.requireNonNull(notifyBackup, "notifyBackup");
        Objects.requireNonNull(notifyFault, "notifyFault");
        Objects.requireNonNull(notifyStop, "notifyStop");
        Objects.requireNonNull(notifyScript, "notifyScript");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new VrrpConfigException("vrrp_sync_group '" + name + "': the name must be one non-empty word");
        }
        if (members.isEmpty()) {
            throw new VrrpConfigException("Sync group " + name + " has no virtual router(s); 'group { ... }' needs at least one instance");
        }
        if (new HashSet<>(members).size() != members.size()) {
            throw new VrrpConfigException("Sync group " + name + " lists an instance twice: " + members);
        }
    }

    /** A builder for a group named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable builder for {@link VrrpSyncGroupConfig}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<String> members = new ArrayList<>();
        private final List<TrackScript> trackScripts = new ArrayList<>();
        private final List<TrackInterface> trackInterfaces = new ArrayList<>();
        private ScriptCommand notifyMaster;
        private ScriptCommand notifyBackup;
        private ScriptCommand notifyFault;
        private ScriptCommand notifyStop;
        private ScriptCommand notifyScript;

        private Builder(String name) {
            this.name = name;
        }

        public Builder member(String instanceName) {
            members.add(instanceName);
            return this;
        }

        public Builder members(String... instanceNames) {
            members.addAll(List.of(instanceNames));
            return this;
        }

        public Builder trackScript(TrackScript trackScript) {
            trackScripts.add(trackScript);
            return this;
        }

        public Builder trackInterface(TrackInterface trackInterface) {
            trackInterfaces.add(trackInterface);
            return this;
        }

        public Builder notifyMaster(String commandLine) {
            this.notifyMaster = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder notifyBackup(String commandLine) {
            this.notifyBackup = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder notifyFault(String commandLine) {
            this.notifyFault = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder notifyStop(String commandLine) {
            this.notifyStop = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder notifyScript(String commandLine) {
            this.notifyScript = ScriptCommand.parse(commandLine);
            return this;
        }

        /** Validates and builds; warnings go to System.Logger {@code io.lvs4j.vrrp}. */
        public VrrpSyncGroupConfig build() {
            return build(w -> VrrpLog.LOGGER.log(System.Logger.Level.WARNING, w));
        }

        /** Validates and builds, reporting warnings (for example a one-member group) to {@code warnings}. */
        public VrrpSyncGroupConfig build(Consumer<String> warnings) {
            VrrpSyncGroupConfig config = new VrrpSyncGroupConfig(name, members, trackScripts, trackInterfaces,
                    Optional.ofNullable(notifyMaster), Optional.ofNullable(notifyBackup),
                    Optional.ofNullable(notifyFault), Optional.ofNullable(notifyStop), Optional.ofNullable(notifyScript));
            if (members.size() == 1) {
                warnings.accept("Sync group " + name + " has only 1 virtual router(s) - this probably isn't what you want");
            }
            return config;
        }
    }
}
