package io.lvs4j.core.ipvsadm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an argument vector into options the way libpopt does for ipvsadm: long options
 * ({@code --name}, {@code --name=value}, {@code --name value}), clusters of short options
 * ({@code -Ln}, {@code -w3}, {@code -w=3}), options with an optional argument (taken only from the
 * next word when that word does not start with {@code -}), {@code --} ending the options, and
 * non-option words collected as leftovers wherever they appear. No abbreviation of long names.
 */
final class PoptScanner {
    /** End of the options. */
    static final int END = -1;
    /** POPT_ERROR_NOARG. */
    static final int ERROR_NOARG = -10;
    /** POPT_ERROR_BADOPT. */
    static final int ERROR_BADOPT = -11;
    /** POPT_ERROR_UNWANTEDARG. */
    static final int ERROR_UNWANTEDARG = -12;

    /** Whether an option takes an argument. */
    enum Arg {
        NONE, REQUIRED, OPTIONAL
    }

    /** One entry of the option table: long name, short name (0 for none), argument kind, and the value returned. */
    record Option(String longName, char shortName, Arg arg, int tag) {
    }

    private final List<Option> options;
    private final List<String> argv;
    private final List<String> leftovers = new ArrayList<>();
    private int next;
    private String charRest;
    private boolean restLeftover;
    private String optArg;
    private int nextLeftover;

    PoptScanner(List<Option> options, List<String> argv) {
        this.options = options;
        this.argv = argv;
    }

    /** The next option's tag, {@link #END}, or a negative POPT_ERROR value. */
    int nextOption() {
        while (true) {
            if (charRest == null && next == argv.size()) {
                return END;
            }
            Option opt = null;
            String longArg = null;
            if (charRest == null) {
                String orig = argv.get(next++);
                if (restLeftover || !orig.startsWith("-") || orig.equals("-")) {
                    leftovers.add(orig);
                    continue;
                }
                if (orig.equals("--")) {
                    restLeftover = true;
                    continue;
                }
                boolean oneDash = orig.charAt(1) != '-';
                String text = orig.substring(oneDash ? 1 : 2);
                int eq = text.indexOf('=');
                String name = eq >= 0 ? text.substring(0, eq) : text;
                if (eq >= 0) {
                    longArg = text.substring(eq + 1);
                }
                // ipvsadm's table has no single-dash long options: "-xyz" is always a short cluster
                opt = oneDash ? null : findLong(name);
                if (opt == null && !oneDash) {
                    return ERROR_BADOPT;
                }
                if (opt == null) {
                    charRest = orig.substring(1);
                    longArg = null;
                }
            }
            if (charRest != null) {
                String cluster = charRest;
                charRest = null;
                opt = cluster.isEmpty() ? null : findShort(cluster.charAt(0));
                if (opt == null) {
                    return ERROR_BADOPT;
                }
                String rest = cluster.substring(1);
                if (!rest.isEmpty()) {
                    charRest = rest.charAt(0) == '=' ? rest.substring(1) : rest;
                }
            }
            switch (opt.arg()) {
                case NONE -> {
                    if (longArg != null || (charRest != null && charRest.startsWith("="))) {
                        return ERROR_UNWANTEDARG;
                    }
                }
                case REQUIRED, OPTIONAL -> {
                    if (longArg != null) {
                        optArg = longArg;
                    } else if (charRest != null) {
                        optArg = charRest.startsWith("=") ? charRest.substring(1) : charRest;
                        charRest = null;
                    } else if (next == argv.size()) {
                        if (opt.arg() == Arg.REQUIRED) {
                            return ERROR_NOARG;
                        }
                        optArg = null;
                    } else if (opt.arg() == Arg.OPTIONAL && argv.get(next).startsWith("-")) {
                        optArg = null;
                    } else {
                        optArg = argv.get(next++);
                    }
                }
                default -> throw new AssertionError(opt.arg());
            }
            return opt.tag();
        }
    }

    /** The argument of the option just returned (null when an optional argument was absent). */
    String optArg() {
        return optArg;
    }

    /** poptBadOption: the word the scanner read last. */
    String badOption() {
        return next == 0 ? "" : argv.get(next - 1);
    }

    /** poptGetArg: the next leftover word, or null. */
    String nextLeftover() {
        return nextLeftover < leftovers.size() ? leftovers.get(nextLeftover++) : null;
    }

    /** poptStrerror. */
    static String strerror(int error) {
        return switch (error) {
            case ERROR_NOARG -> "missing argument";
            case ERROR_BADOPT -> "unknown option";
            case ERROR_UNWANTEDARG -> "option does not take an argument";
            default -> "unknown error";
        };
    }

    private Option findLong(String name) {
        for (Option o : options) {
            if (o.longName() != null && o.longName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private Option findShort(char c) {
        for (Option o : options) {
            if (o.shortName() != 0 && o.shortName() == c) {
                return o;
            }
        }
        return null;
    }
}
