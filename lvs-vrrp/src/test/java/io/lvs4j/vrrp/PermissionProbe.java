package io.lvs4j.vrrp;

import java.net.InetAddress;

/**
 * Run by {@link HostErrorsNetnsTest} as an unprivileged user inside a test namespace: tries each
 * privileged operation on the interface named by the first argument and prints one line per
 * step, {@code step<TAB>OK} or {@code step<TAB>ExceptionClass<TAB>message}.
 */
public final class PermissionProbe {

  private PermissionProbe() {}

  private interface Step {
    Object run() throws Exception;
  }

  public static void main(String[] args) {
    String iface = args[0];
    step("uid", () -> "uid " + LibC.geteuid());
    step("vrrp4", () -> VrrpSocket.open(iface));
    step("vrrp6", () -> VrrpSocket6.open(iface));
    step("garp", () -> Garp.open(iface));
    step("add", () -> {
      try (Netlink netlink = Netlink.open()) {
        return netlink.addAddress(iface, InetAddress.getByName("198.18.0.200"), 24);
      }
    });
    step("delete", () -> {
      try (Netlink netlink = Netlink.open()) {
        return netlink.deleteAddress(iface, InetAddress.getByName("198.18.0.1"), 24);
      }
    });
    step("link", () -> {
      try (Netlink netlink = Netlink.open()) {
        return "up=" + netlink.link(iface).isUp();
      }
    });
    step("missing", () -> VrrpSocket.open("nosuch0"));
  }

  private static void step(String name, Step step) {
    try {
      Object result = step.run();
      if (result instanceof AutoCloseable) {
        ((AutoCloseable) result).close();
      }
      System.out.println(name + "\tOK\t" + result);
    } catch (Throwable e) {
      System.out.println(name + "\t" + e.getClass().getSimpleName() + "\t" + e.getMessage());
    }
    System.out.flush();
  }
}
