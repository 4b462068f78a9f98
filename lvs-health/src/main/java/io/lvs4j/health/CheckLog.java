package io.lvs4j.health;

import java.util.function.Consumer;

/**
 * Log lines of the health checker, with keepalived's wording, through {@link System.Logger} (logger
 * {@code io.lvs4j.health}) and, when set, a sink that receives every line verbatim.
 */
final class CheckLog {
    static final String LOGGER_NAME = "io.lvs4j.health";
    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private final Consumer<String> sink;

    CheckLog(Consumer<String> sink) {
        this.sink = sink;
    }

    void info(String line) {
        LOG.log(System.Logger.Level.INFO, line);
        emit(line);
    }

    void warn(String line) {
        LOG.log(System.Logger.Level.WARNING, line);
        emit(line);
    }

    private void emit(String line) {
        if (sink != null) {
            try {
                sink.accept(line);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "log sink failed", e);
            }
        }
    }
}
