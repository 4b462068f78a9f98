package io.lvs4j.health;

import java.net.InetAddress;

/**
 * Where a network checker connects and from where: {@code connect_ip}, {@code connect_port},
 * {@code bindto}, {@code bind_port}. A {@code null} field means the default: the real server's address
 * and port, and no explicit source.
 */
public record ConnectOptions(InetAddress connectIp, Integer connectPort, InetAddress bindTo, Integer bindPort) {
    /** Connect to the real server itself, from any source. */
    public static final ConnectOptions DEFAULT = new ConnectOptions(null, null, null, null);

    public ConnectOptions {
        port("connect_port", connectPort);
        port("bind_port", bindPort);
    }

    private static void port(String name, Integer p) {
        if (p != null && (p < 0 || p > 65535)) {
            throw new IllegalArgumentException(name + " " + p + " is out of range; accepted: 0..65535");
        }
    }
}
