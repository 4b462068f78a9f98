package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A NETLINK_ROUTE socket for what VRRP changes and watches on the host: adding and deleting the
 * virtual IP addresses (RTM_NEWADDR / RTM_DELADDR, with an optional IPv4 label), listing an
 * interface's addresses, and reading an interface's index, MAC and up/running state.
 *
 * <p>Adds and deletes are idempotent: adding an address that is already there returns false
 * (the kernel's EEXIST), deleting one that is not returns false (EADDRNOTAVAIL). Any other
 * refusal is a {@link HostNetworkException} naming the address and interface; EPERM reads
 * "not permitted: run as root or with CAP_NET_ADMIN", and the kernel's extended-ACK text is
 * appended when it gives one.
 *
 * <p>The socket lives in the network namespace of the thread that opened it; every interface name
 * is resolved there. Thread-safe: requests are serialized.
 */
public final class Netlink implements Closeable {

  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
  private static final int BUFFER = 65_536;
  private static final AtomicInteger SEQUENCE = new AtomicInteger((int) System.nanoTime());

  private final NativeFd fd;
  private final byte[] buffer = new byte[BUFFER];

  private Netlink(NativeFd fd) {
    this.fd = fd;
  }

  /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
  public static Netlink open() throws HostNetworkException {
    return new Netlink(openSocket(0, "open netlink route socket"));
  }

  static NativeFd openSocket(int groups, String operation) throws HostNetworkException {
    NativeFd fd = NativeFd.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, LibC.NETLINK_ROUTE, operation,
        null, HostNetworkException.Capability.NET_ADMIN);
    boolean ok = false;
    try {
      int socket = fd.unsafeFd();
      try {
        // extended ACKs: the kernel explains a refusal in words; capped: no echo of the request
        LibC.setsockopt(socket, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, Sockets.intBytes(1), 4);
        LibC.setsockopt(socket, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, Sockets.intBytes(1), 4);
      } catch (LastErrorException ignored) {
        // kernels before 4.12 lack these; the plain errno still arrives
      }
      byte[] address = SockAddr.nl(0, groups);
      try {
        LibC.bind(socket, address, address.length);
      } catch (LastErrorException e) {
        throw HostNetworkException.fromErrno(operation + " (bind)", null, e.getErrorCode(),
            HostNetworkException.Capability.NET_ADMIN);
      }
      ok = true;
      return fd;
    } finally {
      if (!ok) {
        fd.close();
      }
    }
  }

  /** Adds an address without a label, like {@code ip addr add ADDRESS/PREFIX dev IF}. */
  public boolean addAddress(String interfaceName, InetAddress address, int prefixLength)
      throws HostNetworkException, ClosedChannelException {
    return addAddress(interfaceName, address, prefixLength, null, false);
  }

  /** Adds an address with an IPv4 label (or null), like {@code ip addr add ... label L}. */
  public boolean addAddress(String interfaceName, InetAddress address, int prefixLength,
      String label) throws HostNetworkException, ClosedChannelException {
    return addAddress(interfaceName, address, prefixLength, label, false);
  }

  /**
   * Adds {@code address/prefixLength} to the interface, like {@code ip addr add ... dev IF
   * [label L] [nodad]}.
   *
   * @param label an IPv4 label of at most 15 bytes, conventionally {@code IF:suffix}, or null
   * @param noDad IPv6 only: skip duplicate address detection (IFA_F_NODAD), as keepalived's
   *     {@code no_dad}
   * @return true if added, false if the interface already had it
   * @throws HostNetworkException if the interface does not exist, or the kernel refused
   */
  public boolean addAddress(String interfaceName, InetAddress address, int prefixLength,
      String label, boolean noDad) throws HostNetworkException, ClosedChannelException {
    checkPrefix(address, prefixLength);
    if (label != null) {
      if (!(address instanceof Inet4Address)) {
        throw new IllegalArgumentException(
            "label '" + label + "' given for " + address.getHostAddress()
                + ": labels apply to IPv4 addresses only");
      }
      Sockets.checkLabel(label);
    }
    if (noDad && address instanceof Inet4Address) {
      throw new IllegalArgumentException("nodad applies to IPv6 addresses only, not "
          + address.getHostAddress());
    }
    String operation = "add address " + text(address, prefixLength);
    int index = indexOf(interfaceName, operation);
    int seq = SEQUENCE.incrementAndGet();
    RtNetlink.Ack ack = transact(RtNetlink.newAddress(seq, index, address, prefixLength, label,
        noDad), seq, false, operation, interfaceName, null);
    if (ack.errno() == 0) {
      return true;
    }
    if (ack.errno() == LibC.EEXIST) {
      return false;
    }
    throw failure(operation, interfaceName, ack);
  }

  /**
   * Deletes {@code address/prefixLength} from the interface, like {@code ip addr del}.
   *
   * @return true if deleted, false if the interface did not have it
   */
  public boolean deleteAddress(String interfaceName, InetAddress address, int prefixLength)
      throws HostNetworkException, ClosedChannelException {
    checkPrefix(address, prefixLength);
    String operation = "delete address " + text(address, prefixLength);
    int index = indexOf(interfaceName, operation);
    int seq = SEQUENCE.incrementAndGet();
    RtNetlink.Ack ack = transact(RtNetlink.deleteAddress(seq, index, address, prefixLength), seq,
        false, operation, interfaceName, null);
    if (ack.errno() == 0) {
      return true;
    }
    if (ack.errno() == LibC.EADDRNOTAVAIL) {
      return false;
    }
    throw failure(operation, interfaceName, ack);
  }

  /** The IPv4 and IPv6 addresses on the interface, in the kernel's order. */
  public List<LinkAddress> addresses(String interfaceName)
      throws HostNetworkException, ClosedChannelException {
    String operation = "list addresses";
    int index = indexOf(interfaceName, operation);
    int seq = SEQUENCE.incrementAndGet();
    List<LinkAddress> addresses = new ArrayList<>();
    RtNetlink.Ack ack = transact(RtNetlink.dumpAddresses(seq), seq, true, operation,
        interfaceName, m -> {
          if (m.type() == RtNetlink.RTM_NEWADDR) {
            LinkAddress a = RtNetlink.address(m);
            if (a != null && a.interfaceIndex() == index) {
              addresses.add(a);
            }
          }
        });
    if (ack.errno() != 0) {
      throw failure(operation, interfaceName, ack);
    }
    return List.copyOf(addresses);
  }

  /** The interface's index, MAC, flags, MTU and operational state. */
  public LinkInfo link(String interfaceName) throws HostNetworkException, ClosedChannelException {
    return link(interfaceName, "read link state");
  }

  /** The index, resolved over this socket so that it is the socket's namespace that counts. */
  private int indexOf(String interfaceName, String operation)
      throws HostNetworkException, ClosedChannelException {
    return link(interfaceName, operation).index();
  }

  private LinkInfo link(String interfaceName, String operation)
      throws HostNetworkException, ClosedChannelException {
    Sockets.checkInterfaceName(interfaceName);
    int seq = SEQUENCE.incrementAndGet();
    List<LinkInfo> found = new ArrayList<>();
    RtNetlink.Ack ack = transact(RtNetlink.getLink(seq, interfaceName), seq, false, operation,
        interfaceName, m -> {
          if (m.type() == RtNetlink.RTM_NEWLINK) {
            found.add(RtNetlink.link(m));
          }
        });
    if (ack.errno() == LibC.ENODEV || (ack.errno() == 0 && found.isEmpty())) {
      throw HostNetworkException.noSuchInterface(operation, interfaceName);
    }
    if (ack.errno() != 0) {
      throw failure(operation, interfaceName, ack);
    }
    return found.get(0);
  }

  /** Every interface in the socket's network namespace. */
  public List<LinkInfo> links() throws HostNetworkException, ClosedChannelException {
    String operation = "list links";
    int seq = SEQUENCE.incrementAndGet();
    List<LinkInfo> links = new ArrayList<>();
    RtNetlink.Ack ack = transact(RtNetlink.dumpLinks(seq), seq, true, operation, null, m -> {
      if (m.type() == RtNetlink.RTM_NEWLINK) {
        links.add(RtNetlink.link(m));
      }
    });
    if (ack.errno() != 0) {
      throw failure(operation, null, ack);
    }
    return List.copyOf(links);
  }

  /** Closes the socket. Idempotent. */
  @Override
  public void close() {
    fd.close();
  }

  /**
   * Sends one request and reads replies with its sequence number until the ACK (or, for a dump,
   * NLMSG_DONE), handing every other message to {@code each}.
   */
  private synchronized RtNetlink.Ack transact(byte[] request, int seq, boolean dump,
      String operation, String interfaceName, Consumer<RtNetlink.Message> each)
      throws HostNetworkException, ClosedChannelException {
    int socket = fd.acquire();
    try {
      byte[] kernel = SockAddr.nl(0, 0);
      try {
        LibC.sendto(socket, request, LibC.size(request.length), 0, kernel, kernel.length);
      } catch (LastErrorException e) {
        throw HostNetworkException.fromErrno(operation + " (netlink send)", interfaceName,
            e.getErrorCode(), HostNetworkException.Capability.NET_ADMIN);
      }
      while (true) {
        if (!fd.awaitReadable(REPLY_TIMEOUT, operation, interfaceName)) {
          throw HostNetworkException.protocol(operation, interfaceName,
              "no netlink reply from the kernel within " + REPLY_TIMEOUT.toSeconds() + " s");
        }
        int n = receive(socket, buffer, operation, interfaceName);
        if (n < 0) {
          continue;
        }
        for (RtNetlink.Message m : RtNetlink.split(buffer, n)) {
          if (m.seq() != seq) {
            continue;
          }
          if (m.type() == RtNetlink.NLMSG_ERROR) {
            return RtNetlink.ack(m);
          }
          if (m.type() == RtNetlink.NLMSG_DONE) {
            if (dump) {
              return new RtNetlink.Ack(0, null);
            }
            continue;
          }
          if (each != null && m.type() != RtNetlink.NLMSG_NOOP) {
            each.accept(m);
          }
        }
      }
    } finally {
      fd.release();
    }
  }

  /** One datagram into {@code buffer}; -1 if nothing was there after all. */
  static int receive(int socket, byte[] buffer, String operation, String interfaceName)
      throws HostNetworkException {
    long n;
    try {
      n = LibC.recvfrom(socket, buffer, LibC.size(buffer.length),
          LibC.MSG_DONTWAIT | LibC.MSG_TRUNC, null, null).longValue();
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
        return -1;
      }
      throw HostNetworkException.fromErrno(operation + " (netlink receive)", interfaceName,
          e.getErrorCode(), HostNetworkException.Capability.NET_ADMIN);
    }
    if (n > buffer.length) {
      throw HostNetworkException.protocol(operation, interfaceName,
          "netlink reply of " + n + " bytes is larger than the " + buffer.length
              + "-byte buffer");
    }
    return (int) n;
  }

  private static HostNetworkException failure(String operation, String interfaceName,
      RtNetlink.Ack ack) {
    if (ack.errno() == LibC.ENODEV) {
      return HostNetworkException.noSuchInterface(operation, interfaceName);
    }
    return HostNetworkException.fromErrno(operation, interfaceName, ack.errno(),
        HostNetworkException.Capability.NET_ADMIN, ack.kernelMessage());
  }

  private static void checkPrefix(InetAddress address, int prefixLength) {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " for "
          + address.getHostAddress() + " is not in 0.." + max);
    }
  }

  private static String text(InetAddress address, int prefixLength) {
    String host = address.getHostAddress();
    int percent = host.indexOf('%');
    return (percent < 0 ? host : host.substring(0, percent)) + "/" + prefixLength;
  }
}
