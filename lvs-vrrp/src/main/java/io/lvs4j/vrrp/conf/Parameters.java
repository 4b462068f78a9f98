package io.lvs4j.vrrp.conf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * keepalived's parameters (man keepalived.conf "Parameter substitution", "Pre-defined definitions"): the
 * definitions made so far and their substitution into a line. Not thread-safe; one per parse.
 */
final class Parameters {
    /** Substitutions in one line after which it is taken to be endless ({@code $A=$A}). */
    static final int MAX_SUBSTITUTIONS = 1_000;
    /** Longest line substitution may produce. */
    static final int MAX_LINE = 1 << 16;

    /** A parameter. A multi-line value's lines are separated by {@code \n}. */
    static final class Definition {
        final String name;
        final List<String> lines = new ArrayList<>();
        boolean multiline;
        Builtin builtin;

        Definition(String name) {
            this.name = name;
        }

        String value() {
            return String.join("\n", lines);
        }
    }

    /** A pre-defined parameter whose value is computed at use time from its (optional) parameter text. */
    interface Builtin {
        /** Whether {@code ${NAME params}} is accepted. */
        boolean takesParams();

        /** The value; {@code params} is null without parameters. Problems go to {@code warnings}. */
        String value(String params, List<String> warnings);
    }

    /** A definition line {@code $NAME=VALUE}: the name and the value text (leading blanks removed). */
    record DefinitionLine(String name, String value) {
    }

    /** The result of substituting one line: the line and, for a multi-line parameter, the lines that follow. */
    record Expansion(String line, List<String> following, boolean changed, List<String> errors,
                     List<String> warnings) {
    }

    private final Map<String, Definition> definitions = new HashMap<>();

    Parameters(String instance, Map<String, String> environment, RandomGenerator random,
               Supplier<String> currentDirectory) {
        builtin("_PWD", false, (params, warnings) -> currentDirectory.get());
        builtin("_INSTANCE", false, (params, warnings) -> instance == null ? "" : instance);
        builtin("_HASH", false, (params, warnings) -> "#");
        builtin("_BANG", false, (params, warnings) -> "!");
        builtin("_ENV", true, (params, warnings) -> {
            if (params == null) {
                warnings.add("${_ENV} needs the name of an environment variable");
                return "";
            }
            String value = environment.get(params);
            if (value == null) {
                warnings.add("Environment variable '" + params + "' of ${_ENV " + params + "} is not set");
                return "";
            }
            return value;
        });
        builtin("_RANDOM", true, (params, warnings) -> random(params, random, warnings));
    }

    private void builtin(String name, boolean takesParams, java.util.function.BiFunction<String, List<String>,
            String> fn) {
        Definition d = new Definition(name);
        d.builtin = new Builtin() {
            @Override
            public boolean takesParams() {
                return takesParams;
            }

            @Override
            public String value(String params, List<String> warnings) {
                return fn.apply(params, warnings);
            }
        };
        definitions.put(name, d);
    }

    private static String random(String params, RandomGenerator random, List<String> warnings) {
        long min = 0;
        long max = 32767;
        if (params != null) {
            String[] numbers = params.trim().split("[ ]+");
            try {
                min = Long.parseLong(numbers[0]);
                if (numbers.length > 1) {
                    max = Long.parseLong(numbers[1]);
                }
            } catch (NumberFormatException e) {
                warnings.add("Invalid parameters for ${_RANDOM " + params + "}: expected [MIN [MAX]], "
                        + "non-negative integers");
                return "";
            }
            if (numbers.length > 2) {
                warnings.add("Too many parameters or extra text for ${_RANDOM " + params + "}");
            }
        }
        if (max < min) {
            warnings.add("${_RANDOM " + params + "}: MAX is less than MIN; using MIN");
            return Long.toString(min);
        }
        return Long.toString(min + random.nextLong(max - min + 1));
    }

