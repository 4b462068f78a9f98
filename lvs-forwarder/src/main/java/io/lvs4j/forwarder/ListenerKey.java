package io.lvs4j.forwarder;

import io.lvs4j.core.Protocol;
import java.net.InetSocketAddress;

/** A listening socket's identity: protocol and bound address. */
record ListenerKey(Protocol protocol, InetSocketAddress address) {
    @Override
    public String toString() {
        return protocol.label() + " " + io.lvs4j.core.Addresses.format(address.getAddress(), address.getPort());
    }
}
