package io.lvs4j.core;

/**
 * The state of a connection entry, with the name {@code ipvsadm -L -c} prints. The first eleven are
 * IPVS's TCP states in the kernel's order; {@link #UDP} is UDP's single state; templates are
 * {@link #NONE} or {@link #ASSURED}.
 */
public enum ConnectionState {
    NONE("NONE", false),
    ESTABLISHED("ESTABLISHED", true),
    SYN_SENT("SYN_SENT", true),
    SYN_RECV("SYN_RECV", true),
    FIN_WAIT("FIN_WAIT", false),
    TIME_WAIT("TIME_WAIT", false),
    CLOSE("CLOSE", false),
    CLOSE_WAIT("CLOSE_WAIT", false),
    LAST_ACK("LAST_ACK", false),
    LISTEN("LISTEN", false),
    SYNACK("SYNACK", true),
    /** UDP's only state; never active. */
    UDP("UDP", false),
    /** An SCTP association (lvs4j models SCTP as one established state; see the README). */
    SCTP_ESTABLISHED("ESTABLISHED", true),
    /** A persistence template one of whose connections was established (or, for UDP, answered). */
    ASSURED("ASSURED", false);

    private final String label;
    private final boolean active;

    ConnectionState(String label, boolean active) {
        this.label = label;
        this.active = active;
    }

    /** The name ipvsadm prints. */
    public String label() {
        return label;
    }

    /** True for the states counted in ActiveConn. */
    public boolean active() {
        return active;
    }
}
