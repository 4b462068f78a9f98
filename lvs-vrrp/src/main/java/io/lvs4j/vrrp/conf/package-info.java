/**
 * A faithful reader of keepalived's configuration language, shared by the VRRP daemon and the forwarder.
 *
 * <p>{@link io.lvs4j.vrrp.conf.KeepalivedConfig#parse} turns a keepalived.conf and what it includes into a tree
 * of {@link io.lvs4j.vrrp.conf.ConfigNode}s plus a list of {@link io.lvs4j.vrrp.conf.ConfigDiagnostic}s; it
 * knows the grammar, not the keywords. Consumers read the nodes they know with
 * {@link io.lvs4j.vrrp.conf.ConfigValues} and report the others with {@link io.lvs4j.vrrp.conf.KeywordSchema}.
 *
 * <p>What is read as keepalived reads it (keepalived.conf(5), {@code lib/parser.c}; spec keepalived.md §2.1):
 * <ul>
 *   <li>{@code #} and {@code !} start a comment anywhere outside double quotes; {@code \#} and {@code \!} are
 *       literal. Single quotes do not protect {@code #}, {@code !} or braces (keepalived tracks only
 *       {@code "} there).</li>
 *   <li>Words: {@code "} and {@code '} quoting, quoted and unquoted runs joined, shell escapes
 *       ({@link io.lvs4j.vrrp.conf.ConfigWords}); {@link io.lvs4j.vrrp.conf.ConfigNode#plainArgs()} gives the
 *       words as keepalived's ordinary keyword handlers see them.</li>
 *   <li>A line is cut at its first '{' or '}' outside double quotes, repeatedly, so one-line blocks and
 *       '{' on the next line work; a block keyword without '{' is still a block, with a warning.</li>
 *   <li>{@code include}, {@code includer}, {@code includem}, {@code includew}, {@code includeb},
 *       {@code includea} with globs and csh braces, relative to the including file, textual (a block may span
 *       files), with keepalived's checks and messages; {@code include_check} in {@code global_defs} sets the
 *       level for the rest of the file, as in keepalived. Include cycles are an error.</li>
 *   <li>{@code $NAME=value}, {@code $NAME}/{@code ${NAME}} substituted recursively at use time, multi-line
 *       definitions, {@code ${_PWD}} (the current file's directory), {@code ${_INSTANCE}} (the config id),
 *       {@code ${_RANDOM [MIN [MAX]]}}, {@code ${_HASH}}, {@code ${_BANG}} and {@code ${_ENV NAME}}.</li>
 *   <li>{@code @id} and {@code @^id} lines; {@code ~SEQ}, {@code ~SEQx} and {@code ~LST} blocks.</li>
 * </ul>
 *
 * <p>Where lvs4j differs, on purpose: a trailing backslash continues any line (keepalived 2.x honours it only in
 * parameter definitions), joining with one space, unless the backslash ends a comment; text a parameter
 * substitutes is not scanned for comments again (so {@code ${_HASH}} gives a literal {@code #}); an {@code include}
 * reached through a conditional or a parameter is followed, with a warning (keepalived documents it as not
 * working); a '{' with no line before it is ignored together with its '}'.
 */
package io.lvs4j.vrrp.conf;
