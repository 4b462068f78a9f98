package io.lvs4j.core;

import java.net.InetAddress;

/** How the connection table keys an entry: protocol, client address:port, virtual address:port. */
record ConnKey(Protocol protocol, InetAddress clientAddress, int clientPort, InetAddress virtualAddress,
               int virtualPort) {
    @Override
    public String toString() {
        return protocol.label() + " " + Addresses.format(clientAddress, clientPort) + " -> "
                + Addresses.format(virtualAddress, virtualPort);
    }
}
