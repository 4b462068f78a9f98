package io.lvs4j.vrrp;

import java.util.function.Consumer;

/**
 * Writes keepalived-worded log lines to System.Logger {@code io.lvs4j.vrrp} and to an optional
 * sink. "Detail" lines (keepalived's {@code -D}) reach the sink only when detail logging is on.
 */
final class VrrpLog {
    static final System.Logger LOGGER = System.getLogger("io.lvs4j.vrrp");

    private final Consumer<String> sink;
    private final boolean detail;

    VrrpLog(Consumer<String> sink, boolean detail) {
        this.sink = sink;
        this.detail = detail;
    }

    void info(String line) {
        LOGGER.log(System.Logger.Level.INFO, line);
        toSink(line);
    }

    void warn(String line) {
        LOGGER.log(System.Logger.Level.WARNING, line);
        toSink(line);
    }

    void detail(String line) {
        if (detail) {
            LOGGER.log(System.Logger.Level.INFO, line);
            toSink(line);
        } else {
            LOGGER.log(System.Logger.Level.DEBUG, line);
        }
    }

    private void toSink(String line) {
        if (sink == null) {
            return;
        }
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "log sink failed", e);
        }
    }
}
