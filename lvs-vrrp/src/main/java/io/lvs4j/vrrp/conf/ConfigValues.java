package io.lvs4j.vrrp.conf;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed readers for keyword arguments, with keepalived's rules (keepalived.conf(5) "PARAMETER SYNTAX",
 * {@code lib/parser.c}).
 *
 * <ul>
 *   <li>{@code <BOOL>}: exactly {@code on}, {@code off}, {@code true}, {@code false}, {@code yes} or {@code no}
 *       (case-sensitive); the keyword alone means true.</li>
 *   <li>{@code <TIMER>}: seconds, with up to 6 decimal places (microseconds), never negative; more decimal places
 *       are a warning and the value is rounded on the seventh, as keepalived does.</li>
 *   <li>integers: base 10, optional leading blanks and sign, nothing after the digits, within a given range.</li>
 * </ul>
 *
 * <p>Every reader appends an {@link ConfigDiagnostic.Severity#ERROR} to the given {@link ConfigDiagnostics} when
 * the value is missing or rejected, at the node's file and line, naming the value, the keyword and what is
 * accepted, and then returns an empty result; the caller keeps its default, as keepalived does. Stateless and
 * thread-safe (the diagnostics list is not).
 */
public final class ConfigValues {
    /** The words {@code <BOOL>} accepts. */
    public static final String BOOL_WORDS = "on|off|true|false|yes|no";

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private ConfigValues() {
    }

    /** {@code true}/{@code false} for one of {@link #BOOL_WORDS}, empty otherwise. */
    public static Optional<Boolean> parseBool(String word) {
        return switch (word) {
            case "on", "true", "yes" -> Optional.of(Boolean.TRUE);
            case "off", "false", "no" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /** {@code keyword [<BOOL>]}: the first argument as a {@code <BOOL>}, or true for the keyword alone. */
    public static Optional<Boolean> bool(ConfigNode node, ConfigDiagnostics out) {
        if (node.args().isEmpty()) {
            return Optional.of(Boolean.TRUE);
        }
        String word = node.args().get(0);
        Optional<Boolean> value = parseBool(word);
        if (value.isEmpty()) {
            out.error(node, "Invalid value '" + word + "' for '" + node.keyword() + "': expected a <BOOL>, one of "
                    + BOOL_WORDS + " (the keyword alone means true)");
        }
        return value;
    }

    /** {@code keyword <TIMER>}: the first argument as a non-negative {@code <TIMER>} of any size. */
    public static Optional<Duration> timer(ConfigNode node, ConfigDiagnostics out) {
        return timer(node, 0, Duration.ZERO, null, out);
    }

    /**
     * The argument at {@code index} as a {@code <TIMER>} within {@code [min, max]}.
     *
     * @param max the largest accepted value, or null for no limit
     */
    public static Optional<Duration> timer(ConfigNode node, int index, Duration min, Duration max,
                                           ConfigDiagnostics out) {
        long minMicros = toMicros(min);
        long maxMicros = max == null ? Long.MAX_VALUE : toMicros(max);
        String accepted = "a <TIMER>, seconds with up to 6 decimal places"
                + (max == null ? (minMicros == 0 ? "" : ", at least " + seconds(minMicros))
                : ", in [" + seconds(minMicros) + ", " + seconds(maxMicros) + "]");
        Optional<String> word = argument(node, index, accepted, out);
        if (word.isEmpty()) {
            return Optional.empty();
        }
        String text = word.get();
        String invalid = "Invalid value '" + text + "' for '" + node.keyword() + "': expected " + accepted;
        String s = text.strip();
        if (s.startsWith("-")) {
            out.error(node, "Invalid value '" + text + "' for '" + node.keyword() + "': negative number; expected "
                    + accepted);
            return Optional.empty();
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String fraction = dot < 0 ? "" : s.substring(dot + 1);
        if ((whole.isEmpty() && fraction.isEmpty()) || !digits(whole) || !digits(fraction)) {
            out.error(node, invalid);
            return Optional.empty();
        }
        boolean roundUp = false;
        boolean tooManyDecimals = fraction.length() > 6;
        if (tooManyDecimals) {
            roundUp = fraction.charAt(6) >= '5';
            fraction = fraction.substring(0, 6);
        }
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(whole.isEmpty() ? 0 : Long.parseLong(whole),
                    MICROS_PER_SECOND), Long.parseLong((fraction + "000000").substring(0, 6)));
            if (roundUp) {
                micros = Math.addExact(micros, 1);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            out.error(node, "Value '" + text + "' for '" + node.keyword() + "' is too large: expected " + accepted);
            return Optional.empty();
        }
        if (micros < minMicros || micros > maxMicros) {
            out.error(node, "Value '" + text + "' for '" + node.keyword() + "' is outside range ["
                    + seconds(minMicros) + ", " + (max == null ? "-" : seconds(maxMicros)) + "]: expected "
                    + accepted);
            return Optional.empty();
        }
        if (tooManyDecimals) {
            out.warning(node, "Value '" + text + "' for '" + node.keyword() + "' has too many decimal places"
                    + " - rounded to " + seconds(micros));
        }
        return Optional.of(Duration.of(micros, ChronoUnit.MICROS));
    }

    /** {@code keyword <INTEGER>}: the first argument as an integer within {@code [min, max]}. */
    public static OptionalLong integer(ConfigNode node, long min, long max, ConfigDiagnostics out) {
        return integer(node, 0, min, max, out);
    }

    /** The argument at {@code index} as an integer within {@code [min, max]}. */
    public static OptionalLong integer(ConfigNode node, int index, long min, long max, ConfigDiagnostics out) {
        String accepted = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "an integer"
                : "an integer in [" + min + ", " + max + "]";
        Optional<String> word = argument(node, index, accepted, out);
        if (word.isEmpty()) {
            return OptionalLong.empty();
        }
        String text = word.get();
        String s = text.stripLeading();
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() == i || !digits(s.substring(i))) {
            out.error(node, "Invalid value '" + text + "' for '" + node.keyword() + "': expected " + accepted);
            return OptionalLong.empty();
        }
        long value;
        try {
            value = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            out.error(node, "Value '" + text + "' for '" + node.keyword() + "' is outside range [" + min + ", "
                    + max + "]: expected " + accepted);
            return OptionalLong.empty();
        }
        if (value < min || value > max) {
            out.error(node, "Value '" + text + "' for '" + node.keyword() + "' is outside range [" + min + ", "
                    + max + "]");
            return OptionalLong.empty();
        }
        return OptionalLong.of(value);
    }

    /** {@code keyword <STRING>}: the first argument, which must be there. */
    public static Optional<String> string(ConfigNode node, ConfigDiagnostics out) {
        return argument(node, 0, "a value", out);
    }

    /**
     * A script keyword's argv ({@code notify_master "/bin/notify.sh 'a b' c"} gives {@code /bin/notify.sh},
     * {@code a b}, {@code c}): keepalived splits the first argument again with the quoted-and-escaped rules
     * ({@link ConfigWords#split}). Words after the script (the user and group to run it as) are left to the
     * caller.
     */
    public static Optional<List<String>> scriptArgv(ConfigNode node, ConfigDiagnostics out) {
        Optional<String> script = argument(node, 0, "a script, optionally quoted with its arguments", out);
        if (script.isEmpty()) {
            return Optional.empty();
        }
        ConfigWords.Split split = ConfigWords.quotedEscaped(script.get());
        if (!split.ok()) {
            out.error(node, "Invalid script '" + script.get() + "' for '" + node.keyword() + "': " + split.error());
            return Optional.empty();
        }
        if (split.words().isEmpty()) {
            out.error(node, "Empty script for '" + node.keyword() + "'");
            return Optional.empty();
        }
        return Optional.of(split.words());
    }

    private static Optional<String> argument(ConfigNode node, int index, String accepted, ConfigDiagnostics out) {
        Optional<String> word = node.arg(index);
        if (word.isEmpty()) {
            out.error(node, "'" + node.keyword() + "' is missing a parameter at word position " + (index + 2)
                    + ": expected " + accepted);
        }
        return word;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long toMicros(Duration d) {
        return Math.addExact(Math.multiplyExact(d.getSeconds(), MICROS_PER_SECOND), d.getNano() / 1000);
    }

    /** Seconds with as many decimals as needed: 255, 0.5, 0.000001. */
    static String seconds(long micros) {
        String s = (micros / MICROS_PER_SECOND) + "." + String.format("%06d", micros % MICROS_PER_SECOND);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
