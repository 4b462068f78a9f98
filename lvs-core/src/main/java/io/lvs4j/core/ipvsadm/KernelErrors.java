package io.lvs4j.core.ipvsadm;

/**
 * The text ipvsadm prints for an errno returned by the kernel (libipvs's {@code ipvs_strerror}):
 * some errnos read differently depending on the operation that failed ("No such service" for
 * {@code -E}, "Service not defined" for {@code -a}); the rest fall back to the C library's
 * {@code strerror}.
 */
final class KernelErrors {

    /** The libipvs call that failed. */
    enum Op {
        ADD_SERVICE, UPDATE_SERVICE, DEL_SERVICE, ZERO_SERVICE, ADD_DEST, UPDATE_DEST, DEL_DEST,
        START_DAEMON, STOP_DAEMON, GET_SERVICE, OTHER
    }

    static final String EPERM = "EPERM";
    static final String ENOENT = "ENOENT";
    static final String ESRCH = "ESRCH";
    static final String EEXIST = "EEXIST";
    static final String EINVAL = "EINVAL";
    static final String ERANGE = "ERANGE";
    static final String EOPNOTSUPP = "EOPNOTSUPP";

    private KernelErrors() {
    }

    /** The message ipvsadm prints when {@code op} fails with {@code errno}. */
    static String message(Op op, String errno) {
        String specific = switch (op) {
            case ADD_SERVICE -> switch (errno) {
                case EEXIST -> "Service already exists";
                case ENOENT -> "Scheduler or persistence engine not found";
                default -> null;
            };
            case UPDATE_SERVICE -> switch (errno) {
                case ESRCH -> "No such service";
                case ENOENT -> "Scheduler or persistence engine not found";
                default -> null;
            };
            case DEL_SERVICE, ZERO_SERVICE, GET_SERVICE -> ESRCH.equals(errno) ? "No such service" : null;
            case ADD_DEST -> switch (errno) {
                case ESRCH -> "Service not defined";
                case EEXIST -> "Destination already exists";
                default -> null;
            };
            case UPDATE_DEST, DEL_DEST -> switch (errno) {
                case ESRCH -> "Service not defined";
                case ENOENT -> "No such destination";
                default -> null;
            };
            case START_DAEMON -> EEXIST.equals(errno) ? "Daemon has already run" : null;
            case STOP_DAEMON -> ESRCH.equals(errno) ? "No daemon is running" : null;
            case OTHER -> null;
        };
        if (specific != null) {
            return specific;
        }
        return switch (errno) {
            case EPERM -> "Permission denied (you must be root)";
            case EINVAL -> "Invalid operation.  Possibly wrong module version, address not unicast, ...";
            case "ENOPROTOOPT" -> "Protocol not available";
            case "ENOMEM" -> "Memory allocation problem";
            case EOPNOTSUPP -> "Operation not supported with IPv6";
            case "EAFNOSUPPORT" -> "Operation not supported with specified address family";
            case "EMSGSIZE" -> "Module is wrong version";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EEXIST -> "File exists";
            case ERANGE -> "Numerical result out of range";
            default -> "Unknown error";
        };
    }
}