    static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    /** {@code $NAME=VALUE} with no blank before {@code =}, or null if {@code text} is not a definition. */
    static DefinitionLine parseDefinition(String text) {
        if (text.length() < 3 || text.charAt(0) != '$' || !isNameStart(text.charAt(1))) {
            return null;
        }
        int i = 2;
        while (i < text.length() && isNameChar(text.charAt(i))) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != '=') {
            return null;
        }
        int v = i + 1;
        while (v < text.length() && (text.charAt(v) == ' ' || text.charAt(v) == '\t')) {
            v++;
        }
        return new DefinitionLine(text.substring(1, i), text.substring(v));
    }

    /** Defines (or redefines, replacing a pre-defined one too) {@code name}; returns the definition. */
    Definition define(String name, String value, boolean multiline) {
        Definition d = new Definition(name);
        if (!value.isEmpty()) {
            d.lines.add(value);
        }
        d.multiline = multiline;
        definitions.put(name, d);
        return d;
    }

    /** Sets a single-line value, as {@code ~SEQ} and {@code ~LST} do for their variables. */
    void set(String name, String value) {
        define(name, value, false);
    }

    /**
     * Substitutes {@code $NAME} (followed by blank, {@code ,}, {@code )} or the end) and {@code ${NAME}}
     * left to right; substituted text is scanned again, so substitution is recursive. Undefined names stay as
     * they are. A multi-line parameter is substituted only where it ends the line: its first line replaces the
     * reference and the others are returned as {@link Expansion#following()} (those of a nested multi-line
     * parameter first). A substituted value starting with {@code ~} stops substitution of the rest of the line.
     */
    Expansion substitute(String line) {
        StringBuilder buf = new StringBuilder(line);
        List<String> following = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean changed = false;
        int count = 0;
        int pos = 0;
        while ((pos = buf.indexOf("$", pos)) >= 0 && pos + 1 < buf.length()) {
            Reference ref = reference(buf, pos);
            Definition d = ref == null ? null : definitions.get(ref.name);
            if (d == null || (d.multiline && !ref.atEnd) || (ref.params != null
                    && (d.builtin == null || !d.builtin.takesParams()))) {
                pos++;
                continue;
            }
            if (++count > MAX_SUBSTITUTIONS) {
                errors.add("Parameter substitution on line '" + line + "' does not end (more than "
                        + MAX_SUBSTITUTIONS + " substitutions) - rest of the line left as it is");
                break;
            }
            String value;
            if (d.builtin != null) {
                value = d.builtin.value(ref.params, warnings);
            } else if (d.multiline) {
                value = d.lines.isEmpty() ? "" : d.lines.get(0);
                following.addAll(0, d.lines.subList(Math.min(1, d.lines.size()), d.lines.size()));
            } else {
                value = d.value();
            }
            if (buf.length() - (ref.end - pos) + value.length() > MAX_LINE) {
                errors.add("Parameter substitution on line '" + line + "' would exceed maximum line length");
                break;
            }
            buf.replace(pos, ref.end, value);
            changed = true;
            if (value.stripLeading().startsWith("~")) {
                break;
            }
        }
        return new Expansion(buf.toString(), List.copyOf(following), changed, errors, warnings);
    }

    private record Reference(String name, String params, int end, boolean atEnd) {
    }

    private static Reference reference(CharSequence buf, int dollar) {
        int len = buf.length();
        int i = dollar + 1;
        boolean braces = buf.charAt(i) == '{';
        if (braces) {
            i++;
        }
        if (i >= len || !isNameStart(buf.charAt(i))) {
            return null;
        }
        int j = i + 1;
        while (j < len && isNameChar(buf.charAt(j))) {
            j++;
        }
        String name = buf.subSequence(i, j).toString();
        if (!braces) {
            if (j < len && " \t,)".indexOf(buf.charAt(j)) < 0) {
                return null;
            }
            return new Reference(name, null, j, j == len);
        }
        int k = j;
        while (k < len && (buf.charAt(k) == ' ' || isNameChar(buf.charAt(k)))) {
            k++;
        }
        if (k >= len || buf.charAt(k) != '}') {
            return null;
        }
        String params = buf.subSequence(j, k).toString();
        if (params.isBlank()) {
            params = null;
        } else if (!params.startsWith(" ") || params.endsWith(" ")) {
            return null;
        } else {
            params = params.strip();
        }
        return new Reference(name, params, k + 1, k + 1 == len);
    }
}
