package io.lvs4j.health;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits keepalived script strings ({@code misc_path}, {@code notify_up}, {@code quorum_up}, ...) into argv
 * exactly as keepalived's quoted-and-escaped word splitter does (spec keepalived.md §2.1):
 *
 * <ul>
 *   <li>Words are separated by unquoted space, tab, form feed, newline, carriage return or vertical tab.</li>
 *   <li>{@code "} and {@code '} open a quoted run that ends at the same quote character; inside it whitespace
 *       and the other quote character are literal. Quotes are removed and quoted and unquoted runs that touch
 *       form one word ({@code ab" c "d} is {@code ab c d}); {@code ""} is an empty word.</li>
 *   <li>A backslash escapes everywhere, inside single quotes too: {@code \a \b \E \f \n \r \t \v};
 *       {@code \cC} (C &amp; 0x1f); {@code \nnn} (1 to 3 octal digits); {@code \xH...} (every hex digit that
 *       follows is consumed, keeping the low 8 bits, so {@code \x414} is 0x14, not {@code A4}); any other
 *       {@code \C} is C. Escapes produce bytes; a word is decoded as UTF-8 and ends at a NUL byte.</li>
 *   <li>An unterminated quote or a trailing lone backslash is an error.</li>
 * </ul>
 *
 * <p>keepalived runs this splitter twice on a script keyword: once over the whole config line, which yields
 * the keyword's first argument (e.g. {@code /bin/notify.sh 'a b'} from {@code notify_up "/bin/notify.sh 'a b'"}),
 * then again over that argument to get argv. {@link #split} is one pass; {@link #scriptArgv} is both.
 *
 * <p>Stateless and thread-safe; linear in the input length.
 */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * One pass of keepalived's splitter over {@code text}.
     *
     * @return the words, possibly empty (blank input)
     * @throws IllegalArgumentException for an unterminated quote or a trailing lone backslash
     */
    public static List<String> split(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        List<String> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        int i = 0;
        int n = in.length;
        while (true) {
            while (i < n && isWhite(in[i])) {
                i++;
            }
            if (i == n) {
                return words;
            }
            word.reset();
            byte quote = 0;
            while (i < n) {
                byte c = in[i];
                if (c == '\\') {
                    i++;
                    if (i == n) {
                        throw new IllegalArgumentException("Missing escape char at end: '" + text + "'");
                    }
                    i = unescape(in, i, word);
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.write(c);
                    }
                    i++;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                } else if (isWhite(c)) {
                    break;
                } else {
                    word.write(c);
                    i++;
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("String '" + text + "': missing terminating " + (char) quote);
            }
            words.add(decode(word.toByteArray()));
        }
    }

    /**
     * argv of a script keyword from the config text that follows the keyword, as keepalived derives it:
     * the first word of {@link #split}{@code (keywordArguments)} split again. Further words (keepalived's
     * optional {@code user [group]}) are ignored. Example: {@code "/bin/check.sh 'a b' c" nobody} gives
     * {@code [/bin/check.sh, a b, c]}.
     *
     * @throws IllegalArgumentException if either pass fails or there is no command
     */
    public static List<String> scriptArgv(String keywordArguments) {
        List<String> outer = split(keywordArguments);
        List<String> argv = outer.isEmpty() ? List.of() : split(outer.get(0));
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("script '" + keywordArguments + "' has no command");
        }
        return List.copyOf(argv);
    }

    /** Appends the byte(s) for the escape whose letter is at {@code in[i]}; returns the index after it. */
    private static int unescape(byte[] in, int i, ByteArrayOutputStream out) {
        int n = in.length;
        byte c = in[i];
        if (c == 'x' && i + 1 < n && hexValue(in[i + 1]) >= 0) {
            int v = 0;
            i++;
            while (i < n && hexValue(in[i]) >= 0) {
                v = ((v << 4) | hexValue(in[i])) & 0xff;
                i++;
            }
            out.write(v);
            return i;
        }
        if (c == 'c' && i + 1 < n) {
            out.write(in[i + 1] & 0x1f);
            return i + 2;
        }
        if (c >= '0' && c <= '7') {
            int v = c - '0';
            i++;
            for (int k = 0; k < 2 && i < n && in[i] >= '0' && in[i] <= '7'; k++, i++) {
                v = (v << 3) + (in[i] - '0');
            }
            out.write(v & 0xff);
            return i;
        }
        out.write(switch (c) {
            case 'a' -> 0x07;
            case 'b' -> 0x08;
            case 'E' -> 0x1b;
            case 'f' -> 0x0c;
            case 'n' -> 0x0a;
            case 'r' -> 0x0d;
            case 't' -> 0x09;
            case 'v' -> 0x0b;
            default -> c;
        });
        return i + 1;
    }

    private static String decode(byte[] bytes) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    private static boolean isWhite(byte c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == 0x0b;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
