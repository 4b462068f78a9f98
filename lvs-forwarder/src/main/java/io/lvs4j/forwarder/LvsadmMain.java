package io.lvs4j.forwarder;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.ipvsadm.Ipvsadm;
import io.lvs4j.core.ipvsadm.IpvsadmCommand;
import io.lvs4j.core.ipvsadm.IpvsadmException;
import io.lvs4j.core.ipvsadm.IpvsadmResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lvsadm [--control SOCKET] <ipvsadm arguments>}: ipvsadm for a running lvs-forwarder. The arguments are
 * ipvsadm 1.31's; the command runs in the forwarder against its live table (so {@code -A/-E/-D/-a/-e/-d/-C/-R/
 * --set/-Z} change the running service, {@code -L -n}, {@code -c}, {@code --stats}, {@code --rate}, {@code -S}
 * show it), and what it printed is written here byte for byte, on the same streams, with ipvsadm's exit status.
 *
 * <p>{@code --control SOCKET} (or {@code --control=SOCKET}, anywhere on the line) names the forwarder's socket,
 * by default {@value #DEFAULT_SOCKET}. A command line ipvsadm would refuse is answered here, without the forwarder
 * (same message, same status). For {@code -R}, standard input is read to its end and sent along. When the
 * forwarder cannot be reached: one line, {@code lvsadm: cannot reach the forwarder at SOCKET: REASON}, and exit
 * status 2.
 */
public final class LvsadmMain {
    /** The forwarder's control socket unless {@code --control} says otherwise. */
    public static final String DEFAULT_SOCKET = "/run/lvs-forwarder.sock";
    /** The exit status when the forwarder cannot be reached or the line cannot be sent. */
    public static final int EXIT_UNREACHABLE = 2;

    private LvsadmMain() {
    }

    /** Runs {@code lvsadm} and exits with its status. */
    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs one {@code lvsadm} invocation with the given streams; returns the exit status.
     */
    public static int run(String[] args, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        Path socket = Path.of(DEFAULT_SOCKET);
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--control")) {
                if (i + 1 >= args.length || args[i + 1].isEmpty()) {
                    err.println("lvsadm: --control needs the forwarder's socket path");
                    return EXIT_UNREACHABLE;
                }
                socket = Path.of(args[++i]);
            } else if (a.startsWith("--control=")) {
                if (a.length() == "--control=".length()) {
                    err.println("lvsadm: --control needs the forwarder's socket path");
                    return EXIT_UNREACHABLE;
                }
                socket = Path.of(a.substring("--control=".length()));
            } else {
                argv.add(a);
            }
        }
        String[] ipvsadm = argv.toArray(String[]::new);
        IpvsadmCommand command = null;
        if (ipvsadm.length > 0) {
            try {
                command = Ipvsadm.parse(ipvsadm);
            } catch (IpvsadmException e) {
                IpvsadmResult local = Ipvsadm.run(new IpvsTable(), ipvsadm);
                return print(local.exitCode(), local.stdout().getBytes(StandardCharsets.UTF_8),
                        local.stderr().getBytes(StandardCharsets.UTF_8), stdout, stderr, err);
            }
        }
        byte[] input = new byte[0];
        if (command != null && command.kind() == IpvsadmCommand.Kind.RESTORE) {
            try {
                input = stdin.readAllBytes();
            } catch (IOException e) {
                err.println("lvsadm: cannot read standard input: " + reason(e));
                return EXIT_UNREACHABLE;
            }
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            err.println("lvsadm: cannot reach the forwarder at " + socket + ": " + reason(e));
            return EXIT_UNREACHABLE;
        }
        ControlProtocol.Response response;
        try (channel) {
            ControlProtocol.writeRequest(Channels.newOutputStream(channel), argv, input);
            response = ControlProtocol.readResponse(Channels.newInputStream(channel));
        } catch (IOException e) {
            err.println("lvsadm: lost the connection to the forwarder at " + socket + ": " + reason(e));
            return EXIT_UNREACHABLE;
        }
        return print(response.exitCode(), response.stdout(), response.stderr(), stdout, stderr, err);
    }

    private static int print(int exit, byte[] out, byte[] errBytes, OutputStream stdout, OutputStream stderr,
                             PrintStream err) {
        try {
            stdout.write(out);
            stdout.flush();
            stderr.write(errBytes);
            stderr.flush();
        } catch (IOException e) {
            err.println("lvsadm: cannot write the output: " + reason(e));
            return EXIT_UNREACHABLE;
        }
        return exit;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
