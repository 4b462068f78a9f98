package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.IpvsTable;
import java.io.Reader;
import java.util.List;
import java.util.Objects;

/**
 * The {@code ipvsadm} command language over an {@link IpvsTable}: the command lines ipvsadm 1.31
 * accepts, the messages and exit statuses it ends with, and the text it prints, byte for byte
 * (spec §6).
 *
 * <pre>{@code
 * IpvsadmResult r = Ipvsadm.run(table, "-A", "-t", "192.168.0.10:80", "-s", "rr");
 * String listing = Ipvsadm.run(table, "-L", "-n").stdout();
 * }</pre>
 *
 * <p>Guarantees: a command line is parsed and validated completely before anything is applied, and a
 * refused command changes nothing in the table. {@code -R} parses every line first and then applies
 * them as one unit: if a line is refused, the changes of the earlier lines are undone (see
 * {@link #run(IpvsTable, Reader, String...)}).
 *
 * <p>Where lvs4j differs from ipvsadm, deliberately:
 * <ul>
 *   <li>No name service: host names are not resolved on input (only numeric addresses are accepted)
 *       and addresses are printed numerically even without {@code -n}; ports are printed as names
 *       without {@code -n} from a built-in copy of the common {@code /etc/services} entries, and those
 *       names are accepted on input.</li>
 *   <li>{@code -R} is all-or-nothing; ipvsadm applies the lines up to a bad one.</li>
 *   <li>With {@code --nosort} services are listed in the order they were added (ipvsadm shows the
 *       kernel's hash order); {@code -L -c} lists connections in the table's own order.</li>
 *   <li>Things lvs-core does not model are refused with a message saying so: sync daemons
 *       ({@code --start-daemon}), GUE/GRE tunnels, a persistence mask of 0.0.0.0. Persistence
 *       engines ({@code --pe}) are refused the way a kernel without the module refuses them.</li>
 * </ul>
 *
 * <p>Thread safety: stateless; each call works on the table through its thread-safe admin
 * operations, and may run concurrently with traffic and with other admin callers. A listing reads the
 * live table (each service's server list is one snapshot; counters are read as they are). A
 * {@code -R} is not isolated from admin changes others make while it runs: its rollback restores the
 * configuration from before the {@code -R}, over such changes too.
 */
public final class Ipvsadm {
    private Ipvsadm() {
    }

    /**
     * Runs one ipvsadm command line (the arguments without the program name) against {@code table},
     * with empty standard input. No arguments lists the table, as {@code ipvsadm} alone does.
     */
    public static IpvsadmResult run(IpvsTable table, String... argv) {
        return run(table, Reader.nullReader(), argv);
    }

    /**
     * Runs one ipvsadm command line with {@code stdin} as standard input (read only by {@code -R}).
     *
     * <p>For {@code -R}: each line is split on blanks, tabs and carriage returns and parsed like a
     * command line; a line that does not parse stops the restore with that line's message before
     * anything is applied. The lines are then applied in order; when one is refused, its message is
     * printed and the table's configuration is restored to what it was before the first line
     * (services, their options, real servers with their options and scan order, the {@code --set}
     * timeouts; counters zeroed by a {@code -Z} line stay zeroed). Unchanged services and real servers
     * keep their counters and connections.
     */
    public static IpvsadmResult run(IpvsTable table, Reader stdin, String... argv) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(stdin, "stdin");
        CommandExecutor executor = new CommandExecutor(table);
        if (argv.length == 0) {
            return executor.result(executor.execute(new IpvsadmCommand(IpvsadmCommand.Kind.LIST, null, null,
                    null, null, null, null), stdin));
        }
        IpvsadmCommand cmd;
        try {
            cmd = parse(argv);
        } catch (IpvsadmException e) {
            executor.fail(e);
            return executor.result(e.exitCode());
        }
        return executor.result(executor.execute(cmd, stdin));
    }

    /**
     * Parses and validates a command line without applying it, for a client that checks locally
     * before it sends the command on.
     *
     * @throws IpvsadmException with ipvsadm's message and exit status when ipvsadm would refuse it
     */
    public static IpvsadmCommand parse(String... argv) {
        for (String a : argv) {
            Objects.requireNonNull(a, "argv element");
        }
        return CommandParser.parse(List.of(argv), false);
    }

    /**
     * Applies a command returned by {@link #parse} to {@code table} (for a server that receives commands
     * parsed by a client); {@code stdin} is read only by {@code -R} and may be null.
     */
    public static IpvsadmResult execute(IpvsTable table, IpvsadmCommand command, Reader stdin) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(command, "command");
        CommandExecutor executor = new CommandExecutor(table);
        return executor.result(executor.execute(command, stdin == null ? Reader.nullReader() : stdin));
    }
}
