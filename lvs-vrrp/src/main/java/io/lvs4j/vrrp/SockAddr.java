package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The socket address layouts, as byte arrays: family and interface fields in host order, ports
 * and addresses in network order.
 */
final class SockAddr {

  static final int IN_LENGTH = 16;
  static final int IN6_LENGTH = 28;
  static final int LL_LENGTH = 20;
  static final int NL_LENGTH = 12;

  private SockAddr() {}

  /** {@code struct sockaddr_in} with port 0. */
  static byte[] in4(Inet4Address address) {
    ByteBuffer b = host(IN_LENGTH);
    b.putShort((short) LibC.AF_INET);
    b.putShort((short) 0);
    b.put(address.getAddress());
    return b.array();
  }

  /** {@code struct sockaddr_in6} with port 0 and the given scope (interface index, or 0). */
  static byte[] in6(Inet6Address address, int scopeId) {
    ByteBuffer b = host(IN6_LENGTH);
    b.putShort((short) LibC.AF_INET6);
    b.putShort((short) 0);
    b.putInt(0);
    b.put(address.getAddress());
    b.putInt(scopeId);
    return b.array();
  }

  /** {@code struct sockaddr_ll} for sending on an interface, protocol in network order. */
  static byte[] ll(int ethertype, int ifindex, byte[] hardwareAddress) {
    ByteBuffer b = host(LL_LENGTH);
    b.putShort((short) LibC.AF_PACKET);
    b.putShort(htons(ethertype));
    b.putInt(ifindex);
    b.putShort((short) 0);
    b.put((byte) 0);
    int length = hardwareAddress == null ? 0 : Math.min(hardwareAddress.length, 8);
    b.put((byte) length);
    if (length > 0) {
      b.put(hardwareAddress, 0, length);
    }
    return b.array();
  }

  /** {@code struct sockaddr_nl}; pid 0 means the kernel (as destination) or autobind. */
  static byte[] nl(int pid, int groups) {
    ByteBuffer b = host(NL_LENGTH);
    b.putShort((short) LibC.AF_NETLINK);
    b.putShort((short) 0);
    b.putInt(pid);
    b.putInt(groups);
    return b.array();
  }

  /** The address in a {@code sockaddr_in} or {@code sockaddr_in6}, or null for another family. */
  static InetAddress address(byte[] sockaddr, int length) {
    if (length < 2) {
      return null;
    }
    int family = host(sockaddr).getShort(0) & 0xffff;
    try {
      if (family == LibC.AF_INET && length >= 8) {
        return InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8));
      }
      if (family == LibC.AF_INET6 && length >= 24) {
        byte[] raw = Arrays.copyOfRange(sockaddr, 8, 24);
        int scope = length >= 28 ? host(sockaddr).getInt(24) : 0;
        return scope != 0 && isScoped(raw)
            ? Inet6Address.getByAddress(null, raw, scope)
            : InetAddress.getByAddress(raw);
      }
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    return null;
  }

  /** True for link-local unicast (fe80::/10) and for multicast with link or interface scope. */
  static boolean isScoped(byte[] ipv6) {
    int b0 = ipv6[0] & 0xff;
    int b1 = ipv6[1] & 0xff;
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return true;
    }
    return b0 == 0xff && ((b1 & 0x0f) == 1 || (b1 & 0x0f) == 2);
  }

  /** The 16-bit value in network byte order, as stored in a host-order short. */
  static short htons(int value) {
    short s = (short) value;
    return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? s : Short.reverseBytes(s);
  }

  static ByteBuffer host(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
  }

  static ByteBuffer host(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  static InetAddress inet(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + raw.length + " bytes", e);
    }
  }
}
