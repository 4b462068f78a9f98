package io.lvs4j.vrrp;

import java.io.Closeable;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Interface up/down notifications from the kernel: a NETLINK_ROUTE socket subscribed to the
 * RTNLGRP_LINK multicast group, which is how keepalived learns that a tracked interface
 * ({@code track_interface}) went down or came back, without polling.
 *
 * <p>A caller's thread loops on {@link #poll(Duration)}; {@link #close} from another thread
 * wakes it, and it then throws {@link AsynchronousCloseException}. If the kernel drops
 * notifications because they were not read fast enough, the next poll returns a {@link
 * LinkEvent.Kind#RESYNC} event for every interface (read over a second netlink socket opened
 * with the monitor), so no change is missed. The subscription lives in the network namespace of
 * the thread that opened it. Thread-safe.
 */
public final class LinkMonitor implements Closeable {

  private final NativeFd fd;
  private final Netlink resync;
  private final byte[] buffer = new byte[65_536];

  private LinkMonitor(NativeFd fd, Netlink resync) {
    this.fd = fd;
    this.resync = resync;
  }

  /** Subscribes to link notifications in the calling thread's network namespace. */
  public static LinkMonitor open() throws HostNetworkException {
    return open(0);
  }

  /** As {@link #open()}, with SO_RCVBUF set to {@code receiveBufferBytes} unless 0. */
  static LinkMonitor open(int receiveBufferBytes) throws HostNetworkException {
    String operation = "subscribe to link notifications (RTNLGRP_LINK)";
    NativeFd fd = Netlink.openSocket(RtNetlink.RTMGRP_LINK, operation);
    try {
      if (receiveBufferBytes > 0) {
        Sockets.setInt(fd.unsafeFd(), LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferBytes,
            "SO_RCVBUF", operation, null, HostNetworkException.Capability.NET_ADMIN);
      }
      return new LinkMonitor(fd, Netlink.open());
    } catch (HostNetworkException | RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /**
   * Waits up to {@code timeout} (null: without limit) for notifications and returns every one
   * that has arrived, oldest first; empty if the timeout passed first.
   *
   * @throws AsynchronousCloseException if the monitor was closed while waiting
   */
  public synchronized List<LinkEvent> poll(Duration timeout)
      throws HostNetworkException, ClosedChannelException {
    String operation = "read link notifications";
    int socket = fd.acquire();
    try {
      if (!fd.awaitReadable(timeout, operation, null)) {
        return List.of();
      }
      List<LinkEvent> events = new ArrayList<>();
      while (true) {
        int n;
        try {
          n = Netlink.receive(socket, buffer, operation, null);
        } catch (HostNetworkException e) {
          if (e.errno() != LibC.ENOBUFS) {
            throw e;
          }
          // what is still queued predates the loss: drop it, then read the current state
          events.clear();
          drain(socket, operation);
          for (LinkInfo link : resync.links()) {
            events.add(new LinkEvent(LinkEvent.Kind.RESYNC, link));
          }
          continue;
        }
        if (n < 0) {
          return List.copyOf(events);
        }
        for (RtNetlink.Message m : RtNetlink.split(buffer, n)) {
          if (m.type() == RtNetlink.RTM_NEWLINK) {
            events.add(new LinkEvent(LinkEvent.Kind.CHANGED, RtNetlink.link(m)));
          } else if (m.type() == RtNetlink.RTM_DELLINK) {
            events.add(new LinkEvent(LinkEvent.Kind.REMOVED, RtNetlink.link(m)));
          }
        }
      }
    } finally {
      fd.release();
    }
  }

  private void drain(int socket, String operation) throws HostNetworkException {
    while (true) {
      try {
        if (Netlink.receive(socket, buffer, operation, null) < 0) {
          return;
        }
      } catch (HostNetworkException e) {
        if (e.errno() != LibC.ENOBUFS) {
          throw e;
        }
      }
    }
  }

  /** Unsubscribes; a thread blocked in {@link #poll} wakes at once. Idempotent. */
  @Override
  public void close() {
    fd.close();
    resync.close();
  }
}
