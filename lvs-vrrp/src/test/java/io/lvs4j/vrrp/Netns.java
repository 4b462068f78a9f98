package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a veth pair, for the integration tests: {@code a} holds
 * {@code va} (198.18.0.1/24), {@code b} holds {@code vb} (198.18.0.2/24); both up, IPv6 DAD off
 * so link-local addresses are usable at once. Names carry a per-run prefix (the test JVM's pid)
 * and {@link #close} always deletes both namespaces. Code runs inside a namespace through {@link
 * #in}: a fresh thread that setns()es into it, so sockets it opens stay there.
 */
final class Netns implements AutoCloseable {

  static final String PREFIX = "lvs4j-hl-";
  static final String RUN_PREFIX = PREFIX + ProcessHandle.current().pid() + "-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile String unavailable;
  private static volatile boolean probed;

  final String a;
  final String b;

  private Netns(String a, String b) {
    this.a = a;
    this.b = b;
  }

  /** Null when root and {@code ip netns} work; otherwise why the tests must be skipped. */
  static synchronized String whyUnavailable() {
    if (!probed) {
      probed = true;
      unavailable = probe();
    }
    return unavailable;
  }

  private static String probe() {
    try {
      if (LibC.geteuid() != 0) {
        return "needs root for network namespaces and raw sockets (running as uid "
            + LibC.geteuid() + ")";
      }
    } catch (LinkageError e) {
      return "JNA cannot load libc here: " + e;
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
        && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
      return "needs the ip command (iproute2) for network namespaces";
    }
    if (!Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
      return "needs IPv6 in the kernel (no /proc/sys/net/ipv6)";
    }
    removeStale();
    String name = RUN_PREFIX + "probe";
    try {
      Result r = run(List.of("ip", "netns", "add", name));
      if (r.code != 0) {
        return "ip netns is unavailable here: " + r.output.trim();
      }
      return null;
    } finally {
      run(List.of("ip", "netns", "del", name));
    }
  }

  /** Deletes namespaces left by earlier runs of these tests whose JVM is gone. */
  private static void removeStale() {
    Result list = run(List.of("ip", "netns", "list"));
    for (String line : list.output.split("\n")) {
      String name = line.trim().split(" ")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String rest = name.substring(PREFIX.length());
      int dash = rest.indexOf('-');
      if (dash <= 0) {
        continue;
      }
      try {
        long pid = Long.parseLong(rest.substring(0, dash));
        if (ProcessHandle.of(pid).isEmpty()) {
          run(List.of("ip", "netns", "del", name));
        }
      } catch (NumberFormatException ignored) {
        // not ours
      }
    }
  }

  /** Creates the pair; on any failure deletes what it made and throws. */
  static Netns create() {
    int n = COUNTER.incrementAndGet();
    Netns ns = new Netns(RUN_PREFIX + n + "-a", RUN_PREFIX + n + "-b");
    boolean ok = false;
    try {
      ns.check("ip", "netns", "add", ns.a);
      ns.check("ip", "netns", "add", ns.b);
      for (String name : List.of(ns.a, ns.b)) {
        ns.check("ip", "netns", "exec", name, "sh", "-c",
            "echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"
                + " && echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad");
        ns.check("ip", "-n", name, "link", "set", "lo", "up");
      }
      ns.check("ip", "-n", ns.a, "link", "add", "va", "type", "veth", "peer", "name", "vb",
          "netns", ns.b);
      ns.check("ip", "-n", ns.a, "addr", "add", "198.18.0.1/24", "dev", "va");
      ns.check("ip", "-n", ns.b, "addr", "add", "198.18.0.2/24", "dev", "vb");
      ns.check("ip", "-n", ns.a, "link", "set", "va", "up");
      ns.check("ip", "-n", ns.b, "link", "set", "vb", "up");
      ns.awaitLinkLocal(ns.a, "va");
      ns.awaitLinkLocal(ns.b, "vb");
      ok = true;
      return ns;
    } finally {
      if (!ok) {
        ns.close();
      }
    }
  }

  /** Runs the task on a new thread inside the namespace and returns its result. */
  static <T> T in(String namespace, Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      int fd = -1;
      try {
        fd = LibC.open("/run/netns/" + namespace, LibC.O_RDONLY | LibC.O_CLOEXEC);
        LibC.setns(fd, LibC.CLONE_NEWNET);
        result.complete(task.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      } finally {
        if (fd >= 0) {
          try {
            LibC.close(fd);
          } catch (LastErrorException ignored) {
            // nothing to do
          }
        }
      }
    }, "in-netns-" + namespace);
    thread.start();
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw new AssertionError(cause);
    } finally {
      thread.join(5_000);
    }
  }

  /** Runs {@code ip ARGS...} (or any command) and returns its output; fails if it fails. */
  String check(String... command) {
    Result r = run(List.of(command));
    if (r.code != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): "
          + r.output);
    }
    return r.output;
  }

  /** The interface's link-local IPv6 address (without scope), as {@code ip} prints it. */
  String linkLocal(String namespace, String iface) {
    String out = check("ip", "-n", namespace, "-o", "-6", "addr", "show", "dev", iface,
        "scope", "link");
    for (String token : out.split("\\s+")) {
      if (token.startsWith("fe80:")) {
        return token.substring(0, token.indexOf('/'));
      }
    }
    throw new IllegalStateException("no link-local address on " + iface + ": " + out);
  }

  /** The interface's MAC as {@code ip -o link} prints it. */
  String mac(String namespace, String iface) {
    String out = check("ip", "-n", namespace, "-o", "link", "show", "dev", iface);
    String[] tokens = out.split("\\s+");
    for (int i = 0; i + 1 < tokens.length; i++) {
      if (tokens[i].equals("link/ether")) {
        return tokens[i + 1];
      }
    }
    throw new IllegalStateException("no MAC for " + iface + ": " + out);
  }

  private void awaitLinkLocal(String namespace, String iface) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String out = check("ip", "-n", namespace, "-o", "-6", "addr", "show", "dev", iface,
          "scope", "link");
      if (out.contains("fe80:") && !out.contains("tentative")) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no usable link-local address on " + iface + " in 10 s");
  }

  /** Deletes both namespaces (and with them the veth pair and every socket's interface). */
  @Override
  public void close() {
    run(List.of("ip", "netns", "del", a));
    run(List.of("ip", "netns", "del", b));
  }

  record Result(int code, String output) {}

  static Result run(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    } catch (Exception e) {
      return new Result(-1, e.toString());
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(String output) {
    List<String> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
