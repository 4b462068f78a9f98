package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One address on an interface, as the kernel reported it over netlink (RTM_NEWADDR).
 *
 * @param interfaceIndex the index of the interface carrying it
 * @param address the address
 * @param prefixLength the prefix length (0..32 for IPv4, 0..128 for IPv6)
 * @param label the IPv4 label ({@code eth0} or {@code eth0:vip}), or null (always null for IPv6)
 * @param flags the {@code IFA_F_*} flags (IFA_F_TENTATIVE 0x40 while IPv6 DAD runs...)
 */
public record LinkAddress(
    int interfaceIndex, InetAddress address, int prefixLength, String label, int flags) {

  /** Checks that the address is present and the prefix fits it. */
  public LinkAddress {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is not in 0.." + max + " for " + address);
    }
  }

  /** True while IPv6 duplicate address detection is still running for this address. */
  public boolean isTentative() {
    return (flags & RtNetlink.IFA_F_TENTATIVE) != 0;
  }

  /** {@code 198.18.0.100/24}, the way {@code ip addr} prints it. */
  @Override
  public String toString() {
    String text = address.getHostAddress();
    int percent = text.indexOf('%');
    return (percent < 0 ? text : text.substring(0, percent)) + "/" + prefixLength
        + (label == null ? "" : " " + label);
  }
}
