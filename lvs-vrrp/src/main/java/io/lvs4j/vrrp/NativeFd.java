package io.lvs4j.vrrp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.Closeable;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * A socket file descriptor and an eventfd that wakes threads waiting on it, so that {@link #close}
 * from any thread unblocks a receiver at once. The descriptor is released only when no thread is
 * using it any more, so a closed number is never reused under a running system call.
 */
final class NativeFd implements Closeable {

  private final int fd;
  private final int wakeFd;
  private final Object lock = new Object();
  private int users;
  private boolean closed;
  private boolean released;

  private NativeFd(int fd, int wakeFd) {
    this.fd = fd;
    this.wakeFd = wakeFd;
  }

  /**
   * Opens a socket; on failure throws a {@link HostNetworkException} that names the operation and
   * the interface.
   */
  static NativeFd socket(
      int domain,
      int type,
      int protocol,
      String operation,
      String interfaceName,
      HostNetworkException.Capability needed)
      throws HostNetworkException {
    int fd;
    try {
      fd = LibC.socket(domain, type | LibC.SOCK_CLOEXEC, protocol);
    } catch (LastErrorException e) {
      throw HostNetworkException.fromErrno(operation, interfaceName, e.getErrorCode(), needed);
    }
    int wake;
    try {
      wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw HostNetworkException.fromErrno(operation, interfaceName, e.getErrorCode(), needed);
    }
    return new NativeFd(fd, wake);
  }

  /** Marks the descriptor in use; pair with {@link #release()}. */
  int acquire() throws ClosedChannelException {
    synchronized (lock) {
      if (closed) {
        throw new ClosedChannelException();
      }
      users++;
      return fd;
    }
  }

  void release() {
    synchronized (lock) {
      users--;
      if (closed && users == 0) {
        releaseDescriptors();
      }
    }
  }

  boolean isOpen() {
    synchronized (lock) {
      return !closed;
    }
  }

  /** The descriptor, for option setting during construction (before it is shared). */
  int unsafeFd() {
    return fd;
  }

  /**
   * Waits until the socket is readable. Returns false when the timeout passed first; throws
   * {@link AsynchronousCloseException} when closed meanwhile. A null timeout waits forever.
   */
  boolean awaitReadable(Duration timeout, String operation, String interfaceName)
      throws HostNetworkException, AsynchronousCloseException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    Memory fds = new Memory(16);
    while (true) {
      fds.setInt(0, fd);
      fds.setShort(4, (short) LibC.POLLIN);
      fds.setShort(6, (short) 0);
      fds.setInt(8, wakeFd);
      fds.setShort(12, (short) LibC.POLLIN);
      fds.setShort(14, (short) 0);
      int millis;
      if (timeout == null) {
        millis = -1;
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          millis = 0;
        } else {
          millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
        }
      }
      int ready;
      try {
        ready = LibC.poll(fds, LibC.size(2), millis);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == LibC.EINTR) {
          continue;
        }
        throw HostNetworkException.fromErrno(operation, interfaceName, e.getErrorCode(), null);
      }
      if (fds.getShort(14) != 0 || !isOpen()) {
        throw new AsynchronousCloseException();
      }
      if (ready > 0 && fds.getShort(6) != 0) {
        return true;
      }
      if (millis == 0 || (timeout != null && deadline - System.nanoTime() <= 0)) {
        return false;
      }
    }
  }

  /** Closes the socket and wakes every thread waiting in {@link #awaitReadable}. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
      try {
        LibC.write(wakeFd, one, LibC.size(8));
      } catch (LastErrorException ignored) {
        // the counter cannot overflow with one write; nothing else can fail here
      }
      if (users == 0) {
        releaseDescriptors();
      }
    }
  }

  private void releaseDescriptors() {
    if (!released) {
      released = true;
      closeQuietly(fd);
      closeQuietly(wakeFd);
    }
  }

  static void closeQuietly(int descriptor) {
    try {
      LibC.close(descriptor);
    } catch (LastErrorException ignored) {
      // close(2) releases the descriptor even when it reports an error
    }
  }
}
