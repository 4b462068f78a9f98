package io.lvs4j.vrrp.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads physical lines into logical lines the way keepalived's {@code read_line} does and feeds them to a
 * {@link TreeBuilder}: comment removal, continuation lines, multi-line parameter definitions, conditional
 * lines, definitions, {@code ~SEQ}/{@code ~LST}, parameter substitution, {@code include} (textual, with
 * keepalived's include checks) and cutting lines at braces. One instance per parse; not thread-safe.
 */
final class ConfigReader {
    static final int INCLUDE_R = 0x01;
    static final int INCLUDE_M = 0x02;
    static final int INCLUDE_W = 0x04;
    static final int INCLUDE_B = 0x08;
    static final int MAX_INCLUDE_DEPTH = 64;
    static final int MAX_NESTING = 1000;

    /** Where a logical line was read: the file and the line of its first physical line. */
    private record Origin(Path file, int line) {
    }

    /**
     * A physical line after keepalived's {@code decomment}: leading blanks, comments and the escaping of
     * {@code #}/{@code !} removed, trailing blanks removed, a final backslash taken off and recorded.
     */
    record Decommented(String text, boolean continued, boolean continuedOutsideComment,
                       boolean unterminatedQuote) {
    }

    private final KeepalivedConfig.Options options;
    private final ConfigDiagnostics diagnostics;
    private final TreeBuilder tree;
    private final Parameters parameters;
    private final Deque<Path> realPaths = new ArrayDeque<>();
    private final Deque<Path> shownPaths = new ArrayDeque<>();
    private final Deque<Path> directories = new ArrayDeque<>();
    private int includeCheck;
    private long lines;
    private boolean overBudgetReported;

    ConfigReader(KeepalivedConfig.Options options, ConfigDiagnostics diagnostics) {
        this.options = options;
        this.diagnostics = diagnostics;
        this.tree = new TreeBuilder(options.blocks(), diagnostics);
        this.parameters = new Parameters(options.configId().orElse(null), options.environment(),
                options.newRandom(), () -> directories.isEmpty() ? "" : directories.peek().toString());
    }

    List<ConfigNode> read(Path file, String text) {
        Path absolute = file.toAbsolutePath().normalize();
        enter(realPath(absolute), file, absolute.getParent());
        readLines(file, text);
        leave();
        return tree.finish();
    }

    private void enter(Path real, Path shown, Path directory) {
        realPaths.push(real);
        shownPaths.push(shown);
        directories.push(directory == null ? Path.of("/") : directory);
    }

    private void leave() {
        realPaths.pop();
        shownPaths.pop();
        directories.pop();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    // ---------------------------------------------------------------- physical lines

    private void readLines(Path file, String text) {
        String[] physical = text.split("\n", -1);
        int i = 0;
        Parameters.Definition collecting = null;
        while (i < physical.length) {
            int lineNo = i + 1;
            String raw = stripCr(physical[i++]);
            if (collecting != null) {
                if (raw.isEmpty()) {
                    endDefinition(collecting);
                    collecting = null;
                    continue;
                }
                Decommented d = decomment(raw);
                if (d.unterminatedQuote()) {
                    diagnostics.error(file, lineNo, "Unterminated quote '" + d.text() + "'");
                }
                if (d.text().isEmpty() && !d.continued()) {
                    continue;
                }
                if (!d.text().isEmpty()) {
                    collecting.lines.add(d.text());
                }
                if (!d.continued()) {
                    endDefinition(collecting);
                    collecting = null;
                }
                continue;
            }
            if (raw.isEmpty()) {
                continue;
            }
            Decommented d = decomment(raw);
            if (d.text().isEmpty()) {
                continue;
            }
            Origin origin = new Origin(file, lineNo);
            if (d.continued() && isDefinitionStart(d.text())) {
                reportQuote(d.unterminatedQuote(), d.text(), origin);
                collecting = processLine(d.text(), origin, 0, true);
                if (collecting == null) {
                    i = skipContinuation(physical, i);
                }
                continue;
            }
            String logical = d.text();
            boolean unterminated = d.unterminatedQuote();
            if (d.continuedOutsideComment()) {
                StringBuilder sb = new StringBuilder(logical);
                boolean more = true;
                while (more && i < physical.length) {
                    String next = stripCr(physical[i++]);
                    if (next.isEmpty()) {
                        more = false;
                        break;
                    }
                    Decommented dn = decomment(next);
                    if (!dn.text().isEmpty()) {
                        sb.append(' ').append(dn.text());
                    }
                    more = dn.continuedOutsideComment();
                }
                if (more) {
                    diagnostics.warning(file, lineNo, "Line continuation '\\' at end of file");
                }
                logical = sb.toString();
                unterminated = hasUnterminatedQuote(logical);
            }
            reportQuote(unterminated, logical, origin);
            processLine(logical, origin, 0, false);
        }
        if (collecting != null) {
            endDefinition(collecting);
        }
    }

    private void reportQuote(boolean unterminated, String text, Origin origin) {
        if (unterminated) {
            diagnostics.error(origin.file(), origin.line(), "Unterminated quote '" + text + "'");
        }
    }

    private static void endDefinition(Parameters.Definition definition) {
        if (definition.lines.isEmpty()) {
            definition.multiline = false;
        }
    }

    private static int skipContinuation(String[] physical, int i) {
        while (i < physical.length) {
            String raw = stripCr(physical[i++]);
            if (raw.isEmpty() || !decomment(raw).continued()) {
                return i;
            }
        }
        return i;
    }

    private static String stripCr(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(0, end);
    }

    static Decommented decomment(String raw) {
        int n = raw.length();
        int start = 0;
        while (start < n && isBlank(raw.charAt(start))) {
            start++;
        }
        StringBuilder out = new StringBuilder(n - start);
        boolean quote = false;
        int comment = -1;
        boolean continued = false;
        for (int i = start; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                if (comment < 0) {
                    quote = !quote;
                }
                out.append(c);
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    continued = true;
                    break;
                }
                char next = raw.charAt(++i);
                if (!quote && (next == '#' || next == '!')) {
                    out.append(next);
                } else {
                    out.append(c).append(next);
                }
            } else {
                if (!quote && comment < 0 && (c == '#' || c == '!')) {
                    comment = out.length();
                }
                out.append(c);
            }
        }
        if (comment >= 0) {
            out.setLength(comment);
        }
        int end = out.length();
        while (end > 0 && isBlank(out.charAt(end - 1))) {
            end--;
        }
        out.setLength(end);
        return new Decommented(out.toString(), continued, continued && comment < 0, quote);
    }

    private static boolean hasUnterminatedQuote(String text) {
        boolean quote = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quote = !quote;
            }
        }
        return quote;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static String stripLeadingBlanks(String s) {
        int i = 0;
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailingBlanks(String s) {
        int end = s.length();
        while (end > 0 && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isBlank(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDefinitionStart(String text) {
        String t = text;
        if (t.startsWith("@")) {
            int blank = indexOfBlank(t);
            if (blank < 0) {
                return false;
            }
            t = stripLeadingBlanks(t.substring(blank));
        }
        return Parameters.parseDefinition(t) != null;
    }

    // ---------------------------------------------------------------- logical lines

    /**
     * Processes one logical line: conditional, definition, sequence block, substitution, include, braces.
     *
     * @param continued whether the line ended with a continuation backslash (a multi-line definition)
     * @return the definition, if the line started a multi-line one
     */
    private Parameters.Definition processLine(String text, Origin origin, int depth, boolean continued) {
        if (depth > MAX_NESTING) {
            diagnostics.error(origin.file(), origin.line(), "Expansion nested more than " + MAX_NESTING
                    + " levels deep - line dropped: '" + text + "'");
            return null;
        }
        String current = text;
        List<String> following = List.of();
        boolean transformed = false;
        while (true) {
            if (current.startsWith("@")) {
                transformed = true;
                current = conditional(current);
                if (current.isEmpty()) {
                    break;
                }
            }
            if (current.startsWith("$")) {
                Parameters.DefinitionLine definition = Parameters.parseDefinition(current);
                if (definition != null) {
                    Parameters.Definition defined =
                            parameters.define(definition.name(), definition.value(), continued);
                    processFollowing(following, origin, depth);
                    return continued ? defined : null;
                }
            }
            if (Sequence.starts(current)) {
                runSequence(current, origin, depth);
                processFollowing(following, origin, depth);
                return null;
            }
            if (current.startsWith("~") || current.indexOf('$') < 0) {
                break;
            }
            Parameters.Expansion expansion = parameters.substitute(current);
            for (String error : expansion.errors()) {
                diagnostics.error(origin.file(), origin.line(), error);
            }
            for (String warning : expansion.warnings()) {
                diagnostics.warning(origin.file(), origin.line(), warning);
            }
            if (!expansion.changed()) {
                break;
            }
            transformed = true;
            current = expansion.line();
            if (!expansion.following().isEmpty()) {
                List<String> all = new ArrayList<>(expansion.following());
                all.addAll(following);
                following = all;
            }
            if (!(current.startsWith("@") || current.startsWith("$") || current.startsWith("~"))) {
                break;
            }
        }
        if (!current.isEmpty()) {
            if (isInclude(current)) {
                if (transformed) {
                    diagnostics.warning(origin.file(), origin.line(), "include in a conditional or parameter-"
                            + "substituted line, which keepalived does not support (keepalived.conf(5)); "
                            + "included here all the same");
                }
                include(current, origin);
            } else {
                emit(current, origin, depth);
            }
        }
        processFollowing(following, origin, depth);
        return null;
    }

    /** The line without its {@code @id}, or empty if the config id rules it out. */
    private String conditional(String line) {
        int blank = indexOfBlank(line);
        if (blank < 0) {
            return "";
        }
        boolean negate = line.length() > 1 && line.charAt(1) == '^';
        String id = line.substring(negate ? 2 : 1, blank);
        boolean matches = options.configId().map(id::equals).orElse(false);
        if (matches == negate) {
            return "";
        }
        return stripLeadingBlanks(line.substring(blank));
    }

    private void processFollowing(List<String> following, Origin origin, int depth) {
        for (String line : following) {
            lines++;
            if (overBudget(origin)) {
                return;
            }
            processLine(line, origin, depth + 1, false);
        }
    }

    private void runSequence(String line, Origin origin, int depth) {
        Sequence sequence;
        try {
            sequence = Sequence.parse(line, s -> parameters.substitute(s).line(), options.maxExpandedLines());
        } catch (Sequence.InvalidException e) {
            diagnostics.error(origin.file(), origin.line(), e.getMessage());
            return;
        }
        for (List<String> values : sequence.valueSets()) {
            lines++;
            if (overBudget(origin)) {
                return;
            }
            for (int k = 0; k < values.size(); k++) {
                parameters.set(sequence.variables().get(k), values.get(k));
            }
            if (!sequence.text().isEmpty()) {
                processLine(sequence.text(), origin, depth + 1, false);
            }
        }
    }

    private boolean overBudget(Origin origin) {
        if (lines <= options.maxExpandedLines()) {
            return false;
        }
        if (!overBudgetReported) {
            overBudgetReported = true;
            diagnostics.error(origin.file(), origin.line(), "Configuration expands to more than "
                    + options.maxExpandedLines() + " lines - stopped expanding");
        }
        return true;
    }

    // ---------------------------------------------------------------- braces and words

    /** Cuts the line at its first brace outside double quotes, as keepalived does, and delivers the pieces. */
    private void emit(String line, Origin origin, int depth) {
        String rest = line;
        while (true) {
            int brace = braceIndex(rest);
            if (brace < 0) {
                deliver(rest, origin);
                return;
            }
            String head;
            String residue;
            if (brace == 0) {
                head = rest.substring(0, 1);
                residue = stripLeadingBlanks(rest.substring(1));
            } else {
                head = stripTrailingBlanks(rest.substring(0, brace));
                residue = rest.substring(brace);
            }
            residue = stripTrailingBlanks(residue);
            deliver(head, origin);
            if (residue.isEmpty()) {
                return;
            }
            if (residue.startsWith("@") || residue.startsWith("~") || residue.indexOf('$') >= 0
                    || isInclude(residue)) {
                processLine(residue, origin, depth + 1, false);
                return;
            }
            rest = residue;
        }
    }

    private static int braceIndex(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        if (s.charAt(0) == '{' || s.charAt(0) == '}') {
            return 0;
        }
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '{' || c == '}') {
                return i;
            }
            if (c == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private void deliver(String text, Origin origin) {
        if (text.equals("{")) {
            tree.open(origin.file(), origin.line());
            return;
        }
        if (text.equals("}")) {
            tree.close(origin.file(), origin.line());
            return;
        }
        lines++;
        if (overBudget(origin)) {
            return;
        }
        ConfigWords.Split split = ConfigWords.quotedEscaped(text);
        List<String> words = split.words();
        if (!split.ok()) {
            diagnostics.warning(origin.file(), origin.line(), split.error()
                    + " - words taken as keepalived's plain splitter reads them");
            words = ConfigWords.plain(text).words();
        }
        if (words.isEmpty()) {
            return;
        }
        for (String word : words) {
            if (word.indexOf('\u00a0') >= 0) {
                diagnostics.warning(origin.file(), origin.line(), "'" + word + "' contains a no-break space"
                        + " (U+00A0), which keepalived does not take as whitespace");
                break;
            }
        }
        String keyword = words.get(0);
        String parent = tree.line(keyword, words.subList(1, words.size()), text, origin.file(), origin.line());
        if (keyword.equals("include_check") && "global_defs".equals(parent)) {
            includeCheck(words, origin);
        }
    }

    // ---------------------------------------------------------------- includes

    static boolean isInclude(String line) {
        if (!line.startsWith("include") || line.length() < 9) {
            return false;
        }
        char c = line.charAt(7);
        if (isWhite(c)) {
            return true;
        }
        return "rmwba".indexOf(c) >= 0 && isWhite(line.charAt(8));
    }

    private static boolean isWhite(char c) {
        return ConfigWords.isWhite(c);
    }

    private void includeCheck(List<String> words, Origin origin) {
        if (words.size() == 1) {
            includeCheck = INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B;
            return;
        }
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            int mode = 0;
            String name = word;
            if (word.startsWith("-") || word.startsWith("+")) {
                mode = word.startsWith("-") ? -1 : 1;
                name = word.substring(1);
            } else if (i == 1) {
                includeCheck = 0;
            } else {
                diagnostics.error(origin.file(), origin.line(),
                        "Duplicate include_check '" + word + "' specified - ignoring");
                continue;
            }
            int flag = switch (name) {
                case "read" -> INCLUDE_R;
                case "match" -> INCLUDE_M;
                case "wildcard_match" -> INCLUDE_W;
                case "brace_match" -> INCLUDE_B;
                default -> 0;
            };
            if (flag == 0) {
                diagnostics.error(origin.file(), origin.line(), "Unknown include_check type '" + name
                        + "' - ignoring; expected read, match, wildcard_match or brace_match");
                continue;
            }
            if (mode == 0) {
                includeCheck = INCLUDE_R | flag;
            } else if (mode > 0) {
                includeCheck |= flag;
            } else {
                includeCheck &= ~flag;
            }
        }
    }

    private void include(String line, Origin origin) {
        int type;
        int start;
        if (isWhite(line.charAt(7))) {
            type = 0;
            start = 8;
        } else {
            type = switch (line.charAt(7)) {
                case 'r' -> INCLUDE_R;
                case 'm' -> INCLUDE_R | INCLUDE_M;
                case 'w' -> INCLUDE_R | INCLUDE_M | INCLUDE_W;
                case 'b' -> INCLUDE_R | INCLUDE_B;
                default -> INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B;
            };
            start = 9;
        }
        String pattern = stripLeadingBlanks(line.substring(start));
        int checks = includeCheck | type;
        IncludeGlob.Result found;
        try {
            found = IncludeGlob.expand(directories.peek(), pattern);
        } catch (RuntimeException e) {
            report(INCLUDE_R, checks, origin, "Error reading config file(s): '" + pattern + "' (" + e
                    + "), skipping.");
            return;
        }
        boolean missing = found.missingFiles() > 0 || found.missingDirectories() > 0;
        if (found.matches().isEmpty()) {
            if (missing) {
                report(found.braces() ? INCLUDE_B : INCLUDE_M, checks, origin,
                        "Config files missing '" + pattern + "'.");
            } else if (found.wildcards() && (checks & INCLUDE_W) != 0) {
                report(INCLUDE_W, checks, origin, "No config files matched '" + pattern + "'.");
            }
            return;
        }
        if (missing) {
            report(INCLUDE_B, checks, origin, "Some config files missing: \"" + pattern + "\".");
            if ((checks & INCLUDE_B) != 0) {
                return;
            }
        }
        for (Path match : found.matches()) {
            includeFile(match, checks, origin);
        }
    }

    /** An error if one of {@code checks} is {@code check}, otherwise a warning (keepalived only logs it). */
    private void report(int check, int checks, Origin origin, String message) {
        if ((checks & check) != 0) {
            diagnostics.error(origin.file(), origin.line(), message);
        } else {
            diagnostics.warning(origin.file(), origin.line(), message);
        }
    }

    private void includeFile(Path match, int checks, Origin origin) {
        if (Files.isDirectory(match)) {
            report(INCLUDE_R, checks, origin, "Configuration file '" + match + "/' is a directory - skipping");
            return;
        }
        if (!Files.isRegularFile(match) || isExecutable(match)) {
            report(INCLUDE_R, checks, origin,
                    "Configuration file '" + match + "' is not a regular non-executable file - skipping");
            return;
        }
        Path real = realPath(match);
        if (realPaths.contains(real)) {
            StringBuilder chain = new StringBuilder();
            for (Iterator<Path> it = shownPaths.descendingIterator(); it.hasNext(); ) {
                chain.append(it.next()).append(" -> ");
            }
            chain.append(match);
            diagnostics.error(origin.file(), origin.line(),
                    "Include cycle: '" + match + "' is already being read (" + chain + ") - skipping");
            return;
        }
        if (realPaths.size() >= MAX_INCLUDE_DEPTH) {
            diagnostics.error(origin.file(), origin.line(), "Includes nested more than " + MAX_INCLUDE_DEPTH
                    + " deep - skipping '" + match + "'");
            return;
        }
        String text;
        try {
            text = new String(Files.readAllBytes(match), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            report(INCLUDE_R, checks, origin, "Configuration file '" + match + "' open problem (" + e
                    + ") - skipping");
            return;
        }
        int saved = includeCheck;
        enter(real, match, match.toAbsolutePath().getParent());
        try {
            readLines(match, text);
        } finally {
            leave();
            includeCheck = saved;
        }
    }

    private static boolean isExecutable(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
