package io.lvs4j.forwarder;

import io.lvs4j.core.Protocol;
import io.lvs4j.core.ServiceKey;
import java.net.InetSocketAddress;

/**
 * One listening socket the table's services ask for, and whether the forwarder holds it.
 *
 * @param protocol TCP or UDP
 * @param address  the virtual address and port listened on
 * @param service  the service it serves (for a port-0 service, the port-0 key)
 * @param bound    true while the socket is bound and served
 * @param problem  why it is not bound (for example "address not on this host (EADDRNOTAVAIL)"), or null
 */
public record ListenerStatus(Protocol protocol, InetSocketAddress address, ServiceKey service, boolean bound,
                             String problem) {
}
