package io.lvs4j.forwarder;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/** Socket helpers: abortive and quiet closes, the protocol family of an address, bind-error wording. */
final class Sockets {
    private Sockets() {
    }

    static ProtocolFamily family(InetAddress a) {
        return a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Closes with SO_LINGER 0, so the peer gets a RST (for a registered channel: at the next select). */
    static void abort(SocketChannel ch) {
        if (ch == null) {
            return;
        }
        if (ch.isOpen()) {
            try {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // not connected (any more): a plain close is all there is
            }
        }
        closeQuietly(ch);
    }

    static void closeQuietly(NetworkChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Why a bind failed, in words an operator can act on. */
    static String describeBindFailure(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof BindException && m.contains("Cannot assign requested address")) {
            return "address not on this host (EADDRNOTAVAIL); retried on every reconcile"
                    + " (a VRRP address appears when this node becomes MASTER)";
        }
        if (m.contains("Address already in use")) {
            return "address and port already in use (EADDRINUSE); retried on every reconcile";
        }
        if (m.contains("Permission denied")) {
            return "permission denied (EACCES): ports below 1024 need CAP_NET_BIND_SERVICE; retried on every reconcile";
        }
        return e + "; retried on every reconcile";
    }
}
