package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gratuitous ARP and unsolicited NA sent in one namespace and captured with AF_PACKET on the
 * other end of the veth, compared byte for byte with keepalived's frame (spec 3.11). Needs root.
 */
class GarpNetnsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final Inet4Address VIP = VrrpSocketNetnsTest.v4("198.18.0.100");
  private static final Inet6Address VIP6 = VrrpSocketNetnsTest.v6("fe80::1:100");
  private static final Duration WAIT = Duration.ofSeconds(5);

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
  void gratuitousArpFrameIsKeepalivedsByteForByte() throws Exception {
    String mac = ns.mac(ns.a, "va").replace(":", "");
    try (PacketCapture capture = Netns.in(ns.b, () -> PacketCapture.open("vb"));
        Garp garp = Netns.in(ns.a, () -> Garp.open("va"))) {
      assertThat(garp.macAddress()).isEqualTo(ns.mac(ns.a, "va"));
      garp.sendArp(VIP);

      byte[] frame = capture.next(f -> PacketCapture.ethertype(f) == 0x0806, WAIT);

      assertThat(frame).as("ARP frame on vb").isNotNull();
      String expected = "ffffffffffff" + mac + "0806" // Ethernet: broadcast, interface MAC, ARP
          + "0001" + "0800" + "06" + "04" // Ethernet / IPv4, address lengths 6 and 4
          + "0001" // request
          + mac + "c6120064" // sender: interface MAC, 198.18.0.100
          + "ffffffffffff" + "c6120064"; // target: broadcast MAC (not zeros), 198.18.0.100
      assertThat(HEX.formatHex(frame)).isEqualTo(expected);
      assertThat(frame).hasSize(42);
    }
  }

  @Test
  void unsolicitedNeighbourAdvertIsKeepalivedsByteForByte() throws Exception {
    String mac = ns.mac(ns.a, "va").replace(":", "");
    try (PacketCapture capture = Netns.in(ns.b, () -> PacketCapture.open("vb"));
        Garp garp = Netns.in(ns.a, () -> Garp.open("va"))) {
      garp.sendNeighbourAdvert(VIP6); // va does not forward IPv6: no Router flag

      byte[] frame = capture.next(GarpNetnsTest::isNeighbourAdvert, WAIT);

      assertThat(frame).as("NA frame on vb").isNotNull();
      String vip = HEX.formatHex(VIP6.getAddress());
      String checksum = HEX.formatHex(frame, 56, 58);
      String expected = "333300000001" + mac + "86dd" // Ethernet: all-nodes multicast, IPv6
          + "60000000" + "0020" + "3a" + "ff" // IPv6: payload 32, ICMPv6, hop limit 255
          + vip + "ff020000000000000000000000000001" // from the VIP to ff02::1
          + "88" + "00" + checksum + "20000000" // NA, code 0, Override set, Solicited clear
          + vip // target
          + "0201" + mac; // target link-layer address option
      assertThat(HEX.formatHex(frame)).isEqualTo(expected);
      assertThat(icmpv6SumOk(frame)).as("ICMPv6 checksum").isTrue();
    }
  }

  @Test
  void routerFlagFollowsTheInterfaceIpv6Forwarding() throws Exception {
    ns.check("ip", "netns", "exec", ns.a, "sh", "-c",
        "echo 1 > /proc/sys/net/ipv6/conf/va/forwarding");
    try (PacketCapture capture = Netns.in(ns.b, () -> PacketCapture.open("vb"));
        Garp garp = Netns.in(ns.a, () -> Garp.open("va"))) {
      garp.sendNeighbourAdvert(VIP6);
      byte[] frame = capture.next(GarpNetnsTest::isNeighbourAdvert, WAIT);
      assertThat(frame).isNotNull();
      assertThat(frame[58] & 0xff).as("Router and Override").isEqualTo(0xa0);
      assertThat(icmpv6SumOk(frame)).isTrue();

      garp.sendNeighbourAdvert(VIP6, false);
      frame = capture.next(GarpNetnsTest::isNeighbourAdvert, WAIT);
      assertThat(frame[58] & 0xff).as("Override only").isEqualTo(0x20);
    }
  }

  @Test
  void sendingOnADownInterfaceSaysItIsDown() throws Exception {
    try (Garp garp = Netns.in(ns.a, () -> Garp.open("va"))) {
      ns.check("ip", "-n", ns.a, "link", "set", "va", "down");
      assertThatThrownBy(() -> garp.sendArp(VIP))
          .isInstanceOf(HostNetworkException.class)
          .hasMessage("send gratuitous ARP for 198.18.0.100 on va: interface va is down"
              + " (bring it up: ip link set va up)")
          .satisfies(e -> assertThat(((HostNetworkException) e).isInterfaceDown()).isTrue());
      assertThatThrownBy(() -> garp.sendNeighbourAdvert(VIP6))
          .isInstanceOf(HostNetworkException.class)
          .hasMessageContaining("on va: interface va is down");
    }
  }

  @Test
  void loopbackIsRefusedAsNotEthernet() {
    assertThatThrownBy(() -> Netns.in(ns.a, () -> Garp.open("lo")))
        .isInstanceOf(HostNetworkException.class)
        .hasMessageContaining("on lo: interface lo is not Ethernet (hardware type 772)");
  }

  private static boolean isNeighbourAdvert(byte[] f) {
    return PacketCapture.ethertype(f) == 0x86dd && f.length >= 55 && (f[20] & 0xff) == 58
        && (f[54] & 0xff) == 136;
  }

  /** The ICMPv6 sum over pseudo-header and message folds to 0xffff when the checksum is right. */
  private static boolean icmpv6SumOk(byte[] frame) {
    int ip = 14;
    int icmp = ip + 40;
    int length = ((frame[ip + 4] & 0xff) << 8) | (frame[ip + 5] & 0xff);
    long sum = 0;
    for (int i = ip + 8; i < ip + 40; i += 2) {
      sum += ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff); // source and destination
    }
    sum += length + 58;
    for (int i = icmp; i < icmp + length; i += 2) {
      sum += ((frame[i] & 0xff) << 8) | (frame[i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum == 0xffff;
  }
}
