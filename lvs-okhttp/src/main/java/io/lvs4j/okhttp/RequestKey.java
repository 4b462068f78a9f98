package io.lvs4j.okhttp;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.Request;

/**
 * A string taken from a request for the schedulers to hash: the <em>client key</em> (what sh, mh and
 * persistence see as the client address) or the <em>destination key</em> (what dh, lblc and lblcr see as
 * the destination address). {@link LvsInterceptor} turns a key into an address with
 * {@link io.lvs4j.core.Flow#keyAddress}: the IPv4 address whose host-order 32-bit value is the CRC-32C of the
 * key's UTF-8 bytes. Returning null means "no key for this request" (see {@link LvsInterceptor}).
 *
 * <p>The request is the one the caller made, before the interceptor rewrote it (its URL still names the
 * virtual service). Implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface RequestKey {

    /** The key of {@code request}, or null. */
    String key(Request request);

    /** This key, or {@code other}'s when this one is null. */
    default RequestKey orElse(RequestKey other) {
        Objects.requireNonNull(other, "other");
        return request -> {
            String k = key(request);
            return k != null ? k : other.key(request);
        };
    }

    /** The value of header {@code name} (the last one if repeated), or null. */
    static RequestKey header(String name) {
        Objects.requireNonNull(name, "name");
        return request -> request.header(name);
    }

    /**
     * The value of cookie {@code name} in the request's {@code Cookie} headers, or null. Only cookies the
     * caller put on the request are seen: a {@code CookieJar} adds its cookies after application
     * interceptors run.
     */
    static RequestKey cookie(String name) {
        Objects.requireNonNull(name, "name");
        return request -> {
            List<String> headers = request.headers("Cookie");
            for (int h = headers.size() - 1; h >= 0; h--) {
                String header = headers.get(h);
                int i = 0;
                while (i < header.length()) {
                    int end = header.indexOf(';', i);
                    if (end < 0) {
                        end = header.length();
                    }
                    int eq = header.indexOf('=', i);
                    if (eq > 0 && eq < end && header.substring(i, eq).trim().equals(name)) {
                        return header.substring(eq + 1, end).trim();
                    }
                    i = end + 1;
                }
            }
            return null;
        };
    }

    /**
     * A key made from the request's tag of {@code type} (OkHttp's {@code Request.Builder.tag(Class, T)}), for
     * a caller identity the application attaches to each request; null when the request has no such tag.
     */
    static <T> RequestKey tag(Class<T> type, Function<? super T, String> key) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        return request -> {
            T tag = request.tag(type);
            return tag == null ? null : key.apply(tag);
        };
    }

    /** The URL's host: the virtual service name as called ({@code orders.lvs}). */
    static RequestKey host() {
        return request -> request.url().host();
    }

    /** The URL's encoded path ({@code /images/logo.png}), query excluded. */
    static RequestKey path() {
        return request -> request.url().encodedPath();
    }

    /** Host and encoded path ({@code orders.lvs/images/logo.png}), query excluded. */
    static RequestKey hostAndPath() {
        return request -> request.url().host() + request.url().encodedPath();
    }
}
