package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.Addresses;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.IpvsException;
import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.VirtualService;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.Kind;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.ListFlag;
import io.lvs4j.core.ipvsadm.IpvsadmCommand.Server;
import io.lvs4j.core.ipvsadm.KernelErrors.Op;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies parsed commands to a table and collects what ipvsadm would print. The kernel's checks
 * are made here, before the table is touched and in the kernel's order, so the error text is the
 * one ipvsadm prints; whatever the table itself still refuses is mapped through the same errno
 * table. A refused command changes nothing.
 */
final class CommandExecutor {
    static final String VERSION = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";

    private final IpvsTable table;
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    CommandExecutor(IpvsTable table) {
        this.table = table;
    }

    IpvsadmResult result(int exitCode) {
        return new IpvsadmResult(exitCode, out.toString(), err.toString());
    }

    void fail(IpvsadmException e) {
        err.append(e.stderrText());
    }

    /** Runs one command; returns the exit status. */
    int execute(IpvsadmCommand cmd, Reader stdin) {
        try {
            return switch (cmd.kind()) {
                case HELP -> {
                    out.append(Usage.TEXT);
                    yield 0;
                }
                case VERSION -> {
                    out.append(VERSION).append('\n');
                    yield 0;
                }
                case LIST -> list(cmd);
                case SAVE -> {
                    out.append(Listing.save(table, cmd.listFlags()).all());
                    yield 0;
                }
                case RESTORE -> restore(stdin);
                case CLEAR -> {
                    table.clear();
                    yield 0;
                }
                case ADD_SERVICE -> addService(cmd);
                case EDIT_SERVICE -> editService(cmd);
                case DELETE_SERVICE -> {
                    if (table.service(cmd.service()) == null) {
                        yield refuse(Op.DEL_SERVICE, KernelErrors.ESRCH);
                    }
                    table.deleteService(cmd.service());
                    yield 0;
                }
                case ZERO -> {
                    if (cmd.service() == null) {
                        table.zero();
                    } else {
                        if (table.service(cmd.service()) == null) {
                            yield refuse(Op.ZERO_SERVICE, KernelErrors.ESRCH);
                        }
                        table.zero(cmd.service());
                    }
                    yield 0;
                }
                case ADD_SERVER -> addServer(cmd);
                case EDIT_SERVER -> editServer(cmd);
                case DELETE_SERVER -> deleteServer(cmd);
                case SET_TIMEOUTS -> {
                    table.setTimeouts(cmd.timeouts());
                    yield 0;
                }
                case START_DAEMON -> {
                    err.append("connection synchronization daemons are not supported by lvs4j\n");
                    yield 255;
                }
                case STOP_DAEMON -> refuse(Op.STOP_DAEMON, KernelErrors.ESRCH);
            };
        } catch (IpvsException e) {
            return refuse(opOf(cmd.kind()), e.reason().errno());
        } catch (IllegalArgumentException e) {
            return refuse(opOf(cmd.kind()), KernelErrors.EINVAL);
        }
    }

    private int list(IpvsadmCommand cmd) {
        if (cmd.has(ListFlag.CONNECTIONS)) {
            out.append(Listing.list(table, cmd.listFlags()).connections());
        } else if (cmd.service() != null) {
            VirtualService svc = table.service(cmd.service());
            if (svc == null) {
                err.append(KernelErrors.message(Op.GET_SERVICE, KernelErrors.ESRCH)).append('\n');
                return 1;
            }
            out.append(Listing.list(table, cmd.listFlags()).one(svc));
        } else if (cmd.has(ListFlag.TIMEOUT)) {
            out.append(Listing.timeouts(table.timeouts()));
        } else if (!cmd.has(ListFlag.DAEMON)) {
            // --daemon lists running sync daemons: lvs4j never has one, so it prints nothing
            out.append(Listing.list(table, cmd.listFlags()).all());
        }
        return 0;
    }

    private int addService(IpvsadmCommand cmd) {
        if (table.service(cmd.service()) != null) {
            return refuse(Op.ADD_SERVICE, KernelErrors.EEXIST);
        }
        if (!table.options().schedulers().contains(cmd.serviceOptions().scheduler())
                || !cmd.persistenceEngine().isEmpty()) {
            return refuse(Op.ADD_SERVICE, KernelErrors.ENOENT);
        }
        table.addService(cmd.service(), cmd.serviceOptions());
        return 0;
    }

    private int editService(IpvsadmCommand cmd) {
        if (table.service(cmd.service()) == null) {
            return refuse(Op.UPDATE_SERVICE, KernelErrors.ESRCH);
        }
        if (!table.options().schedulers().contains(cmd.serviceOptions().scheduler())
                || !cmd.persistenceEngine().isEmpty()) {
            return refuse(Op.UPDATE_SERVICE, KernelErrors.ENOENT);
        }
        table.editService(cmd.service(), cmd.serviceOptions());
        return 0;
    }

