package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@code vrrp_instance} block after keepalived's defaulting and consistency rules have been
 * applied. Immutable. Build it with {@link #builder(String)}: the builder derives defaults the way
 * keepalived does (priority from state, state from priority, v2 interval rounding, clearing
 * {@code nopreempt}/{@code preempt_delay} where they cannot work) and reports each adjustment as a
 * warning in keepalived's wording. The canonical constructor only checks invariants and never
 * adjusts anything.
 *
 * @param name                   instance name, e.g. {@code VI_1}
 * @param interfaceName          the interface adverts are sent and received on
 * @param virtualRouterId        VRID 1..255
 * @param priority               configured (base) priority 1..255; 255 = address owner
 * @param initialState           {@link VrrpState#MASTER} or {@link VrrpState#BACKUP}
 * @param version                VRRP version 2 or 3
 * @param advertInterval         v2: whole seconds 1..255; v3: a multiple of 10 ms, 10 ms..40.95 s
 * @param nopreempt              a backup accepts adverts of any priority
 * @param preemptDelay           0..1000 s; zero when not configured
 * @param authType               v2 authentication; {@link AuthType#NONE} for v3
 * @param authPassword           the password, at most 8 characters; empty with {@link AuthType#NONE}
 * @param virtualAddresses       the VIPs, advertised in this order (all of one family)
 * @param sourceAddress          {@code mcast_src_ip}/{@code unicast_src_ip}, if configured
 * @param unicastPeers           {@code unicast_peer} addresses; empty for multicast
 * @param v3ChecksumAsV2         v3 IPv4 checksum without pseudo-header (used by the codec)
 * @param garpMasterRepeat       gratuitous ARPs per VIP per burst (default 5)
 * @param garpMasterDelay        delay of the second burst (default 5 s; zero disables it)
 * @param garpMasterRefresh      periodic refresh interval while master (default zero: off)
 * @param garpMasterRefreshRepeat gratuitous ARPs per VIP per refresh (default 1)
 * @param garpLowerPrioRepeat    gratuitous ARPs per VIP when a master receives a lower-priority advert
 *                               (default 5, keepalived's global {@code vrrp_garp_lower_prio_repeat}; 0 = none)
 * @param garpLowerPrioDelay     delay of the second such burst (default 5 s; zero disables it)
 * @param lowerPrioNoAdvert      do not answer a lower-priority advert with an advert
 * @param higherPrioSendAdvert   send one more advert before yielding to a higher priority
 * @param downTimerAdverts       adverts missed before master-down (1..100, default 3)
 * @param trackScripts           tracked {@code vrrp_script}s
 * @param trackInterfaces        tracked interfaces
 * @param dontTrackPrimary       do not put the instance in FAULT when its own interface is down
 * @param notifyMaster           run (own arguments only) on entering MASTER
 * @param notifyBackup           run on entering BACKUP
 * @param notifyFault            run on entering FAULT
 * @param notifyStop             run on shutdown
 * @param notifyMasterRxLowerPri run when a master receives a lower-priority advert
 * @param notifyScript           generic script, run with {@code INSTANCE <name> <state> <prio>} appended
 * @param notifyPriorityChanges  write {@code MASTER_PRIORITY}/{@code BACKUP_PRIORITY} FIFO lines
 */
public record VrrpInstanceConfig(
        String name,
        String interfaceName,
        int virtualRouterId,
        int priority,
        VrrpState initialState,
        int version,
        Duration advertInterval,
        boolean nopreempt,
        Duration preemptDelay,
        AuthType authType,
        String authPassword,
        List<VirtualAddress> virtualAddresses,
        Optional<InetAddress> sourceAddress,
        List<InetAddress> unicastPeers,
        boolean v3ChecksumAsV2,
        int garpMasterRepeat,
        Duration garpMasterDelay,
        Duration garpMasterRefresh,
        int garpMasterRefreshRepeat,
        int garpLowerPrioRepeat,
        Duration garpLowerPrioDelay,
        boolean lowerPrioNoAdvert,
        boolean higherPrioSendAdvert,
        int downTimerAdverts,
        List<TrackScript> trackScripts,
        List<TrackInterface> trackInterfaces,
        boolean dontTrackPrimary,
        Optional<ScriptCommand> notifyMaster,
        Optional<ScriptCommand> notifyBackup,
        Optional<ScriptCommand> notifyFault,
        Optional<ScriptCommand> notifyStop,
        Optional<ScriptCommand> notifyMasterRxLowerPri,
        Optional<ScriptCommand> notifyScript,
        boolean notifyPriorityChanges) {

    /** The priority of an address owner. */
    public static final int OWNER_PRIORITY = 255;
    /** keepalived's default priority when neither priority nor {@code state MASTER} is given. */
    public static final int DEFAULT_PRIORITY = 100;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_CENTI = 10_000L;

    public VrrpInstanceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(advertInterval, "advertInterval");
        Objects.requireNonNull(preemptDelay, "preemptDelay");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(authPassword, "authPassword");
        virtualAddresses = List.copyOf(virtualAddresses);
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        unicastPeers = List.copyOf(unicastPeers);
        Objects.requireNonNull(garpMasterDelay, "garpMasterDelay");
        Objects.requireNonNull(garpMasterRefresh, "garpMasterRefresh");
        Objects.requireNonNull(garpLowerPrioDelay, "garpLowerPrioDelay");
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        Objects.requireNonNull(notifyMaster, "notifyMaster");
        Objects.requireNonNull(notifyBackup, "notifyBackup");
        Objects.requireNonNull(notifyFault, "notifyFault");
        Objects.requireNonNull(notifyStop, "notifyStop");
        Objects.requireNonNull(notifyMasterRxLowerPri, "notifyMasterRxLowerPri");
        Objects.requireNonNull(notifyScript, "notifyScript");

        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new VrrpConfigException("vrrp_instance '" + name + "': the name must be one non-empty word");
        }
        String vi = "(" + name + ")";
        if (interfaceName.isBlank()) {
            throw new VrrpConfigException(vi + " interface is required");
        }
        if (virtualRouterId < 1 || virtualRouterId > 255) {
            throw new VrrpConfigException(vi + " virtual_router_id " + virtualRouterId + " is out of range; accepted 1..255");
        }
        if (priority < 1 || priority > OWNER_PRIORITY) {
            throw new VrrpConfigException(vi + " priority " + priority + " is out of range; accepted 1..255");
        }
        if (initialState != VrrpState.MASTER && initialState != VrrpState.BACKUP) {
            throw new VrrpConfigException(vi + " state " + initialState + " is invalid; accepted MASTER or BACKUP");
        }
        if (version != 2 && version != 3) {
            throw new VrrpConfigException(vi + " version " + version + " is invalid; accepted 2 or 3");
        }
        long micros = toMicros(advertInterval);
        if (version == 2 && (micros % MICROS_PER_SECOND != 0 || micros < MICROS_PER_SECOND || micros > 255 * MICROS_PER_SECOND)) {
            throw new VrrpConfigException(vi + " advert_int " + seconds(advertInterval)
                    + "s is invalid for VRRPv2; accepted whole seconds 1..255");
        }
        if (version == 3 && (micros % MICROS_PER_CENTI != 0 || micros < MICROS_PER_CENTI || micros > 4095 * MICROS_PER_CENTI)) {
            throw new VrrpConfigException(vi + " advert_int " + seconds(advertInterval)
                    + "s is invalid for VRRPv3; accepted multiples of 0.01s from 0.01 to 40.95");
        }
        if (preemptDelay.isNegative() || preemptDelay.compareTo(Duration.ofSeconds(1000)) > 0) {
            throw new VrrpConfigException(vi + " preempt_delay " + seconds(preemptDelay) + "s is out of range; accepted 0..1000 s");
        }
        if (nopreempt && (priority == OWNER_PRIORITY || initialState == VrrpState.MASTER)) {
            throw new VrrpConfigException(vi + " nopreempt needs state BACKUP and a priority below 255");
        }
        if (!preemptDelay.isZero() && (nopreempt || initialState == VrrpState.MASTER)) {
            throw new VrrpConfigException(vi + " preempt_delay needs state BACKUP and preemption");
        }
        if (version == 3 && authType != AuthType.NONE) {
            throw new VrrpConfigException(vi + " VRRP version 3 does not support authentication; auth_type "
                    + authType + " is accepted only with version 2");
        }
        if (authType == AuthType.NONE && !authPassword.isEmpty()) {
            throw new VrrpConfigException(vi + " auth_pass is set without auth_type; accepted auth_type PASS or AH");
        }
        if (authType != AuthType.NONE && (authPassword.isEmpty() || authPassword.length() > 8)) {
            throw new VrrpConfigException(vi + " auth_pass must be 1..8 characters for auth_type " + authType);
        }
        if (virtualAddresses.size() > 255) {
            throw new VrrpConfigException(vi + " " + virtualAddresses.size()
                    + " virtual addresses configured; accepted at most 255 (the advert's count field is 8 bits)");
        }
        Boolean ipv6 = null;
        for (VirtualAddress vip : virtualAddresses) {
            if (ipv6 == null) {
                ipv6 = vip.isIpv6();
            } else if (ipv6 != vip.isIpv6()) {
                throw new VrrpConfigException(vi + " virtual_ipaddress " + vip
                        + " is of a different address family from the first VIP; an instance is IPv4 or IPv6");
            }
        }
        if (virtualAddresses.isEmpty() && version == 3) {
            throw new VrrpConfigException(vi + " No VIP specified; at least one is required");
        }
        boolean v6 = ipv6 != null && ipv6;
        if (v6 && version == 2) {
            throw new VrrpConfigException(vi + " cannot use IPv6 with VRRP version 2; accepted version 3");
        }
        if (v6 && authType == AuthType.AH) {
            throw new VrrpConfigException(vi + " Cannot use AH authentication with IPv6");
        }
        if (sourceAddress.isPresent() && ipv6 != null && IpLiterals.isIpv6(sourceAddress.get()) != v6) {
            throw new VrrpConfigException(vi + " source address " + IpLiterals.format(sourceAddress.get())
                    + " is not of the VIPs' address family");
        }
        Set<InetAddress> seen = new HashSet<>();
        for (InetAddress peer : unicastPeers) {
            if (ipv6 != null && IpLiterals.isIpv6(peer) != v6) {
                throw new VrrpConfigException(vi + " unicast_peer " + IpLiterals.format(peer)
                        + " is not of the VIPs' address family");
            }
            if (!seen.add(peer)) {
                throw new VrrpConfigException(vi + " unicast_peer " + IpLiterals.format(peer) + " is listed twice");
            }
        }
        if (garpMasterRepeat < 1) {
            throw new VrrpConfigException(vi + " garp_master_repeat " + garpMasterRepeat + " is invalid; accepted >= 1");
        }
        if (garpMasterRefreshRepeat < 1) {
            throw new VrrpConfigException(vi + " garp_master_refresh_repeat " + garpMasterRefreshRepeat
                    + " is invalid; accepted >= 1");
        }
        if (garpMasterDelay.isNegative()) {
            throw new VrrpConfigException(vi + " garp_master_delay " + seconds(garpMasterDelay) + "s is invalid; accepted >= 0");
        }
        if (garpMasterRefresh.isNegative()) {
            throw new VrrpConfigException(vi + " garp_master_refresh " + seconds(garpMasterRefresh) + "s is invalid; accepted >= 0");
        }
        if (garpLowerPrioRepeat < 0) {
            throw new VrrpConfigException(vi + " garp_lower_prio_repeat " + garpLowerPrioRepeat + " is invalid; accepted >= 0");
        }
        if (garpLowerPrioDelay.isNegative()) {
            throw new VrrpConfigException(vi + " garp_lower_prio_delay " + seconds(garpLowerPrioDelay) + "s is invalid; accepted >= 0");
        }
        if (downTimerAdverts < 1 || downTimerAdverts > 100) {
            throw new VrrpConfigException(vi + " down_timer_adverts " + downTimerAdverts + " is out of range; accepted 1..100");
        }
        Set<String> names = new HashSet<>();
        for (TrackScript ts : trackScripts) {
            if (!names.add(ts.script())) {
                throw new VrrpConfigException(vi + " duplicate track_script " + ts.script());
            }
        }
        names.clear();
        for (TrackInterface ti : trackInterfaces) {
            if (!names.add(ti.name())) {
                throw new VrrpConfigException(vi + " duplicate track_interface " + ti.name());
            }
        }
    }

    /** A builder with keepalived's defaults for an instance named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Whether this instance is the address owner (priority 255). */
    public boolean isAddressOwner() {
        return priority == OWNER_PRIORITY;
    }

    /** Whether adverts are unicast to {@link #unicastPeers()}. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    /** Whether this is an IPv6 instance (decided by its VIPs). */
    public boolean isIpv6() {
        return !virtualAddresses.isEmpty() && virtualAddresses.get(0).isIpv6();
    }

    /** The advert interval in microseconds. */
    public long advertIntervalMicros() {
        return toMicros(advertInterval);
    }

    /** The advert interval as carried on the wire: seconds for v2, centiseconds for v3. */
    public int advertIntervalWireValue() {
        long micros = advertIntervalMicros();
        return (int) (version == 2 ? micros / MICROS_PER_SECOND : micros / MICROS_PER_CENTI);
    }

    /** The instance's log prefix, {@code (VI_1)}. */
    String logName() {
        return "(" + name + ")";
    }

    static long toMicros(Duration d) {
        return d.getSeconds() * MICROS_PER_SECOND + d.getNano() / 1000;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.6f", toMicros(d) / 1e6).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * Mutable builder for {@link VrrpInstanceConfig}; not thread-safe. Unset values take
     * keepalived's defaults.
     */
    public static final class Builder {
        private final String name;
        private String interfaceName;
        private Integer virtualRouterId;
        private Integer priority;
        private VrrpState state;
        private Integer version;
        private Duration advertInterval = Duration.ofSeconds(1);
        private boolean nopreempt;
        private Duration preemptDelay = Duration.ZERO;
        private AuthType authType = AuthType.NONE;
        private String authPassword = "";
        private final List<VirtualAddress> virtualAddresses = new ArrayList<>();
        private InetAddress sourceAddress;
        private final List<InetAddress> unicastPeers = new ArrayList<>();
        private boolean v3ChecksumAsV2;
        private int garpMasterRepeat = 5;
        private Duration garpMasterDelay = Duration.ofSeconds(5);
        private Duration garpMasterRefresh = Duration.ZERO;
        private int garpMasterRefreshRepeat = 1;
        private int garpLowerPrioRepeat = 5;
        private Duration garpLowerPrioDelay = Duration.ofSeconds(5);
        private boolean lowerPrioNoAdvert;
        private boolean higherPrioSendAdvert;
        private int downTimerAdverts = 3;
        private final List<TrackScript> trackScripts = new ArrayList<>();
        private final List<TrackInterface> trackInterfaces = new ArrayList<>();
        private boolean dontTrackPrimary;
        private ScriptCommand notifyMaster;
        private ScriptCommand notifyBackup;
        private ScriptCommand notifyFault;
        private ScriptCommand notifyStop;
        private ScriptCommand notifyMasterRxLowerPri;
        private ScriptCommand notifyScript;
        private boolean notifyPriorityChanges;

        private Builder(String name) {
            this.name = name;
        }

        public Builder interfaceName(String interfaceName) {
            this.interfaceName = interfaceName;
            return this;
        }

        public Builder virtualRouterId(int vrid) {
            this.virtualRouterId = vrid;
            return this;
        }

        /** 1..255; when not set, {@code state MASTER} implies 255 and anything else 100. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** MASTER or BACKUP; when not set, MASTER iff the priority is 255. */
        public Builder state(VrrpState state) {
            this.state = state;
            return this;
        }

        /** 2 or 3; when not set, 3 for IPv6 VIPs and 2 otherwise (keepalived's {@code vrrp_version}). */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** Default 1 s. v2 rounds to whole seconds (cap 255 s); v3 rounds to 10 ms (cap 40.95 s). */
        public Builder advertInterval(Duration advertInterval) {
            this.advertInterval = Objects.requireNonNull(advertInterval, "advertInterval");
            return this;
        }

        public Builder nopreempt(boolean nopreempt) {
            this.nopreempt = nopreempt;
            return this;
        }

        /** keepalived's {@code preempt} keyword: a no-op kept for compatibility (clears nopreempt). */
        public Builder preempt() {
            this.nopreempt = false;
            return this;
        }

        public Builder preemptDelay(Duration preemptDelay) {
            this.preemptDelay = Objects.requireNonNull(preemptDelay, "preemptDelay");
            return this;
        }

        /** {@code authentication { auth_type T ; auth_pass P }}; a longer password is truncated to 8. */
        public Builder authentication(AuthType type, String password) {
            this.authType = Objects.requireNonNull(type, "type");
            this.authPassword = password == null ? "" : password;
            return this;
        }

        public Builder virtualAddress(VirtualAddress address) {
            virtualAddresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Parses {@code "<address>[/<len>] [dev <ifname>]"}. */
        public Builder virtualAddress(String spec) {
            return virtualAddress(VirtualAddress.parse(spec));
        }

        /** {@code mcast_src_ip} / {@code unicast_src_ip}. */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = address;
            return this;
        }

        public Builder sourceAddress(String address) {
            return sourceAddress(IpLiterals.parse(address, "(" + name + ") source address"));
        }

        public Builder unicastPeer(InetAddress address) {
            unicastPeers.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        public Builder unicastPeer(String address) {
            return unicastPeer(IpLiterals.parse(address, "(" + name + ") unicast_peer"));
        }

        public Builder v3ChecksumAsV2(boolean v3ChecksumAsV2) {
            this.v3ChecksumAsV2 = v3ChecksumAsV2;
            return this;
        }

        /** Default 5; 0 is raised to 1 with keepalived's warning. */
        public Builder garpMasterRepeat(int repeat) {
            this.garpMasterRepeat = repeat;
            return this;
        }

        public Builder garpMasterDelay(Duration delay) {
            this.garpMasterDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        public Builder garpMasterRefresh(Duration refresh) {
            this.garpMasterRefresh = Objects.requireNonNull(refresh, "refresh");
            return this;
        }

        /** Default 1; 0 is raised to 1 with keepalived's warning. */
        public Builder garpMasterRefreshRepeat(int repeat) {
            this.garpMasterRefreshRepeat = repeat;
            return this;
        }

        /** Default 5 (keepalived's global default); 0 sends none. */
        public Builder garpLowerPrioRepeat(int repeat) {
            this.garpLowerPrioRepeat = repeat;
            return this;
        }

        /** Default 5 s; zero disables the second burst. */
        public Builder garpLowerPrioDelay(Duration delay) {
            this.garpLowerPrioDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        public Builder lowerPrioNoAdvert(boolean value) {
            this.lowerPrioNoAdvert = value;
            return this;
        }

        public Builder higherPrioSendAdvert(boolean value) {
            this.higherPrioSendAdvert = value;
            return this;
        }

        public Builder downTimerAdverts(int adverts) {
            this.downTimerAdverts = adverts;
            return this;
        }

        public Builder trackScript(TrackScript trackScript) {
            trackScripts.add(Objects.requireNonNull(trackScript, "trackScript"));
            return this;
        }

        /** Tracks a script with its own weight. */
        public Builder trackScript(String script) {
            return trackScript(TrackScript.of(script));
        }

        public Builder trackInterface(TrackInterface trackInterface) {
            trackInterfaces.add(Objects.requireNonNull(trackInterface, "trackInterface"));
            return this;
        }

        public Builder dontTrackPrimary(boolean value) {
            this.dontTrackPrimary = value;
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

        public Builder notifyMasterRxLowerPri(String commandLine) {
            this.notifyMasterRxLowerPri = ScriptCommand.parse(commandLine);
            return this;
        }

        /** The generic {@code notify} script. */
        public Builder notifyScript(String commandLine) {
            this.notifyScript = ScriptCommand.parse(commandLine);
            return this;
        }

        public Builder notifyPriorityChanges(boolean value) {
            this.notifyPriorityChanges = value;
            return this;
        }

        /** Validates and builds; warnings go to System.Logger {@code io.lvs4j.vrrp}. */
        public VrrpInstanceConfig build() {
            return build(w -> VrrpLog.LOGGER.log(System.Logger.Level.WARNING, w));
        }

        /**
         * Applies keepalived's defaulting rules, reports each adjustment to {@code warnings} (in
         * keepalived's wording) and builds.
         *
         * @throws VrrpConfigException naming the bad value and what is accepted
         */
        public VrrpInstanceConfig build(Consumer<String> warnings) {
            Objects.requireNonNull(warnings, "warnings");
            List<String> pending = new ArrayList<>();
            String vi = "(" + name + ")";
            if (name == null || name.isBlank()) {
                throw new VrrpConfigException("vrrp_instance: a name is required");
            }
            if (interfaceName == null || interfaceName.isBlank()) {
                throw new VrrpConfigException(vi + " interface is required");
            }
            if (virtualRouterId == null) {
                throw new VrrpConfigException(vi + " the virtual router id must be set; accepted 1..255");
            }
            if (priority != null && (priority < 1 || priority > OWNER_PRIORITY)) {
                throw new VrrpConfigException(vi + " priority " + priority + " is out of range; accepted 1..255");
            }
            if (state != null && state != VrrpState.MASTER && state != VrrpState.BACKUP) {
                throw new VrrpConfigException(vi + " state " + state + " is invalid; accepted MASTER or BACKUP");
            }
            boolean ipv6 = !virtualAddresses.isEmpty() && virtualAddresses.get(0).isIpv6();
            int ver = version != null ? version : (ipv6 ? 3 : 2);
            if (ver != 2 && ver != 3) {
                throw new VrrpConfigException(vi + " version " + ver + " is invalid; accepted 2 or 3");
            }
            if (virtualAddresses.isEmpty() && ver == 2) {
                pending.add(vi + " No VIP specified; at least one is sensible");
            }

            int prio = priority != null ? priority : (state == VrrpState.MASTER ? OWNER_PRIORITY : DEFAULT_PRIORITY);
            VrrpState initial = state != null ? state : (prio == OWNER_PRIORITY ? VrrpState.MASTER : VrrpState.BACKUP);

            String password = authType == AuthType.NONE ? "" : authPassword;
            if (authType != AuthType.NONE && password.isEmpty()) {
                throw new VrrpConfigException(vi + " Authentication specified but no password given; auth_pass is required for auth_type " + authType);
            }
            if (password.length() > 8) {
                pending.add(vi + " Truncating auth_pass to 8 characters");
                password = password.substring(0, 8);
            }
            if (authType == AuthType.AH && initial == VrrpState.MASTER && prio != OWNER_PRIORITY) {
                pending.add(vi + " Initial state master is incompatible with AH authentication - clearing");
                initial = VrrpState.BACKUP;
            }

            Duration interval = roundAdvertInterval(vi, ver, advertInterval, pending);

            if (garpMasterRepeat < 0) {
                throw new VrrpConfigException(vi + " garp_master_repeat '" + garpMasterRepeat + "' invalid; accepted >= 1");
            }
            int garpRepeat = garpMasterRepeat;
            if (garpRepeat == 0) {
                pending.add(vi + ": garp_master_repeat must be greater than 0, setting to 1");
                garpRepeat = 1;
            }
            if (garpMasterRefreshRepeat < 0) {
                throw new VrrpConfigException(vi + " garp_master_refresh_repeat '" + garpMasterRefreshRepeat + "' invalid; accepted >= 1");
            }
            int refreshRepeat = garpMasterRefreshRepeat;
            if (refreshRepeat == 0) {
                pending.add(vi + ": garp_master_refresh_repeat must be greater than 0, setting to 1");
                refreshRepeat = 1;
            }

            boolean noPreempt = nopreempt;
            Duration delay = preemptDelay;
            if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(1000)) > 0) {
                throw new VrrpConfigException(vi + " preempt_delay " + seconds(delay) + "s is out of range; accepted 0..1000 s");
            }
            if (prio == OWNER_PRIORITY && noPreempt) {
                pending.add(vi + " nopreempt is incompatible with priority 255 - resetting nopreempt");
                noPreempt = false;
            }
            if (initial == VrrpState.MASTER) {
                if (noPreempt) {
                    pending.add(vi + " Warning - nopreempt will not work with initial state MASTER - clearing");
                    noPreempt = false;
                }
                if (!delay.isZero()) {
                    pending.add(vi + " Warning - preempt delay will not work with initial state MASTER - clearing");
                    delay = Duration.ZERO;
                }
            }
            if (!delay.isZero() && noPreempt) {
                pending.add(vi + " preempt_delay is incompatible with nopreempt mode - resetting");
                delay = Duration.ZERO;
            }

            VrrpInstanceConfig config = new VrrpInstanceConfig(name, interfaceName, virtualRouterId, prio, initial,
                    ver, interval, noPreempt, delay, authType, password, virtualAddresses,
                    Optional.ofNullable(sourceAddress), unicastPeers, v3ChecksumAsV2, garpRepeat, garpMasterDelay,
                    garpMasterRefresh, refreshRepeat, garpLowerPrioRepeat, garpLowerPrioDelay, lowerPrioNoAdvert, higherPrioSendAdvert, downTimerAdverts,
                    trackScripts, trackInterfaces, dontTrackPrimary, Optional.ofNullable(notifyMaster),
                    Optional.ofNullable(notifyBackup), Optional.ofNullable(notifyFault),
                    Optional.ofNullable(notifyStop), Optional.ofNullable(notifyMasterRxLowerPri),
                    Optional.ofNullable(notifyScript), notifyPriorityChanges);
            pending.forEach(warnings);
            return config;
        }

        private static Duration roundAdvertInterval(String vi, int version, Duration requested, List<String> warnings) {
            if (requested.isNegative() || requested.isZero()) {
                throw new VrrpConfigException(vi + " advert_int " + seconds(requested) + "s is invalid; accepted > 0");
            }
            long micros = toMicros(requested);
            if (version == 2) {
                if (micros >= 256 * MICROS_PER_SECOND) {
                    warnings.add(String.format(Locale.ROOT,
                            "%s VRRPv2 advertisement interval %.2fs is out of range. Must be less than 256s. Setting to 255s",
                            vi, micros / 1e6));
                    micros = 255 * MICROS_PER_SECOND;
                } else if (micros % MICROS_PER_SECOND != 0) {
                    warnings.add(String.format(Locale.ROOT,
                            "%s VRRPv2 advertisement interval %fs must be an integer - rounding", vi, micros / 1e6));
                    micros += MICROS_PER_SECOND / 2;
                    micros -= micros % MICROS_PER_SECOND;
                    if (micros == 0) {
                        micros = MICROS_PER_SECOND;
                    }
                }
            } else {
                if (micros >= 4096 * MICROS_PER_CENTI) {
                    warnings.add(String.format(Locale.ROOT,
                            "%s VRRPv3 advertisement interval %.2fs is out of range. Must be less than 40.96s. Setting to 40.95s",
                            vi, micros / 1e6));
                    micros = 4095 * MICROS_PER_CENTI;
                } else if (micros % MICROS_PER_CENTI != 0) {
                    warnings.add(String.format(Locale.ROOT,
                            "%s VRRPv3 advertisement interval %fs must be in units of 10ms - rounding", vi, micros / 1e6));
                    micros += MICROS_PER_CENTI / 2;
                    micros -= micros % MICROS_PER_CENTI;
                    if (micros == 0) {
                        micros = MICROS_PER_CENTI;
                    }
                }
            }
            return Duration.ofNanos(micros * 1000);
        }
    }
}
