package io.lvs4j.health;

/** {@code http_protocol}: the request line version and whether {@code Connection: close} is sent. */
public enum HttpProtocol {
    /** {@code GET ... HTTP/1.0}, no Connection header (keepalived's default). */
    HTTP_1_0("1.0", false),
    /** {@code GET ... HTTP/1.0} with {@code Connection: close} ({@code 1.0C}). */
    HTTP_1_0_CLOSE("1.0", true),
    /** {@code GET ... HTTP/1.1} with {@code Connection: close}. */
    HTTP_1_1("1.1", true);

    private final String version;
    private final boolean connectionClose;

    HttpProtocol(String version, boolean connectionClose) {
        this.version = version;
        this.connectionClose = connectionClose;
    }

    public String version() {
        return version;
    }

    public boolean connectionClose() {
        return connectionClose;
    }

    /** Parses keepalived's value: {@code 1.0}, {@code 1.0C} (or {@code 1.0c}), {@code 1.1}. */
    public static HttpProtocol parse(String text) {
        return switch (text) {
            case "1.0" -> HTTP_1_0;
            case "1.0C", "1.0c" -> HTTP_1_0_CLOSE;
            case "1.1" -> HTTP_1_1;
            default -> throw new IllegalArgumentException("http_protocol '" + text + "' is not valid; accepted: 1.0, 1.0C, 1.1");
        };
    }
}
