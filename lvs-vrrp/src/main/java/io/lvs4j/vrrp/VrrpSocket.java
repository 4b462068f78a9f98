package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A raw IPv4 socket for VRRP (IP protocol 112) bound to one interface, as keepalived opens it:
 * {@code socket(AF_INET, SOCK_RAW, 112)}, SO_BINDTODEVICE, membership of 224.0.0.18 joined with
 * the interface index, IP_MULTICAST_IF, and IP_MULTICAST_LOOP off so a router never hears itself.
 *
 * <p>By default IP_HDRINCL is on: {@link #send} takes a complete IPv4 packet (header with TOS
 * 0xC0, TTL 255, protocol 112, source and destination, built elsewhere); the kernel fills in the
 * header checksum, the total length and a zero ID. With {@link Builder#headerIncluded(boolean)
 * headerIncluded(false)} {@link #send} takes the VRRP message alone and the kernel builds the
 * header from the socket's TOS and TTL (0xC0 and 255 unless changed) and its bound source address.
 * Received packets always start with the IPv4 header.
 *
 * <p>The socket lives in the network namespace of the thread that opened it. Thread safety: any
 * thread may send; receives are serialized; {@link #close} from another thread wakes a blocked
 * {@link #receive} at once, which then throws {@link AsynchronousCloseException}.
 */
public final class VrrpSocket implements Closeable {

  /** The VRRP IPv4 multicast group, 224.0.0.18. */
  public static final Inet4Address VRRP_GROUP = (Inet4Address) SockAddr.inet(
      new byte[] {(byte) 224, 0, 0, 18});

  private static final int IPV4_HEADER = 20;

  private final String interfaceName;
  private final int interfaceIndex;
  private final boolean headerIncluded;
  private final NativeFd fd;
  private final Object receiveLock = new Object();

  private VrrpSocket(String interfaceName, int interfaceIndex, boolean headerIncluded, NativeFd fd) {
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
    this.headerIncluded = headerIncluded;
    this.fd = fd;
  }

  /** Opens a socket on the interface with keepalived's settings (IP_HDRINCL on, 224.0.0.18). */
  public static VrrpSocket open(String interfaceName) throws HostNetworkException {
    return builder(interfaceName).open();
  }

  /** A builder for a socket on the interface. */
  public static Builder builder(String interfaceName) {
    return new Builder(interfaceName);
  }

  /** The interface this socket is bound to. */
  public String interfaceName() {
    return interfaceName;
  }

  /** The interface's index in the socket's network namespace. */
  public int interfaceIndex() {
    return interfaceIndex;
  }

  /** True if {@link #send} takes complete IPv4 packets (IP_HDRINCL). */
  public boolean headerIncluded() {
    return headerIncluded;
  }

  /** Sends the whole array; see {@link #send(byte[], int, int, Inet4Address)}. */
  public void send(byte[] packet, Inet4Address destination) throws HostNetworkException,
      ClosedChannelException {
    send(packet, 0, packet.length, destination);
  }

  /**
   * Sends one packet to the destination (the multicast group or a unicast peer). With
   * IP_HDRINCL the bytes are a full IPv4 packet whose header destination should equal {@code
   * destination}; without it they are the VRRP message.
   */
  public void send(byte[] packet, int offset, int length, Inet4Address destination)
      throws HostNetworkException, ClosedChannelException {
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(offset, length, packet.length);
    if (headerIncluded) {
      if (length < IPV4_HEADER || (packet[offset] & 0xf0) != 0x40) {
        throw new IllegalArgumentException(
            "with IP_HDRINCL the packet must start with an IPv4 header (version 4, at least "
                + IPV4_HEADER + " bytes); got " + length + " bytes starting with 0x"
                + (length == 0 ? "" : Integer.toHexString(packet[offset] & 0xff)));
      }
    }
    byte[] bytes = offset == 0 && length == packet.length
        ? packet : Arrays.copyOfRange(packet, offset, offset + length);
    byte[] address = SockAddr.in4(destination);
    int socket = fd.acquire();
    try {
      LibC.sendto(socket, bytes, LibC.size(length), 0, address, address.length);
    } catch (LastErrorException e) {
      throw Sockets.sendFailure(socket, "send VRRP packet to " + destination.getHostAddress(),
          interfaceName, e.getErrorCode(), HostNetworkException.Capability.NET_RAW);
    } finally {
      fd.release();
    }
  }

  /** Waits without limit for a packet; see {@link #receive(byte[], Duration)}. */
  public ReceivedPacket receive(byte[] buffer) throws HostNetworkException,
      ClosedChannelException {
    return receive(buffer, null).orElseThrow();
  }

  /**
   * Waits up to {@code timeout} (null: without limit) for one packet and copies it, IPv4 header
   * first, into {@code buffer}. Returns empty if the timeout passed first.
   *
   * @throws AsynchronousCloseException if the socket was closed while waiting
   * @throws ClosedChannelException if the socket was already closed
   */
  public Optional<ReceivedPacket> receive(byte[] buffer, Duration timeout)
      throws HostNetworkException, ClosedChannelException {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout " + timeout + " is negative");
    }
    synchronized (receiveLock) {
      int socket = fd.acquire();
      try {
        String operation = "receive VRRP packet";
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        while (true) {
          Duration left = timeout == null
              ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
          if (!fd.awaitReadable(left, operation, interfaceName)) {
            return Optional.empty();
          }
          byte[] from = new byte[SockAddr.IN_LENGTH];
          int[] fromLength = {from.length};
          long n;
          try {
            n = LibC.recvfrom(socket, buffer, LibC.size(buffer.length),
                LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, from, fromLength).longValue();
          } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
              continue;
            }
            throw HostNetworkException.fromErrno(operation, interfaceName, e.getErrorCode(),
                HostNetworkException.Capability.NET_RAW);
          }
          int length = (int) Math.min(n, buffer.length);
          InetAddress source = SockAddr.address(from, fromLength[0]);
          InetAddress destination = null;
          int ttl = -1;
          if (length >= IPV4_HEADER) {
            ttl = buffer[8] & 0xff;
            destination = SockAddr.inet(Arrays.copyOfRange(buffer, 16, 20));
            if (source == null) {
              source = SockAddr.inet(Arrays.copyOfRange(buffer, 12, 16));
            }
          }
          if (source == null) {
            continue;
          }
          return Optional.of(new ReceivedPacket(source, destination, length, ttl, n > length));
        }
      } finally {
        fd.release();
      }
    }
  }

  /** Closes the socket; a thread blocked in {@link #receive} wakes at once. Idempotent. */
  @Override
  public void close() {
    fd.close();
  }

  /** Options for a {@link VrrpSocket}; defaults are keepalived's. Not thread-safe. */
  public static final class Builder {
    private final String interfaceName;
    private boolean headerIncluded = true;
    private Inet4Address group = VRRP_GROUP;
    private boolean joinGroup = true;
    private int ttl = 255;
    private int tos = 0xC0;
    private Inet4Address source;
    private int receiveBufferSize;
    private int protocol = LibC.IPPROTO_VRRP;

    private Builder(String interfaceName) {
      Sockets.checkInterfaceName(interfaceName);
      this.interfaceName = interfaceName;
    }

    /** True (default): {@link #send} takes full IPv4 packets. False: the kernel builds them. */
    public Builder headerIncluded(boolean headerIncluded) {
      this.headerIncluded = headerIncluded;
      return this;
    }

    /** The multicast group to join (default 224.0.0.18, keepalived's vrrp_mcast_group4). */
    public Builder group(Inet4Address group) {
      if (!Objects.requireNonNull(group, "group").isMulticastAddress()) {
        throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast group");
      }
      this.group = group;
      return this;
    }

    /** Whether to join the group (default true); unicast-only instances may skip it. */
    public Builder joinGroup(boolean joinGroup) {
      this.joinGroup = joinGroup;
      return this;
    }

    /** TTL the kernel puts in headers it builds (default 255; {@code unicast_ttl}). */
    public Builder ttl(int ttl) {
      if (ttl < 1 || ttl > 255) {
        throw new IllegalArgumentException("ttl " + ttl + " is not in 1..255");
      }
      this.ttl = ttl;
      return this;
    }

    /** TOS the kernel puts in headers it builds (default 0xC0, network control). */
    public Builder tos(int tos) {
      if (tos < 0 || tos > 255) {
        throw new IllegalArgumentException("tos " + tos + " is not in 0..255");
      }
      this.tos = tos;
      return this;
    }

    /** Binds the socket to this local address (the header source when the kernel builds it). */
    public Builder sourceAddress(Inet4Address source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** SO_RCVBUF in bytes; 0 (default) keeps the system default. */
    public Builder receiveBufferSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("receive buffer size " + bytes + " is negative");
      }
      this.receiveBufferSize = bytes;
      return this;
    }

    /**
     * The IP protocol the socket receives: 112 (default) or 51, IPsec AH, which is how adverts of
     * a keepalived {@code auth_type AH} instance arrive (as keepalived, one socket per protocol).
     */
    public Builder protocol(int protocol) {
      if (protocol != VrrpCodec.IPPROTO_VRRP && protocol != VrrpCodec.IPPROTO_AH) {
        throw new IllegalArgumentException("protocol " + protocol
            + " is not accepted; accepted 112 (VRRP) or 51 (AH)");
      }
      this.protocol = protocol;
      return this;
    }

    /**
     * Opens the socket in the calling thread's network namespace.
     *
     * @throws HostNetworkException if the interface does not exist or the process lacks
     *     CAP_NET_RAW; the socket is not left open
     */
    public VrrpSocket open() throws HostNetworkException {
      String operation = "open raw VRRP socket (IPv4, protocol " + protocol + ")";
      int index = Sockets.interfaceIndex(interfaceName, operation);
      NativeFd fd = NativeFd.socket(LibC.AF_INET, LibC.SOCK_RAW, protocol, operation,
          interfaceName, HostNetworkException.Capability.NET_RAW);
      boolean ok = false;
      try {
        configure(fd.unsafeFd(), index, operation);
        ok = true;
        return new VrrpSocket(interfaceName, index, headerIncluded, fd);
      } finally {
        if (!ok) {
          fd.close();
        }
      }
    }

    private void configure(int socket, int index, String operation) throws HostNetworkException {
      HostNetworkException.Capability raw = HostNetworkException.Capability.NET_RAW;
      Sockets.bindToDevice(socket, interfaceName, operation);
      Sockets.setInt(socket, LibC.IPPROTO_IP, LibC.IP_HDRINCL, headerIncluded ? 1 : 0,
          "IP_HDRINCL", operation, interfaceName, raw);
      Sockets.setInt(socket, LibC.IPPROTO_IP, LibC.IP_TOS, tos, "IP_TOS", operation,
          interfaceName, raw);
      Sockets.setInt(socket, LibC.IPPROTO_IP, LibC.IP_TTL, ttl, "IP_TTL", operation,
          interfaceName, raw);
      Sockets.setInt(socket, LibC.IPPROTO_IP, LibC.IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL",
          operation, interfaceName, raw);
      Sockets.setInt(socket, LibC.IPPROTO_IP, LibC.IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP",
          operation, interfaceName, raw);
      Sockets.set(socket, LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF,
          Sockets.ipMreqn(new byte[4], index), "IP_MULTICAST_IF", operation, interfaceName, raw);
      if (receiveBufferSize > 0) {
        Sockets.setInt(socket, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferSize, "SO_RCVBUF",
            operation, interfaceName, raw);
      }
      if (source != null) {
        byte[] address = SockAddr.in4(source);
        try {
          LibC.bind(socket, address, address.length);
        } catch (LastErrorException e) {
          throw HostNetworkException.fromErrno(
              operation + " (bind to " + source.getHostAddress() + ")", interfaceName,
              e.getErrorCode(), raw);
        }
      }
      if (joinGroup) {
        Sockets.set(socket, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP,
            Sockets.ipMreqn(group.getAddress(), index),
            "IP_ADD_MEMBERSHIP " + group.getHostAddress(), operation, interfaceName, raw);
      }
    }
  }
}
