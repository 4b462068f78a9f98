package io.lvs4j.vrrp;

import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import io.lvs4j.vrrp.conf.KeepalivedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code keepalived --vrrp} for the JVM: reads a keepalived.conf and runs its VRRP instances with
 * {@link VrrpDaemon}.
 *
 * <pre>
 * java -jar lvs-vrrp-standalone.jar [-f|--use-file FILE] [-l|--log-console] [-D|--log-detail]
 *                                   [-t|--config-test] [-i|--config-id ID] [-p|--pid FILE]
 * </pre>
 *
 * <ul>
 *   <li>{@code -f FILE}: the configuration (default {@code /etc/keepalived/keepalived.conf}).</li>
 *   <li>{@code -t}: check the configuration, print each diagnostic as {@code file:line: ERROR: message}
 *       (warnings as {@code WARNING}) and exit 1 if there is an error, 0 otherwise.</li>
 *   <li>{@code -i ID}: the config id for {@code @ID} lines (default: the short host name).</li>
 *   <li>{@code -D}: detail logging (keepalived's {@code -D}). {@code -l}: accepted; lvs4j always logs to
 *       standard output, as keepalived's console log does: {@code <date>: (VI_1) Entering MASTER STATE}.</li>
 *   <li>{@code -p FILE} (also {@code -r}): write the process id there while running.</li>
 *   <li>Accepted and ignored for compatibility: {@code -n/--dont-fork}, {@code -P/--vrrp}, {@code -S N}.</li>
 * </ul>
 *
 * <p>Signals: SIGTERM and SIGINT stop cleanly (priority-0 adverts, VIPs removed, notify_stop) and exit 0.
 * SIGHUP reloads: the file is read again and, if it has no error, the daemon switches to it (instances that
 * stay keep their state and VIPs, see {@link VrrpDaemon#reload}); with errors, each is logged and the running
 * configuration stays. Exit codes: 0 clean stop or valid configuration; 1 configuration or usage error; 2
 * runtime error (not root, no such interface...), reported in one line on standard error.
 *
 * <p>Not instantiable; {@link #main} is the entry point and calls {@link System#exit}.
 */
public final class VrrpMain {

    static final Path DEFAULT_FILE = Path.of("/etc/keepalived/keepalived.conf");
    static final int EXIT_OK = 0;
    static final int EXIT_CONFIG = 1;
    static final int EXIT_RUNTIME = 2;
    private static final String NAME = "Keepalived_vrrp";
    private static final String USAGE = """
            Usage: VrrpMain [OPTION...]
              -f, --use-file=FILE      use the specified configuration file (default %s)
              -l, --log-console        log messages to the console (always on)
              -D, --log-detail         detailed log messages
              -t, --config-test        check the configuration for errors and exit
              -i, --config-id ID       skip any configuration lines beginning '@' that don't match ID
              -p, --pid=FILE           write the process id to FILE
              -h, --help               display this help message
              -v, --version            display the version number
            """.formatted(DEFAULT_FILE);

    private VrrpMain() {
    }

    /** Runs until SIGTERM/SIGINT and exits with 0, 1 or 2 (see the class comment). */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    /**
     * The whole program without {@link System#exit}.
     *
     * @param process true when this is the process's main: install the console log handler and signal
     *     handlers; false (tests) leaves logging and signals as they are, and then a daemon would run forever, so
     *     only {@code -t}, usage and startup failures should be exercised that way
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean process) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.print(USAGE);
            return EXIT_CONFIG;
        }
        if (a.help) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (a.version) {
            out.println("lvs4j VRRP (keepalived --vrrp compatible) " + version());
            return EXIT_OK;
        }
        if (process && !a.configTest) {
            installConsoleLog(out, a.detail);
        }
        VrrpConfigLoader.Result loaded;
        try {
            loaded = load(a);
        } catch (IOException e) {
            err.println(NAME + ": cannot read configuration file " + a.file + ": " + describe(e));
            return EXIT_CONFIG;
        }
        for (ConfigDiagnostic d : loaded.diagnostics()) {
            out.println(d);
        }
        if (a.configTest) {
            return loaded.hasErrors() ? EXIT_CONFIG : EXIT_OK;
        }
        if (loaded.hasErrors()) {
            err.println(NAME + ": " + a.file + " has " + loaded.errors().size() + " configuration error(s); not"
                    + " starting");
            return EXIT_CONFIG;
        }
        VrrpDaemonConfig config = loaded.config().orElseThrow();
        if (config.instances().isEmpty()) {
            VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "No VRRP instances configured in " + a.file);
        }

        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        if (process) {
            for (String s : List.of("TERM", "INT", "HUP")) {
                if (!SignalHooks.handle(s, signals::add)) {
                    VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "cannot catch SIG" + s + " in this JVM"
                            + (s.equals("HUP") ? " - reload is not available" : ""));
                }
            }
        }
        VrrpLog.LOGGER.log(System.Logger.Level.INFO, "Starting VRRP child process, pid="
                + ProcessHandle.current().pid());
        VrrpDaemon daemon;
        try {
            daemon = VrrpDaemon.start(config, VrrpDaemon.Options.builder().logDetail(a.detail).build());
        } catch (VrrpConfigException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_CONFIG;
        } catch (IOException | RuntimeException e) {
            err.println(NAME + ": cannot start: " + describe(e));
            return EXIT_RUNTIME;
        }
        if (process) {
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "vrrp-shutdown"));
        }
        if (a.pidFile != null) {
            try {
                Files.writeString(a.pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                VrrpLog.LOGGER.log(System.Logger.Level.WARNING, "cannot write pid file " + a.pidFile + ": "
                        + describe(e));
            }
        }
        try {
            while (true) {
                String signal;
                try {
                    signal = signals.take();
                } catch (InterruptedException e) {
                    break;
                }
                if (!signal.equals("HUP")) {
                    break;
                }
                reload(a, daemon);
            }
        } finally {
            daemon.close();
            if (a.pidFile != null) {
                try {
                    Files.deleteIfExists(a.pidFile);
                } catch (IOException e) {
                    // nothing more to do
                }
            }
            out.flush();
        }
        return EXIT_OK;
    }

    private static VrrpConfigLoader.Result load(Arguments a) throws IOException {
        KeepalivedConfig.Options.Builder options = KeepalivedConfig.Options.builder();
        if (a.configId != null) {
            options.configId(a.configId);
        }
        return VrrpConfigLoader.load(a.file, options.build());
    }

    private static void reload(Arguments a, VrrpDaemon daemon) {
        System.Logger log = VrrpLog.LOGGER;
        VrrpConfigLoader.Result loaded;
        try {
            loaded = load(a);
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "Reload failed: cannot read configuration file " + a.file + ": "
                    + describe(e) + " - keeping the running configuration");
            return;
        }
        for (ConfigDiagnostic d : loaded.diagnostics()) {
            log.log(d.isError() ? System.Logger.Level.WARNING : System.Logger.Level.INFO, d.toString());
        }
        if (loaded.hasErrors()) {
            log.log(System.Logger.Level.WARNING, "Reload failed: " + a.file + " has " + loaded.errors().size()
                    + " configuration error(s) - keeping the running configuration");
            return;
        }
        try {
            daemon.reload(loaded.config().orElseThrow());
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "Reload failed: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    private static String version() {
        String v = VrrpMain.class.getPackage().getImplementationVersion();
        return v != null ? v : "(development build)";
    }

    /** Sends io.lvs4j.vrrp's System.Logger lines to {@code out} as keepalived's console log shows them. */
    private static void installConsoleLog(PrintStream out, boolean detail) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                out.println(getFormatter().format(r));
                out.flush();
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
        DateTimeFormatter time = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                StringBuilder sb = new StringBuilder(time.format(ZonedDateTime.now())).append(": ")
                        .append(formatMessage(r));
                Throwable t = r.getThrown();
                if (t != null) {
                    sb.append(" (").append(t).append(')');
                    if (detail) {
                        for (StackTraceElement e : t.getStackTrace()) {
                            sb.append("\n\tat ").append(e);
                        }
                    }
                }
                return sb.toString();
            }
        });
        handler.setLevel(Level.INFO);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    /** The command line, getopt style: {@code -lD}, {@code -f FILE}, {@code -fFILE}, {@code --use-file=FILE}. */
    static final class Arguments {
        Path file = DEFAULT_FILE;
        boolean detail;
        boolean configTest;
        boolean help;
        boolean version;
        String configId;
        Path pidFile;

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                if (arg.startsWith("--")) {
                    String name = arg;
                    String value = null;
                    int eq = arg.indexOf('=');
                    if (eq > 0) {
                        name = arg.substring(0, eq);
                        value = arg.substring(eq + 1);
                    }
                    switch (name) {
                        case "--use-file" -> a.file = Path.of(value(name, value, rest));
                        case "--config-id" -> a.configId = value(name, value, rest);
                        case "--pid", "--vrrp_pid" -> a.pidFile = Path.of(value(name, value, rest));
                        case "--log-detail" -> a.detail = true;
                        case "--config-test" -> a.configTest = true;
                        case "--log-console", "--dont-fork", "--vrrp", "--dump-conf" -> {
                        }
                        case "--log-facility" -> value(name, value, rest);
                        case "--help" -> a.help = true;
                        case "--version" -> a.version = true;
                        default -> throw new IllegalArgumentException("unrecognized option '" + arg + "'");
                    }
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    for (int i = 1; i < arg.length(); i++) {
                        char c = arg.charAt(i);
                        if ("fipSr".indexOf(c) >= 0) {
                            String value = i + 1 < arg.length() ? arg.substring(i + 1) : null;
                            value = value(" -" + c, value, rest);
                            switch (c) {
                                case 'f' -> a.file = Path.of(value);
                                case 'i' -> a.configId = value;
                                case 'p', 'r' -> a.pidFile = Path.of(value);
                                default -> {
                                }
                            }
                            break;
                        }
                        switch (c) {
                            case 'D' -> a.detail = true;
                            case 't' -> a.configTest = true;
                            case 'l', 'n', 'P', 'd' -> {
                            }
                            case 'h' -> a.help = true;
                            case 'v' -> a.version = true;
                            default -> throw new IllegalArgumentException("invalid option -- '" + c + "'");
                        }
                    }
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
            }
            return a;
        }

        private static String value(String option, String value, List<String> rest) {
            if (value != null) {
                return value;
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("option '" + option.strip() + "' requires an argument");
            }
            return rest.remove(0);
        }
    }
}
