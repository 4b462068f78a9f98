package io.lvs4j.core.ipvsadm;

import java.util.Objects;

/**
 * What one {@code ipvsadm} invocation produced: the process exit status (0..255, as a shell sees
 * it; ipvsadm's {@code exit(-1)} is 255) and the complete text written to standard output and to
 * standard error. Immutable.
 *
 * @param exitCode 0 on success; 2 for a usage error ipvsadm reports itself, 255 for a refused
 *                 operation or an option-parsing error, 1 when a listed service does not exist
 * @param stdout   everything written to standard output, each line ending in {@code \n}
 * @param stderr   everything written to standard error (normally one line), each line ending in {@code \n}
 */
public record IpvsadmResult(int exitCode, String stdout, String stderr) {

    public IpvsadmResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code " + exitCode + " is out of range; accepted: 0..255");
        }
    }

    /** True when the exit status is 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
