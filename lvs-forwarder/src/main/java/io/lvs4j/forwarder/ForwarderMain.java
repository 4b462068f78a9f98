package io.lvs4j.forwarder;

import io.lvs4j.vrrp.conf.ConfigDiagnostic;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code lvs-forwarder}: one Java process that reads an existing {@code keepalived.conf} and does what keepalived
 * and IPVS would do together: health-checked L4 forwarding of the virtual services (in user space, as NAT),
 * VRRP-owned virtual addresses, and an {@code ipvsadm}-compatible control socket for {@code lvsadm}.
 *
 * <pre>
 * lvs-forwarder [-f|--use-file FILE] [--control SOCKET] [-t|--config-test] [-l|--log-console] [-D|--log-detail]
 *               [--catch-all-ports P,P...] [--drain SECONDS] [--demo | --demo-once]
 * </pre>
 *
 * <ul>
 *   <li>{@code -f FILE}: the configuration, default {@value #DEFAULT_CONFIG}. Every diagnostic is printed as
 *       {@code file:line: SEVERITY: message}; with an error the forwarder does not start (exit status 1).</li>
 *   <li>{@code -t}: checks the configuration and exits: 0 when it has no error, 1 otherwise.</li>
 *   <li>{@code --control SOCKET}: the control socket, default {@value LvsadmMain#DEFAULT_SOCKET}.</li>
 *   <li>{@code -l}: log to standard error (state changes, reloads); {@code -D}: also the detail. Without them
 *       only warnings and errors are logged (to standard error).</li>
 *   <li>{@code --catch-all-ports}: the ports a port-0 (every port) service is served on; default none.</li>
 *   <li>{@code --drain SECONDS}: on SIGTERM, how long open connections may finish, default 10.</li>
 *   <li>{@code --demo}: three loopback backends behind a wrr service (see {@link Demo}), until Ctrl-C;
 *       {@code --demo-once}: the same, exiting after the showcase.</li>
 * </ul>
 *
 * <p>Signals: SIGHUP reloads the file (a configuration with errors is logged and ignored: the running service is
 * never taken down by a bad file); SIGTERM and SIGINT shut down in order (VRRP priority 0, stop accepting, drain,
 * stop the checkers) and exit with status 0. SIGHUP, SIGTERM and SIGINT are caught with {@code sun.misc.Signal}
 * from the {@code jdk.unsupported} module, the JDK's supported-in-practice way to handle signals; the orderly
 * shutdown itself runs in a shutdown hook, so it also happens when the JVM is stopped otherwise.
 */
public final class ForwarderMain {
    /** keepalived's default configuration file. */
    public static final String DEFAULT_CONFIG = "/etc/keepalived/keepalived.conf";

    private static final System.Logger LOG = System.getLogger(ForwarderMain.class.getName());
    private static final String USAGE = "usage: lvs-forwarder [-f|--use-file FILE] [--control SOCKET] [-t|--config-test]"
            + " [-l|--log-console] [-D|--log-detail] [--catch-all-ports P,P...] [--drain SECONDS]"
            + " [--demo | --demo-once]";

    private ForwarderMain() {
    }

    /** The parsed command line. */
    record Options(Path config, Path control, boolean controlGiven, boolean configTest, boolean logConsole,
                   boolean logDetail, Set<Integer> catchAllPorts, Duration drain, boolean demo, boolean demoOnce,
                   boolean help) {
    }

    /** Thrown for a bad command line; the message is the one line to print. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Runs the forwarder; returns only on an error or when a one-shot mode is done. */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs {@code lvs-forwarder} with these arguments: {@code -t}, {@code --demo-once} and errors return their
     * exit status; the serving modes block until the process is stopped.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            err.println("lvs-forwarder: " + e.getMessage());
            err.println(USAGE);
            return 1;
        }
        if (o.help()) {
            out.println(USAGE);
            return 0;
        }
        if (o.demo() || o.demoOnce()) {
            ConsoleLogging.install(err, o.logConsole(), o.logDetail());
            return demo(o, out, err);
        }
        ForwarderConfig config = load(o.config(), err);
        if (config == null) {
            return 1;
        }
        for (ConfigDiagnostic d : config.diagnostics()) {
            err.println(d);
        }
        if (o.configTest()) {
            if (config.hasErrors()) {
                err.println("lvs-forwarder: configuration test failed: " + config.errors().size() + " error(s) in "
                        + o.config());
                return 1;
            }
            out.println("lvs-forwarder: configuration OK: " + config.services().size() + " virtual service(s), "
                    + config.vrrpInstances().size() + " vrrp instance(s), " + config.warnings().size()
                    + " warning(s)");
            return 0;
        }
        if (config.hasErrors()) {
            err.println("lvs-forwarder: " + config.errors().size() + " error(s) in " + o.config() + " - not starting");
            return 1;
        }
        ConsoleLogging.install(err, o.logConsole(), o.logDetail());
        Director director;
        try {
            director = Director.builder(config).dataPlane(DataPlanes.forwarder(o.catchAllPorts(), o.drain()))
                    .controlSocket(o.control()).logDetail(o.logDetail()).start();
        } catch (IOException e) {
            boolean control = reason(e).startsWith("control socket ");
            err.println("lvs-forwarder: cannot start: " + reason(e)
                    + (control && !o.controlGiven() ? " (use --control PATH)" : ""));
            return 1;
        } catch (RuntimeException e) {
            err.println("lvs-forwarder: cannot start: " + reason(e));
            return 1;
        }
        serve(director, o);
        return 0;
    }

    private static ForwarderConfig load(Path file, PrintStream err) {
        try {
            return ForwarderConfig.load(file);
        } catch (NoSuchFileException e) {
            err.println("lvs-forwarder: cannot read " + file + ": no such file");
        } catch (IOException e) {
            err.println("lvs-forwarder: cannot read " + file + ": " + reason(e));
        }
        return null;
    }

    /** Installs the signal handlers and the shutdown hook, then waits until the process is stopped. */
    private static void serve(Director director, Options o) {
        CountDownLatch stopped = new CountDownLatch(1);
        ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lvs4j-reload");
            t.setDaemon(true);
            return t;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.log(Level.INFO, "Stopping");
            reloads.shutdownNow();
            director.close(o.drain());
            stopped.countDown();
        }, "lvs4j-shutdown"));
        Signals.onHangup(() -> reloads.execute(() -> {
            LOG.log(Level.INFO, "Reloading " + o.config());
            director.reload(o.config());
        }));
        Signals.onTerminate(() -> System.exit(0));
        LOG.log(Level.INFO, "Serving; control socket " + o.control());
        awaitQuietly(stopped);
    }

    private static int demo(Options o, PrintStream out, PrintStream err) {
        Path socket = o.control();
        if (!o.controlGiven() && !Files.isWritable(socket.getParent())) {
            socket = Path.of(System.getProperty("java.io.tmpdir"), "lvs-forwarder-demo-" + ProcessHandle.current().pid()
                    + ".sock");
        }
        Demo demo;
        try {
            demo = Demo.start(DataPlanes.forwarder(Set.of(), Duration.ofSeconds(1)), socket, out);
        } catch (IOException | RuntimeException e) {
            err.println("lvs-forwarder: cannot start the demo: " + reason(e));
            return 1;
        }
        try {
            demo.showcase(6);
        } catch (IOException e) {
            err.println("lvs-forwarder: demo request failed: " + reason(e));
            demo.close();
            return 1;
        }
        if (o.demoOnce()) {
            demo.close();
            return 0;
        }
        out.println();
        out.println("Ctrl-C stops the demo.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "lvs4j-demo-shutdown"));
        Signals.onTerminate(() -> System.exit(0));
        awaitQuietly(stopped);
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: only the shutdown hook ends the wait
            }
        }
    }

    static Options parse(String[] args) throws UsageException {
        Path config = Path.of(DEFAULT_CONFIG);
        Path control = Path.of(LvsadmMain.DEFAULT_SOCKET);
        boolean controlGiven = false;
        boolean test = false;
        boolean console = false;
        boolean detail = false;
        boolean demo = false;
        boolean demoOnce = false;
        boolean help = false;
        Set<Integer> catchAll = new LinkedHashSet<>();
        Duration drain = Duration.ofSeconds(10);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            boolean takesValue = a.equals("-f") || a.equals("--use-file") || a.equals("--control")
                    || a.equals("--catch-all-ports") || a.equals("--drain");
            String v = null;
            if (takesValue) {
                if (inline == null) {
                    i++;
                    inline = i < args.length ? args[i] : "";
                }
                if (inline.isEmpty()) {
                    throw new UsageException(a + " needs a value");
                }
                v = inline;
            } else if (inline != null) {
                throw new UsageException("option '" + a + "' takes no value");
            }
            switch (a) {
                case "-f", "--use-file" -> config = Path.of(v);
                case "--control" -> {
                    control = Path.of(v);
                    controlGiven = true;
                }
                case "--catch-all-ports" -> {
                    for (String p : v.split(",", -1)) {
                        int port = -1;
                        try {
                            port = Integer.parseInt(p.trim());
                        } catch (NumberFormatException e) {
                            port = -1;
                        }
                        if (port < 1 || port > 65535) {
                            throw new UsageException("--catch-all-ports: '" + p + "' is not a port; accepted: 1..65535");
                        }
                        catchAll.add(port);
                    }
                }
                case "--drain" -> {
                    long seconds = -1;
                    try {
                        seconds = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        seconds = -1;
                    }
                    if (seconds < 0 || seconds > 86_400) {
                        throw new UsageException("--drain: '" + v + "' is not a number of seconds; accepted: 0..86400");
                    }
                    drain = Duration.ofSeconds(seconds);
                }
                case "-t", "--config-test" -> test = true;
                case "-l", "--log-console" -> console = true;
                case "-D", "--log-detail" -> detail = true;
                case "--demo" -> demo = true;
                case "--demo-once" -> demoOnce = true;
                case "-h", "--help" -> help = true;
                default -> {
                    if (a.startsWith("-f") && a.length() > 2 && !a.startsWith("--")) {
                        config = Path.of(a.substring(2));
                    } else if (a.matches("-[tlD]{2,}")) {
                        test |= a.indexOf('t') > 0;
                        console |= a.indexOf('l') > 0;
                        detail |= a.indexOf('D') > 0;
                    } else {
                        throw new UsageException("unknown option '" + args[i] + "'");
                    }
                }
            }
        }
        return new Options(config, control, controlGiven, test, console, detail, Set.copyOf(catchAll), drain, demo,
                demoOnce, help);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
