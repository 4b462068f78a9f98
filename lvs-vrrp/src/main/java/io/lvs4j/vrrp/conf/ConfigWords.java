package io.lvs4j.vrrp.conf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's two ways of cutting a configuration line into words.
 *
 * <p><b>Quoted and escaped</b> ({@link #split}; man keepalived.conf "Quoted strings"): words are separated by
 * unquoted space, tab, form feed, newline, carriage return or vertical tab; {@code "} and {@code '} open a
 * quoted run that ends at the same quote character, inside which whitespace and the other quote are literal;
 * quotes are removed and touching quoted and unquoted runs form one word ({@code abcd" efg h jkl "mnop} is the
 * single word {@code abcd efg h jkl mnop}); a backslash escapes everywhere, inside quotes too:
 * {@code \a \b \E \f \n \r \t \v}, {@code \cC} (the control character C &amp; 0x1f), {@code \nnn} (one to three
 * octal digits), {@code \xH...} (every following hex digit is consumed and the low 8 bits kept, so
 * {@code \x414} is 0x14), and {@code \C} for any other C is C itself ({@code \\}, {@code \"}, {@code \'}).
 * Escapes produce bytes; a word is decoded as UTF-8 and, as in C, ends at a NUL byte. An unterminated quote
 * or a lone trailing backslash is an error. This is what {@link ConfigNode#args()} holds, and what keepalived
 * applies to script keywords ({@code notify_*}, {@code script}, {@code misc_path}, ...) and {@code regex};
 * for a script keyword keepalived applies it a second time to the first argument to get the script's argv
 * ({@link ConfigValues#scriptArgv}).
 *
 * <p><b>Plain</b> ({@link #splitPlain}): what keepalived's handlers for ordinary keywords receive. Words are
 * separated by the same whitespace; a word that starts with {@code "} runs to the next {@code "} (quotes
 * removed, nothing escaped); any other word ends at whitespace or at a {@code "}. Single quotes and
 * backslashes are ordinary characters. See {@link ConfigNode#plainArgs()}.
 *
 * <p>Stateless and thread-safe; both splitters are linear in the length of the text.
 */
public final class ConfigWords {

    private ConfigWords() {
    }

    /** Words of one split, or the reason the text could not be split (then {@code words} is what was read). */
    record Split(List<String> words, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /**
     * Splits {@code text} with the quoted-and-escaped rules.
     *
     * @return the words; empty for blank text
     * @throws IllegalArgumentException for an unterminated quote or a lone trailing backslash, with
     *     keepalived's wording ({@code String '...': missing terminating '}, {@code Missing escape char at end})
     */
    public static List<String> split(String text) {
        Split split = quotedEscaped(text);
        if (!split.ok()) {
            throw new IllegalArgumentException(split.error());
        }
        return split.words();
    }

    /** Splits {@code text} as keepalived's plain splitter does; an unmatched {@code "} ends the words read. */
    public static List<String> splitPlain(String text) {
        return plain(text).words();
    }

    static boolean isWhite(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\u000B';
    }

    static Split quotedEscaped(String s) {
        List<String> words = new ArrayList<>();
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && isWhite(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return new Split(List.copyOf(words), null);
            }
            word.reset();
            char quote = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                    if (i >= n) {
                        return new Split(List.copyOf(words), "Missing escape char at end: '" + s + "'");
                    }
                    i = escape(s, i, word);
                    continue;
                }
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        i = appendCodePoint(s, i, word) - 1;
                    }
                    i++;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                    continue;
                }
                if (isWhite(c)) {
                    break;
                }
                i = appendCodePoint(s, i, word);
            }
            if (quote != 0) {
                words.add(decode(word));
                return new Split(List.copyOf(words), "String '" + s + "': missing terminating " + quote);
            }
            words.add(decode(word));
        }
    }

    /** Decodes the escape whose first character (after the backslash) is at {@code i}; returns the next index. */
    private static int escape(String s, int i, ByteArrayOutputStream out) {
        int n = s.length();
        char e = s.charAt(i);
        if (e == 'x' && i + 1 < n && hexValue(s.charAt(i + 1)) >= 0) {
            int value = 0;
            i++;
            while (i < n && hexValue(s.charAt(i)) >= 0) {
                value = (value << 4) | hexValue(s.charAt(i));
                i++;
            }
            out.write(value & 0xff);
            return i;
        }
        if (e == 'c' && i + 1 < n) {
            byte[] next = String.valueOf(Character.toChars(s.codePointAt(i + 1))).getBytes(StandardCharsets.UTF_8);
            out.write(next[0] & 0x1f);
            for (int k = 1; k < next.length; k++) {
                out.write(next[k]);
            }
            return i + 1 + Character.charCount(s.codePointAt(i + 1));
        }
        if (e >= '0' && e <= '7') {
            int value = e - '0';
            i++;
            for (int k = 0; k < 2 && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++, i++) {
                value = value * 8 + (s.charAt(i) - '0');
            }
            out.write(value & 0xff);
            return i;
        }
        int simple = switch (e) {
            case 'a' -> 0x07;
            case 'b' -> 0x08;
            case 'E' -> 0x1b;
            case 'f' -> 0x0c;
            case 'n' -> 0x0a;
            case 'r' -> 0x0d;
            case 't' -> 0x09;
            case 'v' -> 0x0b;
            default -> -1;
        };
        if (simple >= 0) {
            out.write(simple);
            return i + 1;
        }
        return appendCodePoint(s, i, out);
    }

    private static int appendCodePoint(String s, int i, ByteArrayOutputStream out) {
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        return i + Character.charCount(cp);
    }

    private static int hexValue(char c) {
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

    private static String decode(ByteArrayOutputStream word) {
        byte[] bytes = word.toByteArray();
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    static Split plain(String s) {
        List<String> words = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && isWhite(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return new Split(List.copyOf(words), null);
            }
            if (s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    return new Split(List.copyOf(words), "Unmatched quote: '" + s + "'");
                }
                words.add(s.substring(i + 1, close));
                i = close + 1;
            } else {
                int start = i;
                while (i < n && !isWhite(s.charAt(i)) && s.charAt(i) != '"') {
                    i++;
                }
                words.add(s.substring(start, i));
            }
        }
    }
}
