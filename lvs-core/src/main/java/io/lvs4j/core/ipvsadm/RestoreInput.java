package io.lvs4j.core.ipvsadm;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code ipvsadm -R}'s standard input the way ipvsadm's config_stream does: one command per
 * line, words separated by blanks, tabs and carriage returns, no quoting, the word {@code ipvsadm}
 * dropped anywhere on the line. Like ipvsadm it does not strip {@code #} comments (its comment test
 * never fires, so a comment line is parsed as a command); ipvsadm-restore removes them before.
 * Also like ipvsadm, white space then end of input without a newline ends the input and drops the
 * words read on that last line.
 */
final class RestoreInput {
    private final PushbackReader in;

    RestoreInput(Reader reader) {
        this.in = new PushbackReader(reader, 1);
    }

    /** The words of the next line (possibly none), or null at the end of the input. */
    List<String> nextLine() {
        List<String> words = new ArrayList<>();
        int kept = 0;
        while (true) {
            int c = read();
            if (c < 0) {
                return kept == 0 ? null : words;
            }
            if (isDelimiter(c)) {
                // at a delimiter where a word was expected: skip blanks to the end of the line
                while (true) {
                    if (c < 0) {
                        return null;
                    }
                    if (c == '\n') {
                        return words;
                    }
                    if (!isDelimiter(c)) {
                        unread(c);
                        break;
                    }
                    c = read();
                }
                continue;
            }
            StringBuilder word = new StringBuilder();
            while (c >= 0 && !isDelimiter(c)) {
                word.append((char) c);
                c = read();
            }
            if (!word.toString().equals("ipvsadm")) {
                words.add(word.toString());
                kept++;
            }
            if (c == '\n') {
                return words;
            }
            // c is a blank (consumed with the word, as "%1[ \t\n\r]" does) or the end of the input
        }
    }

    private static boolean isDelimiter(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private int read() {
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unread(int c) {
        try {
            in.unread(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
