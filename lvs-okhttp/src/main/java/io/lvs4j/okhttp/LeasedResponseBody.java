package io.lvs4j.okhttp;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A response body that ends its call's lease when it is read to the end or closed (normal end: TIME_WAIT),
 * or when reading it fails (abort: CLOSE), and counts the bytes read. Like any OkHttp body, read by one
 * thread at a time.
 */
final class LeasedResponseBody extends ResponseBody {
    private final ResponseBody delegate;
    private final BalancedCall call;
    private BufferedSource source;
    private long bytesRead;

    LeasedResponseBody(ResponseBody delegate, BalancedCall call) {
        this.delegate = delegate;
        this.call = call;
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        if (source == null) {
            source = Okio.buffer(new ForwardingSource(delegate.source()) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n;
                    try {
                        n = super.read(sink, byteCount);
                    } catch (IOException | RuntimeException e) {
                        call.release(bytesRead, true);
                        throw e;
                    }
                    if (n < 0) {
                        call.release(bytesRead, false);
                    } else {
                        bytesRead += n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    call.release(bytesRead, false);
                    super.close();
                }
            });
        }
        return source;
    }
}
