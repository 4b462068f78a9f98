package io.lvs4j.core;

/**
 * How IPVS would deliver packets to a real server. lvs4j keeps it for display and configuration
 * compatibility; in-process callers and the user-space forwarder always connect to the real server.
 */
public enum ForwardingMethod {
    /** NAT, ipvsadm {@code -m}. */
    MASQ(0, "Masq", "-m"),
    /** Delivered to the local stack; saved by {@code -S} as {@code -g}. */
    LOCAL(1, "Local", "-g"),
    /** IP tunnelling, ipvsadm {@code -i}. */
    TUNNEL(2, "Tunnel", "-i"),
    /** Direct routing, ipvsadm {@code -g} (the default). */
    ROUTE(3, "Route", "-g");

    private final int value;
    private final String label;
    private final String saveOption;

    ForwardingMethod(int value, String label, String saveOption) {
        this.value = value;
        this.label = label;
        this.saveOption = saveOption;
    }

    /** The kernel's numeric value (IP_VS_CONN_F_MASQ = 0 ... DROUTE = 3). */
    public int value() {
        return value;
    }

    /** The name ipvsadm prints in the Forward column. */
    public String label() {
        return label;
    }

    /** The option {@code ipvsadm -S} writes for this method. */
    public String saveOption() {
        return saveOption;
    }
}
