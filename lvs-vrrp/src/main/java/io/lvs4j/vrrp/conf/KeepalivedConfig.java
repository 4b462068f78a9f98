package io.lvs4j.vrrp.conf;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A keepalived.conf read into a tree of {@link ConfigNode}s, with every problem found on the way.
 *
 * <p>{@link #parse(Path, Options)} applies keepalived's configuration grammar (keepalived.conf(5); spec
 * keepalived.md §2.1): comments, continuation lines, quoting and escapes, braces, {@code include} and its
 * checking variants, parameters, conditional lines and sequence blocks. It knows no keyword's meaning: the
 * VRRP daemon and the forwarder read the nodes they know and can report the rest with {@link KeywordSchema}.
 * Parsing never throws for bad content: every problem becomes a {@link ConfigDiagnostic} and parsing goes on as
 * keepalived would. Only failing to read the main file throws.
 *
 * <p>Instances are immutable and thread-safe. A parse reads each file once; its time is linear in the size of
 * the expanded configuration.
 */
public final class KeepalivedConfig {
    private final Path file;
    private final List<ConfigNode> roots;
    private final List<ConfigDiagnostic> diagnostics;

    private KeepalivedConfig(Path file, List<ConfigNode> roots, List<ConfigDiagnostic> diagnostics) {
        this.file = file;
        this.roots = List.copyOf(roots);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Parses {@code file} with {@link Options#defaults()}. */
    public static KeepalivedConfig parse(Path file) throws IOException {
        return parse(file, Options.defaults());
    }

    /**
     * Parses {@code file} and everything it includes.
     *
     * @throws IOException if {@code file} itself cannot be read (a problem with an included file is a diagnostic)
     */
    public static KeepalivedConfig parse(Path file, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return parseText(text, file, options);
    }

    /**
     * Parses {@code text} as if it had been read from {@code file}: relative includes and {@code ${_PWD}} use
     * {@code file}'s directory, and diagnostics name {@code file}. {@code file} itself is not read.
     */
    public static KeepalivedConfig parseText(String text, Path file, Options options) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        ConfigDiagnostics diagnostics = new ConfigDiagnostics();
        List<ConfigNode> roots = new ConfigReader(options, diagnostics).read(file, text);
        return new KeepalivedConfig(file, roots, diagnostics.all());
    }

    /** The main file. */
    public Path file() {
        return file;
    }

    /** The top-level lines (usually blocks: {@code global_defs}, {@code vrrp_instance}, ...), in order. */
    public List<ConfigNode> roots() {
        return roots;
    }

    /** The top-level lines whose keyword is {@code keyword}, in order. */
    public List<ConfigNode> roots(String keyword) {
        return roots.stream().filter(n -> n.keyword().equals(keyword)).toList();
    }

    /** Every problem found while parsing, in the order found. */
    public List<ConfigDiagnostic> diagnostics() {
        return diagnostics;
    }

    /** The errors among {@link #diagnostics()}. */
    public List<ConfigDiagnostic> errors() {
        return diagnostics.stream().filter(ConfigDiagnostic::isError).toList();
    }

    /** The warnings among {@link #diagnostics()}. */
    public List<ConfigDiagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    /** Whether parsing found an error (warnings do not count). */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(ConfigDiagnostic::isError);
    }

    /** The whole configuration in {@link ConfigNode#format()}'s canonical layout, includes expanded. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (ConfigNode root : roots) {
            root.formatTo(sb, 0);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "KeepalivedConfig[" + file + ", " + roots.size() + " top-level lines, " + diagnostics.size()
                + " diagnostics]";
    }

    /**
     * How to parse: the config id for {@code @id} lines and {@code ${_INSTANCE}}, the environment for
     * {@code ${_ENV NAME}}, the seed for {@code ${_RANDOM}}, the block structure used to detect a missing
     * '{', and a bound on the lines that parameters and sequence blocks may expand to. Immutable.
     */
    public static final class Options {
        private static final int DEFAULT_MAX_LINES = 5_000_000;

