package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VRRP raw sockets between two network namespaces joined by a veth pair: what one sends the other
 * receives with TTL/hop limit 255, TOS 0xC0 and every byte intact. Needs root; skipped otherwise.
 */
class VrrpSocketNetnsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Inet4Address A = v4("198.18.0.1");
  private static final Inet4Address B = v4("198.18.0.2");
  private static final Inet4Address VIP = v4("198.18.0.100");

  private Netns ns;

  @BeforeEach
  void namespaces() {
    String why = Netns.whyUnavailable();
    assumeTrue(why == null, () -> "skipped: " + why);
    ns = Netns.create();
  }

  @AfterEach
  void deleteNamespaces() {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void ipv4MulticastWithHeaderIncludedArrivesIntactWithTtl255AndTos0xC0() throws Exception {
    byte[] packet = ipv4Packet(A, VrrpSocket.VRRP_GROUP, 255, 0x1234, vrrpV2Advert(51, 150, VIP));
    try (VrrpSocket sender = Netns.in(ns.a, () -> VrrpSocket.open("va"));
        VrrpSocket receiver = Netns.in(ns.b, () -> VrrpSocket.open("vb"))) {
      assertThat(sender.headerIncluded()).isTrue();
      sender.send(packet, VrrpSocket.VRRP_GROUP);

      byte[] buffer = new byte[2048];
      ReceivedPacket got = receiver.receive(buffer, WAIT).orElseThrow();

      assertThat(got.source()).isEqualTo(A);
      assertThat(got.destination()).isEqualTo(VrrpSocket.VRRP_GROUP);
      assertThat(got.hopLimit()).isEqualTo(255);
      assertThat(got.truncated()).isFalse();
      assertThat(got.length()).isEqualTo(packet.length);
      assertThat(buffer[1] & 0xff).as("TOS").isEqualTo(0xC0);
      assertThat(buffer[8] & 0xff).as("TTL").isEqualTo(255);
      assertThat(buffer[9] & 0xff).as("protocol").isEqualTo(112);
      assertThat(ipv4HeaderChecksumOk(buffer)).as("header checksum filled by the kernel").isTrue();
      byte[] received = Arrays.copyOf(buffer, got.length());
      received[10] = 0;
      received[11] = 0;
      assertThat(received).as("every byte but the header checksum").isEqualTo(packet);

      // IP_MULTICAST_LOOP is off: the sender does not hear its own advert
      assertThat(sender.receive(buffer, Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void ipv4MulticastWithKernelBuiltHeaderCarriesTtl255AndTos0xC0() throws Exception {
    byte[] advert = vrrpV2Advert(52, 100, VIP);
    try (VrrpSocket sender = Netns.in(ns.a, () ->
            VrrpSocket.builder("va").headerIncluded(false).sourceAddress(A).open());
        VrrpSocket receiver = Netns.in(ns.b, () -> VrrpSocket.open("vb"))) {
      sender.send(advert, VrrpSocket.VRRP_GROUP);

      byte[] buffer = new byte[2048];
      ReceivedPacket got = receiver.receive(buffer, WAIT).orElseThrow();

      assertThat(got.source()).isEqualTo(A);
      assertThat(got.hopLimit()).isEqualTo(255);
      assertThat(buffer[0] & 0xff).isEqualTo(0x45);
      assertThat(buffer[1] & 0xff).as("TOS").isEqualTo(0xC0);
      assertThat(buffer[9] & 0xff).as("protocol").isEqualTo(112);
      assertThat(Arrays.copyOfRange(buffer, 20, got.length())).isEqualTo(advert);
    }
  }

  @Test
  void ipv4UnicastToThePeerArrives() throws Exception {
    byte[] packet = ipv4Packet(A, B, 255, 7, vrrpV2Advert(53, 200, VIP));
    try (VrrpSocket sender = Netns.in(ns.a, () ->
            VrrpSocket.builder("va").joinGroup(false).open());
        VrrpSocket receiver = Netns.in(ns.b, () ->
            VrrpSocket.builder("vb").joinGroup(false).open())) {
      sender.send(packet, B);

      byte[] buffer = new byte[2048];
      ReceivedPacket got = receiver.receive(buffer, WAIT).orElseThrow();

      assertThat(got.source()).isEqualTo(A);
      assertThat(got.destination()).isEqualTo(B);
      assertThat(got.hopLimit()).isEqualTo(255);
      assertThat(buffer[1] & 0xff).isEqualTo(0xC0);
      byte[] received = Arrays.copyOf(buffer, got.length());
      received[10] = 0;
      received[11] = 0;
      assertThat(received).isEqualTo(packet);
    }
  }

  @Test
  void ipv6MulticastToFf02Colon12ReportsHopLimit255() throws Exception {
    Inet6Address aLinkLocal = v6(ns.linkLocal(ns.a, "va"));
    byte[] advert = vrrpV3Advert(54, 150, aLinkLocal);
    try (VrrpSocket6 sender = Netns.in(ns.a, () -> VrrpSocket6.open("va"));
        VrrpSocket6 receiver = Netns.in(ns.b, () -> VrrpSocket6.open("vb"))) {
      sender.send(advert, VrrpSocket6.VRRP_GROUP);

      byte[] buffer = new byte[2048];
      ReceivedPacket got = receiver.receive(buffer, WAIT).orElseThrow();

      assertThat(got.hopLimit()).isEqualTo(255);
      assertThat(withoutScope(got.source())).isEqualTo(aLinkLocal);
      assertThat(((Inet6Address) got.source()).getScopeId()).isEqualTo(receiver.interfaceIndex());
      assertThat(withoutScope(got.destination())).isEqualTo(VrrpSocket6.VRRP_GROUP);
      assertThat(got.length()).isEqualTo(advert.length);
      byte[] received = Arrays.copyOf(buffer, got.length());
      assertThat(vrrpV6ChecksumOk(aLinkLocal, VrrpSocket6.VRRP_GROUP, received))
          .as("checksum at offset 6 computed by the kernel").isTrue();
      received[6] = 0;
      received[7] = 0;
      assertThat(received).isEqualTo(advert);

      assertThat(sender.receive(buffer, Duration.ofMillis(300))).isEmpty();
    }
  }

  @Test
  void ipv6UnicastToThePeerLinkLocalReportsHopLimit255() throws Exception {
    Inet6Address aLinkLocal = v6(ns.linkLocal(ns.a, "va"));
    Inet6Address bLinkLocal = v6(ns.linkLocal(ns.b, "vb"));
    byte[] advert = vrrpV3Advert(55, 150, aLinkLocal);
    try (VrrpSocket6 sender = Netns.in(ns.a, () ->
            VrrpSocket6.builder("va").joinGroup(false).sourceAddress(aLinkLocal).open());
        VrrpSocket6 receiver = Netns.in(ns.b, () ->
            VrrpSocket6.builder("vb").joinGroup(false).open())) {
      sender.send(advert, bLinkLocal);

      byte[] buffer = new byte[2048];
      ReceivedPacket got = receiver.receive(buffer, WAIT).orElseThrow();

      assertThat(got.hopLimit()).isEqualTo(255);
      assertThat(withoutScope(got.source())).isEqualTo(aLinkLocal);
      assertThat(withoutScope(got.destination())).isEqualTo(bLinkLocal);
      assertThat(vrrpV6ChecksumOk(aLinkLocal, bLinkLocal, Arrays.copyOf(buffer, got.length())))
          .isTrue();
    }
  }

  @Test
  void closeFromAnotherThreadWakesABlockedReceiverAtOnce() throws Exception {
    VrrpSocket socket = Netns.in(ns.b, () -> VrrpSocket.open("vb"));
    VrrpSocket6 socket6 = Netns.in(ns.b, () -> VrrpSocket6.open("vb"));
    CompletableFuture<Throwable> v4 = blockedReceive(() -> socket.receive(new byte[1500]));
    CompletableFuture<Throwable> v6 = blockedReceive(() -> socket6.receive(new byte[1500]));
    Thread.sleep(200); // let both threads block in poll()
    assertThat(v4).isNotDone();
    assertThat(v6).isNotDone();

    long start = System.nanoTime();
    socket.close();
    socket6.close();

    assertThat(v4.get(2, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
    assertThat(v6.get(2, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThatThrownBy(() -> socket.receive(new byte[64], Duration.ZERO))
        .isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> socket6.send(new byte[8], VrrpSocket6.VRRP_GROUP))
        .isInstanceOf(ClosedChannelException.class);
    socket.close(); // idempotent
  }

  @Test
  void receiveTimesOutEmptyAndTruncationIsReported() throws Exception {
    try (VrrpSocket sender = Netns.in(ns.a, () -> VrrpSocket.open("va"));
        VrrpSocket receiver = Netns.in(ns.b, () -> VrrpSocket.open("vb"))) {
      assertThat(receiver.receive(new byte[64], Duration.ofMillis(100))).isEmpty();

      byte[] packet = ipv4Packet(A, VrrpSocket.VRRP_GROUP, 255, 9, vrrpV2Advert(56, 100, VIP));
      sender.send(packet, VrrpSocket.VRRP_GROUP);
      byte[] small = new byte[24];
      Optional<ReceivedPacket> got = receiver.receive(small, WAIT);
      assertThat(got).hasValueSatisfying(p -> {
        assertThat(p.length()).isEqualTo(24);
        assertThat(p.truncated()).isTrue();
      });
    }
  }

  private interface Blocking {
    Object call() throws Exception;
  }

  private static CompletableFuture<Throwable> blockedReceive(Blocking receive) {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        receive.call();
        outcome.complete(null);
      } catch (Throwable e) {
        outcome.complete(e);
      }
    }, "blocked-receiver");
    t.setDaemon(true);
    t.start();
    return outcome;
  }

  /** A 20-byte IPv4 header as keepalived builds it (checksum left 0), then the payload. */
  static byte[] ipv4Packet(Inet4Address src, Inet4Address dst, int ttl, int id, byte[] payload) {
    byte[] p = new byte[20 + payload.length];
    p[0] = 0x45;
    p[1] = (byte) 0xC0;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[4] = (byte) (id >> 8);
    p[5] = (byte) id;
    p[8] = (byte) ttl;
    p[9] = 112;
    System.arraycopy(src.getAddress(), 0, p, 12, 4);
    System.arraycopy(dst.getAddress(), 0, p, 16, 4);
    System.arraycopy(payload, 0, p, 20, payload.length);
    return p;
  }

  /** A VRRPv2 advertisement for one VIP (spec 3.8): 16 + 4 bytes, checksum over the message. */
  static byte[] vrrpV2Advert(int vrid, int priority, Inet4Address vip) {
    byte[] m = new byte[20];
    m[0] = 0x21;
    m[1] = (byte) vrid;
    m[2] = (byte) priority;
    m[3] = 1;
    m[5] = 1;
    System.arraycopy(vip.getAddress(), 0, m, 8, 4);
    int sum = onesComplement(m, 0, m.length, 0);
    m[6] = (byte) (sum >> 8);
    m[7] = (byte) sum;
    return m;
  }

  /** A VRRPv3 advertisement for one IPv6 VIP, checksum bytes zero (the kernel fills them). */
  static byte[] vrrpV3Advert(int vrid, int priority, Inet6Address vip) {
    byte[] m = new byte[8 + 16];
    m[0] = 0x31;
    m[1] = (byte) vrid;
    m[2] = (byte) priority;
    m[3] = 1;
    m[4] = 0;
    m[5] = 100; // 100 centiseconds
    System.arraycopy(vip.getAddress(), 0, m, 8, 16);
    return m;
  }

  static boolean ipv4HeaderChecksumOk(byte[] packet) {
    return fold(onesComplementSum(packet, 0, 20, 0)) == 0xffff;
  }

  static boolean vrrpV6ChecksumOk(Inet6Address src, Inet6Address dst, byte[] message) {
    long sum = onesComplementSum(src.getAddress(), 0, 16, 0);
    sum = onesComplementSum(dst.getAddress(), 0, 16, sum);
    sum += message.length;
    sum += 112;
    sum = onesComplementSum(message, 0, message.length, sum);
    return fold(sum) == 0xffff;
  }

  private static int onesComplement(byte[] b, int off, int len, long start) {
    return (int) (~fold(onesComplementSum(b, off, len, start)) & 0xffff);
  }

  private static long onesComplementSum(byte[] b, int off, int len, long sum) {
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    return sum;
  }

  private static long fold(long sum) {
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
  }

  static InetAddress withoutScope(InetAddress address) throws Exception {
    return InetAddress.getByAddress(address.getAddress());
  }

  static Inet4Address v4(String text) {
    try {
      return (Inet4Address) InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Inet6Address v6(String text) {
    try {
      return (Inet6Address) InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
