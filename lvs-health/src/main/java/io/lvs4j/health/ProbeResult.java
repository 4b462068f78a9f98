package io.lvs4j.health;

/**
 * The outcome of one check attempt.
 *
 * @param success    whether the attempt passed
 * @param reason     for a failure, keepalived's words for what went wrong, e.g. {@code "timeout"},
 *                   {@code "HTTP status code error"}, {@code "MD5 digest error"}; for a success, what passed
 *                   ({@code "HTTP status code success"}) or ""
 * @param exitStatus MISC_CHECK's exit status (0..255), or -1 (other checkers, or killed/timed out)
 */
public record ProbeResult(boolean success, String reason, int exitStatus) {
    public static ProbeResult ok(String reason) {
        return new ProbeResult(true, reason, -1);
    }

    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason, -1);
    }
}
