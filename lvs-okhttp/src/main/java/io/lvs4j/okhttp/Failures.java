package io.lvs4j.okhttp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import okhttp3.Request;
import okhttp3.RequestBody;

/** Which failures may be retried (see {@link RetryPolicy}). */
final class Failures {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private Failures() {
    }

    /**
     * True when {@code e} shows the request never left: the connection was refused, unreachable or timed out
     * while connecting (OkHttp surfaces the connect error itself, possibly as the cause).
     */
    static boolean beforeSend(IOException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof PortUnreachableException || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out")) {
                return true;
            }
        }
        return false;
    }

    /** True when sending {@code request} again is safe after it may have reached a server. */
    static boolean repeatable(Request request) {
        if (!IDEMPOTENT.contains(request.method())) {
            return false;
        }
        RequestBody body = request.body();
        return body == null || !body.isOneShot();
    }
}
