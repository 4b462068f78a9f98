package io.lvs4j.vrrp.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: parse text with fixed options, and flatten a tree for compact assertions. */
final class Configs {
    static final Path FILE = Path.of("/virtual/etc/keepalived/keepalived.conf");

    private Configs() {
    }

    static KeepalivedConfig.Options.Builder options() {
        return KeepalivedConfig.Options.builder()
                .configId("main")
                .environment(Map.of("HOME", "/home/ka", "NUM", "7"))
                .randomSeed(42);
    }

    static KeepalivedConfig parse(String text) {
        return KeepalivedConfig.parseText(text, FILE, options().build());
    }

    static KeepalivedConfig parse(String text, KeepalivedConfig.Options options) {
        return KeepalivedConfig.parseText(text, FILE, options);
    }

    /** Each node as "keyword arg arg", blocks as "keyword arg {" ... "}", one string per line, no indentation. */
    static List<String> lines(List<ConfigNode> nodes) {
        List<String> out = new ArrayList<>();
        for (ConfigNode node : nodes) {
            String words = String.join(" ", node.words());
            if (node.block()) {
                out.add(words + " {");
                out.addAll(lines(node.children()));
                out.add("}");
            } else {
                out.add(words);
            }
        }
        return out;
    }

    static List<String> lines(KeepalivedConfig config) {
        return lines(config.roots());
    }

    /** Keyword and args of every top-level node, one string each. */
    static List<String> top(KeepalivedConfig config) {
        return config.roots().stream().map(n -> String.join(" ", n.words())).toList();
    }

    static List<String> messages(KeepalivedConfig config) {
        return config.diagnostics().stream().map(ConfigDiagnostic::message).toList();
    }
}
