package io.lvs4j.forwarder;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import io.lvs4j.core.ipvsadm.IpvsadmCommand;
import io.lvs4j.core.ipvsadm.IpvsadmException;
import io.lvs4j.core.ipvsadm.IpvsadmResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The forwarder's control socket: a Unix domain stream socket on which {@link LvsadmMain} sends an
 * {@code ipvsadm} command line (and, for {@code -R}, its standard input) and gets back what
 * {@link Ipvsadm} produced against the live table: exit status, standard output and standard error, byte for
 * byte. Commands that change the table ({@code -A -E -D -C -a -e -d -R --set -Z}) change the running service;
 * after each, before it answers, the server calls the {@code onTableChanged} hook (the data plane's
 * reconcile), so that when {@code lvsadm} returns the listeners match the table.
 *
 * <p>The socket file is created with mode 0600 (the table is root's business, as ipvsadm's is); a stale file
 * left by a previous process is replaced, a live one is an error. {@link #close} removes it. Framing:
 * {@link ControlProtocol}. A client must send its request within {@value #REQUEST_TIMEOUT_SECONDS} s.
 *
 * <p>Thread safety: one accepting thread and a few worker threads; commands may run concurrently (the table's
 * admin operations are serialized by the table).
 */
public final class ControlServer implements AutoCloseable {
    /** Where the forwarder listens unless told otherwise. */
    public static final Path DEFAULT_PATH = Path.of("/run/lvs-forwarder.sock");
    static final int REQUEST_TIMEOUT_SECONDS = 10;

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final Set<IpvsadmCommand.Kind> CHANGES_TABLE = EnumSet.of(IpvsadmCommand.Kind.ADD_SERVICE,
            IpvsadmCommand.Kind.EDIT_SERVICE, IpvsadmCommand.Kind.DELETE_SERVICE, IpvsadmCommand.Kind.CLEAR,
            IpvsadmCommand.Kind.ADD_SERVER, IpvsadmCommand.Kind.EDIT_SERVER, IpvsadmCommand.Kind.DELETE_SERVER,
            IpvsadmCommand.Kind.RESTORE, IpvsadmCommand.Kind.SET_TIMEOUTS, IpvsadmCommand.Kind.ZERO);

    private final Path path;
    private final IpvsTable table;
    private final Runnable onTableChanged;
    private final ServerSocketChannel server;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path path, IpvsTable table, Runnable onTableChanged, ServerSocketChannel server) {
        this.path = path;
        this.table = table;
        this.onTableChanged = onTableChanged;
        this.server = server;
        this.workers = Executors.newFixedThreadPool(4, daemon("lvs4j-control"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("lvs4j-control-timeout"));
        this.acceptor = daemon("lvs4j-control-accept").newThread(this::acceptLoop);
    }

    /**
     * Listens on {@code path} and serves commands against {@code table}.
     *
     * @param onTableChanged run after every command that changes the table, before the answer is sent
     * @throws IOException the socket cannot be created (for instance the directory is not writable), or
     *                     another process is listening on it
     */
    public static ControlServer start(Path path, IpvsTable table, Runnable onTableChanged) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(onTableChanged, "onTableChanged");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            boolean live;
            try (SocketChannel probe = SocketChannel.open(address)) {
                live = probe.isConnected();
            } catch (IOException e) {
                live = false;
            }
            if (live) {
                throw new IOException("another process is already listening on " + path);
            }
            Files.deleteIfExists(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address);
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default mode
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        ControlServer s = new ControlServer(path, table, onTableChanged, server);
        s.acceptor.start();
        LOG.log(Level.INFO, "Control socket listening on " + path);
        return s;
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "control socket accept failed: " + e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        ScheduledFuture<?> timeout = watchdog.schedule(() -> closeQuietly(client), REQUEST_TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        try (client) {
            InputStream in = Channels.newInputStream(client);
            OutputStream out = Channels.newOutputStream(client);
            ControlProtocol.Request request = ControlProtocol.readRequest(in);
            timeout.cancel(false);
            IpvsadmResult result = execute(request.argv(), request.stdin());
            ControlProtocol.writeResponse(out, result.exitCode(), result.stdout().getBytes(StandardCharsets.UTF_8),
                    result.stderr().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.DEBUG, "control connection: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "control command failed: " + e, e);
        } finally {
            timeout.cancel(false);
        }
    }

    /** Runs one command line against the table, as {@code ipvsadm} would, and reconciles after a change. */
    IpvsadmResult execute(List<String> argv, byte[] stdin) {
        String[] args = argv.toArray(String[]::new);
        Reader reader = new InputStreamReader(new ByteArrayInputStream(stdin), StandardCharsets.UTF_8);
        IpvsadmCommand command = null;
        if (args.length > 0) {
            try {
                command = Ipvsadm.parse(args);
            } catch (IpvsadmException e) {
                command = null;
            }
        }
        if (command == null) {
            return Ipvsadm.run(table, reader, args);
        }
        IpvsadmResult result = Ipvsadm.execute(table, command, reader);
        if (CHANGES_TABLE.contains(command.kind())) {
            LOG.log(Level.INFO, "lvsadm " + String.join(" ", args) + " (exit " + result.exitCode() + ")");
            try {
                onTableChanged.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "after lvsadm " + String.join(" ", args) + ": " + e, e);
            }
        }
        return result;
    }

    /** Stops listening, waits briefly for commands in progress, and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        workers.shutdown();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        watchdog.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + path + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }
}
