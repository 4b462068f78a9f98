package io.lvs4j.vrrp.conf;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The keywords a consumer knows inside one kind of block, and what each of them is: a plain keyword line, a
 * keyword block (whose lines are keywords again, described by a nested schema) or a value block (whose lines are
 * values, e.g. {@code virtual_ipaddress}, never checked).
 *
 * <p>Two uses:
 * <ul>
 *   <li>{@link #check} reports every line whose keyword the schema does not know with keepalived's wording,
 *       {@code Unknown keyword 'x'}, as a warning at the line's file and line, and descends into known keyword
 *       blocks (keepalived skips such a line and goes on; so does a consumer that uses this).</li>
 *   <li>The parser uses a schema ({@link KeepalivedConfig.Options.Builder#blocks}, by default
 *       {@link #keepalivedBlocks()}) to know which keywords open a block, so that a block keyword whose
 *       '{' is missing is still read as a block, with keepalived's warning
 *       "'{' missing from beginning of block".</li>
 * </ul>
 *
 * <p>Keywords are case-sensitive, as in keepalived. Immutable and thread-safe.
 */
public final class KeywordSchema {
    private static final KeywordSchema EMPTY = new Builder().build();
    private static final KeywordSchema KEEPALIVED_BLOCKS = buildKeepalivedBlocks();

    private final Set<String> keywords;
    private final Map<String, KeywordSchema> blocks;
    private final Set<String> valueBlocks;

    private KeywordSchema(Builder b) {
        this.keywords = Set.copyOf(b.keywords);
        this.blocks = Map.copyOf(b.blocks);
        this.valueBlocks = Set.copyOf(b.valueBlocks);
    }

    /** A new builder for a schema that knows nothing yet. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * keepalived's block structure (keepalived.conf(5)): which keywords open a keyword block or a value block at
     * the top level, in {@code global_defs}, {@code vrrp_instance}, {@code vrrp_sync_group}, {@code virtual_server},
     * {@code real_server}, the checkers and so on. It lists blocks only, so it is meant for the parser's
     * missing-'{' detection, not for {@link #check}.
     */
    public static KeywordSchema keepalivedBlocks() {
        return KEEPALIVED_BLOCKS;
    }

    /** Whether {@code keyword} is a plain keyword, a keyword block or a value block here. */
    public boolean knows(String keyword) {
        return keywords.contains(keyword) || blocks.containsKey(keyword) || valueBlocks.contains(keyword);
    }

    /** Whether {@code keyword} opens a block (of keywords or of values) here. */
    public boolean isBlock(String keyword) {
        return blocks.containsKey(keyword) || valueBlocks.contains(keyword);
    }

    /**
     * The schema of the block {@code keyword} opens: the nested schema of a keyword block, an empty schema for a
     * value block, nothing for a plain or unknown keyword.
     */
    public Optional<KeywordSchema> blockSchema(String keyword) {
        KeywordSchema nested = blocks.get(keyword);
        if (nested != null) {
            return Optional.of(nested);
        }
        return valueBlocks.contains(keyword) ? Optional.of(EMPTY) : Optional.empty();
    }

    /**
     * Appends {@code Unknown keyword 'x'} warnings to {@code out} for every node in {@code nodes} this schema does
     * not know, and checks the children of known keyword blocks against their nested schemas. Value blocks and
     * the contents of unknown blocks are not looked into.
     */
    public void check(Collection<ConfigNode> nodes, ConfigDiagnostics out) {
        for (ConfigNode node : nodes) {
            KeywordSchema nested = blocks.get(node.keyword());
            if (nested != null) {
                nested.check(node.children(), out);
            } else if (!keywords.contains(node.keyword()) && !valueBlocks.contains(node.keyword())) {
                out.warning(node, "Unknown keyword '" + node.keyword() + "'");
            }
        }
    }

    /** Checks the top-level lines of {@code config} with this schema as the top level; see {@link #check}. */
    public void check(KeepalivedConfig config, ConfigDiagnostics out) {
        check(config.roots(), out);
    }

    @Override
    public String toString() {
        return "KeywordSchema[keywords=" + keywords + ", blocks=" + blocks.keySet() + ", valueBlocks=" + valueBlocks
                + "]";
    }

    /** Collects keywords for a {@link KeywordSchema}; a later declaration of a keyword replaces an earlier one. */
    public static final class Builder {
        private final Set<String> keywords = new LinkedHashSet<>();
        private final Map<String, KeywordSchema> blocks = new LinkedHashMap<>();
        private final Set<String> valueBlocks = new LinkedHashSet<>();

        private Builder() {
        }

        /** Declares plain keyword lines ({@code priority 100}). */
        public Builder keywords(String... names) {
            for (String name : names) {
                forget(name);
                keywords.add(name);
            }
            return this;
        }

        /** Declares a keyword block ({@code authentication { ... }}) whose lines {@code nested} describes. */
        public Builder block(String name, KeywordSchema nested) {
            Objects.requireNonNull(nested, "nested");
            forget(name);
            blocks.put(name, nested);
            return this;
        }

        /** Declares value blocks ({@code virtual_ipaddress { ... }}), whose lines are values, not keywords. */
        public Builder valueBlocks(String... names) {
            for (String name : names) {
                forget(name);
                valueBlocks.add(name);
            }
            return this;
        }

        private void forget(String name) {
            Objects.requireNonNull(name, "name");
            keywords.remove(name);
            blocks.remove(name);
            valueBlocks.remove(name);
        }

        /** The schema. */
        public KeywordSchema build() {
            return new KeywordSchema(this);
        }
    }

    private static KeywordSchema buildKeepalivedBlocks() {
        KeywordSchema none = EMPTY;
        KeywordSchema http = builder().block("url", none).build();
        KeywordSchema smtp = builder().block("host", none).build();
        KeywordSchema realServer = builder()
                .block("HTTP_GET", http).block("SSL_GET", http).block("SMTP_CHECK", smtp)
                .block("TCP_CHECK", none).block("DNS_CHECK", none).block("MISC_CHECK", none)
                .block("BFD_CHECK", none).block("UDP_CHECK", none).block("PING_CHECK", none)
                .block("FILE_CHECK", none)
                .build();
        KeywordSchema virtualServer = builder().block("real_server", realServer).build();
        KeywordSchema vrrpInstance = builder()
                .valueBlocks("track_interface", "track_script", "track_file", "track_process", "track_bfd",
                        "virtual_ipaddress", "virtual_ipaddress_excluded", "virtual_routes", "virtual_rules",
                        "unicast_peer")
                .block("authentication", none)
                .build();
        KeywordSchema syncGroup = builder()
                .valueBlocks("group", "track_interface", "track_script", "track_file", "track_process",
                        "track_bfd")
                .build();
        return builder()
                .block("global_defs", builder().valueBlocks("notification_email").build())
                .valueBlocks("linkbeat_interfaces", "interface_up_down_delays", "static_ipaddress",
                        "static_routes", "static_rules", "virtual_server_group")
                .block("static_track_group", builder().valueBlocks("group").build())
                .block("track_file", none)
                .block("vrrp_track_process", none)
                .block("bfd_instance", none)
                .block("vrrp_script", none)
                .block("vrrp_sync_group", syncGroup)
                .block("garp_group", builder().valueBlocks("interfaces").build())
                .block("vrrp_instance", vrrpInstance)
                .block("virtual_server", virtualServer)
                .block("SSL", none)
                .build();
    }
}
