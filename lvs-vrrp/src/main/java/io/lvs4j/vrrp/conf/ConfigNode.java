package io.lvs4j.vrrp.conf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a keepalived configuration, with the block that follows it if it opens one.
 *
 * <p>{@code keyword} is the line's first word and {@code args} the rest, cut with keepalived's quoted-and-escaped
 * rules ({@link ConfigWords#split}); case is kept ({@code state Master} is not {@code state MASTER}). A line
 * inside a value block ({@code virtual_ipaddress { 10.0.0.1/24 dev eth0 }}) is a node too, whose keyword is the
 * value's first word. {@code block} is {@code true} when the line opened a {@code { ... }} block, possibly
 * empty, in which case {@code children} holds its lines in order; a plain line has no children. {@code file} and
 * {@code line} say where the line was read (see {@link ConfigDiagnostic} for expanded lines). {@code text} is the
 * line as keepalived hands it to a keyword handler: comments removed, parameters substituted, cut at the braces,
 * trimmed.
 *
 * <p>Immutable and thread-safe; equality is structural and includes the location.
 *
 * @param keyword the first word, never empty unless the line was a single empty quoted string
 * @param args the other words
 * @param children the block's lines; empty for a plain line
 * @param block whether a block followed the line
 * @param file the file the line was read from
 * @param line 1-based line number in {@code file}
 * @param text the processed line text
 */
public record ConfigNode(String keyword, List<String> args, List<ConfigNode> children, boolean block,
                         Path file, int line, String text) {

    public ConfigNode {
        Objects.requireNonNull(keyword, "keyword");
        args = List.copyOf(args);
        children = List.copyOf(children);
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        if (!block && !children.isEmpty()) {
            throw new IllegalArgumentException("a plain line has no children");
        }
    }

    /** The keyword followed by the arguments. */
    public List<String> words() {
        List<String> words = new ArrayList<>(args.size() + 1);
        words.add(keyword);
        words.addAll(args);
        return List.copyOf(words);
    }

    /** The argument at {@code index} (0 is the first word after the keyword), if there is one. */
    public Optional<String> arg(int index) {
        return index >= 0 && index < args.size() ? Optional.of(args.get(index)) : Optional.empty();
    }

    /**
     * The arguments as keepalived's handlers for ordinary keywords read them ({@link ConfigWords#splitPlain}):
     * only double quotes group, backslashes and single quotes are literal. Differs from {@link #args()} only
     * for text with backslashes, single quotes or quotes inside a word.
     */
    public List<String> plainArgs() {
        List<String> words = ConfigWords.splitPlain(text);
        return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }

    /** The children whose keyword is {@code keyword}, in order. */
    public List<ConfigNode> children(String keyword) {
        return children.stream().filter(c -> c.keyword.equals(keyword)).toList();
    }

    /** The first child whose keyword is {@code keyword}. */
    public Optional<ConfigNode> child(String keyword) {
        return children.stream().filter(c -> c.keyword.equals(keyword)).findFirst();
    }

    /** {@code file:line}. */
    public String location() {
        return file + ":" + line;
    }

    /**
     * This node as configuration text in a canonical layout (two-space indent, one keyword per line, blocks
     * with '{' on the keyword's line); words that need it are double-quoted and escaped so that parsing the
     * text gives the same keywords, arguments and structure.
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        formatTo(sb, 0);
        return sb.toString();
    }

    void formatTo(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth)).append(quote(keyword, true));
        for (String arg : args) {
            sb.append(' ').append(quote(arg, false));
        }
        if (block) {
            sb.append(" {\n");
            for (ConfigNode child : children) {
                child.formatTo(sb, depth + 1);
            }
            sb.append("  ".repeat(depth)).append("}\n");
        } else {
            sb.append('\n');
        }
    }

    static String quote(String word, boolean first) {
        boolean plain = !word.isEmpty() && !(first && (word.startsWith("@") || word.startsWith("~")));
        for (int i = 0; i < word.length() && plain; i++) {
            char c = word.charAt(i);
            plain = c > ' ' && c != 0x7f && "\"'\\#!{}$".indexOf(c) < 0 && !Character.isWhitespace(c)
                    && !Character.isSpaceChar(c);
        }
        if (plain) {
            return word;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\042");
                case '{' -> sb.append("\\173");
                case '}' -> sb.append("\\175");
                case '\\' -> sb.append("\\\\");
                case '$' -> sb.append("\\044");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                            sb.append(String.format("\\%03o", b & 0xff));
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
