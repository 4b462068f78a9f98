package io.lvs4j.core.ipvsadm;

/**
 * An ipvsadm command line was refused before anything was applied: the exit status ipvsadm ends
 * with and the exact text it writes to standard error ({@link #stderrText()}, normally one line).
 */
public final class IpvsadmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderrText;

    IpvsadmException(int exitCode, String stderrText) {
        super(stderrText.endsWith("\n") ? stderrText.substring(0, stderrText.length() - 1) : stderrText);
        this.exitCode = exitCode;
        this.stderrText = stderrText;
    }

    /** ipvsadm's {@code fail(2, ...)}: the message and exit status 2. */
    static IpvsadmException fail(String message) {
        return new IpvsadmException(2, message + "\n");
    }

    /** ipvsadm's {@code tryhelp_exit(program, -1)}. */
    static IpvsadmException tryHelp() {
        return new IpvsadmException(255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
    }

    /** The process exit status (0..255). */
    public int exitCode() {
        return exitCode;
    }

    /** Exactly what ipvsadm writes to standard error, including the final newline. */
    public String stderrText() {
        return stderrText;
    }
}
