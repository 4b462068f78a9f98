package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Sends gratuitous ARP (IPv4) and unsolicited Neighbour Advertisements (IPv6) for virtual
 * addresses on one Ethernet interface, through an AF_PACKET socket, with keepalived's frames
 * ({@code vrrp_arp.c}, {@code vrrp_ndisc.c}):
 *
 * <ul>
 *   <li>GARP, 42 bytes: Ethernet dst ff:ff:ff:ff:ff:ff, src the interface MAC, type 0x0806; ARP
 *       request (op 1) with sender MAC / VIP and target ff:ff:ff:ff:ff:ff / VIP.
 *   <li>NA, 86 bytes: Ethernet dst 33:33:00:00:00:01, type 0x86DD; IPv6 from the VIP to ff02::1
 *       with hop limit 255; ICMPv6 type 136 with the Override flag (and Router when the
 *       interface forwards IPv6), target the VIP, and a target link-layer address option.
 * </ul>
 *
 * <p>The MAC and the up state are read from the interface at every send, so a changed MAC is
 * used at once and a down interface fails with "interface X is down". The socket never receives.
 * It lives in the network namespace of the thread that opened it. Thread-safe.
 */
public final class Garp implements Closeable {

  static final int ARP_FRAME_LENGTH = 42;
  static final int NA_FRAME_LENGTH = 86;
  private static final int ARPHRD_ETHER = 1;

  private final String interfaceName;
  private final int interfaceIndex;
  private final boolean ipv6Forwarding;
  private final NativeFd fd;

  private Garp(String interfaceName, int interfaceIndex, boolean ipv6Forwarding, NativeFd fd) {
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
    this.ipv6Forwarding = ipv6Forwarding;
    this.fd = fd;
  }

