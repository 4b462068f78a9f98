package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.Closeable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A raw IPv6 socket for VRRPv3 (next header 112) bound to one interface, as keepalived opens it:
 * {@code socket(AF_INET6, SOCK_RAW, 112)}, IPV6_CHECKSUM at offset 6 (the kernel computes the
 * checksum with the IPv6 pseudo-header on send and drops bad ones on receive), hop limit 255 for
 * multicast and unicast, IPV6_MULTICAST_IF, multicast loop off, and membership of ff02::12 on
 * the interface. Each receive reports the packet's hop limit (IPV6_RECVHOPLIMIT) and destination
 * (IPV6_RECVPKTINFO).
 *
 * <p>{@link #send} takes the VRRP message alone; its checksum bytes (6 and 7) are overwritten by
 * the kernel. The socket lives in the network namespace of the thread that opened it. Thread
 * safety: any thread may send; receives are serialized; {@link #close} from another thread wakes
 * a blocked {@link #receive} at once.
 */
public final class VrrpSocket6 implements Closeable {

  /** The VRRP IPv6 multicast group, ff02::12. */
  public static final Inet6Address VRRP_GROUP = group();

  private static final int MAX_PACKET = 65_536;
  private static final int CONTROL_LENGTH = 256;

  private final String interfaceName;
  private final int interfaceIndex;
  private final NativeFd fd;
  private final Object receiveLock = new Object();
  private Memory data;
  private Memory name;
  private Memory control;

  private VrrpSocket6(String interfaceName, int interfaceIndex, NativeFd fd) {
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
    this.fd = fd;
  }

  /** Opens a socket on the interface with keepalived's settings (ff02::12, hop limit 255). */
  public static VrrpSocket6 open(String interfaceName) throws HostNetworkException {
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

  /** Sends the whole array; see {@link #send(byte[], int, int, Inet6Address)}. */
  public void send(byte[] message, Inet6Address destination)
      throws HostNetworkException, ClosedChannelException {
    send(message, 0, message.length, destination);
  }

  /**
   * Sends one VRRP message to the destination (ff02::12 or a unicast peer). Link-local and
   * link-scope multicast destinations are scoped to this socket's interface.
   */
  public void send(byte[] message, int offset, int length, Inet6Address destination)
      throws HostNetworkException, ClosedChannelException {
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(offset, length, message.length);
    if (length < 8) {
      throw new IllegalArgumentException(
          "a VRRP message is at least 8 bytes (the checksum is at offset 6); got " + length);
    }
    byte[] bytes = offset == 0 && length == message.length
        ? message : Arrays.copyOfRange(message, offset, offset + length);
    byte[] raw = destination.getAddress();
    byte[] address = SockAddr.in6(destination, SockAddr.isScoped(raw) ? interfaceIndex : 0);
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
  public ReceivedPacket receive(byte[] buffer)
      throws HostNetworkException, ClosedChannelException {
    return receive(buffer, null).orElseThrow();
  }

  /**
   * Waits up to {@code timeout} (null: without limit) for one packet and copies the VRRP message
   * into {@code buffer}. Returns empty if the timeout passed first.
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
        if (data == null) {
          data = new Memory(MAX_PACKET);
          name = new Memory(SockAddr.IN6_LENGTH);
          control = new Memory(CONTROL_LENGTH);
        }
        String operation = "receive VRRP packet (IPv6)";
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        while (true) {
          Duration left = timeout == null
              ? null : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
          if (!fd.awaitReadable(left, operation, interfaceName)) {
            return Optional.empty();
          }
          LibC.IoVec iov = new LibC.IoVec();
          iov.base = data;
          iov.length = LibC.size(Math.min(buffer.length, MAX_PACKET));
          iov.write();
          LibC.MsgHdr message = new LibC.MsgHdr();
          message.name = name;
          message.nameLength = SockAddr.IN6_LENGTH;
          message.iov = iov.getPointer();
          message.iovLength = LibC.size(1);
          message.control = control;
          message.controlLength = LibC.size(CONTROL_LENGTH);
          long n;
          try {
            n = LibC.recvmsg(socket, message, LibC.MSG_DONTWAIT | LibC.MSG_TRUNC).longValue();
          } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
              continue;
            }
            throw HostNetworkException.fromErrno(operation, interfaceName, e.getErrorCode(),
                HostNetworkException.Capability.NET_RAW);
          }
          int length = (int) Math.min(n, Math.min(buffer.length, MAX_PACKET));
          data.read(0, buffer, 0, length);
          byte[] from = name.getByteArray(0, Math.min(message.nameLength, SockAddr.IN6_LENGTH));
          InetAddress source = SockAddr.address(from, from.length);
          if (source == null) {
            continue;
          }
          int hopLimit = -1;
          InetAddress destination = null;
          long controlLength = message.controlLength.longValue();
          int size = Native.SIZE_T_SIZE;
          int header = align(size + 8, size);
          for (long at = 0; at + header <= controlLength; ) {
            long cmsgLength = size == 8 ? control.getLong(at) : control.getInt(at) & 0xffffffffL;
            if (cmsgLength < header || at + cmsgLength > controlLength) {
              break;
            }
            int level = control.getInt(at + size);
            int type = control.getInt(at + size + 4);
            if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_HOPLIMIT
                && cmsgLength >= header + 4) {
              hopLimit = control.getInt(at + header);
            } else if (level == LibC.IPPROTO_IPV6 && type == LibC.IPV6_PKTINFO
                && cmsgLength >= header + 20) {
              byte[] raw = control.getByteArray(at + header, 16);
              destination = scoped(raw, control.getInt(at + header + 16));
            }
            at += align(cmsgLength, size);
          }
          return Optional.of(
              new ReceivedPacket(source, destination, length, hopLimit, n > length));
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

  private static long align(long length, int size) {
    return (length + size - 1) & ~((long) size - 1);
  }

  private static int align(int length, int size) {
    return (length + size - 1) & ~(size - 1);
  }

  private static InetAddress scoped(byte[] raw, int ifindex) {
    try {
      return SockAddr.isScoped(raw) && ifindex != 0
          ? Inet6Address.getByAddress(null, raw, ifindex)
          : InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Inet6Address group() {
    byte[] raw = new byte[16];
    raw[0] = (byte) 0xff;
    raw[1] = 0x02;
    raw[15] = 0x12;
    return (Inet6Address) SockAddr.inet(raw);
  }

  /** Options for a {@link VrrpSocket6}; defaults are keepalived's. Not thread-safe. */
  public static final class Builder {
    private final String interfaceName;
    private Inet6Address group = VRRP_GROUP;
    private boolean joinGroup = true;
    private int hopLimit = 255;
    private Inet6Address source;
    private int receiveBufferSize;

    private Builder(String interfaceName) {
      Sockets.checkInterfaceName(interfaceName);
      this.interfaceName = interfaceName;
    }

    /** The multicast group to join (default ff02::12, keepalived's vrrp_mcast_group6). */
    public Builder group(Inet6Address group) {
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

    /** Hop limit for multicast and unicast sends (default 255; {@code unicast_ttl}). */
    public Builder hopLimit(int hopLimit) {
      if (hopLimit < 1 || hopLimit > 255) {
        throw new IllegalArgumentException("hop limit " + hopLimit + " is not in 1..255");
      }
      this.hopLimit = hopLimit;
      return this;
    }

    /** Binds the socket to this local address (normally the interface's link-local one). */
    public Builder sourceAddress(Inet6Address source) {
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
     * Opens the socket in the calling thread's network namespace.
     *
     * @throws HostNetworkException if the interface does not exist or the process lacks
     *     CAP_NET_RAW; the socket is not left open
     */
    public VrrpSocket6 open() throws HostNetworkException {
      String operation = "open raw VRRP socket (IPv6, next header 112)";
      int index = Sockets.interfaceIndex(interfaceName, operation);
      NativeFd fd = NativeFd.socket(LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_VRRP, operation,
          interfaceName, HostNetworkException.Capability.NET_RAW);
      boolean ok = false;
      try {
        configure(fd.unsafeFd(), index, operation);
        ok = true;
        return new VrrpSocket6(interfaceName, index, fd);
      } finally {
        if (!ok) {
          fd.close();
        }
      }
    }

    private void configure(int socket, int index, String operation) throws HostNetworkException {
      HostNetworkException.Capability raw = HostNetworkException.Capability.NET_RAW;
      int v6 = LibC.IPPROTO_IPV6;
      Sockets.bindToDevice(socket, interfaceName, operation);
      Sockets.setInt(socket, v6, LibC.IPV6_CHECKSUM, 6, "IPV6_CHECKSUM", operation,
          interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_MULTICAST_HOPS, hopLimit, "IPV6_MULTICAST_HOPS",
          operation, interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_UNICAST_HOPS, hopLimit, "IPV6_UNICAST_HOPS",
          operation, interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP", operation,
          interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_MULTICAST_IF, index, "IPV6_MULTICAST_IF", operation,
          interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", operation,
          interfaceName, raw);
      Sockets.setInt(socket, v6, LibC.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", operation,
          interfaceName, raw);
      if (receiveBufferSize > 0) {
        Sockets.setInt(socket, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferSize, "SO_RCVBUF",
            operation, interfaceName, raw);
      }
      if (source != null) {
        byte[] rawSource = source.getAddress();
        byte[] address = SockAddr.in6(source, SockAddr.isScoped(rawSource) ? index : 0);
        try {
          LibC.bind(socket, address, address.length);
        } catch (LastErrorException e) {
          throw HostNetworkException.fromErrno(
              operation + " (bind to " + source.getHostAddress() + ")", interfaceName,
              e.getErrorCode(), raw);
        }
      }
      if (joinGroup) {
        Sockets.set(socket, v6, LibC.IPV6_ADD_MEMBERSHIP,
            Sockets.ipv6Mreq(group.getAddress(), index),
            "IPV6_ADD_MEMBERSHIP " + group.getHostAddress(), operation, interfaceName, raw);
      }
    }
  }
}
