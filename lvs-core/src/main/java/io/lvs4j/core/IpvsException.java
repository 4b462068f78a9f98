package io.lvs4j.core;

/**
 * An admin operation was refused; nothing was changed. {@link #reason()} says why in the terms the
 * kernel answers ipvsadm (each reason maps to one errno), the message names the bad value.
 */
public class IpvsException extends RuntimeException {

    /** Why the kernel would refuse the operation, with the errno it would return. */
    public enum Reason {
        /** EEXIST on add service. */
        SERVICE_EXISTS("EEXIST"),
        /** ESRCH: the service does not exist. */
        NO_SUCH_SERVICE("ESRCH"),
        /** EEXIST on add destination. */
        DESTINATION_EXISTS("EEXIST"),
        /** ENOENT: the destination does not exist. */
        NO_SUCH_DESTINATION("ENOENT"),
        /** ENOENT: unknown scheduler name. */
        SCHEDULER_NOT_FOUND("ENOENT"),
        /** EINVAL: the request is not valid (for example more dests than mh's table size). */
        INVALID("EINVAL"),
        /** ERANGE: thresholds with lower above upper. */
        OUT_OF_RANGE("ERANGE");

        private final String errno;

        Reason(String errno) {
            this.errno = errno;
        }

        /** The errno name the kernel returns. */
        public String errno() {
            return errno;
        }
    }

    private final Reason reason;

    public IpvsException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
