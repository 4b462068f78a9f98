package io.lvs4j.forwarder;

import io.lvs4j.core.ServiceKey;

/** A listening socket of the forwarder (TCP or UDP), owned by one event loop. */
interface Listener {
    ListenerKey key();

    /** The service it was opened for (status only: traffic is classified by the table). */
    ServiceKey service();

    void service(ServiceKey key);

    EventLoop loop();

    /** Registers the bound socket with the loop. Loop thread. */
    void register();

    /** Closes the socket (and, for UDP, its sessions) for good. Loop thread. */
    void close();
}
