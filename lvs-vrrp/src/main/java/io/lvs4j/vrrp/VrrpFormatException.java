package io.lvs4j.vrrp;

/**
 * A received byte sequence is not a well-formed VRRP message or IPv4 datagram carrying one.
 *
 * <p>The message names the offending offset (relative to the start of the decoded buffer), the
 * value found there and what is accepted. Decoders throw only this exception for bad input, never
 * an {@link IndexOutOfBoundsException}.
 */
public final class VrrpFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    VrrpFormatException(int offset, String message) {
        super("at offset " + offset + ": " + message);
        this.offset = offset;
    }

    /** The offset, from the start of the decoded region, of the first byte found to be wrong. */
    public int offset() {
        return offset;
    }
}
