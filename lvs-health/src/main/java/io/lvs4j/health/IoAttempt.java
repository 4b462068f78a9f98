package io.lvs4j.health;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One check attempt on an {@link IoLoop}: owns at most one channel and one timeout, and ends exactly
 * once through {@link #finish}, which closes the channel, cancels the timeout and then calls
 * {@code done}. Loop thread only.
 */
abstract class IoAttempt implements IoHandler {

    final IoLoop loop;
    private final IoProbe owner;
    private final Consumer<ProbeResult> done;
    private SelectableChannel channel;
    private IoLoop.Registration registration;
    private CheckTimer.Cancellable timeout;
    private boolean connecting;
    private boolean finished;

    IoAttempt(IoProbe owner, Consumer<ProbeResult> done) {
        this.owner = owner;
        this.loop = owner.loop;
        this.done = done;
    }

    /** Opens the channel and starts the exchange; an exception thrown here is handed to {@link #abort}. */
    abstract void start() throws IOException;

    /** Called once a stream connection is established ({@link #connectStream}). */
    void connected() throws IOException {
    }

    /** Called when the channel is ready, after connection. */
    abstract void onReady(int readyOps) throws IOException;

    /** The failure reason for {@code cause} in the current phase. */
    abstract String failureReason(Throwable cause);

    @Override
    public final void ready(int readyOps) throws IOException {
        if (finished) {
            return;
        }
        if (connecting) {
            if (!((SocketChannel) channel).finishConnect()) {
                return;
            }
            connecting = false;
            interest(0);
            connected();
            return;
        }
        onReady(readyOps);
    }

    @Override
    public final void abort(Throwable cause) {
        finish(ProbeResult.fail(failureReason(cause)));
    }

    final boolean finished() {
        return finished;
    }

    /** Ends the attempt with {@code result}, unless it already ended. */
    final void finish(ProbeResult result) {
        if (finished) {
            return;
        }
        finished = true;
        disarm();
        if (registration != null) {
            registration.close();
        } else {
            IoLoop.closeQuietly(channel);
        }
        owner.finished(this);
        done.accept(result);
    }

    /** (Re)starts the timeout: after {@code after}, the attempt fails with {@code reason}. */
    final void arm(Duration after, String reason) {
        arm(after, () -> finish(ProbeResult.fail(reason)));
    }

    /** (Re)starts the timeout: after {@code after}, {@code action} runs (unless the attempt ended). */
    final void arm(Duration after, Runnable action) {
        disarm();
        timeout = loop.schedule(after.toNanos(), () -> {
            if (!finished) {
                action.run();
            }
        });
    }

    final void disarm() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    final void interest(int ops) {
        if (registration != null) {
            registration.interest(ops);
        }
    }

    /**
     * Starts a non-blocking TCP connect to {@code target} (from {@code bindTo} when not null); fails with
     * {@code timeoutReason} after {@code connectTimeout}; calls {@link #connected} on success.
     */
    final SocketChannel connectStream(InetSocketAddress target, InetSocketAddress bindTo, Duration connectTimeout,
                                      String timeoutReason) throws IOException {
        SocketChannel ch = SocketChannel.open(family(target));
        channel = ch;
        ch.configureBlocking(false);
        if (bindTo != null) {
            ch.bind(bindTo);
        }
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        registration = loop.register(ch, 0, this);
        arm(connectTimeout, timeoutReason);
        connecting = true;
        if (ch.connect(target)) {
            connecting = false;
            connected();
        } else {
            interest(SelectionKey.OP_CONNECT);
        }
        return ch;
    }

    /** Opens a UDP channel connected to {@code target} (bound to {@code bindTo} when not null), registered for reads. */
    final DatagramChannel connectDatagram(InetSocketAddress target, InetSocketAddress bindTo) throws IOException {
        DatagramChannel ch = DatagramChannel.open(family(target));
        channel = ch;
        ch.configureBlocking(false);
        if (bindTo != null) {
            ch.bind(bindTo);
        }
        ch.connect(target);
        registration = loop.register(ch, SelectionKey.OP_READ, this);
        return ch;
    }

    private static StandardProtocolFamily family(InetSocketAddress target) {
        if (target.isUnresolved()) {
            throw new java.nio.channels.UnresolvedAddressException();
        }
        return target.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** A short description of an exception for a failure reason: its message, else its type. */
    static String describe(Throwable t) {
        if (t instanceof java.net.PortUnreachableException) {
            return "ICMP port unreachable";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
