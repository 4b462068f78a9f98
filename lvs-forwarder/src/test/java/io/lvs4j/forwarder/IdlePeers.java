package io.lvs4j.forwarder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far ends of many idle connections, run as a separate process by {@link ForwarderScaleTest} so
 * that the forwarder's process holds only its own two sockets per connection. A real server (one NIO
 * thread: accept, then close on EOF) and N clients that connect through the forwarder and stay idle.
 *
 * <p>Protocol on stdin/stdout, one line each: prints {@code BACKEND port}; reads
 * {@code CONNECT vip port n}, prints {@code READY accepted}; reads {@code CLOSE}, prints
 * {@code CLOSED closed}; exits at {@code EXIT} or end of input.
 */
public final class IdlePeers {
    private IdlePeers() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress backendIp = InetAddress.getByName(args[0]);
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(backendIp, 0), 4096);
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Thread backend = new Thread(() -> serve(selector, server, accepted, closed), "idle-backend");
        backend.setDaemon(true);
        backend.start();
        System.out.println("BACKEND " + server.socket().getLocalPort());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        List<SocketChannel> clients = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "CONNECT" -> {
                    InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(f[1]), Integer.parseInt(f[2]));
                    int n = Integer.parseInt(f[3]);
                    try {
                        for (int i = 0; i < n; i++) {
                            clients.add(SocketChannel.open(vip));
                        }
                    } catch (IOException e) {
                        System.out.println("ERROR after " + clients.size() + " connections: " + e);
                        System.out.flush();
                        continue;
                    }
                    waitFor(accepted, n);
                    System.out.println("READY " + accepted.get());
                }
                case "CLOSE" -> {
                    int n = clients.size();
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                    clients.clear();
                    waitFor(closed, n);
                    System.out.println("CLOSED " + closed.get());
                }
                case "EXIT" -> {
                    return;
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
    }

    private static void waitFor(AtomicInteger counter, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (counter.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void serve(Selector selector, ServerSocketChannel server, AtomicInteger accepted,
                              AtomicInteger closed) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                selector.select();
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                            accepted.incrementAndGet();
                        }
                    } else if (k.isReadable()) {
                        SocketChannel c = (SocketChannel) k.channel();
                        int n;
                        try {
                            n = c.read(buf.clear());
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            k.cancel();
                            c.close();
                            closed.incrementAndGet();
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("ERROR backend: " + e);
            System.out.flush();
        }
    }
}
