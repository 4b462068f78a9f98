package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Netlink address and link operations inside a network namespace, checked against what {@code ip}
 * prints. Needs root; skipped otherwise.
 */
class NetlinkNetnsTest {

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
  void addAndDeleteIpv4VipWithLabelShowUpInIpAddrAndAreIdempotent() throws Exception {
    InetAddress vip = InetAddress.getByName("198.18.0.100");
    try (Netlink netlink = Netns.in(ns.a, Netlink::open)) {
      assertThat(netlink.addAddress("va", vip, 24, "va:vip")).isTrue();
      assertThat(ipv4Lines()).anySatisfy(line -> {
        assertThat(line).contains("inet 198.18.0.100/24");
        assertThat(line).contains("va:vip");
      });
      assertThat(netlink.addAddress("va", vip, 24, "va:vip")).as("second add").isFalse();
      assertThat(ipv4Lines()).filteredOn(l -> l.contains("198.18.0.100/")).hasSize(1);
      assertThat(netlink.addresses("va")).extracting(LinkAddress::toString)
          .contains("198.18.0.1/24 va", "198.18.0.100/24 va:vip");

      assertThat(netlink.deleteAddress("va", vip, 24)).isTrue();
      assertThat(ipv4Lines()).noneMatch(l -> l.contains("198.18.0.100"));
      assertThat(netlink.deleteAddress("va", vip, 24)).as("second delete").isFalse();
      assertThat(ipv4Lines()).anyMatch(l -> l.contains("inet 198.18.0.1/24"));
    }
  }

  @Test
  void addAndDeleteIpv6LinkLocalVipWithoutDad() throws Exception {
    InetAddress vip = InetAddress.getByName("fe80::1:100");
    try (Netlink netlink = Netns.in(ns.a, Netlink::open)) {
      assertThat(netlink.addAddress("va", vip, 64, null, true)).isTrue();
      String out = ns.check("ip", "-n", ns.a, "-o", "-6", "addr", "show", "dev", "va");
      assertThat(Netns.lines(out)).anySatisfy(line -> {
        assertThat(line).contains("inet6 fe80::1:100/64");
        assertThat(line).contains("nodad").doesNotContain("tentative");
      });
      assertThat(netlink.addAddress("va", vip, 64, null, true)).isFalse();
      assertThat(netlink.addresses("va")).anySatisfy(a -> {
        assertThat(a.address()).isEqualTo(vip);
        assertThat(a.prefixLength()).isEqualTo(64);
        assertThat(a.isTentative()).isFalse();
      });

      assertThat(netlink.deleteAddress("va", vip, 64)).isTrue();
      assertThat(ns.check("ip", "-n", ns.a, "-o", "-6", "addr", "show", "dev", "va"))
          .doesNotContain("fe80::1:100");
      assertThat(netlink.deleteAddress("va", vip, 64)).isFalse();
    }
  }

  @Test
  void linkStateIndexAndMacMatchIpLink() throws Exception {
    try (Netlink netlink = Netns.in(ns.a, Netlink::open)) {
      LinkInfo va = netlink.link("va");
      String ipLink = ns.check("ip", "-n", ns.a, "-o", "link", "show", "dev", "va");
      assertThat(ipLink).startsWith(va.index() + ": va@");
      assertThat(va.mac()).isEqualTo(ns.mac(ns.a, "va"));
      assertThat(va.isUp()).isTrue();
      assertThat(va.isUpAndRunning()).isTrue();
      assertThat(va.operState()).isEqualTo("UP");
      assertThat(va.mtu()).isEqualTo(1500);
      assertThat(netlink.links()).extracting(LinkInfo::name).contains("lo", "va");

      ns.check("ip", "-n", ns.a, "link", "set", "va", "down");
      LinkInfo down = netlink.link("va");
      assertThat(down.isUp()).isFalse();
      assertThat(down.isUpAndRunning()).isFalse();
      assertThat(down.operState()).isEqualTo("DOWN");
    }
  }

