package io.lvs4j.vrrp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A command to execute without a shell: the program followed by its arguments. Immutable.
 *
 * <p>{@link #parse(String)} splits keepalived's {@code "script args"} form the way a shell would
 * split words: on whitespace, with {@code '...'}, {@code "..."} and backslash escapes. No variable
 * expansion, globbing or redirection is done.
 *
 * @param argv the program (element 0) and its arguments; never empty
 */
public record ScriptCommand(List<String> argv) {

    public ScriptCommand {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new VrrpConfigException("script: a program is required, got " + argv);
        }
    }

    /** A command from a program and its arguments. */
    public static ScriptCommand of(String program, String... args) {
        List<String> list = new ArrayList<>();
        list.add(program);
        list.addAll(Arrays.asList(args));
        return new ScriptCommand(list);
    }

    /**
     * Splits a command line such as {@code /usr/local/bin/notify.sh "VI 1" master}.
     *
     * @throws VrrpConfigException on an unterminated quote or an empty command
     */
    public static ScriptCommand parse(String commandLine) {
        Objects.requireNonNull(commandLine, "commandLine");
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = commandLine.length();
        while (i < n) {
            char c = commandLine.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = commandLine.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new VrrpConfigException("script '" + commandLine + "': unterminated ' quote");
                }
                word.append(commandLine, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = commandLine.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && (commandLine.charAt(i + 1) == '"' || commandLine.charAt(i + 1) == '\\')) {
                        word.append(commandLine.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new VrrpConfigException("script '" + commandLine + "': unterminated \" quote");
                }
                inWord = true;
            } else if (c == '\\' && i + 1 < n) {
                word.append(commandLine.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new VrrpConfigException("script: empty command line; a program is required");
        }
        return new ScriptCommand(words);
    }

    /** This command with {@code extra} arguments appended. */
    public ScriptCommand withArguments(String... extra) {
        List<String> list = new ArrayList<>(argv);
        list.addAll(Arrays.asList(extra));
        return new ScriptCommand(list);
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
