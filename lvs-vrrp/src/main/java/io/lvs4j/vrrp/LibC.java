package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The few libc calls the host layer needs, bound with JNA direct mapping. Constants are the Linux
 * values shared by x86-64 and aarch64 (asm-generic); every caller maps errno through {@link
 * HostNetworkException}.
 */
final class LibC {

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private LibC() {}

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;

  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;

  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_BINDTODEVICE = 25;

  static final int IPPROTO_IP = 0;
  static final int IPPROTO_IPV6 = 41;
  static final int IPPROTO_ICMPV6 = 58;
  static final int IPPROTO_VRRP = 112;

  static final int IP_TOS = 1;
  static final int IP_TTL = 2;
  static final int IP_HDRINCL = 3;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;

  static final int IPV6_CHECKSUM = 7;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;
  static final int IPV6_ADD_MEMBERSHIP = 20;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int IPV6_RECVHOPLIMIT = 51;
  static final int IPV6_HOPLIMIT = 52;

  static final int SOL_NETLINK = 270;
  static final int NETLINK_ROUTE = 0;
  static final int NETLINK_CAP_ACK = 10;
  static final int NETLINK_EXT_ACK = 11;

  static final int ETH_P_ALL = 0x0003;
  static final int ETH_P_IP = 0x0800;
  static final int ETH_P_ARP = 0x0806;
  static final int ETH_P_IPV6 = 0x86DD;

  static final int MSG_DONTWAIT = 0x40;
  static final int MSG_TRUNC = 0x20;

  static final int POLLIN = 0x001;

  static final int SIOCGIFFLAGS = 0x8913;
  static final int SIOCGIFHWADDR = 0x8927;
  static final int IFF_UP = 0x1;
  static final int IFF_RUNNING = 0x40;
  static final int IFF_LOWER_UP = 0x10000;

  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int EFD_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;
  static final int CLONE_NEWNET = 0x40000000;

  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int ENXIO = 6;
  static final int EBADF = 9;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int EMSGSIZE = 90;
  static final int EADDRNOTAVAIL = 99;
  static final int ENETDOWN = 100;
  static final int ENETUNREACH = 101;
  static final int ENOBUFS = 105;
  static final int EHOSTUNREACH = 113;

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native int setsockopt(int fd, int level, int name, byte[] value, int length)
      throws LastErrorException;

  static native int bind(int fd, byte[] address, int length) throws LastErrorException;

  static native NativeLong sendto(
      int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
      throws LastErrorException;

  static native NativeLong recvfrom(
      int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int[] addressLength)
      throws LastErrorException;

  static native NativeLong recvmsg(int fd, MsgHdr message, int flags)
      throws LastErrorException;

  static native int poll(Pointer fds, NativeLong count, int timeoutMillis)
      throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native NativeLong write(int fd, byte[] buffer, NativeLong length)
      throws LastErrorException;

  static native int ioctl(int fd, NativeLong request, byte[] argument) throws LastErrorException;

  static native int eventfd(int initial, int flags) throws LastErrorException;

  /** For the integration tests, which move a thread into a test network namespace. */
  static native int open(String path, int flags) throws LastErrorException;

  static native int setns(int fd, int nstype) throws LastErrorException;

  static native int if_nametoindex(String name);

  static native String strerror(int errno);

  static native int geteuid();

  static NativeLong size(long value) {
    return new NativeLong(value);
  }

  /**
   * {@code struct msghdr} for {@code recvmsg(2)}; {@code size_t} fields are {@code long}-sized.
   * Public only so that JNA may read its fields by reflection: {@link LibC} is package-private,
   * so no code outside this package can name it.
   */
  @Structure.FieldOrder({"name", "nameLength", "iov", "iovLength", "control", "controlLength",
      "flags"})
  public static final class MsgHdr extends Structure {
    public Pointer name;
    public int nameLength;
    public Pointer iov;
    public NativeLong iovLength;
    public Pointer control;
    public NativeLong controlLength;
    public int flags;
  }

  /** {@code struct iovec}: one buffer of a scatter/gather I/O. Public for JNA, like MsgHdr. */
  @Structure.FieldOrder({"base", "length"})
  public static final class IoVec extends Structure {
    public Pointer base;
    public NativeLong length;
  }
}
