package io.lvs4j.okhttp;

import io.lvs4j.core.Addresses;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.health.PassiveHealth;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** One virtual service name and where its calls are scheduled: the IPVS service and its passive health. */
final class Route {
    final String name;
    final ServiceKey key;
    /** The flow's destination address when no destination key applies: the VIP, or the mark's address. */
    final InetAddress virtualAddress;
    /** The flow's destination port: the service's port (0 for a firewall-mark service). */
    final int virtualPort;
    /** Null when passive health is off. */
    final PassiveHealth health;

    Route(String name, ServiceKey key, PassiveHealth health) {
        this.name = name;
        this.key = key;
        this.health = health;
        this.virtualAddress = key.isFwmark() ? markAddress(key) : key.address();
        this.virtualPort = key.isFwmark() ? 0 : key.port();
    }

    /** As lvs-core addresses a firewall-mark service: the mark in the first 32-bit word. */
    private static InetAddress markAddress(ServiceKey key) {
        if (!key.ipv6()) {
            return Addresses.ipv4(key.fwmark());
        }
        int m = key.fwmark();
        byte[] b = new byte[16];
        b[0] = (byte) (m >>> 24);
        b[1] = (byte) (m >>> 16);
        b[2] = (byte) (m >>> 8);
        b[3] = (byte) m;
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
