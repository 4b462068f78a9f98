package io.lvs4j.core;

import java.util.Objects;

/**
 * Settings of an {@link IpvsTable}: the clock, which kernel's accounting to reproduce, the kernel's
 * compile-time table sizes and the IPVS sysctls that change behaviour. Defaults are the kernel's.
 *
 * @param ticker                  time source (inject a fake one in tests)
 * @param kernelFlavor            classic (default) or 2026 connection accounting
 * @param connTabBits             CONFIG_IP_VS_TAB_BITS, 8..20 (default 12): shown as {@code size=4096}
 * @param shTabBits               CONFIG_IP_VS_SH_TAB_BITS, 4..20 (default 8)
 * @param mhTabIndex              CONFIG_IP_VS_MH_TAB_INDEX, 8..17 (default 12: 4093 buckets)
 * @param expireNodestConn        sysctl expire_nodest_conn (default off)
 * @param expireQuiescentTemplate sysctl expire_quiescent_template (default off)
 * @param connReuseMode           sysctl conn_reuse_mode, 0..3 (default 1)
 * @param sloppyTcp               sysctl sloppy_tcp: any non-RST TCP packet may create a connection (default off)
 * @param secureTcp               use the secure_tcp state table (sysctl secure_tcp 3) (default off)
 * @param lblcExpirationSeconds   sysctl lblc_expiration (default 86400)
 * @param lblcrExpirationSeconds  sysctl lblcr_expiration (default 86400)
 * @param schedulers              the registry scheduler names resolve in
 * @param legacyHash              dh, sh, lblc and lblcr hash as kernels before the 5.x era did
 *                                ({@code (addr * 2654435761) & mask}, low bits) instead of {@code hash_32}
 *                                (high bits); off by default
 */
public record TableOptions(Ticker ticker, KernelFlavor kernelFlavor, int connTabBits, int shTabBits, int mhTabIndex,
                           boolean expireNodestConn, boolean expireQuiescentTemplate, int connReuseMode,
                           boolean sloppyTcp, boolean secureTcp, int lblcExpirationSeconds,
                           int lblcrExpirationSeconds, SchedulerRegistry schedulers, boolean legacyHash) {

    private static final int[] MH_PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};

    public TableOptions {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(kernelFlavor, "kernelFlavor");
        Objects.requireNonNull(schedulers, "schedulers");
        range("connTabBits", connTabBits, 8, 20);
        range("shTabBits", shTabBits, 4, 20);
        range("mhTabIndex", mhTabIndex, 8, 17);
        range("connReuseMode", connReuseMode, 0, 3);
        range("lblcExpirationSeconds", lblcExpirationSeconds, 1, Integer.MAX_VALUE);
        range("lblcrExpirationSeconds", lblcrExpirationSeconds, 1, Integer.MAX_VALUE);
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is out of range; accepted: " + min + ".." + max);
        }
    }

    /** The kernel's defaults with the system ticker. */
    public static TableOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The mh lookup table size M, a prime chosen by {@link #mhTabIndex} (4093 by default). */
    public int mhTableSize() {
        return MH_PRIMES[mhTabIndex - 8];
    }

    /** The connection hash table size ipvsadm prints in its header (4096 by default). */
    public int connTabSize() {
        return 1 << connTabBits;
    }

    /** Builder for {@link TableOptions}. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private KernelFlavor kernelFlavor = KernelFlavor.CLASSIC;
        private int connTabBits = 12;
        private int shTabBits = 8;
        private int mhTabIndex = 12;
        private boolean expireNodestConn;
        private boolean expireQuiescentTemplate;
        private int connReuseMode = 1;
        private boolean sloppyTcp;
        private boolean secureTcp;
        private int lblcExpirationSeconds = 86400;
        private int lblcrExpirationSeconds = 86400;
        private SchedulerRegistry schedulers = SchedulerRegistry.defaults();
        private boolean legacyHash;

        private Builder() {
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = ticker;
            return this;
        }

        public Builder kernelFlavor(KernelFlavor flavor) {
            this.kernelFlavor = flavor;
            return this;
        }

        public Builder connTabBits(int bits) {
            this.connTabBits = bits;
            return this;
        }

        public Builder shTabBits(int bits) {
            this.shTabBits = bits;
            return this;
        }

        public Builder mhTabIndex(int index) {
            this.mhTabIndex = index;
            return this;
        }

        public Builder expireNodestConn(boolean on) {
            this.expireNodestConn = on;
            return this;
        }

        public Builder expireQuiescentTemplate(boolean on) {
            this.expireQuiescentTemplate = on;
            return this;
        }

        public Builder connReuseMode(int mode) {
            this.connReuseMode = mode;
            return this;
        }

        public Builder sloppyTcp(boolean on) {
            this.sloppyTcp = on;
            return this;
        }

        public Builder secureTcp(boolean on) {
            this.secureTcp = on;
            return this;
        }

        public Builder lblcExpirationSeconds(int seconds) {
            this.lblcExpirationSeconds = seconds;
            return this;
        }

        public Builder lblcrExpirationSeconds(int seconds) {
            this.lblcrExpirationSeconds = seconds;
            return this;
        }

        public Builder schedulers(SchedulerRegistry registry) {
            this.schedulers = registry;
            return this;
        }

        /** Hash dh/sh/lblc/lblcr buckets as old kernels did (low bits of addr * 2654435761). */
        public Builder legacyHash(boolean on) {
            this.legacyHash = on;
            return this;
        }

        public TableOptions build() {
            return new TableOptions(ticker, kernelFlavor, connTabBits, shTabBits, mhTabIndex, expireNodestConn,
                    expireQuiescentTemplate, connReuseMode, sloppyTcp, secureTcp, lblcExpirationSeconds,
                    lblcrExpirationSeconds, schedulers, legacyHash);
        }
    }
}
