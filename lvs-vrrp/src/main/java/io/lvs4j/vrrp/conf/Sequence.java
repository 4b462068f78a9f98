package io.lvs4j.vrrp.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@code ~SEQ(var, start, step, end)}, {@code ~SEQx(...)} or {@code ~LST(var, v1, v2, ...)} prefix (man
 * keepalived.conf "Sequence blocks", "List blocks"): the variables, the successive values to give them and
 * the rest of the line to process once per value set. Immutable.
 *
 * @param variables the variable names (one for {@code ~SEQ})
 * @param valueSets one list of values per iteration, each as long as {@code variables}
 * @param text the rest of the line after the closing parenthesis, leading blanks removed
 */
record Sequence(List<String> variables, List<List<String>> valueSets, String text) {

    /** Thrown for a malformed specification; the message is keepalived's wording. */
    static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidException(String message) {
            super(message);
        }
    }

    static boolean starts(String line) {
        return line.startsWith("~SEQ") || line.startsWith("~LST");
    }

    /**
     * Parses the prefix of {@code line}, which {@link #starts} it. {@code substitute} replaces parameters in the
     * {@code ~SEQ} numbers (keepalived allows definitions there).
     *
     * @param maxIterations the most value sets accepted
     */
    static Sequence parse(String line, UnaryOperator<String> substitute, long maxIterations)
            throws InvalidException {
        return line.startsWith("~SEQ") ? seq(line, substitute, maxIterations) : lst(line);
    }

    private static Sequence seq(String line, UnaryOperator<String> substitute, long maxIterations)
            throws InvalidException {
        String invalid = "Invalid ~SEQ specification '" + line + "'";
        Cursor c = new Cursor(line, 4);
        boolean hex = c.peek() == 'x';
        if (hex) {
            c.pos++;
        }
        c.blanks();
        if (c.next() != '(') {
            throw new InvalidException(invalid);
        }
        c.blanks();
        String var = c.until(" \t,)");
        c.blanks();
        if (var.isEmpty() || c.peek() != ',') {
            throw new InvalidException(invalid);
        }
        c.pos++;
        int close = line.indexOf(')', c.pos);
        if (close < 0) {
            throw new InvalidException(invalid);
        }
        String[] numbers = substitute.apply(line.substring(c.pos, close)).split(",", -1);
        if (numbers.length > 3) {
            throw new InvalidException(invalid);
        }
        long[] n = new long[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            n[i] = number(numbers[i], invalid);
        }
        long start;
        long step;
        long end;
        if (n.length == 1) {
            end = n[0];
            step = end < 1 ? -1 : 1;
            start = end < 0 ? -1 : 1;
        } else if (n.length == 2) {
            start = n[0];
            end = n[1];
            step = start <= end ? 1 : -1;
        } else {
            start = n[0];
            step = n[1];
            end = n[2];
            if (step == 0 || (start < end && step < 0) || (start > end && step > 0)) {
                throw new InvalidException("Invalid ~SEQ values '" + line + "'");
            }
        }
        if (hex && (start < 0 || end < 0)) {
            throw new InvalidException("~SEQx is only valid for positive numbers '" + line + "'");
        }
        long count;
        try {
            count = Math.absExact(Math.subtractExact(end, start)) / Math.absExact(step) + 1;
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > maxIterations) {
            throw new InvalidException("~SEQ in '" + line + "' has more than the " + maxIterations
                    + " values allowed");
        }
        List<List<String>> values = new ArrayList<>((int) count);
        long v = start;
        for (long k = 0; k < count; k++, v += step) {
            values.add(List.of(hex ? Long.toHexString(v) : Long.toString(v)));
        }
        return new Sequence(List.of(var), List.copyOf(values), rest(line, close));
    }

    private static long number(String text, String invalid) throws InvalidException {
        String s = text.strip();
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            radix = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        try {
            long v = Long.parseLong(s, radix);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new InvalidException(invalid);
        }
    }

    private static Sequence lst(String line) throws InvalidException {
        String invalid = "Invalid ~LST specification '" + line + "'";
        Cursor c = new Cursor(line, 4);
        c.blanks();
        if (c.next() != '(') {
            throw new InvalidException(invalid);
        }
        c.blanks();
        List<String> variables = new ArrayList<>();
        if (c.peek() == '{') {
            c.pos++;
            while (true) {
                c.blanks();
                String var = c.until(" \t,}");
                c.blanks();
                if (var.isEmpty()) {
                    throw new InvalidException(invalid);
                }
                variables.add(var);
                char sep = c.next();
                if (sep == '}') {
                    break;
                }
                if (sep != ',') {
                    throw new InvalidException(invalid);
                }
            }
        } else {
            String var = c.until(" \t,)");
            if (var.isEmpty()) {
                throw new InvalidException(invalid);
            }
            variables.add(var);
        }
        c.blanks();
        if (c.next() != ',') {
            throw new InvalidException(invalid);
        }
        List<List<String>> sets = new ArrayList<>();
        while (true) {
            c.blanks();
            List<String> set = new ArrayList<>();
            if (c.peek() == '{') {
                c.pos++;
                while (true) {
                    c.blanks();
                    set.add(c.until(" \t,})"));
                    c.blanks();
                    char sep = c.next();
                    if (sep == '}') {
                        break;
                    }
                    if (sep != ',') {
                        throw new InvalidException(invalid);
                    }
                }
            } else {
                set.add(c.until(" \t,})"));
            }
            if (set.size() > variables.size()) {
                throw new InvalidException("~LST specification has too many values '" + line + "'");
            }
            while (set.size() < variables.size()) {
                set.add("");
            }
            sets.add(List.copyOf(set));
            c.blanks();
            char sep = c.next();
            if (sep == ')') {
                break;
            }
            if (sep != ',') {
                throw new InvalidException(invalid);
            }
        }
        return new Sequence(List.copyOf(variables), List.copyOf(sets), rest(line, c.pos - 1));
    }

    private static String rest(String line, int closeParen) {
        int i = closeParen + 1;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(i);
    }

    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        char next() {
            return pos < s.length() ? s.charAt(pos++) : 0;
        }

        void blanks() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        String until(String stops) {
            int start = pos;
            while (pos < s.length() && stops.indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            return s.substring(start, pos);
        }
    }
}
