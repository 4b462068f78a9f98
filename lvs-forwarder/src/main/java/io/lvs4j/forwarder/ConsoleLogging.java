package io.lvs4j.forwarder;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes the {@link System.Logger} output of lvs4j (through java.util.logging, the JDK's default backend) to
 * standard error, one line per record, keepalived-style: {@code 2026-11-21 20:50:01 Keepalived_healthcheckers:
 * Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80}. Quiet by default (warnings and errors);
 * {@code -l} adds the informational lines (state changes, reloads), {@code -D} the detail.
 */
final class ConsoleLogging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** Held so that the level set on it is not lost when the logger is collected. */
    private static final Logger LVS4J = Logger.getLogger("io.lvs4j");

    private ConsoleLogging() {
    }

    /** Installs the handler on the root logger, replacing the JDK's default console handler. */
    static void install(PrintStream err, boolean console, boolean detail) {
        Level level = detail ? Level.FINE : console ? Level.INFO : Level.WARNING;
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler || h instanceof StreamHandler) {
                root.removeHandler(h);
            }
        }
        StreamHandler handler = new StreamHandler(err, new LineFormatter(detail)) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        LVS4J.setLevel(level);
    }

    /** {@code date time source: message}. */
    private static final class LineFormatter extends Formatter {
        private final boolean detail;

        LineFormatter(boolean detail) {
            this.detail = detail;
        }

        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String source = name.startsWith("io.lvs4j.health") ? "Keepalived_healthcheckers"
                    : name.startsWith("io.lvs4j.vrrp") ? "Keepalived_vrrp"
                    : name.startsWith("io.lvs4j.") ? "lvs-forwarder" : name;
            StringBuilder sb = new StringBuilder();
            sb.append(LocalDateTime.now().format(TIME)).append(' ').append(source).append(": ");
            String message = formatMessage(r);
            boolean diagnostic = message.contains(": ERROR: ") || message.contains(": WARNING: ");
            if (!diagnostic && r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                sb.append("ERROR: ");
            } else if (!diagnostic && r.getLevel().intValue() >= Level.WARNING.intValue()) {
                sb.append("WARNING: ");
            }
            sb.append(message).append(System.lineSeparator());
            if (r.getThrown() != null && detail) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                sb.append(w);
            }
            return sb.toString();
        }
    }
}
