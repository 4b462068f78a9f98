package io.lvs4j.vrrp;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What one receive on a {@link VrrpSocket} or {@link VrrpSocket6} put into the caller's buffer.
 *
 * <p>The bytes are {@code buffer[0, length)}. For IPv4 they start with the IPv4 header (the
 * kernel always delivers it on raw IPv4 sockets) and {@code hopLimit} is the TTL from that
 * header; for IPv6 they are the VRRP message alone and {@code hopLimit} comes from the kernel's
 * IPV6_HOPLIMIT control message. {@code destination} is the IPv4 header's destination, or the
 * IPv6 packet's destination from IPV6_PKTINFO (null if the kernel did not report it).
 *
 * @param source the sender's address (for link-local IPv6, scoped to the receiving interface)
 * @param destination the multicast group or unicast address the packet was sent to, or null
 * @param length how many bytes were written into the buffer
 * @param hopLimit the IPv4 TTL or IPv6 hop limit on arrival, or -1 if unknown
 * @param truncated true if the packet was longer than the buffer and was cut to its size
 */
public record ReceivedPacket(
    InetAddress source, InetAddress destination, int length, int hopLimit, boolean truncated) {

  /** Checks the invariants: a source is always known and the length is not negative. */
  public ReceivedPacket {
    Objects.requireNonNull(source, "source");
    if (length < 0) {
      throw new IllegalArgumentException("length " + length + " is negative");
    }
  }
}
