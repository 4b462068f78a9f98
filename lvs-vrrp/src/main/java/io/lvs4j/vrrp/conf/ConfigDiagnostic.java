package io.lvs4j.vrrp.conf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a keepalived configuration: how bad it is, where it is and what it is.
 *
 * <p>{@code file} is the file the offending line came from (an included file when the line is in one) and
 * {@code line} its 1-based line number; for lines produced by a multi-line parameter, a {@code ~SEQ}/{@code ~LST}
 * block or a continuation, the line where the expansion or the continued line starts. {@code message} names the
 * offending text and, for a bad value, the keyword and what is accepted; where keepalived has wording for the
 * problem ({@code Unknown keyword 'x'}, "Extra '}' found") the message uses it. An immutable value.
 *
 * @param severity {@link Severity#ERROR} for what keepalived reports as a configuration error, otherwise
 *     {@link Severity#WARNING}
 * @param file the file, as the parser was given it or as an include resolved it
 * @param line 1-based line number
 * @param message the description, without the location
 */
public record ConfigDiagnostic(Severity severity, Path file, int line, String message) {

    /** How bad a {@link ConfigDiagnostic} is. */
    public enum Severity {
        /** Tolerated: the configuration still means what it most likely says. */
        WARNING,
        /** The text was ignored or a value rejected: the configuration does not mean what it says. */
        ERROR
    }

    public ConfigDiagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@code true} for an {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: SEVERITY: message}, the way compilers print it. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + severity + ": " + message;
    }
}
