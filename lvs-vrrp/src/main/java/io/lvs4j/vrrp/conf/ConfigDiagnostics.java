package io.lvs4j.vrrp.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An append-only list of {@link ConfigDiagnostic}s, in the order they were found.
 *
 * <p>The parser fills one while reading; consumers pass one to {@link ConfigValues} and
 * {@link KeywordSchema#check} (typically seeded with {@link KeepalivedConfig#diagnostics()}) so that every
 * problem of a configuration ends up in one place. Not thread-safe: use one per thread or per parse.
 */
public final class ConfigDiagnostics {
    private final List<ConfigDiagnostic> list = new ArrayList<>();

    /** An empty list. */
    public ConfigDiagnostics() {
    }

    /** A list starting with {@code initial}, e.g. the parser's diagnostics. */
    public ConfigDiagnostics(Collection<ConfigDiagnostic> initial) {
        list.addAll(initial);
    }

    /** Appends {@code diagnostic}. */
    public void add(ConfigDiagnostic diagnostic) {
        list.add(Objects.requireNonNull(diagnostic, "diagnostic"));
    }

    /** Appends a warning at {@code file:line}. */
    public void warning(Path file, int line, String message) {
        add(new ConfigDiagnostic(ConfigDiagnostic.Severity.WARNING, file, line, message));
    }

    /** Appends an error at {@code file:line}. */
    public void error(Path file, int line, String message) {
        add(new ConfigDiagnostic(ConfigDiagnostic.Severity.ERROR, file, line, message));
    }

    /** Appends a warning at the line {@code node} came from. */
    public void warning(ConfigNode node, String message) {
        warning(node.file(), node.line(), message);
    }

    /** Appends an error at the line {@code node} came from. */
    public void error(ConfigNode node, String message) {
        error(node.file(), node.line(), message);
    }

    /** A snapshot of everything appended so far, in order. */
    public List<ConfigDiagnostic> all() {
        return List.copyOf(list);
    }

    /** A snapshot of the errors appended so far, in order. */
    public List<ConfigDiagnostic> errors() {
        return list.stream().filter(ConfigDiagnostic::isError).toList();
    }

    /** A snapshot of the warnings appended so far, in order. */
    public List<ConfigDiagnostic> warnings() {
        return list.stream().filter(d -> !d.isError()).toList();
    }

    /** {@code true} if any error has been appended. */
    public boolean hasErrors() {
        return list.stream().anyMatch(ConfigDiagnostic::isError);
    }

    /** Number of diagnostics appended so far. */
    public int size() {
        return list.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ConfigDiagnostic d : list) {
            sb.append(d).append('\n');
        }
        return sb.toString();
    }
}
