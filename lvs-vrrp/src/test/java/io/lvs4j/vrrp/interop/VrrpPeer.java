package io.lvs4j.vrrp.interop;

import io.lvs4j.vrrp.interop.BridgedLan.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One VRRP speaker on a {@link BridgedLan} host: Debian's keepalived or lvs4j's {@code VrrpMain}
 * in a child JVM, both started with {@code ip netns exec} on the same keepalived.conf text and
 * both logging to the console. The peer can be killed (SIGKILL: a crash, nothing sent), stopped
 * (SIGTERM: priority 0 sent, addresses removed) and started again; each run is a new
 * {@link LoggedProcess}.
 */
final class VrrpPeer implements AutoCloseable {

    /** Which implementation runs. */
    enum Kind {
        KEEPALIVED("keepalived"),
        LVS4J("lvs4j");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final String MAIN_CLASS = "io.lvs4j.vrrp.VrrpMain";

    private final Kind kind;
    private final Host host;
    private final Path dir;
    private final String name;
    private final Path config;
    private final List<LoggedProcess> runs = new ArrayList<>();

    private VrrpPeer(Kind kind, Host host, Path dir, VrrpConf conf) {
        this.kind = kind;
        this.host = host;
        this.dir = dir;
        this.name = kind.label + "@h" + host.index();
        this.config = dir.resolve(kind.label + "-h" + host.index() + ".conf");
        try {
            Files.writeString(config, conf.render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the conf and starts the peer. */
    static VrrpPeer start(Kind kind, Host host, Path dir, VrrpConf conf) {
        VrrpPeer peer = new VrrpPeer(kind, host, dir, conf);
        peer.start();
        return peer;
    }

    /** Starts (again) with the same conf; the previous run must have ended. */
    LoggedProcess start() {
        if (!runs.isEmpty() && current().isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        int run = runs.size() + 1;
        Path log = dir.resolve(kind.label + "-h" + host.index() + "-run" + run + ".log");
        LoggedProcess process = LoggedProcess.start(name + "#" + run, log, command(run));
        runs.add(process);
        return process;
    }

    private List<String> command(int run) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        String stem = dir.resolve(kind.label + "-h" + host.index() + "-run" + run).toString();
        if (kind == Kind.KEEPALIVED) {
            // -n no fork, -l console, -D detail, -G no syslog, -P VRRP only, -R no respawn
            cmd.addAll(List.of("keepalived", "-n", "-l", "-D", "-G", "-P", "-R",
                    "-f", config.toString(), "-p", stem + ".pid", "-r", stem + "-vrrp.pid",
                    "-c", stem + "-checkers.pid"));
        } else {
            cmd.addAll(List.of(javaCommand(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    MAIN_CLASS, "-f", config.toString(), "-l", "-D"));
        }
        return cmd;
    }

    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Kind kind() {
        return kind;
    }

    Host host() {
        return host;
    }

    String name() {
        return name;
    }

    /** The current (latest) run. */
    LoggedProcess current() {
        return runs.get(runs.size() - 1);
    }

    /** A crash: SIGKILL to the whole process tree, nothing is sent on the wire. */
    void kill() {
        current().kill();
    }

    /** A clean stop: SIGTERM, then waits up to 10 s for the process to exit. */
    boolean stop() {
        return current().terminate(Duration.ofSeconds(10));
    }

    /** Every run's output, for failure messages. */
    String transcript() {
        StringBuilder sb = new StringBuilder();
        for (LoggedProcess p : runs) {
            sb.append(p.transcript());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (LoggedProcess p : runs) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
