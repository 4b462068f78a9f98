package io.lvs4j.core;

import java.util.Objects;

/**
 * The settable options of a virtual service, as {@code ipvsadm -A/-E} sends them. Omitted options
 * take ipvsadm's defaults: scheduler {@code wlc}, no flags, not persistent, netmask /32 (IPv4) or
 * /128 (IPv6), no one-packet scheduling.
 *
 * @param scheduler          scheduler name ({@code rr}, {@code wlc}, ..., or one registered by the user)
 * @param schedulerFlags     bit set of {@link SchedulerFlags} (sh-fallback/mh-fallback = 0x08,
 *                           sh-port/mh-port = 0x10, flag-3 = 0x20)
 * @param persistenceTimeout seconds; 0 means not persistent (ipvsadm's {@code -p} default is 360)
 * @param netmask            persistence granularity: for IPv4 the mask as a host-order integer
 *                           ({@code 0xFFFFFF00} for 255.255.255.0, {@code -1} = 255.255.255.255, the default;
 *                           0 is the mask 0.0.0.0: one template for every client); for IPv6 the prefix
 *                           length 1..128, or {@link #FULL_NETMASK} for 128
 * @param onePacket          one-packet scheduling ({@code -o}, UDP and fwmark services only)
 */
public record ServiceOptions(String scheduler, int schedulerFlags, int persistenceTimeout, int netmask,
                             boolean onePacket) {

    /** ipvsadm's default scheduler. */
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** ipvsadm's default persistence timeout for {@code -p} without a value (the man page says 300; the code uses 360). */
    public static final int DEFAULT_PERSISTENCE_TIMEOUT = 360;
    /** The default netmask: 255.255.255.255 for IPv4 (the int -1), /128 for IPv6. */
    public static final int FULL_NETMASK = -1;
    /** The largest persistence timeout ipvsadm accepts: 31 days. */
    public static final int MAX_PERSISTENCE_TIMEOUT = 31 * 24 * 3600;

    public ServiceOptions {
        Objects.requireNonNull(scheduler, "scheduler");
        if (scheduler.isEmpty()) {
            throw new IllegalArgumentException("empty scheduler name");
        }
        if ((schedulerFlags & ~SchedulerFlags.ALL) != 0) {
            throw new IllegalArgumentException("scheduler flags 0x" + Integer.toHexString(schedulerFlags)
                    + " are not valid; accepted: 0x08 (flag-1), 0x10 (flag-2), 0x20 (flag-3)");
        }
        if (persistenceTimeout < 0 || persistenceTimeout > MAX_PERSISTENCE_TIMEOUT) {
            throw new IllegalArgumentException("persistence timeout " + persistenceTimeout
                    + " is out of range; accepted: 0 (off) or 1.." + MAX_PERSISTENCE_TIMEOUT + " seconds");
        }
    }

    /** The defaults of {@code ipvsadm -A} with no options. */
    public static ServiceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().scheduler(scheduler).schedulerFlags(schedulerFlags)
                .persistenceTimeout(persistenceTimeout).netmask(netmask).onePacket(onePacket);
    }

    /** True when the service has persistence templates. */
    public boolean persistent() {
        return persistenceTimeout > 0;
    }

    /** Builder for {@link ServiceOptions}. */
    public static final class Builder {
        private String scheduler = DEFAULT_SCHEDULER;
        private int schedulerFlags;
        private int persistenceTimeout;
        private int netmask = FULL_NETMASK;
        private boolean onePacket;

        private Builder() {
        }

        public Builder scheduler(String name) {
            this.scheduler = name;
            return this;
        }

        public Builder schedulerFlags(int flags) {
            this.schedulerFlags = flags;
            return this;
        }

        /** Persistence timeout in seconds, 0 for none. */
        public Builder persistenceTimeout(int seconds) {
            this.persistenceTimeout = seconds;
            return this;
        }

        /** IPv4: the mask as a host-order int; IPv6: the prefix length; {@link #FULL_NETMASK} for full length. */
        public Builder netmask(int netmask) {
            this.netmask = netmask;
            return this;
        }

        /** IPv4 netmask given as a prefix length 0..32. */
        public Builder ipv4Prefix(int prefix) {
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("IPv4 prefix " + prefix + " is out of range; accepted: 0..32");
            }
            this.netmask = (int) (0xFFFFFFFFL << (32 - prefix));
            return this;
        }

        public Builder onePacket(boolean onePacket) {
            this.onePacket = onePacket;
            return this;
        }

        public ServiceOptions build() {
            return new ServiceOptions(scheduler, schedulerFlags, persistenceTimeout, netmask, onePacket);
        }
    }
}
