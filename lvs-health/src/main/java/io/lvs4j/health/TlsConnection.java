package io.lvs4j.health;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A client {@link SSLEngine} driven over a non-blocking {@link SocketChannel}: handshake, wrap, unwrap
 * and close, never blocking. After a call returns "not done", {@link #interestOps} says what to wait for.
 * Delegated tasks run inline (on the caller's thread). Not thread-safe: loop thread only.
 */
final class TlsConnection {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketChannel channel;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private int interest = SelectionKey.OP_READ;
    private boolean started;
    private boolean inboundDone;

    TlsConnection(SSLEngine engine, SocketChannel channel) {
        this.engine = engine;
        this.channel = channel;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet);
        netOut.flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** What the last call that returned "not done" is waiting for ({@link SelectionKey} bits). */
    int interestOps() {
        return interest;
    }

    /** Advances the handshake; true once it is complete and everything it produced is sent. */
    boolean handshake() throws IOException {
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && !started) {
            engine.beginHandshake();
            started = true;
        }
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    wrap(EMPTY);
                    if (!flush()) {
                        return false;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!flush()) {
                        return false;
                    }
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = fill();
                        if (n < 0) {
                            throw new EOFException("connection closed during the TLS handshake");
                        }
                        if (n == 0) {
                            interest = SelectionKey.OP_READ;
                            return false;
                        }
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS connection closed during the handshake");
                    }
                }
                default -> {
                    if (!flush()) {
                        return false;
                    }
                    return true;
                }
            }
        }
    }

    /** Encrypts all of {@code src} into the outgoing buffer; then call {@link #flush} until it returns true. */
    void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** Sends buffered TLS records; true when nothing is left to send. */
    boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                interest = SelectionKey.OP_WRITE;
                return false;
            }
        }
        return true;
    }

    /**
     * Reads decrypted bytes into {@code dst}: the count (&gt; 0), 0 when more network data is needed (see
     * {@link #interestOps}), or -1 at the end of the stream (close_notify, or the peer closed the TCP
     * connection, which keepalived also takes as the end of the response).
     */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(appIn.remaining(), dst.remaining());
                ByteBuffer slice = appIn.slice();
                slice.limit(n);
                dst.put(slice);
                appIn.position(appIn.position() + n);
                appIn.compact();
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult r = unwrap();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                continue;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    wrap(EMPTY);
                    flush();
                }
                default -> {
                }
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                int n = fill();
                if (n < 0) {
                    inboundDone = true;
                } else if (n == 0) {
                    interest = SelectionKey.OP_READ;
                    return 0;
                }
            }
        }
    }

    /** Sends close_notify if the socket takes it right away; never waits. */
    void closeQuietly() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                wrap(EMPTY);
            }
            flush();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the channel is closed next either way
        }
    }

    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    int packet = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < packet) {
                        netIn = grow(netIn, packet);
                    }
                    return r;
                }
                default -> {
                    return r;
                }
            }
        }
    }

    private void wrap(ByteBuffer src) throws IOException {
        netOut.compact();
        try {
            while (true) {
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    continue;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && !engine.isOutboundDone()) {
                    throw new SSLException("TLS engine closed");
                }
                return;
            }
        } finally {
            netOut.flip();
        }
    }

    private int fill() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        }
        return channel.read(netIn);
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A buffer in fill mode with {@code b}'s content and at least {@code extra} more free bytes. */
    private static ByteBuffer grow(ByteBuffer b, int extra) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() + extra);
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
