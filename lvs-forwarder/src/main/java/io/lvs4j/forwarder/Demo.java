package io.lvs4j.forwarder;

import com.sun.net.httpserver.HttpServer;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code lvs-forwarder --demo}: the seed article's experience on one machine. Three small HTTP backends on
 * loopback answer {@code backend 1}, {@code backend 2}, {@code backend 3}; a {@code keepalived.conf} puts a
 * {@code wrr} virtual service on {@code 127.0.0.1:<port>} in front of them with weights 3, 2 and 1 (TCP_CHECK on
 * each); the forwarder serves it and {@code lvsadm} talks to it on the control socket. {@link #showcase} makes a
 * few requests, one connection each as {@code curl} does, and prints which backend answered each, in wrr order,
 * then what {@code lvsadm -L -n} shows; it also prints the commands to try by hand.
 *
 * <p>Not thread-safe; {@link #close} stops everything it started.
 */
public final class Demo implements AutoCloseable {
    /** The backends' weights, in configuration order. */
    static final int[] WEIGHTS = {3, 2, 1};

    private final PrintStream out;
    private final List<HttpServer> backends = new ArrayList<>();
    private final List<Integer> backendPorts = new ArrayList<>();
    private Director director;
    private Path configFile;
    private int port;
    private Path socket;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Starts the backends and the forwarder.
     *
     * @param dataPlane     the data plane to forward with
     * @param controlSocket where {@code lvsadm} reaches the demo, or null for none
     * @param out           where the demo prints
     */
    public static Demo start(Function<IpvsTable, DataPlane> dataPlane, Path controlSocket, PrintStream out)
            throws IOException {
        Objects.requireNonNull(dataPlane, "dataPlane");
        Objects.requireNonNull(out, "out");
        Demo demo = new Demo(out);
        try {
            demo.startAll(dataPlane, controlSocket);
        } catch (IOException | RuntimeException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    private void startAll(Function<IpvsTable, DataPlane> dataPlane, Path controlSocket) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int i = 1; i <= WEIGHTS.length; i++) {
            HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 16);
            byte[] body = ("backend " + i + "\n").getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            });
            server.start();
            backends.add(server);
            backendPorts.add(server.getAddress().getPort());
        }
        port = freePort(loopback);
        configFile = Files.createTempFile("lvs-forwarder-demo-", ".conf");
        configFile.toFile().deleteOnExit();
        Files.writeString(configFile, keepalivedConf());
        ForwarderConfig config = ForwarderConfig.load(configFile);
        if (config.hasErrors()) {
            throw new IllegalStateException("the demo configuration has errors: " + config.errors());
        }
        director = Director.builder(config).dataPlane(dataPlane).controlSocket(controlSocket).start();
        socket = controlSocket;
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    /** The demo's keepalived.conf. */
    String keepalivedConf() {
        StringBuilder sb = new StringBuilder();
        sb.append("! lvs-forwarder --demo: three HTTP backends on loopback behind one wrr virtual service\n");
        sb.append("virtual_server 127.0.0.1 ").append(port).append(" {\n");
        sb.append("    delay_loop 5\n");
        sb.append("    lb_algo wrr\n");
        sb.append("    lb_kind NAT\n");
        sb.append("    protocol TCP\n");
        for (int i = 0; i < WEIGHTS.length; i++) {
            sb.append("\n    real_server 127.0.0.1 ").append(backendPorts.get(i)).append(" {\n");
            sb.append("        weight ").append(WEIGHTS[i]).append('\n');
            sb.append("        TCP_CHECK {\n");
            sb.append("            connect_timeout 2\n");
            sb.append("        }\n");
            sb.append("    }\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** The virtual service's port. */
    public int port() {
        return port;
    }

    /** The backends' ports, backend 1 first. */
    public List<Integer> backendPorts() {
        return List.copyOf(backendPorts);
    }

    /** The running forwarder's control side. */
    public Director director() {
        return director;
    }

    /**
     * Prints the setup, makes {@code requests} requests through the virtual service (a new connection each) and
     * prints which backend answered each, then {@code lvsadm -L -n} and the commands to try.
     *
     * @return the backend (1, 2 or 3) that answered each request, in order
     */
    public List<Integer> showcase(int requests) throws IOException {
        String lvsadm = "bin/lvsadm" + (socket == null || socket.equals(ControlServer.DEFAULT_PATH) ? ""
                : " --control " + socket);
        out.println("lvs-forwarder demo: three HTTP backends on loopback behind one wrr virtual service");
        out.println();
        for (int i = 0; i < WEIGHTS.length; i++) {
            out.printf("  backend %d   127.0.0.1:%d   weight %d%n", i + 1, backendPorts.get(i), WEIGHTS[i]);
        }
        out.println();
        out.println("keepalived.conf (" + configFile + "):");
        out.println();
        for (String line : keepalivedConf().split("\n")) {
            out.println("  " + line);
        }
        out.println();
        out.println("# lvsadm -L -n");
        out.print(Ipvsadm.run(director.table(), "-L", "-n").stdout());
        out.println();
        out.println(requests + " requests, a new connection each, as curl makes them:");
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = get(port).strip();
            out.println("# curl http://127.0.0.1:" + port + "/   -> " + body);
            int n = body.startsWith("backend ") ? Integer.parseInt(body.substring("backend ".length()).trim()) : 0;
            answers.add(n);
        }
        out.println();
        out.println("Every 6 requests, backend 1 answers 3 times, backend 2 twice, backend 3 once: wrr's passes with a");
        out.println("falling weight threshold, over the real servers newest-added first (keepalived adds them in");
        out.println("configuration order), starting where the adds left the threshold, as IPVS does.");
        out.println();
        out.println("# lvsadm -L -n");
        out.print(Ipvsadm.run(director.table(), "-L", "-n").stdout());
        out.println();
        out.println("Try it yourself (from the repository root):");
        out.println("  curl http://127.0.0.1:" + port + "/");
        out.println("  " + lvsadm + " -L -n");
        out.println("  " + lvsadm + " -L -n --stats");
        out.println("  " + lvsadm + " -e -t 127.0.0.1:" + port + " -r 127.0.0.1:" + backendPorts.get(2)
                + " -m -w 3");
        out.flush();
        return answers;
    }

    /** One HTTP/1.0 GET on a new connection; returns the body. */
    static String get(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(10_000);
            OutputStream os = s.getOutputStream();
            os.write(("GET / HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: lvs4j-demo\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            os.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int blank = response.indexOf("\r\n\r\n");
            return blank < 0 ? "" : response.substring(blank + 4);
        }
    }

    /** Stops the forwarder and the backends. Idempotent. */
    @Override
    public void close() {
        if (director != null) {
            director.close();
            director = null;
        }
        for (HttpServer s : backends) {
            s.stop(0);
        }
        backends.clear();
        if (configFile != null) {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
