package io.lvs4j.okhttp;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A real HTTP backend on loopback (MockWebServer) whose behaviour a test switches at run time: answer 200
 * with its name, answer 503, answer slowly, hold every request until released, or drop the connection
 * after reading the request.
 */
final class Backend implements AutoCloseable {
    enum Mode { OK, FAIL, SLOW, HOLD, DISCONNECT_AFTER_REQUEST }

    final String name;
    final MockWebServer server = new MockWebServer();
    final AtomicInteger requests = new AtomicInteger();
    final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.OK;
    volatile long slowMillis = 300;
    private volatile CountDownLatch hold = new CountDownLatch(1);

    Backend(String name) throws IOException {
        this.name = name;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                requests.incrementAndGet();
                recorded.add(request);
                if (request.getPath() != null && request.getPath().startsWith("/health")) {
                    // keepalived's checker reads until the server closes the connection
                    return new MockResponse().setResponseCode(mode == Mode.FAIL ? 500 : 200).setBody("health")
                            .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
                }
                switch (mode) {
                    case FAIL:
                        return new MockResponse().setResponseCode(503).setBody("down " + Backend.this.name);
                    case SLOW:
                        Thread.sleep(slowMillis);
                        break;
                    case HOLD:
                        if (!hold.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("held request never released");
                        }
                        break;
                    case DISCONNECT_AFTER_REQUEST:
                        return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
                    default:
                        break;
                }
                return new MockResponse().setBody(Backend.this.name);
            }
        });
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * MockWebServer writes a response's headers and body in separate segments; with Nagle's algorithm on its
     * sockets the body waits for the client's delayed ACK (40 ms a call on Linux). Its sockets get TCP_NODELAY.
     */
    private static final class NoDelayServerSocketFactory extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket s = new Socket();
                    implAccept(s);
                    s.setTcpNoDelay(true);
                    return s;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException();
        }
    }

    int port() {
        return server.getPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** Adds this backend as a real server of {@code key}. */
    RealServer addTo(IpvsTable table, ServiceKey key, int weight) {
        return table.addRealServer(key, InetAddress.getLoopbackAddress(), port(), RealServerOptions.weight(weight));
    }

    /** The real server this backend is in {@code key}, or null. */
    RealServer in(IpvsTable table, ServiceKey key) {
        return table.service(key).realServer(InetAddress.getLoopbackAddress(), port());
    }

    void hold() {
        hold = new CountDownLatch(1);
        mode = Mode.HOLD;
    }

    void releaseHeld() {
        mode = Mode.OK;
        hold.countDown();
    }

    @Override
    public void close() throws IOException {
        hold.countDown();
        server.shutdown();
    }
}
