package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The errors a user sees: a missing interface, a down interface, and (in a child JVM running as
 * the unprivileged user 65534 inside a test namespace) missing CAP_NET_RAW / CAP_NET_ADMIN. Each
 * message names the operation and interface and says what is needed. Needs root.
 */
class HostErrorsNetnsTest {

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
  void missingInterfaceIsNamed() {
    String hint = " (check the name, and that it exists in this network namespace)";
    assertThatThrownBy(() -> Netns.in(ns.a, () -> VrrpSocket.open("nosuch0")))
        .isInstanceOf(HostNetworkException.class)
        .hasMessage("open raw VRRP socket (IPv4, protocol 112) on nosuch0: no such interface"
            + " nosuch0" + hint);
    assertThatThrownBy(() -> Netns.in(ns.a, () -> VrrpSocket6.open("nosuch0")))
        .isInstanceOf(HostNetworkException.class)
        .hasMessage("open raw VRRP socket (IPv6, next header 112) on nosuch0: no such interface"
            + " nosuch0" + hint);
    assertThatThrownBy(() -> Netns.in(ns.a, () -> Garp.open("nosuch0")))
        .isInstanceOf(HostNetworkException.class)
        .hasMessage("open gratuitous ARP / NA socket (AF_PACKET) on nosuch0: no such interface"
            + " nosuch0" + hint);
    // vb exists only in the other namespace
    assertThatThrownBy(() -> Netns.in(ns.a, () -> VrrpSocket.open("vb")))
        .isInstanceOf(HostNetworkException.class)
        .hasMessageContaining("on vb: no such interface vb");
  }

  @Test
  void sendingAdvertsOnADownInterfaceSaysItIsDown() throws Exception {
    byte[] packet = VrrpSocketNetnsTest.ipv4Packet(VrrpSocketNetnsTest.v4("198.18.0.1"),
        VrrpSocket.VRRP_GROUP, 255, 1,
        VrrpSocketNetnsTest.vrrpV2Advert(51, 100, VrrpSocketNetnsTest.v4("198.18.0.100")));
    try (VrrpSocket socket = Netns.in(ns.a, () -> VrrpSocket.open("va"));
        VrrpSocket6 socket6 = Netns.in(ns.a, () -> VrrpSocket6.open("va"))) {
      ns.check("ip", "-n", ns.a, "link", "set", "va", "down");
      assertThatThrownBy(() -> socket.send(packet, VrrpSocket.VRRP_GROUP))
          .isInstanceOf(HostNetworkException.class)
          .hasMessage("send VRRP packet to 224.0.0.18 on va: interface va is down"
              + " (bring it up: ip link set va up)");
      assertThatThrownBy(() -> socket6.send(new byte[24], VrrpSocket6.VRRP_GROUP))
          .isInstanceOf(HostNetworkException.class)
          .hasMessageContaining("on va: interface va is down");
    }
  }

  @Test
  void unprivilegedUserIsToldWhatCapabilityIsNeeded() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "skipped: needs setpriv (util-linux) to run a child as an unprivileged user");
    Path dir = Files.createTempDirectory("lvs4j-probe-");
    try {
      String classpath = worldReadableClasspath(dir);
      Path jnaTmp = Files.createDirectory(dir.resolve("jna"));
      Files.setPosixFilePermissions(jnaTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = List.of("ip", "netns", "exec", ns.a,
          "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
          "--bounding-set=-all", "env", "HOME=" + jnaTmp,
          java, "-XX:-UsePerfData", "-Xshare:off", "-Djna.tmpdir=" + jnaTmp,
          "-Djava.io.tmpdir=" + jnaTmp, "-cp", classpath, PermissionProbe.class.getName(), "va");

      Netns.Result result = Netns.run(command);

      assertThat(result.code()).as(result.output()).isZero();
      Map<String, String> steps = new LinkedHashMap<>();
      for (String line : Netns.lines(result.output())) {
        String[] parts = line.split("\t", 2);
        if (parts.length == 2) {
          steps.put(parts[0], parts[1]);
        }
      }
      assertThat(result.output()).as("no stack traces").doesNotContain("\tat ");
      assertThat(steps.get("uid")).isEqualTo("OK\tuid 65534");
      assertThat(steps.get("vrrp4")).isEqualTo("HostNetworkException\topen raw VRRP socket"
          + " (IPv4, protocol 112) on va: not permitted: run as root or with CAP_NET_RAW"
          + " (EPERM: Operation not permitted)");
      assertThat(steps.get("vrrp6")).isEqualTo("HostNetworkException\topen raw VRRP socket"
          + " (IPv6, next header 112) on va: not permitted: run as root or with CAP_NET_RAW"
          + " (EPERM: Operation not permitted)");
      assertThat(steps.get("garp")).isEqualTo("HostNetworkException\topen gratuitous ARP / NA"
          + " socket (AF_PACKET) on va: not permitted: run as root or with CAP_NET_RAW"
          + " (EPERM: Operation not permitted)");
      assertThat(steps.get("add")).isEqualTo("HostNetworkException\tadd address 198.18.0.200/24"
          + " on va: not permitted: run as root or with CAP_NET_ADMIN"
          + " (EPERM: Operation not permitted)");
      assertThat(steps.get("delete")).isEqualTo("HostNetworkException\tdelete address"
          + " 198.18.0.1/24 on va: not permitted: run as root or with CAP_NET_ADMIN"
          + " (EPERM: Operation not permitted)");
      assertThat(steps.get("link")).as("reading link state needs no privilege")
          .isEqualTo("OK\tup=true");
      assertThat(steps.get("missing")).startsWith("HostNetworkException\topen raw VRRP socket"
          + " (IPv4, protocol 112) on nosuch0: no such interface nosuch0");
      assertThat(ns.check("ip", "-n", ns.a, "-o", "-4", "addr", "show", "dev", "va"))
          .contains("198.18.0.1/24").doesNotContain("198.18.0.200");
    } finally {
      deleteRecursively(dir);
    }
  }

  /**
   * Copies main classes, test classes and the JNA jar into {@code dir}, readable by everyone
   * (the build's own directories and the local Maven repository may not be).
   */
  private static String worldReadableClasspath(Path dir) throws IOException, URISyntaxException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (Class<?> anchor : List.of(VrrpSocket.class, PermissionProbe.class,
        com.sun.jna.Native.class)) {
      Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path target = dir.resolve("cp" + n++ + (Files.isDirectory(source) ? "" : ".jar"));
      copy(source, target);
      entries.add(target.toString());
    }
    return String.join(":", entries);
  }

  private static void copy(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      Files.copy(source, target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      return;
    }
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(p, to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