        private final Optional<String> configId;
        private final Map<String, String> environment;
        private final Long randomSeed;
        private final KeywordSchema blocks;
        private final int maxExpandedLines;

        private Options(Builder b) {
            this.configId = b.configIdSet ? Optional.ofNullable(b.configId) : defaultConfigId();
            this.environment = Map.copyOf(b.environment != null ? b.environment : System.getenv());
            this.randomSeed = b.randomSeed;
            this.blocks = b.blocks;
            this.maxExpandedLines = b.maxExpandedLines;
        }

        /** The short host name as config id, the process environment, keepalived's block structure. */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder starting from {@link #defaults()}. */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The config id that {@code @id} lines are compared with and {@code ${_INSTANCE}} gives; empty means
         * none, so that every {@code @id} line is left out and every {@code @^id} line kept (keepalived with
         * no id).
         */
        public Optional<String> configId() {
            return configId;
        }

        /** The variables {@code ${_ENV NAME}} reads. */
        public Map<String, String> environment() {
            return environment;
        }

        /** The block structure used to detect a missing '{'; see {@link KeywordSchema#keepalivedBlocks()}. */
        public KeywordSchema blocks() {
            return blocks;
        }

        /**
         * The most logical lines one parse may produce, counting those that parameters and {@code ~SEQ}/{@code ~LST}
         * blocks expand to; beyond it expansion stops with an error.
         */
        public int maxExpandedLines() {
            return maxExpandedLines;
        }

        Random newRandom() {
            return randomSeed == null ? new Random() : new Random(randomSeed);
        }

        /**
         * keepalived's default config id: the node name up to its first dot. Read from
         * /proc/sys/kernel/hostname, then $HOSTNAME, then the JVM's local host name; none if all fail.
         */
        static Optional<String> defaultConfigId() {
            String name = null;
            try {
                name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                // not Linux, or no procfs: try the next source
            }
            if (name == null || name.isEmpty()) {
                name = System.getenv("HOSTNAME");
            }
            if (name == null || name.isEmpty()) {
                try {
                    name = InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            int dot = name.indexOf('.');
            String id = dot < 0 ? name : name.substring(0, dot);
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        }

        /** Builds {@link Options}. */
        public static final class Builder {
            private boolean configIdSet;
            private String configId;
            private Map<String, String> environment;
            private Long randomSeed;
            private KeywordSchema blocks = KeywordSchema.keepalivedBlocks();
            private int maxExpandedLines = DEFAULT_MAX_LINES;

            private Builder() {
            }

            /** The config id (keepalived's {@code -i}); {@code null} for none. Default: the short host name. */
            public Builder configId(String id) {
                this.configIdSet = true;
                this.configId = id;
                return this;
            }

            /** The environment {@code ${_ENV NAME}} reads. Default: {@link System#getenv()}. */
            public Builder environment(Map<String, String> environment) {
                this.environment = Map.copyOf(environment);
                return this;
            }

            /** Seeds {@code ${_RANDOM}} so that a parse is repeatable. Default: unseeded. */
            public Builder randomSeed(long seed) {
                this.randomSeed = seed;
                return this;
            }

            /** The block structure for missing-'{' detection. Default {@link KeywordSchema#keepalivedBlocks()}. */
            public Builder blocks(KeywordSchema blocks) {
                this.blocks = Objects.requireNonNull(blocks, "blocks");
                return this;
            }

            /** Bound on logical lines, expansions included (default 5,000,000); see {@link #maxExpandedLines()}. */
            public Builder maxExpandedLines(int max) {
                if (max < 1) {
                    throw new IllegalArgumentException("maxExpandedLines must be at least 1, was " + max);
                }
                this.maxExpandedLines = max;
                return this;
            }

            /** The options. */
            public Options build() {
                return new Options(this);
            }
        }
    }
}
