package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wording users read. Needs no privileges (strerror comes from the C library). */
class HostNetworkExceptionTest {

  @Test
  void permissionSaysWhatToRunAs() {
    HostNetworkException e = HostNetworkException.fromErrno("open raw VRRP socket", "eth0",
        LibC.EPERM, HostNetworkException.Capability.NET_RAW);
    assertThat(e).hasMessage("open raw VRRP socket on eth0: not permitted: run as root or with"
        + " CAP_NET_RAW (EPERM: Operation not permitted)");
    assertThat(e.isPermissionDenied()).isTrue();
    assertThat(e.errno()).isEqualTo(LibC.EPERM);
    assertThat(e.interfaceName()).contains("eth0");
    assertThat(e.operation()).isEqualTo("open raw VRRP socket");
  }

  @Test
  void netlinkEaccesWithAReasonIsNotCalledAPermissionProblem() {
    HostNetworkException e = HostNetworkException.fromErrno("add address fe80::7/64", "eth0",
        LibC.EACCES, HostNetworkException.Capability.NET_ADMIN,
        "IPv6 is disabled on this device");
    assertThat(e).hasMessage("add address fe80::7/64 on eth0: EACCES: Permission denied"
        + " (kernel says: IPv6 is disabled on this device)");
    assertThat(e.isPermissionDenied()).isFalse();
  }

  @Test
  void otherErrnosUseStrerror() {
    HostNetworkException e = HostNetworkException.fromErrno("send", null, LibC.ENOBUFS, null);
    assertThat(e).hasMessage("send: ENOBUFS: No buffer space available");
    assertThat(e.interfaceName()).isEmpty();
    assertThat(HostNetworkException.fromErrno("x", null, 12345, null).getMessage())
        .startsWith("x: errno 12345: ");
  }

  @Test
  void downAndMissingInterfaces() {
    assertThat(HostNetworkException.interfaceDown("send gratuitous ARP", "eth1"))
        .hasMessage("send gratuitous ARP on eth1: interface eth1 is down"
            + " (bring it up: ip link set eth1 up)");
    assertThat(HostNetworkException.fromErrno("send", "eth1", LibC.ENETDOWN, null))
        .hasMessage("send on eth1: interface eth1 is down (bring it up: ip link set eth1 up)"
            + " (ENETDOWN: Network is down)");
    HostNetworkException missing = HostNetworkException.noSuchInterface("open", "eth9");
    assertThat(missing.isNoSuchInterface()).isTrue();
    assertThat(missing).hasMessageContaining("open on eth9: no such interface eth9");
  }
}
