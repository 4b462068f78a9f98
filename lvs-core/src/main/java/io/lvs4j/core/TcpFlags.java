package io.lvs4j.core;

/** TCP header flag bits, as passed to {@link Connection#inbound} and {@link Connection#outbound}. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    /** SYN+ACK, the server's answer to a SYN. */
    public static final int SYN_ACK = SYN | ACK;
    /** FIN+ACK, the usual closing segment. */
    public static final int FIN_ACK = FIN | ACK;

    private TcpFlags() {
    }
}
