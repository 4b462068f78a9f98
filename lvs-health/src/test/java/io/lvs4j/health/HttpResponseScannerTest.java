package io.lvs4j.health;

import static io.lvs4j.health.IoTestSupport.ascii;
import static io.lvs4j.health.IoTestSupport.md5Hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HttpResponseScannerTest {

    private static HttpResponseScanner scanOneByteAtATime(String response) {
        HttpResponseScanner s = new HttpResponseScanner(true, true);
        for (byte b : ascii(response)) {
            assertThat(s.feed(ByteBuffer.wrap(new byte[] {b}))).isTrue();
        }
        return s;
    }

    @Test
    void findsTheHeaderEndAcrossReads() {
        HttpResponseScanner s = scanOneByteAtATime("HTTP/1.1 302 Found\r\nContent-Length: 4\r\n\r\nbodyextra");

        assertThat(s.headersComplete()).isTrue();
        assertThat(s.status()).isEqualTo(302);
        assertThat(s.contentLength()).isEqualTo(4);
        assertThat(s.bodyBytes()).isEqualTo(9);
        assertThat(HexFormat.of().formatHex(s.digest())).isEqualTo(md5Hex(ascii("body")));
        assertThat(s.regexSubject().toString()).startsWith("HTTP/1.1 302 Found\r\n").endsWith("bodyextra");
    }

    @Test
    void statusCodeShapes() {
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\n\r\n").status()).isEqualTo(200);
        assertThat(scanOneByteAtATime("HTTP/1.1 200\r\n\r\n").status()).isZero();
        assertThat(scanOneByteAtATime("HTTP/1.1 2x0 OK\r\n\r\n").status()).isZero();
        assertThat(scanOneByteAtATime("HTTP/1.1 20 OK\r\n\r\n").status()).isZero();
        assertThat(scanOneByteAtATime("HTTP/1.1 2000 OK\r\n\r\n").status()).isZero();
        assertThat(scanOneByteAtATime("garbage\r\n\r\n").status()).isZero();
    }

    @Test
    void contentLengthReadsLikeAtoi() {
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\nContent-Length:12\r\n\r\n").contentLength()).isEqualTo(12);
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\nContent-Length:  7junk\r\n\r\n").contentLength()).isEqualTo(7);
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n").contentLength()).isZero();
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").contentLength()).isEqualTo(-1);
        assertThat(scanOneByteAtATime("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 3\r\n\r\n").contentLength()).isEqualTo(-1);
    }

    @Test
    void contentLengthZeroHashesNothing() {
        HttpResponseScanner s = scanOneByteAtATime("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nignored");

        assertThat(HexFormat.of().formatHex(s.digest())).isEqualTo(md5Hex(new byte[0]));
    }

    @Test
    void headersPastTheLimitAreRejected() {
        HttpResponseScanner s = new HttpResponseScanner(false, false);
        byte[] big = ascii("HTTP/1.1 200 OK\r\nX: " + "a".repeat(5000) + "\r\n\r\n");

        assertThat(s.feed(ByteBuffer.wrap(big))).isFalse();
        assertThat(s.headersComplete()).isFalse();
    }
}