    private int addServer(IpvsadmCommand cmd) {
        Server s = cmd.server();
        VirtualService svc = table.service(cmd.service());
        if (svc == null) {
            return refuse(Op.ADD_DEST, KernelErrors.ESRCH);
        }
        if (s.lowerThreshold() > s.upperThreshold()) {
            return refuse(Op.ADD_DEST, KernelErrors.ERANGE);
        }
        if (unsupportedTunnel(s)) {
            return 255;
        }
        if (svc.realServer(s.address(), s.port()) != null) {
            return refuse(Op.ADD_DEST, KernelErrors.EEXIST);
        }
        if (!Addresses.isUnicast(s.address())) {
            return refuse(Op.ADD_DEST, KernelErrors.EINVAL);
        }
        table.addRealServer(cmd.service(), s.address(), s.port(), options(s));
        return 0;
    }

    private int editServer(IpvsadmCommand cmd) {
        Server s = cmd.server();
        VirtualService svc = table.service(cmd.service());
        if (svc == null) {
            return refuse(Op.UPDATE_DEST, KernelErrors.ESRCH);
        }
        if (s.lowerThreshold() > s.upperThreshold()) {
            return refuse(Op.UPDATE_DEST, KernelErrors.ERANGE);
        }
        if (unsupportedTunnel(s)) {
            return 255;
        }
        if (svc.realServer(s.address(), s.port()) == null) {
            return refuse(Op.UPDATE_DEST, KernelErrors.ENOENT);
        }
        table.editRealServer(cmd.service(), s.address(), s.port(), options(s));
        return 0;
    }

    private int deleteServer(IpvsadmCommand cmd) {
        Server s = cmd.server();
        VirtualService svc = table.service(cmd.service());
        if (svc == null) {
            return refuse(Op.DEL_DEST, KernelErrors.ESRCH);
        }
        if (svc.realServer(s.address(), s.port()) == null) {
            return refuse(Op.DEL_DEST, KernelErrors.ENOENT);
        }
        table.deleteRealServer(cmd.service(), s.address(), s.port());
        return 0;
    }

    /**
     * {@code -R}: every line is parsed first (a bad line stops everything before any change); then
     * the lines are applied in order, and if one is refused the table is put back to how it was
     * before the first line ({@link TableSnapshot}), so a restore applies completely or not at all.
     */
    private int restore(Reader stdin) {
        RestoreInput input = new RestoreInput(stdin == null ? Reader.nullReader() : stdin);
        List<IpvsadmCommand> commands = new ArrayList<>();
        List<String> words;
        while ((words = input.nextLine()) != null) {
            if (words.isEmpty()) {
                continue;
            }
            IpvsadmCommand c;
            try {
                c = CommandParser.parse(words, true);
            } catch (IpvsadmException e) {
                err.append(e.stderrText());
                return e.exitCode();
            }
            commands.add(c);
            if (c.kind() == Kind.HELP || c.kind() == Kind.VERSION) {
                break; // ipvsadm exits after printing them and reads no further
            }
        }
        int[] rc = {0};
        // no other admin operation (a health checker's edit, say) runs between the lines or the rollback
        table.atomically(() -> {
            TableSnapshot before = TableSnapshot.capture(table);
            for (IpvsadmCommand c : commands) {
                rc[0] = execute(c, null);
                if (rc[0] != 0) {
                    try {
                        before.restore(table);
                    } catch (RuntimeException e) {
                        err.append("ipvsadm: could not roll the restore back: ").append(e.getMessage()).append('\n');
                    }
                    return;
                }
            }
        });
        return rc[0];
    }

    private boolean unsupportedTunnel(Server s) {
        if (s.forwarding() == ForwardingMethod.TUNNEL && s.tunnelType() != null && !s.tunnelType().equals("ipip")) {
            err.append("tunnel type ").append(s.tunnelType()).append(" is not supported by lvs4j (only ipip)\n");
            return true;
        }
        return false;
    }

    private static RealServerOptions options(Server s) {
        return new RealServerOptions(s.weight(), s.forwarding(), s.upperThreshold(), s.lowerThreshold());
    }

    private int refuse(Op op, String errno) {
        err.append(KernelErrors.message(op, errno)).append('\n');
        return 255;
    }

    private static Op opOf(Kind kind) {
        return switch (kind) {
            case ADD_SERVICE -> Op.ADD_SERVICE;
            case EDIT_SERVICE -> Op.UPDATE_SERVICE;
            case DELETE_SERVICE -> Op.DEL_SERVICE;
            case ZERO -> Op.ZERO_SERVICE;
            case ADD_SERVER -> Op.ADD_DEST;
            case EDIT_SERVER -> Op.UPDATE_DEST;
            case DELETE_SERVER -> Op.DEL_DEST;
            case START_DAEMON -> Op.START_DAEMON;
            case STOP_DAEMON -> Op.STOP_DAEMON;
            case LIST -> Op.GET_SERVICE;
            default -> Op.OTHER;
        };
    }
}
