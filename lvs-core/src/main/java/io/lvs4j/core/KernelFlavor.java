package io.lvs4j.core;

/**
 * Which kernel's connection accounting to reproduce where IPVS changed behaviour in 2026
 * (spec §0, §1.0.3, §4, §1.7).
 */
public enum KernelFlavor {
    /**
     * Every kernel before the 2026 stable backports: overhead {@code active*256 + inactive},
     * the classic OVERLOAD set/clear rule, lblc/lblcr tables without a cap. The default.
     */
    CLASSIC,
    /**
     * Debian 6.12.105+ ("ipvs: add totalconns for dest"): overhead {@code active*257 + inactive},
     * OVERLOAD re-evaluated with hysteresis, lblc/lblcr new entries capped at 24576.
     */
    TOTALCONNS_2026
}
