package io.lvs4j.okhttp;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.Flow;
import io.lvs4j.core.Protocol;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the flow of each attempt: a client address:port (the key's address, or the anonymous client) to
 * the destination. Client ports come from one counter over 1024..65535, as lvs-core's leases take them;
 * the anonymous client moves to the next address of 127.0.0.0/8 every 64,512 calls, so its flows never
 * meet an entry still lingering in TIME_WAIT. Thread-safe, lock-free.
 */
final class FlowSource {
    static final int FIRST_PORT = 1024;
    static final int PORTS = 65536 - FIRST_PORT;
    private static final int ANONYMOUS_FIRST = 0x7F000001; // 127.0.0.1
    private static final int ANONYMOUS_ADDRESSES = (1 << 24) - 2; // 127.0.0.1 .. 127.255.255.254

    private record Block(long index, InetAddress address) {
    }

    private final AtomicLong next = new AtomicLong();
    private volatile Block anonymous = new Block(0, Addresses.ipv4(ANONYMOUS_FIRST));

    /** The anonymous client's first address. */
    static InetAddress anonymousAddress() {
        return Addresses.ipv4(ANONYMOUS_FIRST);
    }

    /** A new flow from {@code client} (null: the anonymous client) to {@code destination:port}. */
    Flow next(InetAddress client, InetAddress destination, int port) {
        long n = next.getAndIncrement();
        int clientPort = FIRST_PORT + (int) (n % PORTS);
        InetAddress from = client != null ? client : anonymous(n / PORTS);
        return Flow.of(Protocol.TCP, from, clientPort, destination, port);
    }

    private InetAddress anonymous(long index) {
        Block b = anonymous;
        if (b.index == index) {
            return b.address;
        }
        InetAddress a = Addresses.ipv4(ANONYMOUS_FIRST + (int) (index % ANONYMOUS_ADDRESSES));
        if (index > b.index) {
            anonymous = new Block(index, a);
        }
        return a;
    }
}