  /**
   * Opens the sender for an interface in the calling thread's network namespace, and reads
   * there whether the interface forwards IPv6 (the NA Router flag).
   *
   * @throws HostNetworkException if the interface does not exist, is not Ethernet, or the
   *     process lacks CAP_NET_RAW
   */
  public static Garp open(String interfaceName) throws HostNetworkException {
    String operation = "open gratuitous ARP / NA socket (AF_PACKET)";
    int index = Sockets.interfaceIndex(interfaceName, operation);
    // protocol 0: the socket is for sending only, and queues nothing it would never read
    NativeFd fd = NativeFd.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0, operation, interfaceName,
        HostNetworkException.Capability.NET_RAW);
    boolean ok = false;
    try {
      Garp garp = new Garp(interfaceName, index, readForwarding(interfaceName), fd);
      garp.hardwareAddress(operation);
      ok = true;
      return garp;
    } finally {
      if (!ok) {
        fd.close();
      }
    }
  }

  /** The interface the frames go out on. */
  public String interfaceName() {
    return interfaceName;
  }

  /** The interface's current MAC, {@code aa:bb:cc:dd:ee:ff}. */
  public String macAddress() throws HostNetworkException, ClosedChannelException {
    int socket = fd.acquire();
    try {
      return HexFormat.ofDelimiter(":").formatHex(hardwareAddress("read MAC address", socket));
    } finally {
      fd.release();
    }
  }

  /** Sends one gratuitous ARP for the VIP. */
  public void sendArp(Inet4Address vip) throws HostNetworkException, ClosedChannelException {
    Objects.requireNonNull(vip, "vip");
    String operation = "send gratuitous ARP for " + vip.getHostAddress();
    send(operation, LibC.ETH_P_ARP, mac -> arpFrame(mac, vip));
  }

  /**
   * Sends one unsolicited Neighbour Advertisement for the VIP, with the Router flag set if the
   * interface forwarded IPv6 when this sender was opened (as keepalived reads it).
   */
  public void sendNeighbourAdvert(Inet6Address vip)
      throws HostNetworkException, ClosedChannelException {
    sendNeighbourAdvert(vip, ipv6Forwarding);
  }

  /** Sends one unsolicited Neighbour Advertisement for the VIP with the given Router flag. */
  public void sendNeighbourAdvert(Inet6Address vip, boolean router)
      throws HostNetworkException, ClosedChannelException {
    Objects.requireNonNull(vip, "vip");
    String operation = "send unsolicited neighbour advertisement for " + vip.getHostAddress();
    send(operation, LibC.ETH_P_IPV6, mac -> neighbourAdvertFrame(mac, vip, router));
  }

  /** Closes the socket. Idempotent. */
  @Override
  public void close() {
    fd.close();
  }

  private interface FrameBuilder {
    byte[] build(byte[] mac);
  }

  private void send(String operation, int ethertype, FrameBuilder builder)
      throws HostNetworkException, ClosedChannelException {
    int socket = fd.acquire();
    try {
      int flags = Sockets.interfaceFlags(socket, interfaceName);
      if (flags >= 0 && (flags & LibC.IFF_UP) == 0) {
        throw HostNetworkException.interfaceDown(operation, interfaceName);
      }
      byte[] mac = hardwareAddress(operation, socket);
      byte[] frame = builder.build(mac);
      byte[] address = SockAddr.ll(ethertype, interfaceIndex, new byte[] {
          frame[0], frame[1], frame[2], frame[3], frame[4], frame[5]});
      try {
        LibC.sendto(socket, frame, LibC.size(frame.length), 0, address, address.length);
      } catch (LastErrorException e) {
        throw Sockets.sendFailure(socket, operation, interfaceName, e.getErrorCode(),
            HostNetworkException.Capability.NET_RAW);
      }
    } finally {
      fd.release();
    }
  }

  private byte[] hardwareAddress(String operation) throws HostNetworkException {
    return hardwareAddress(operation, fd.unsafeFd());
  }

  private byte[] hardwareAddress(String operation, int socket) throws HostNetworkException {
    byte[] ifreq = Sockets.hardwareAddressRequest(socket, interfaceName, operation);
    int type = SockAddr.host(ifreq).getShort(16) & 0xffff;
    if (type != ARPHRD_ETHER) {
      throw HostNetworkException.protocol(operation, interfaceName,
          "interface " + interfaceName + " is not Ethernet (hardware type " + type
              + "); gratuitous ARP and NA need an Ethernet interface");
    }
    byte[] mac = new byte[6];
    System.arraycopy(ifreq, 18, mac, 0, 6);
    return mac;
  }

  private static boolean readForwarding(String interfaceName) {
    Path path = Path.of("/proc/sys/net/ipv6/conf", interfaceName, "forwarding");
    try {
      return Files.readString(path).trim().equals("1");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** keepalived's gratuitous ARP frame (42 bytes) for {@code vip} from {@code mac}. */
  static byte[] arpFrame(byte[] mac, Inet4Address vip) {
    checkMac(mac);
    byte[] ip = vip.getAddress();
    ByteBuffer b = ByteBuffer.allocate(ARP_FRAME_LENGTH);
    b.put(broadcast()).put(mac).putShort((short) LibC.ETH_P_ARP);
    b.putShort((short) ARPHRD_ETHER); // hardware type
    b.putShort((short) LibC.ETH_P_IP); // protocol type
    b.put((byte) 6).put((byte) 4); // address lengths
    b.putShort((short) 1); // ARP request
    b.put(mac).put(ip); // sender
    b.put(broadcast()).put(ip); // target: broadcast MAC, not zeros
    return b.array();
  }

  /** keepalived's unsolicited Neighbour Advertisement frame (86 bytes). */
  static byte[] neighbourAdvertFrame(byte[] mac, Inet6Address vip, boolean router) {
    checkMac(mac);
    byte[] ip = vip.getAddress();
    byte[] allNodes = new byte[16];
    allNodes[0] = (byte) 0xff;
    allNodes[1] = 0x02;
    allNodes[15] = 0x01;
    int icmpLength = 32;
    ByteBuffer b = ByteBuffer.allocate(NA_FRAME_LENGTH);
    b.put(new byte[] {0x33, 0x33, 0, 0, 0, 1}).put(mac).putShort((short) LibC.ETH_P_IPV6);
    b.putInt(0x6000_0000); // version 6, traffic class 0, flow label 0
    b.putShort((short) icmpLength);
    b.put((byte) LibC.IPPROTO_ICMPV6);
    b.put((byte) 255); // hop limit: receivers drop NDISC with anything else
    b.put(ip).put(allNodes);
    int icmp = b.position();
    b.put((byte) 136).put((byte) 0).putShort((short) 0); // type, code, checksum
    b.put((byte) ((router ? 0x80 : 0) | 0x20)).put(new byte[3]); // R, S=0, O=1
    b.put(ip); // target
    b.put((byte) 2).put((byte) 1).put(mac); // target link-layer address option, 8 bytes
    byte[] frame = b.array();
    int sum = icmpv6Checksum(ip, allNodes, frame, icmp, icmpLength);
    frame[icmp + 2] = (byte) (sum >> 8);
    frame[icmp + 3] = (byte) sum;
    return frame;
  }

  /** The ICMPv6 checksum (RFC 4443 2.3): over the IPv6 pseudo-header and the message. */
  static int icmpv6Checksum(byte[] source, byte[] destination, byte[] bytes, int offset,
      int length) {
    long sum = 0;
    for (int i = 0; i < 16; i += 2) {
      sum += ((source[i] & 0xff) << 8) | (source[i + 1] & 0xff);
      sum += ((destination[i] & 0xff) << 8) | (destination[i + 1] & 0xff);
    }
    sum += length; // upper-layer packet length (32 bits, fits in 16 here)
    sum += LibC.IPPROTO_ICMPV6; // three zero bytes, then the next header
    for (int i = 0; i < length; i += 2) {
      int hi = bytes[offset + i] & 0xff;
      int lo = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  private static void checkMac(byte[] mac) {
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException("an Ethernet MAC is 6 bytes");
    }
  }

  private static byte[] broadcast() {
    return new byte[] {-1, -1, -1, -1, -1, -1};
  }
}
