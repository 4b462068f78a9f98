package io.lvs4j.vrrp.conf;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds the {@link ConfigNode} tree from the stream of logical lines, '{' and '}' the reader
 * produces, whatever file they come from (includes are textual, as in keepalived, so a block may start in one
 * file and end in another). A line followed by '{' opens a block; a line the block schema says is a block
 * but that is not followed by '{' opens one anyway, with a warning; a '}' with no open block and a
 * '{' with no line before it are errors and are ignored (the '}' matching an ignored '{' is
 * ignored with it); a block still open at the end is an error at the line that opened it. Blocks nested more
 * than {@link #MAX_DEPTH} deep are an error, and their lines go to the enclosing block. Not thread-safe.
 */
final class TreeBuilder {
    /** Deepest block nesting kept; keepalived's own grammar needs six levels. */
    static final int MAX_DEPTH = 100;

    private static final class Node {
        final String keyword;
        final List<String> args;
        final String text;
        final Path file;
        final int line;
        boolean block;
        final List<Node> children = new ArrayList<>();

        Node(String keyword, List<String> args, String text, Path file, int line) {
            this.keyword = keyword;
            this.args = args;
            this.text = text;
            this.file = file;
            this.line = line;
        }

        ConfigNode build() {
            List<ConfigNode> built = new ArrayList<>(children.size());
            for (Node child : children) {
                built.add(child.build());
            }
            return new ConfigNode(keyword, args, built, block, file, line, text);
        }
    }

    /** An open block: its node (null for the top level and for an ignored '{'), where lines go, its schema. */
    private record Frame(Node node, List<Node> target, KeywordSchema schema, Path file, int line) {
        boolean ignored() {
            return node == null && file != null;
        }
    }

    private final ConfigDiagnostics diagnostics;
    private final List<Node> roots = new ArrayList<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    private Node pending;
    private boolean tooDeepReported;

    TreeBuilder(KeywordSchema topLevel, ConfigDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        frames.push(new Frame(null, roots, topLevel, null, 0));
    }

    /** Adds a line; returns the keyword of the block it went into, null at the top level. */
    String line(String keyword, List<String> args, String text, Path file, int line) {
        resolvePending();
        Node node = new Node(keyword, args, text, file, line);
        frames.peek().target().add(node);
        pending = node;
        return enclosingKeyword();
    }

    void open(Path file, int line) {
        Frame top = frames.peek();
        if (pending != null) {
            Node node = pending;
            pending = null;
            push(node, file, line);
        } else {
            diagnostics.error(file, line, "Unexpected '{' - ignoring");
            frames.push(new Frame(null, top.target(), top.schema(), file, line));
        }
    }

    void close(Path file, int line) {
        resolvePending();
        if (frames.size() == 1) {
            diagnostics.error(file, line, "Extra '}' found");
            return;
        }
        frames.pop();
    }

    List<ConfigNode> finish() {
        resolvePending();
        while (frames.size() > 1) {
            Frame frame = frames.pop();
            if (frame.ignored()) {
                diagnostics.error(frame.file(), frame.line(), "'{' is never closed: missing '}'");
            } else {
                diagnostics.error(frame.node().file, frame.node().line,
                        "Block '" + frame.node().keyword + "' is never closed: missing '}'");
            }
        }
        List<ConfigNode> built = new ArrayList<>(roots.size());
        for (Node node : roots) {
            built.add(node.build());
        }
        return List.copyOf(built);
    }

    private void push(Node node, Path file, int line) {
        node.block = true;
        if (frames.size() > MAX_DEPTH) {
            if (!tooDeepReported) {
                tooDeepReported = true;
                diagnostics.error(file, line, "Blocks nested more than " + MAX_DEPTH + " deep - the lines of '"
                        + node.keyword + "' go to the enclosing block");
            }
            Frame top = frames.peek();
            frames.push(new Frame(null, top.target(), top.schema(), file, line));
            return;
        }
        KeywordSchema schema = frames.peek().schema();
        KeywordSchema nested = schema == null ? null : schema.blockSchema(node.keyword).orElse(null);
        frames.push(new Frame(node, node.children, nested, file, line));
    }

    private void resolvePending() {
        if (pending == null) {
            return;
        }
        Node node = pending;
        pending = null;
        KeywordSchema schema = frames.peek().schema();
        if (schema != null && schema.isBlock(node.keyword)) {
            diagnostics.warning(node.file, node.line, "'{' missing from beginning of block " + node.keyword);
            push(node, node.file, node.line);
        }
    }

    private String enclosingKeyword() {
        for (Frame frame : frames) {
            if (frame.node() != null) {
                return frame.node().keyword;
            }
            if (!frame.ignored()) {
                return null;
            }
        }
        return null;
    }
}
