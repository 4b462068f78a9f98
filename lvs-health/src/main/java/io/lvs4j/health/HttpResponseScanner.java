package io.lvs4j.health;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads a raw HTTP response the way keepalived's HTTP_GET does (spec keepalived.md §1.6), as bytes arrive:
 * <ul>
 *   <li>the headers end at the first {@code \r\n\r\n}, which must lie within the first
 *       {@value #MAX_HEADER_BYTES} bytes ({@link #feed} returns false otherwise);</li>
 *   <li>the status code is the 3 characters after the first space of the response, which must be
 *       digits followed by a space; anything else reads as 0;</li>
 *   <li>{@code Content-Length:} (case-sensitive) is looked for in the headers and read like C's
 *       {@code atoi}; a negative value counts as absent;</li>
 *   <li>the MD5 digest (when asked for) covers the body bytes after the blank line, cut at
 *       Content-Length when present, with no transfer decoding (chunk framing is hashed);</li>
 *   <li>the regex subject (when asked for) is the response as received, status line and headers
 *       included, one char per byte (ISO-8859-1), up to {@value #REGEX_SUBJECT_LIMIT} bytes.</li>
 * </ul>
 * Not thread-safe.
 */
final class HttpResponseScanner {

    /** keepalived's buffer is 4096 bytes with one kept for a terminating NUL. */
    static final int MAX_HEADER_BYTES = 4095;
    /** Bytes of the response kept for the regex; later bytes are not matched. */
    static final int REGEX_SUBJECT_LIMIT = 1 << 20;

    private static final byte[] CONTENT_LENGTH = "Content-Length:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] head = new byte[MAX_HEADER_BYTES];
    private int headLen;
    private boolean headersComplete;
    private int status;
    private long contentLength = -1;
    private long bodyBytes;
    private long digested;
    private final MessageDigest md5;
    private final ByteArrayOutputStream subject;

    HttpResponseScanner(boolean digest, boolean regex) {
        md5 = digest ? newMd5() : null;
        subject = regex ? new ByteArrayOutputStream() : null;
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /**
     * Consumes {@code data}; false when the headers did not end within the first
     * {@value #MAX_HEADER_BYTES} bytes (keepalived's "no data received" case), after which nothing more
     * should be fed.
     */
    boolean feed(ByteBuffer data) {
        if (!headersComplete) {
            int start = headLen;
            int take = Math.min(data.remaining(), MAX_HEADER_BYTES - headLen);
            data.get(head, headLen, take);
            headLen += take;
            keep(head, start, take);
            int end = headerEnd(Math.max(0, start - 3));
            if (end < 0) {
                return headLen < MAX_HEADER_BYTES;
            }
            headersComplete = true;
            status = parseStatus(end);
            contentLength = parseContentLength(end);
            body(head, end, headLen - end);
        }
        if (data.hasRemaining()) {
            int n = data.remaining();
            if (data.hasArray()) {
                int off = data.arrayOffset() + data.position();
                keep(data.array(), off, n);
                body(data.array(), off, n);
                data.position(data.limit());
            } else {
                byte[] copy = new byte[n];
                data.get(copy);
                keep(copy, 0, n);
                body(copy, 0, n);
            }
        }
        return true;
    }

    boolean headersComplete() {
        return headersComplete;
    }

    /** The status code, or 0 when the status line does not have the expected shape. */
    int status() {
        return status;
    }

    /** The Content-Length value, or -1 when absent. */
    long contentLength() {
        return contentLength;
    }

    /** Body bytes received (after the blank line). */
    long bodyBytes() {
        return bodyBytes;
    }

    /** MD5 of the body as keepalived computes it; only when made with {@code digest}. Call once, at the end. */
    byte[] digest() {
        return md5.digest();
    }

    /** The regex subject; only when made with {@code regex}. */
    CharSequence regexSubject() {
        return subject.toString(StandardCharsets.ISO_8859_1);
    }

    private void keep(byte[] b, int off, int len) {
        if (subject != null) {
            int room = REGEX_SUBJECT_LIMIT - subject.size();
            if (room > 0) {
                subject.write(b, off, Math.min(room, len));
            }
        }
    }

    private void body(byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        bodyBytes += len;
        if (md5 != null) {
            long n = contentLength < 0 ? len : Math.min(len, contentLength - digested);
            if (n > 0) {
                md5.update(b, off, (int) n);
                digested += n;
            }
        }
    }

    private int headerEnd(int from) {
        for (int i = from; i + 3 < headLen; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private int parseStatus(int end) {
        int sp = -1;
        for (int i = 0; i < end; i++) {
            if (head[i] == ' ') {
                sp = i;
                break;
            }
        }
        if (sp < 0 || sp + 4 >= end || head[sp + 4] != ' ') {
            return 0;
        }
        int code = 0;
        for (int i = sp + 1; i <= sp + 3; i++) {
            if (head[i] < '0' || head[i] > '9') {
                return 0;
            }
            code = code * 10 + (head[i] - '0');
        }
        return code;
    }

    private long parseContentLength(int end) {
        int at = indexOf(CONTENT_LENGTH, end);
        if (at < 0) {
            return -1;
        }
        int i = at + CONTENT_LENGTH.length;
        while (i < end && (head[i] == ' ' || (head[i] >= '\t' && head[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < end && (head[i] == '+' || head[i] == '-')) {
            negative = head[i] == '-';
            i++;
        }
        long v = 0;
        while (i < end && head[i] >= '0' && head[i] <= '9') {
            v = Math.min(v * 10 + (head[i] - '0'), Long.MAX_VALUE / 10);
            i++;
        }
        return negative && v != 0 ? -1 : v;
    }

    private int indexOf(byte[] needle, int end) {
        outer:
        for (int i = 0; i + needle.length <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (head[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
