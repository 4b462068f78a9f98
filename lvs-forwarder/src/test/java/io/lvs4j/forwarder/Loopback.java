package io.lvs4j.forwarder;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test helpers: loopback addresses, free ports, polling, reading to the end, counting file descriptors. */
final class Loopback {
    private Loopback() {
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    /** A port nothing listens on right now on {@code ip}. */
    static int freePort(String ip) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(ip(ip), 0));
            return s.getLocalPort();
        }
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(to, 5_000);
        return s;
    }

    static Socket connectFrom(String localIp, InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.bind(new InetSocketAddress(ip(localIp), 0));
        s.connect(to, 5_000);
        return s;
    }

    /** What a client saw on read: the text before EOF, or "RESET" when the connection was reset. */
    static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                sb.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException e) {
            return "RESET";
        }
        return sb.toString();
    }

    /**
     * Connects and reads to the end: the text before EOF, or "RESET" when the connection was reset,
     * which on loopback may already happen during the connect.
     */
    static String exchange(InetSocketAddress to) throws IOException {
        Socket s;
        try {
            s = connect(to);
        } catch (java.net.SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return "RESET";
            }
            throw e;
        }
        try (s) {
            return readAll(s);
        }
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code within} passes; returns its last value. */
    static boolean eventually(Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The soft limit on open files of this process, from /proc/self/limits. */
    static int fdLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.trim().split("\\s+");
                    return Integer.parseInt(f[3]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 1024;
    }
}
