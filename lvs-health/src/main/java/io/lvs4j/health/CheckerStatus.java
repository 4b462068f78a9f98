package io.lvs4j.health;

/**
 * The state of one checker of a real server, as of a {@link HealthChecker#status()} call.
 *
 * @param type   keepalived's name of the checker ({@code TCP_CHECK}, {@code HTTP_GET}, ...)
 * @param up     the checker's {@code is_up} flag
 * @param hasRun whether the checker has completed its first check
 * @param retry  the retry counter ({@code retry_it}): failed attempts of the current failure run
 */
public record CheckerStatus(String type, boolean up, boolean hasRun, int retry) {
}
