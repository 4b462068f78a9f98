package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.ForwardingMethod;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TimeoutSettings;
import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One ipvsadm command line, parsed and validated the way ipvsadm does before it talks to the kernel
 * ({@link Ipvsadm#parse}); {@link Ipvsadm#execute} applies it to a table. Omitted options already
 * carry ipvsadm's defaults (scheduler {@code wlc}, weight 1, direct routing, ...), so an edit
 * ({@code -E}, {@code -e}) holds the complete new object. Immutable.
 *
 * @param kind               the command
 * @param service            the virtual service named with {@code -t/-u/-f/--sctp-service}, or null
 * @param serviceOptions     for {@link Kind#ADD_SERVICE} and {@link Kind#EDIT_SERVICE}: the complete options; else null
 * @param persistenceEngine  {@code --pe} name, "" when not given
 * @param server             the real server of {@code -a/-e/-d}, or null
 * @param timeouts           the values of {@code --set}, or null
 * @param listFlags          the output options of {@code -L}/{@code -S}
 */
public record IpvsadmCommand(Kind kind, ServiceKey service, ServiceOptions serviceOptions, String persistenceEngine,
                             Server server, TimeoutSettings timeouts, Set<ListFlag> listFlags) {

    /** The ipvsadm commands. */
    public enum Kind {
        /** {@code -A}. */
        ADD_SERVICE,
        /** {@code -E}. */
        EDIT_SERVICE,
        /** {@code -D}. */
        DELETE_SERVICE,
        /** {@code -C}. */
        CLEAR,
        /** {@code -L}, {@code -l}. */
        LIST,
        /** {@code -a}. */
        ADD_SERVER,
        /** {@code -d}. */
        DELETE_SERVER,
        /** {@code -e}. */
        EDIT_SERVER,
        /** {@code --set tcp tcpfin udp}. */
        SET_TIMEOUTS,
        /** {@code --start-daemon}: parsed, but lvs4j has no synchronization daemon. */
        START_DAEMON,
        /** {@code --stop-daemon}. */
        STOP_DAEMON,
        /** {@code -R}: commands from standard input. */
        RESTORE,
        /** {@code -S}. */
        SAVE,
        /** {@code -Z}. */
        ZERO,
        /** {@code -h}. */
        HELP,
        /** {@code -v}. */
        VERSION
    }

    /** Output options of {@code -L} and {@code -S}. */
    public enum ListFlag {
        /** {@code -n}: numeric addresses and ports. */
        NUMERIC,
        /** {@code -c}: the connection entries. */
        CONNECTIONS,
        /** {@code --timeout}. */
        TIMEOUT,
        /** {@code --daemon}. */
        DAEMON,
        /** {@code --stats}. */
        STATS,
        /** {@code --rate}. */
        RATE,
        /** {@code --thresholds}. */
        THRESHOLDS,
        /** {@code --persistent-conn}. */
        PERSISTENT_CONN,
        /** {@code --nosort}. */
        NOSORT,
        /** {@code --exact}. */
        EXACT,
        /** {@code --tun-info}. */
        TUN_INFO
    }

    /**
     * A real server as {@code -a/-e/-d} name it. The thresholds are kept as given: ipvsadm lets a lower
     * threshold above the upper one through and the kernel refuses it ("Numerical result out of range").
     *
     * @param address        the real server's address
     * @param port           its port (for {@code -g} and {@code -i} already forced to the service port,
     *                       unless the service is a firewall-mark service)
     * @param forwarding     {@code -g} (default), {@code -i} or {@code -m}
     * @param weight         0..65535, default 1
     * @param upperThreshold {@code -x}, 0 when not given
     * @param lowerThreshold {@code -y}, 0 when not given
     * @param tunnelType     {@code ipip}, {@code gue} or {@code gre} for tunnelled servers, else null
     */
    public record Server(InetAddress address, int port, ForwardingMethod forwarding, int weight, int upperThreshold,
                         int lowerThreshold, String tunnelType) {
        public Server {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(forwarding, "forwarding");
        }
    }

    public IpvsadmCommand {
        Objects.requireNonNull(kind, "kind");
        persistenceEngine = persistenceEngine == null ? "" : persistenceEngine;
        listFlags = listFlags == null || listFlags.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(ListFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(listFlags));
    }

    /** True if {@code flag} was given. */
    public boolean has(ListFlag flag) {
        return listFlags.contains(flag);
    }
}
