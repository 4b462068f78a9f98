package io.lvs4j.core;

/**
 * The transport protocol of a virtual service or connection, with the names ipvsadm prints.
 *
 * <p>{@link #IP} is what a firewall-mark service's persistence template carries (IPPROTO_IP):
 * one template is shared by TCP and UDP traffic with the same mark.
 */
public enum Protocol {
    /** IPPROTO_IP: used only for firewall-mark services and their templates. */
    IP(0, "IP"),
    TCP(6, "TCP"),
    UDP(17, "UDP"),
    SCTP(132, "SCTP");

    private final int number;
    private final String label;

    Protocol(int number, String label) {
        this.number = number;
        this.label = label;
    }

    /** The IANA protocol number. */
    public int number() {
        return number;
    }

    /** The name ipvsadm prints in listings ({@code TCP}, {@code UDP}, {@code SCTP}, {@code IP}). */
    public String label() {
        return label;
    }
}
