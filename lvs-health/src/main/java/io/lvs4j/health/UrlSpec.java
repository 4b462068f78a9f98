package io.lvs4j.health;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code url} block of HTTP_GET/SSL_GET (spec §1.6).
 *
 * @param path         request target, sent verbatim
 * @param digest       expected MD5 of the raw body (16 bytes), or null
 * @param statusCodes  accepted codes as inclusive ranges {@code [lo, hi]}; empty means 200-299
 * @param virtualhost  Host header for this URL, or null (then the checker's, RS's, VS's)
 * @param regex        pattern the response must match (headers included in the first buffer), or null
 * @param regexNoMatch the response must NOT match {@code regex}
 */
public record UrlSpec(String path, byte[] digest, List<int[]> statusCodes, String virtualhost, Pattern regex,
                      boolean regexNoMatch) {

    public UrlSpec {
        Objects.requireNonNull(path, "path");
        if (digest != null && digest.length != 16) {
            throw new IllegalArgumentException("digest of " + digest.length + " bytes; accepted: 32 hex characters (MD5)");
        }
        statusCodes = List.copyOf(statusCodes);
        for (int[] r : statusCodes) {
            if (r.length != 2 || r[0] < 100 || r[1] > 599 || r[0] > r[1]) {
                throw new IllegalArgumentException("status_code range " + java.util.Arrays.toString(r)
                        + " is not valid; accepted: N or N-M within 100-599");
            }
        }
    }

    /** A URL with only a path: status 200-299, no digest. */
    public static UrlSpec path(String path) {
        return new UrlSpec(path, null, List.of(), null, null, false);
    }

    /** This URL with {@code digest} given as 32 hex characters. */
    public UrlSpec withDigest(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("digest '" + hex + "' is not valid; accepted: exactly 32 hex characters");
        }
        return new UrlSpec(path, HexFormat.of().parseHex(hex), statusCodes, virtualhost, regex, regexNoMatch);
    }

    /** True if {@code code} is accepted (200-299 when no status_code was given). */
    public boolean accepts(int code) {
        if (statusCodes.isEmpty()) {
            return code >= 200 && code <= 299;
        }
        for (int[] r : statusCodes) {
            if (code >= r[0] && code <= r[1]) {
                return true;
            }
        }
        return false;
    }
}
