package io.lvs4j.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One packet's addressing as the schedulers and the connection table see it: client (source)
 * address and port, destination (virtual) address and port, protocol. Immutable.
 *
 * <p>sh and mh hash the client address (and port with sh-port/mh-port); dh, lblc and lblcr hash
 * the destination address. For in-process callers that balance by an arbitrary key rather than
 * by an address, {@link #forKeys} maps keys to addresses: <b>a key maps to the IPv4 address whose
 * host-order 32-bit value is the CRC-32C of the key's UTF-8 bytes</b>. The schedulers then hash that
 * value exactly as they hash a real address (spec §1.10.1), so the same key always lands on the same
 * real server for an unchanged server list, and keys spread like addresses do.
 */
public final class Flow {
    private final Protocol protocol;
    private final InetAddress clientAddress;
    private final int clientPort;
    private final InetAddress destinationAddress;
    private final int destinationPort;
    private final int clientValue;
    private final int destinationValue;

    private Flow(Protocol protocol, InetAddress clientAddress, int clientPort, InetAddress destinationAddress,
                 int destinationPort) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.destinationAddress = Objects.requireNonNull(destinationAddress, "destinationAddress");
        checkPort(clientPort, "client port");
        checkPort(destinationPort, "destination port");
        this.clientPort = clientPort;
        this.destinationPort = destinationPort;
        this.clientValue = Addresses.fold(clientAddress);
        this.destinationValue = Addresses.fold(destinationAddress);
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is out of range; accepted: 0..65535");
        }
    }

    /** A flow from {@code client} to {@code destination} (the virtual address:port). */
    public static Flow of(Protocol protocol, InetAddress clientAddress, int clientPort,
                          InetAddress destinationAddress, int destinationPort) {
        return new Flow(protocol, clientAddress, clientPort, destinationAddress, destinationPort);
    }

    /** A flow from {@code client} to {@code destination} (the virtual address:port). */
    public static Flow of(Protocol protocol, InetSocketAddress client, InetSocketAddress destination) {
        return new Flow(protocol, client.getAddress(), client.getPort(), destination.getAddress(), destination.getPort());
    }

    /**
     * A flow whose client address stands for {@code clientKey} and whose destination address stands
     * for {@code destinationKey} (see the class comment for the mapping), to the virtual service
     * {@code service}. Ports are 0 unless given through {@link #withClientPort}.
     */
    public static Flow forKeys(ServiceKey service, String clientKey, String destinationKey) {
        Protocol protocol = service.isFwmark() ? Protocol.TCP : service.protocol();
        return new Flow(protocol, keyAddress(clientKey), 0, keyAddress(destinationKey), service.port());
    }

    /** The IPv4 address a key stands for: host-order value = CRC-32C of the key's UTF-8 bytes. */
    public static InetAddress keyAddress(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return Addresses.ipv4((int) crc.getValue());
    }

    /** This flow with another client port. */
    public Flow withClientPort(int port) {
        return new Flow(protocol, clientAddress, port, destinationAddress, destinationPort);
    }

    public Protocol protocol() {
        return protocol;
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    public int clientPort() {
        return clientPort;
    }

    public InetAddress destinationAddress() {
        return destinationAddress;
    }

    public int destinationPort() {
        return destinationPort;
    }

    /** The client address folded to 32 bits as IPVS hashes it (spec §1.10.1). */
    public int clientAddressValue() {
        return clientValue;
    }

    /** The destination address folded to 32 bits as IPVS hashes it (spec §1.10.1). */
    public int destinationAddressValue() {
        return destinationValue;
    }

    @Override
    public String toString() {
        return protocol.label() + " " + Addresses.format(clientAddress, clientPort) + " -> "
                + Addresses.format(destinationAddress, destinationPort);
    }
}
