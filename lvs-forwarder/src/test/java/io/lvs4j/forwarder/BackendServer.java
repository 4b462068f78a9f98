package io.lvs4j.forwarder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real TCP server on a loopback address for tests: one thread per connection, behaviour given by the test. */
final class BackendServer implements AutoCloseable {
    /** What the backend does with one accepted connection; the socket is closed afterwards. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket s) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final String name;

    private BackendServer(String ip, int port, String name, Behaviour behaviour) throws IOException {
        this.name = name;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 512);
        pool.execute(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                sockets.add(s);
                pool.execute(() -> {
                    try (s) {
                        behaviour.serve(s);
                    } catch (IOException | InterruptedException ignored) {
                        // the test looks at what the client saw
                    } finally {
                        finished.incrementAndGet();
                    }
                });
            }
        });
    }

    static BackendServer start(String ip, String name, Behaviour behaviour) throws IOException {
        return new BackendServer(ip, 0, name, behaviour);
    }

    /** Writes its name and closes; listens on {@code ip:port}. */
    static BackendServer naming(String ip, int port, String name) throws IOException {
        return new BackendServer(ip, port, name, s -> s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Writes its name and closes. */
    static BackendServer naming(String ip, String name) throws IOException {
        return start(ip, name, s -> s.getOutputStream().write(name.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Echoes until EOF, then closes. */
    static BackendServer echo(String ip, String name) throws IOException {
        return start(ip, name, s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] b = new byte[32 * 1024];
            int n;
            while ((n = in.read(b)) >= 0) {
                out.write(b, 0, n);
            }
            s.shutdownOutput();
        });
    }

    InetAddress address() {
        return server.getInetAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        pool.shutdownNow();
    }
}
