package io.lvs4j.forwarder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing {@code lvsadm} and the forwarder's control socket speak: one request, one response, then the
 * connection is closed. All integers are 32-bit big-endian; strings and blobs are a length then that many bytes
 * (strings in UTF-8).
 *
 * <pre>
 * request:  "LVS1"  argc  { len arg-bytes } x argc  stdin-len stdin-bytes
 * response: "LVS1"  exit-code  stdout-len stdout-bytes  stderr-len stderr-bytes
 * </pre>
 *
 * <p>Bounds, so that a stray client cannot make the server allocate without limit: at most {@link #MAX_ARGS}
 * arguments of at most {@link #MAX_ARG} bytes each, standard input and each output of at most
 * {@link #MAX_BLOB} bytes. Stateless.
 */
final class ControlProtocol {
    static final byte[] MAGIC = {'L', 'V', 'S', '1'};
    static final int MAX_ARGS = 4096;
    static final int MAX_ARG = 64 * 1024;
    static final int MAX_BLOB = 64 * 1024 * 1024;

    private ControlProtocol() {
    }

    /** A decoded request. */
    record Request(List<String> argv, byte[] stdin) {
    }

    /** A decoded response; {@code stdout} and {@code stderr} are the raw bytes the command wrote. */
    record Response(int exitCode, byte[] stdout, byte[] stderr) {
    }

    static void writeRequest(OutputStream os, List<String> argv, byte[] stdin) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.write(MAGIC);
        out.writeInt(argv.size());
        for (String a : argv) {
            writeBlob(out, a.getBytes(StandardCharsets.UTF_8));
        }
        writeBlob(out, stdin);
        out.flush();
    }

    static Request readRequest(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        readMagic(in);
        int argc = in.readInt();
        if (argc < 0 || argc > MAX_ARGS) {
            throw new IOException("bad request: " + argc + " arguments; accepted: 0.." + MAX_ARGS);
        }
        List<String> argv = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            argv.add(new String(readBlob(in, MAX_ARG), StandardCharsets.UTF_8));
        }
        byte[] stdin = readBlob(in, MAX_BLOB);
        return new Request(argv, stdin);
    }

    static void writeResponse(OutputStream os, int exitCode, byte[] stdout, byte[] stderr) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.write(MAGIC);
        out.writeInt(exitCode);
        writeBlob(out, stdout);
        writeBlob(out, stderr);
        out.flush();
    }

    static Response readResponse(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        readMagic(in);
        int exit = in.readInt();
        byte[] stdout = readBlob(in, MAX_BLOB);
        byte[] stderr = readBlob(in, MAX_BLOB);
        return new Response(exit, stdout, stderr);
    }

    private static void readMagic(DataInputStream in) throws IOException {
        byte[] m = new byte[MAGIC.length];
        in.readFully(m);
        for (int i = 0; i < m.length; i++) {
            if (m[i] != MAGIC[i]) {
                throw new IOException("not an lvs4j control message (bad magic)");
            }
        }
    }

    private static void writeBlob(DataOutputStream out, byte[] b) throws IOException {
        if (b.length > MAX_BLOB) {
            throw new IOException("message part of " + b.length + " bytes; accepted: at most " + MAX_BLOB);
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBlob(DataInputStream in, int max) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > max) {
            throw new IOException("bad message: part of " + len + " bytes; accepted: 0.." + max);
        }
        byte[] b = new byte[len];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new IOException("message cut short", e);
        }
        return b;
    }
}
