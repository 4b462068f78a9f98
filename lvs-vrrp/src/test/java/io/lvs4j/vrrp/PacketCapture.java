package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A test-only AF_PACKET receive socket (ETH_P_ALL) on one interface: the frames exactly as they
 * arrived, Ethernet header included, for byte-by-byte comparison. Only incoming frames are kept
 * (PACKET_OUTGOING is skipped).
 */
final class PacketCapture implements AutoCloseable {

  private static final int PACKET_OUTGOING = 4;

  private final NativeFd fd;

  private PacketCapture(NativeFd fd) {
    this.fd = fd;
  }

  /** Opens the capture in the calling thread's network namespace. */
  static PacketCapture open(String iface) throws Exception {
    int index = Sockets.interfaceIndex(iface, "capture");
    NativeFd fd = NativeFd.socket(LibC.AF_PACKET, LibC.SOCK_RAW,
        SockAddr.htons(LibC.ETH_P_ALL) & 0xffff, "capture", iface,
        HostNetworkException.Capability.NET_RAW);
    byte[] address = SockAddr.ll(LibC.ETH_P_ALL, index, null);
    LibC.bind(fd.unsafeFd(), address, address.length);
    return new PacketCapture(fd);
  }

  /** The first incoming frame matching the filter within the timeout, or null. */
  byte[] next(Predicate<byte[]> filter, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buffer = new byte[2048];
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !fd.awaitReadable(Duration.ofNanos(left), "capture", null)) {
        return null;
      }
      byte[] from = new byte[SockAddr.LL_LENGTH];
      int[] fromLength = {from.length};
      long n;
      try {
        n = LibC.recvfrom(fd.unsafeFd(), buffer, LibC.size(buffer.length), LibC.MSG_DONTWAIT,
            from, fromLength).longValue();
      } catch (LastErrorException e) {
        continue;
      }
      int packetType = from[10] & 0xff;
      byte[] frame = Arrays.copyOf(buffer, (int) n);
      if (packetType != PACKET_OUTGOING && filter.test(frame)) {
        return frame;
      }
    }
  }

  static int ethertype(byte[] frame) {
    return frame.length < 14 ? -1 : ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
  }

  @Override
  public void close() {
    fd.close();
  }
}
