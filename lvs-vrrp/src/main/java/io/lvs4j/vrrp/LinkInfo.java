package io.lvs4j.vrrp;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One network interface as the kernel reported it over netlink (RTM_NEWLINK).
 *
 * @param index the interface index in its network namespace
 * @param name the interface name
 * @param mac the hardware address as lower-case {@code aa:bb:cc:dd:ee:ff}, or null if it has none
 * @param flags the {@code IFF_*} flags (IFF_UP 0x1, IFF_RUNNING 0x40, IFF_LOWER_UP 0x10000...)
 * @param mtu the MTU in bytes
 * @param operState the RFC 2863 operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN...
 */
public record LinkInfo(int index, String name, String mac, int flags, int mtu, String operState) {

  /** Checks that name and state are present. */
  public LinkInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(operState, "operState");
  }

  /** Administratively up (IFF_UP): {@code ip link set NAME up}. */
  public boolean isUp() {
    return (flags & LibC.IFF_UP) != 0;
  }

  /** Operationally running (IFF_RUNNING): up and with carrier. */
  public boolean isRunning() {
    return (flags & LibC.IFF_RUNNING) != 0;
  }

  /**
   * Up and running: what keepalived's track_interface calls up ({@code IF_ISUP}); an instance
   * tracking an interface for which this is false goes to FAULT.
   */
  public boolean isUpAndRunning() {
    return isUp() && isRunning();
  }

  /** The hardware address as bytes, or null if the interface has none. */
  public byte[] macBytes() {
    return mac == null ? null : HexFormat.ofDelimiter(":").parseHex(mac);
  }
}
