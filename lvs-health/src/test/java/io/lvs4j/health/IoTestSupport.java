package io.lvs4j.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** Helpers for the network probe tests: loopback servers that write raw bytes, and bounded waits. */
final class IoTestSupport {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Upper bound for any single wait in these tests; the checks themselves use far shorter timeouts. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private IoTestSupport() {
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no result within " + WAIT, e);
        }
    }

    /** Runs one attempt and waits for its result, checking it is delivered on the loop thread. */
    static ProbeResult run(Probe probe, int index) {
        CompletableFuture<ProbeResult> f = new CompletableFuture<>();
        probe.attempt(index, r -> {
            assertThat(Thread.currentThread().getName()).isEqualTo("lvs4j-health-io");
            if (!f.complete(r)) {
                throw new AssertionError("done called twice");
            }
        });
        return await(f);
    }

    static ProbeResult run(Probe probe) {
        return run(probe, 0);
    }

    /** Runs {@code action} on the loop thread and returns its value. */
    static <T> T onLoop(IoLoop loop, Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return await(f);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A port on 127.0.0.1 with nothing listening (bound, then released). */
    static InetSocketAddress closedTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return new InetSocketAddress(LOOPBACK, s.getLocalPort());
        }
    }

    /** A port on 127.0.0.1 where no UDP socket is bound (bound, then released). */
    static InetSocketAddress closedUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            return new InetSocketAddress(LOOPBACK, s.getLocalPort());
        }
    }

    /**
     * A loopback UDP server: records every datagram and sends back what {@code reply} returns for it
     * (nothing when it returns null; several datagrams when it returns several).
     */
    static final class UdpResponder implements AutoCloseable {
        final DatagramSocket socket;
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        private final Thread thread;

        UdpResponder(java.util.function.Function<byte[], List<byte[]>> reply) throws IOException {
            socket = new DatagramSocket(0, LOOPBACK);
            thread = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
                        received.add(data);
                        List<byte[]> answers = reply.apply(data);
                        if (answers != null) {
                            for (byte[] a : answers) {
                                socket.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                            }
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "udp-responder");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
        }

        byte[] next() {
            try {
                byte[] d = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(d).as("datagram received").isNotNull();
                return d;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** What a {@link RawServer} connection handler does with the request it read. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket, OutputStream out, byte[] request) throws Exception;
    }

    /**
     * A loopback TCP (or TLS) server: one thread per connection reads the request up to the blank line
     * (or nothing, with {@code readRequest false}), records it, runs the handler, then closes the socket.
     */
    static final class RawServer implements AutoCloseable {
        final ServerSocket server;
        final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
        final BlockingQueue<List<SNIServerName>> serverNames = new LinkedBlockingQueue<>();
        private final Handler handler;
        private final boolean readRequest;
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "raw-server");
            t.setDaemon(true);
            return t;
        });
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final CountDownLatch closed = new CountDownLatch(1);

        RawServer(ServerSocket server, boolean readRequest, Handler handler) {
            this.server = server;
            this.handler = handler;
            this.readRequest = readRequest;
            pool.execute(this::acceptLoop);
        }

        static RawServer http(Handler handler) throws IOException {
            return new RawServer(new ServerSocket(0, 50, LOOPBACK), true, handler);
        }

        static RawServer raw(Handler handler) throws IOException {
            return new RawServer(new ServerSocket(0, 50, LOOPBACK), false, handler);
        }

        /** An HTTP server that answers every request with {@code response} and closes. */
        static RawServer replying(byte[] response) throws IOException {
            return http((s, out, req) -> out.write(response));
        }

        static RawServer tls(SSLServerSocket server, Handler handler) {
            return new RawServer(server, true, handler);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        String request() {
            try {
                byte[] r = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(r).as("request received").isNotNull();
                return new String(r, StandardCharsets.ISO_8859_1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** Blocks the handler until the server is closed (a peer that stalls). */
        void hold() throws InterruptedException {
            closed.await();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    pool.execute(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                if (s instanceof SSLSocket ssl) {
                    ssl.startHandshake();
                    serverNames.add(((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames());
                }
                byte[] req = readRequest ? readHead(s.getInputStream()) : new byte[0];
                requests.add(req);
                OutputStream out = s.getOutputStream();
                handler.handle(s, out, req);
                out.flush();
            } catch (Exception e) {
                // the client went away or the test closed the server
            }
        }

        private static byte[] readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                state = switch (state) {
                    case 0, 2 -> c == '\r' ? state + 1 : 0;
                    case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
                    case 3 -> c == '\n' ? 4 : (c == '\r' ? 1 : 0);
                    default -> 0;
                };
                if (state == 4) {
                    break;
                }
            }
            return b.toByteArray();
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
            pool.shutdownNow();
        }
    }

    static String sniName(List<SNIServerName> names) {
        return names.isEmpty() ? null : ((SNIHostName) names.get(0)).getAsciiName();
    }

    /**
     * A listener on 127.0.0.1 that never accepts, with its accept queue filled so that further SYNs are
     * dropped: a connect to it times out, all on loopback.
     */
    static final class FullBacklog implements AutoCloseable {
        final ServerSocket server;
        private final List<Socket> fillers = new ArrayList<>();

        FullBacklog() throws IOException {
            server = new ServerSocket(0, 1, LOOPBACK);
            for (int i = 0; i < 64; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(server.getLocalSocketAddress(), 250);
                } catch (SocketTimeoutException full) {
                    return;
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        }

        InetSocketAddress address() {
            return new InetSocketAddress(LOOPBACK, server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }
}