  @Test
  void linkMonitorReportsDownAndUpFromRtnlgrpLink() throws Exception {
    try (LinkMonitor monitor = Netns.in(ns.a, LinkMonitor::open)) {
      assertThat(monitor.poll(Duration.ofMillis(50))).isEmpty();

      ns.check("ip", "-n", ns.a, "link", "set", "va", "down");
      LinkEvent down = awaitEvent(monitor, "va", false);
      assertThat(down.kind()).isEqualTo(LinkEvent.Kind.CHANGED);

      ns.check("ip", "-n", ns.a, "link", "set", "va", "up");
      LinkEvent up = awaitEvent(monitor, "va", true);
      assertThat(up.link().isUp()).isTrue();

      // the peer going down takes va's carrier away: va stays up but stops running
      ns.check("ip", "-n", ns.b, "link", "set", "vb", "down");
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      LinkEvent noCarrier = null;
      while (noCarrier == null && System.nanoTime() < deadline) {
        for (LinkEvent e : monitor.poll(Duration.ofMillis(200))) {
          if (e.link().name().equals("va") && e.link().isUp() && !e.link().isRunning()) {
            noCarrier = e;
          }
        }
      }
      assertThat(noCarrier).as("va up but not running").isNotNull();
      assertThat(noCarrier.link().isUpAndRunning()).isFalse();
    }
  }

  @Test
  void overflowedNotificationsTurnIntoAResyncOfEveryLink() throws Exception {
    // the smallest receive buffer holds a couple of RTM_NEWLINK messages; 20 flaps overflow it
    try (LinkMonitor monitor = Netns.in(ns.a, () -> LinkMonitor.open(1))) {
      StringBuilder flaps = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        flaps.append("ip link set va down; ip link set va up; ");
      }
      ns.check("ip", "netns", "exec", ns.a, "sh", "-c", flaps.toString());

      List<LinkEvent> events = monitor.poll(Duration.ofSeconds(5));

      assertThat(events).extracting(LinkEvent::kind).contains(LinkEvent.Kind.RESYNC);
      assertThat(events).filteredOn(e -> e.kind() == LinkEvent.Kind.RESYNC)
          .extracting(e -> e.link().name()).contains("lo", "va");
      LinkEvent last = null;
      for (LinkEvent e : events) {
        if (e.link().name().equals("va")) {
          last = e;
        }
      }
      assertThat(last).isNotNull();
      assertThat(last.link().isUp()).as("final state of va").isTrue();
    }
  }

  @Test
  void missingInterfaceAndBadInputAreNamed() throws Exception {
    try (Netlink netlink = Netns.in(ns.a, Netlink::open)) {
      InetAddress vip = InetAddress.getByName("198.18.0.100");
      assertThatThrownBy(() -> netlink.addAddress("nosuch0", vip, 24))
          .isInstanceOf(HostNetworkException.class)
          .hasMessage("add address 198.18.0.100/24 on nosuch0: no such interface nosuch0"
              + " (check the name, and that it exists in this network namespace)")
          .satisfies(e -> assertThat(((HostNetworkException) e).isNoSuchInterface()).isTrue());
      assertThatThrownBy(() -> netlink.link("nosuch0"))
          .isInstanceOf(HostNetworkException.class)
          .hasMessageContaining("read link state on nosuch0: no such interface nosuch0");
      assertThatThrownBy(() -> netlink.addAddress("va", vip, 33))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefix length 33 for 198.18.0.100 is not in 0..32");
      assertThatThrownBy(() -> netlink.addAddress("va", InetAddress.getByName("fe80::5"), 64,
          "va:x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("labels apply to IPv4 addresses only");
      assertThatThrownBy(() -> netlink.addAddress("an-interface-name-too-long", vip, 24))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("longer than 15 bytes");
    }
  }

  @Test
  void kernelRefusalCarriesTheExtendedAckText() throws Exception {
    try (Netlink netlink = Netns.in(ns.a, Netlink::open)) {
      // lo refuses nothing, but IPv6 on a device with IPv6 disabled is refused with a reason
      ns.check("ip", "netns", "exec", ns.a, "sh", "-c",
          "echo 1 > /proc/sys/net/ipv6/conf/va/disable_ipv6");
      assertThatThrownBy(() -> netlink.addAddress("va", InetAddress.getByName("fe80::7"), 64))
          .isInstanceOf(HostNetworkException.class)
          .hasMessageStartingWith("add address fe80:0:0:0:0:0:0:7/64 on va: ")
          .hasMessageContaining("kernel says: ");
    }
  }

  private List<String> ipv4Lines() {
    return Netns.lines(ns.check("ip", "-n", ns.a, "-o", "-4", "addr", "show", "dev", "va"));
  }

  private static LinkEvent awaitEvent(LinkMonitor monitor, String name, boolean up)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<LinkEvent> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (LinkEvent e : monitor.poll(Duration.ofMillis(200))) {
        seen.add(e);
        if (e.link().name().equals(name) && e.link().isUp() == up) {
          return e;
        }
      }
    }
    throw new AssertionError("no event with " + name + " up=" + up + "; saw " + seen);
  }
}
