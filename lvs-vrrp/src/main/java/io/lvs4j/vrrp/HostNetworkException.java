package io.lvs4j.vrrp;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A host networking operation (raw socket, netlink, AF_PACKET) failed. The message names the
 * operation and the interface and says what is needed ("not permitted: run as root or with
 * CAP_NET_RAW", "no such interface", "interface is down"), followed by the errno name and the C
 * library's text for it, for example:
 *
 * <pre>
 * open raw VRRP socket (IPv4, protocol 112) on eth0: not permitted: run as root or with CAP_NET_RAW (EPERM: Operation not permitted)
 * </pre>
 *
 * <p>Immutable.
 */
public final class HostNetworkException extends IOException {

  private static final long serialVersionUID = 1L;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(LibC.EPERM, "EPERM"),
          Map.entry(LibC.ENOENT, "ENOENT"),
          Map.entry(LibC.EINTR, "EINTR"),
          Map.entry(LibC.ENXIO, "ENXIO"),
          Map.entry(LibC.EBADF, "EBADF"),
          Map.entry(LibC.EAGAIN, "EAGAIN"),
          Map.entry(LibC.EACCES, "EACCES"),
          Map.entry(LibC.EEXIST, "EEXIST"),
          Map.entry(LibC.ENODEV, "ENODEV"),
          Map.entry(LibC.EINVAL, "EINVAL"),
          Map.entry(LibC.EMSGSIZE, "EMSGSIZE"),
          Map.entry(LibC.EADDRNOTAVAIL, "EADDRNOTAVAIL"),
          Map.entry(LibC.ENETDOWN, "ENETDOWN"),
          Map.entry(LibC.ENETUNREACH, "ENETUNREACH"),
          Map.entry(LibC.ENOBUFS, "ENOBUFS"),
          Map.entry(LibC.EHOSTUNREACH, "EHOSTUNREACH"));

  /** The Linux capability an operation needs, named in the "not permitted" message. */
  enum Capability {
    NET_RAW("CAP_NET_RAW"),
    NET_ADMIN("CAP_NET_ADMIN");

    final String text;

    Capability(String text) {
      this.text = text;
    }
  }

  private static final String NOT_PERMITTED = "not permitted: ";

  private final String operation;
  private final String interfaceName;
  private final int errno;
  private final boolean permissionDenied;

  private HostNetworkException(
      String operation, String interfaceName, int errno, String message,
      boolean permissionDenied) {
    super(message);
    this.operation = operation;
    this.interfaceName = interfaceName;
    this.errno = errno;
    this.permissionDenied = permissionDenied;
  }

  /** What was being done, for example {@code "add address 198.18.0.100/24"}. */
  public String operation() {
    return operation;
  }

  /** The interface the operation was about, if it was about one. */
  public Optional<String> interfaceName() {
    return Optional.ofNullable(interfaceName);
  }

  /** The errno the system call (or the kernel's netlink reply) gave, or 0 if none. */
  public int errno() {
    return errno;
  }

  /** True if the failure was a missing privilege (EPERM, or EACCES the kernel left unexplained). */
  public boolean isPermissionDenied() {
    return permissionDenied;
  }

  /** True if the interface does not exist (ENODEV, ENXIO, or a failed name lookup). */
  public boolean isNoSuchInterface() {
    return errno == LibC.ENODEV || errno == LibC.ENXIO;
  }

  /** True if the interface was administratively down (ENETDOWN). */
  public boolean isInterfaceDown() {
    return errno == LibC.ENETDOWN;
  }

  static HostNetworkException fromErrno(
      String operation, String interfaceName, int errno, Capability needed) {
    return fromErrno(operation, interfaceName, errno, needed, null);
  }

  static HostNetworkException fromErrno(
      String operation, String interfaceName, int errno, Capability needed, String kernelText) {
    // netlink's EACCES with a reason ("IPv6 is disabled on this device") is not about privilege
    boolean explained = errno == LibC.EACCES && kernelText != null && !kernelText.isEmpty();
    String hint = explained ? null : hint(interfaceName, errno, needed);
    StringBuilder message = new StringBuilder(where(operation, interfaceName)).append(": ");
    if (hint != null) {
      message.append(hint).append(" (").append(errnoText(errno));
      if (kernelText != null && !kernelText.isEmpty()) {
        message.append("; kernel says: ").append(kernelText);
      }
      message.append(')');
    } else {
      message.append(errnoText(errno));
      if (kernelText != null && !kernelText.isEmpty()) {
        message.append(" (kernel says: ").append(kernelText).append(')');
      }
    }
    boolean permission = hint != null && hint.startsWith(NOT_PERMITTED);
    return new HostNetworkException(
        operation, interfaceName, errno, message.toString(), permission);
  }

  static HostNetworkException noSuchInterface(String operation, String interfaceName) {
    return new HostNetworkException(
        operation,
        interfaceName,
        LibC.ENODEV,
        where(operation, interfaceName) + ": no such interface " + interfaceName
            + " (check the name, and that it exists in this network namespace)",
        false);
  }

  static HostNetworkException interfaceDown(String operation, String interfaceName) {
    return new HostNetworkException(
        operation,
        interfaceName,
        LibC.ENETDOWN,
        where(operation, interfaceName) + ": interface " + interfaceName
            + " is down (bring it up: ip link set " + interfaceName + " up)",
        false);
  }

  static HostNetworkException protocol(String operation, String interfaceName, String problem) {
    return new HostNetworkException(
        operation, interfaceName, 0, where(operation, interfaceName) + ": " + problem, false);
  }

  static String errnoName(int errno) {
    return NAMES.getOrDefault(errno, "errno " + errno);
  }

  /** "EPERM: Operation not permitted", through strerror. */
  static String errnoText(int errno) {
    String text;
    try {
      text = LibC.strerror(errno);
    } catch (RuntimeException | LinkageError e) {
      text = null;
    }
    return errnoName(errno) + ": " + Objects.requireNonNullElse(text, "unknown error");
  }

  private static String where(String operation, String interfaceName) {
    return interfaceName == null ? operation : operation + " on " + interfaceName;
  }

  private static String hint(String interfaceName, int errno, Capability needed) {
    String iface = interfaceName == null ? "the interface" : "interface " + interfaceName;
    switch (errno) {
      case LibC.EPERM:
      case LibC.EACCES:
        return NOT_PERMITTED + "run as root or with "
            + (needed == null ? Capability.NET_ADMIN : needed).text;
      case LibC.ENODEV:
      case LibC.ENXIO:
        return interfaceName == null
            ? "no such interface"
            : "no such interface " + interfaceName;
      case LibC.ENETDOWN:
        return iface + " is down (bring it up"
            + (interfaceName == null ? "" : ": ip link set " + interfaceName + " up") + ")";
      case LibC.ENETUNREACH:
      case LibC.EHOSTUNREACH:
        return "no route via " + iface + " (is it up, and does it have an address?)";
      case LibC.EADDRNOTAVAIL:
        return "address not available on " + iface;
      case LibC.EMSGSIZE:
        return "packet larger than the MTU of " + iface;
      default:
        return null;
    }
  }
}
