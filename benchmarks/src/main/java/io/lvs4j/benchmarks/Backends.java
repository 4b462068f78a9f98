package io.lvs4j.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many tiny servers on 127.0.0.1 served by one NIO thread: "tcp" ports accept and close, "http" ports
 * read a request and answer {@code HTTP/1.0 200 OK} with a 2-byte body, then close. For benchmarks.
 */
final class Backends implements AutoCloseable {
    private static final byte[] RESPONSE = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);

    private final Selector selector = Selector.open();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Backends() throws IOException {
        thread = new Thread(this::loop, "benchmark-backends");
        thread.setDaemon(true);
    }

    /** Opens a listener; returns its port. Call before {@link #start}. */
    int listen(boolean http) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_ACCEPT, http);
        servers.add(ch);
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    void start() {
        thread.start();
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (running) {
            try {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
                        if (c == null) {
                            continue;
                        }
                        if (!(Boolean) k.attachment()) {
                            c.close();
                        } else {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        buf.clear();
                        int n = c.read(buf);
                        if (n < 0 || containsEndOfHeaders(buf)) {
                            if (n >= 0) {
                                c.write(ByteBuffer.wrap(RESPONSE));
                            }
                            c.close();
                        }
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                // a client went away; keep serving
            }
        }
    }

    private static boolean containsEndOfHeaders(ByteBuffer b) {
        for (int i = 3; i < b.position(); i++) {
            if (b.get(i - 3) == '\r' && b.get(i - 2) == '\n' && b.get(i - 1) == '\r' && b.get(i) == '\n') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        for (ServerSocketChannel s : servers) {
            s.close();
        }
    }
}
