package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Socket option and interface-name helpers shared by the host layer; errors name the step. */
final class Sockets {

  /** IFNAMSIZ less the terminating NUL. */
  static final int MAX_INTERFACE_NAME = 15;

  private Sockets() {}

  static void checkInterfaceName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("interface name is empty");
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_INTERFACE_NAME) {
      throw new IllegalArgumentException(
          "interface name '" + name + "' is longer than " + MAX_INTERFACE_NAME + " bytes");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
        throw new IllegalArgumentException(
            "interface name '" + name + "' contains '" + c + "', which Linux does not allow");
      }
    }
  }

  /** An IPv4 address label ({@code IFA_LABEL}): 1 to 15 bytes, no whitespace. */
  static void checkLabel(String label) {
    byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > MAX_INTERFACE_NAME) {
      throw new IllegalArgumentException(
          "label '" + label + "' is not 1 to " + MAX_INTERFACE_NAME + " bytes long");
    }
    for (int i = 0; i < label.length(); i++) {
      if (Character.isWhitespace(label.charAt(i)) || label.charAt(i) == 0) {
        throw new IllegalArgumentException("label '" + label + "' contains whitespace");
      }
    }
  }

  /** The index of the interface in the calling thread's network namespace. */
  static int interfaceIndex(String name, String operation) throws HostNetworkException {
    checkInterfaceName(name);
    int index = LibC.if_nametoindex(name);
    if (index == 0) {
      int errno = Native.getLastError();
      if (errno == 0 || errno == LibC.ENODEV || errno == LibC.ENXIO) {
        throw HostNetworkException.noSuchInterface(operation, name);
      }
      throw HostNetworkException.fromErrno(
          "look up interface index (" + operation + ")", name, errno, null);
    }
    return index;
  }

  static void setInt(
      int fd, int level, int option, int value, String step, String operation, String iface,
      HostNetworkException.Capability needed)
      throws HostNetworkException {
    set(fd, level, option, intBytes(value), step, operation, iface, needed);
  }

  static void set(
      int fd, int level, int option, byte[] value, String step, String operation, String iface,
      HostNetworkException.Capability needed)
      throws HostNetworkException {
    try {
      LibC.setsockopt(fd, level, option, value, value.length);
    } catch (LastErrorException e) {
      throw HostNetworkException.fromErrno(
          operation + " (" + step + ")", iface, e.getErrorCode(), needed);
    }
  }

  /** SO_BINDTODEVICE: the socket sends and receives only on this interface. */
  static void bindToDevice(int fd, String iface, String operation) throws HostNetworkException {
    byte[] name = Arrays.copyOf(iface.getBytes(StandardCharsets.UTF_8), iface.length() + 1);
    set(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, name, "SO_BINDTODEVICE", operation, iface,
        HostNetworkException.Capability.NET_RAW);
  }

  /**
   * The interface's flags (IFF_UP, IFF_RUNNING...) seen from the socket's own network namespace,
   * or -1 if they cannot be read.
   */
  static int interfaceFlags(int fd, String iface) {
    byte[] ifreq = ifreq(iface);
    try {
      LibC.ioctl(fd, new NativeLong(LibC.SIOCGIFFLAGS), ifreq);
    } catch (LastErrorException e) {
      return -1;
    }
    return SockAddr.host(ifreq).getShort(IFNAMSIZ) & 0xffff;
  }

  /**
   * SIOCGIFHWADDR on the socket: the {@code struct ifreq} whose {@code ifr_hwaddr} (offset 16)
   * holds the hardware type (2 bytes) and then the address.
   */
  static byte[] hardwareAddressRequest(int fd, String iface, String operation)
      throws HostNetworkException {
    byte[] ifreq = ifreq(iface);
    try {
      LibC.ioctl(fd, new NativeLong(LibC.SIOCGIFHWADDR), ifreq);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == LibC.ENODEV) {
        throw HostNetworkException.noSuchInterface(operation, iface);
      }
      throw HostNetworkException.fromErrno(
          operation + " (read hardware address)", iface, e.getErrorCode(), null);
    }
    return ifreq;
  }

  /**
   * The exception for a failed send: "interface is down" when the interface is down, else the
   * errno mapped as usual.
   */
  static HostNetworkException sendFailure(
      int fd, String operation, String iface, int errno, HostNetworkException.Capability needed) {
    if (errno == LibC.ENETDOWN || errno == LibC.ENETUNREACH || errno == LibC.EHOSTUNREACH
        || errno == LibC.ENXIO || errno == LibC.EADDRNOTAVAIL) {
      int flags = interfaceFlags(fd, iface);
      if (flags >= 0 && (flags & LibC.IFF_UP) == 0) {
        return HostNetworkException.interfaceDown(operation, iface);
      }
    }
    return HostNetworkException.fromErrno(operation, iface, errno, needed);
  }

  private static final int IFNAMSIZ = 16;

  /** {@code struct ifreq} (40 bytes) with the name filled in. */
  private static byte[] ifreq(String iface) {
    byte[] ifreq = new byte[40];
    byte[] name = iface.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(name, 0, ifreq, 0, Math.min(name.length, IFNAMSIZ - 1));
    return ifreq;
  }

  static byte[] intBytes(int value) {
    return SockAddr.host(4).putInt(value).array();
  }

  /** {@code struct ip_mreqn}: group, local address 0.0.0.0, interface index. */
  static byte[] ipMreqn(byte[] group, int ifindex) {
    ByteBuffer b = SockAddr.host(12);
    b.put(group);
    b.putInt(0);
    b.putInt(ifindex);
    return b.array();
  }

  /** {@code struct ipv6_mreq}: group, interface index. */
  static byte[] ipv6Mreq(byte[] group, int ifindex) {
    ByteBuffer b = SockAddr.host(20);
    b.put(group);
    b.putInt(ifindex);
    return b.array();
  }
}
