package io.lvs4j.vrrp.conf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The pattern matching behind {@code include}: glob(3) with {@code GLOB_BRACE}, as keepalived calls it, plus the
 * counts keepalived's include checks look at (files and directories that were looked for and were missing,
 * whether a wildcard was expanded). Each brace alternative is matched separately, in order, and its matches
 * sorted; {@code *}, {@code ?} and {@code [...]} match within one path component and never match a leading
 * {@code .}; a backslash makes the next character literal. Stateless.
 */
final class IncludeGlob {

    /** What a pattern matched, and what keepalived's include checks need to know about the search. */
    record Result(List<Path> matches, int missingFiles, int missingDirectories, boolean wildcards,
                  boolean braces) {
    }

    private IncludeGlob() {
    }

    static Result expand(Path baseDirectory, String pattern) {
        List<String> alternatives = braces(pattern);
        boolean hasBraces = alternatives.size() != 1 || !alternatives.get(0).equals(pattern);
        Search search = new Search();
        for (String alternative : alternatives) {
            search.glob(baseDirectory, alternative);
        }
        return new Result(List.copyOf(search.matches), search.missingFiles, search.missingDirectories,
                search.wildcards, hasBraces || hasBrace(pattern));
    }

    /** Whether the pattern has an unescaped '{', which makes keepalived treat it as a brace pattern. */
    static boolean hasBrace(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                return true;
            }
        }
        return false;
    }

    /** Most patterns brace expansion may produce; beyond it the pattern is taken literally. */
    static final int MAX_ALTERNATIVES = 4096;

    /**
     * csh-style brace expansion: {@code a{b,c{d,e}}f} is abf, acdf, acef, in that order. Unbalanced braces are
     * literal, and so is a pattern that would expand to more than {@link #MAX_ALTERNATIVES} patterns.
     */
    static List<String> braces(String pattern) {
        List<String> result = new ArrayList<>();
        java.util.Deque<String> work = new java.util.ArrayDeque<>();
        work.push(pattern);
        while (!work.isEmpty()) {
            if (result.size() + work.size() > MAX_ALTERNATIVES) {
                return List.of(pattern);
            }
            String p = work.pop();
            List<String> expanded = expandFirstGroup(p);
            if (expanded == null) {
                result.add(p);
            } else {
                for (int i = expanded.size() - 1; i >= 0; i--) {
                    work.push(expanded.get(i));
                }
            }
        }
        return result;
    }

    /** The patterns the first balanced brace group of {@code p} expands to, or null if it has none. */
    private static List<String> expandFirstGroup(String p) {
        int open = -1;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return null;
        }
        int depth = 0;
        int close = -1;
        List<Integer> commas = new ArrayList<>();
        for (int i = open; i < p.length() && close < 0; i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth == 0) {
                    close = i;
                }
            } else if (c == ',' && depth == 1) {
                commas.add(i);
            }
        }
        if (close < 0) {
            return null;
        }
        String prefix = p.substring(0, open);
        String suffix = p.substring(close + 1);
        List<String> out = new ArrayList<>();
        int start = open + 1;
        commas.add(close);
        for (int comma : commas) {
            out.add(prefix + p.substring(start, comma) + suffix);
            start = comma + 1;
        }
        return out;
    }

    private static boolean hasWildcard(String component) {
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String component) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '\\' && i + 1 < component.length()) {
                c = component.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static Pattern componentRegex(String component) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < component.length()) {
                        re.append(Pattern.quote(String.valueOf(component.charAt(++i))));
                    } else {
                        re.append(Pattern.quote("\\"));
                    }
                }
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = classEnd(component, i);
                    if (end < 0) {
                        re.append(Pattern.quote("["));
                    } else {
                        re.append(characterClass(component.substring(i + 1, end)));
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static int classEnd(String s, int open) {
        int i = open + 1;
        if (i < s.length() && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String characterClass(String body) {
        StringBuilder re = new StringBuilder("[");
        int i = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '-' && i > 0 && i + 1 < body.length()) {
                re.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append(']').toString();
    }

    private static final class Search {
        final List<Path> matches = new ArrayList<>();
        int missingFiles;
        int missingDirectories;
        boolean wildcards;

        void glob(Path base, String pattern) {
            boolean absolute = pattern.startsWith("/");
            Path start = absolute ? base.getRoot() != null ? base.getRoot() : Path.of("/") : base;
            String[] parts = pattern.split("/+");
            List<String> components = new ArrayList<>();
            for (String part : parts) {
                if (!part.isEmpty()) {
                    components.add(part);
                }
            }
            if (components.isEmpty()) {
                if (Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                    matches.add(start);
                } else {
                    missingFiles++;
                }
                return;
            }
            List<Path> current = List.of(start);
            boolean expanded = false;
            for (int c = 0; c < components.size(); c++) {
                String component = components.get(c);
                boolean last = c == components.size() - 1;
                List<Path> next = new ArrayList<>();
                if (hasWildcard(component)) {
                    wildcards = true;
                    expanded = true;
                    Pattern regex = componentRegex(component);
                    boolean dotOk = component.startsWith(".");
                    for (Path dir : current) {
                        List<Path> found = list(dir);
                        if (found == null) {
                            missingDirectories++;
                            continue;
                        }
                        for (Path entry : found) {
                            String name = entry.getFileName().toString();
                            if ((dotOk || !name.startsWith(".")) && regex.matcher(name).matches()
                                    && (last || Files.isDirectory(entry))) {
                                next.add(entry);
                            }
                        }
                    }
                } else {
                    String literal = unescape(component);
                    for (Path p : current) {
                        Path candidate = p.resolve(literal);
                        if (!last) {
                            next.add(candidate);
                        } else if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                            next.add(candidate);
                        } else {
                            missingFiles++;
                        }
                    }
                }
                current = next;
            }
            List<Path> result = new ArrayList<>(current);
            if (expanded) {
                result.sort(Comparator.comparing(Path::toString));
            }
            matches.addAll(result);
        }

        private static List<Path> list(Path dir) {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path entry : stream) {
                    entries.add(entry);
                }
            } catch (IOException e) {
                return null;
            }
            return entries;
        }
    }
}
