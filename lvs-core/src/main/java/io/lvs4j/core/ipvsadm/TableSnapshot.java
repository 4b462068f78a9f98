package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.RealServer;
import io.lvs4j.core.RealServerOptions;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.ServiceOptions;
import io.lvs4j.core.TimeoutSettings;
import io.lvs4j.core.VirtualService;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of a table at one moment (services in insertion order with their options,
 * real servers in scan order with all their options including thresholds, and the three
 * {@code --set} timeouts), and the way back to it.
 *
 * <p>{@link #restore} touches only what differs: services and real servers that are unchanged keep
 * their objects, counters, rates, scheduler state and connections. A removed real server that is
 * put back is revived by the table (with its connections); a removed service that is put back is a
 * new service object. Counters zeroed with {@code -Z} in between stay zeroed. Insertion order of the
 * services and the scan order of every service's real servers come back exactly; to get there,
 * entries that were re-ordered are removed and added again.
 */
final class TableSnapshot {
    private record ServerState(InetAddress address, int port, RealServerOptions options) {
        boolean sameEndpoint(RealServer d) {
            return d.port() == port && d.address().equals(address);
        }
    }

    private record ServiceState(ServiceKey key, ServiceOptions options, List<ServerState> servers) {
    }

    private final List<ServiceState> services;
    private final TimeoutSettings timeouts;

    private TableSnapshot(List<ServiceState> services, TimeoutSettings timeouts) {
        this.services = services;
        this.timeouts = timeouts;
    }

    /** The current configuration of {@code table}. */
    static TableSnapshot capture(IpvsTable table) {
        List<ServiceState> list = new ArrayList<>();
        for (VirtualService svc : table.services()) {
            List<ServerState> servers = new ArrayList<>();
            for (RealServer d : svc.realServers()) {
                servers.add(new ServerState(d.address(), d.port(), d.options()));
            }
            list.add(new ServiceState(svc.key(), svc.options(), List.copyOf(servers)));
        }
        return new TableSnapshot(List.copyOf(list), table.timeouts());
    }

    /** Puts {@code table}'s configuration back to this snapshot. */
    void restore(IpvsTable table) {
        Map<ServiceKey, ServiceState> wanted = new HashMap<>();
        for (ServiceState s : services) {
            wanted.put(s.key(), s);
        }
        for (VirtualService svc : table.services()) {
            if (!wanted.containsKey(svc.key())) {
                table.deleteService(svc.key());
            }
        }
        List<VirtualService> current = table.services();
        int prefix = 0;
        while (prefix < current.size() && prefix < services.size()
                && current.get(prefix).key().equals(services.get(prefix).key())) {
            prefix++;
        }
        for (int i = prefix; i < current.size(); i++) {
            table.deleteService(current.get(i).key());
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceState s = services.get(i);
            if (i >= prefix) {
                table.addService(s.key(), s.options());
            } else if (!Objects.equals(table.service(s.key()).options(), s.options())) {
                table.editService(s.key(), s.options());
            }
            restoreServers(table, s);
        }
        table.setTimeouts(timeouts);
    }

    private static void restoreServers(IpvsTable table, ServiceState s) {
        VirtualService svc = table.service(s.key());
        Set<String> wanted = new HashSet<>();
        for (ServerState d : s.servers()) {
            wanted.add(id(d.address(), d.port()));
        }
        for (RealServer d : svc.realServers()) {
            if (!wanted.contains(id(d.address(), d.port()))) {
                table.deleteRealServer(s.key(), d.address(), d.port());
            }
        }
        // keep the longest common tail of the scan order; new servers go to the head
        List<RealServer> current = svc.realServers();
        int i = current.size() - 1;
        int j = s.servers().size() - 1;
        while (i >= 0 && j >= 0 && s.servers().get(j).sameEndpoint(current.get(i))) {
            i--;
            j--;
        }
        for (int k = 0; k <= i; k++) {
            table.deleteRealServer(s.key(), current.get(k).address(), current.get(k).port());
        }
        for (int k = j; k >= 0; k--) {
            ServerState d = s.servers().get(k);
            table.addRealServer(s.key(), d.address(), d.port(), d.options());
        }
        for (int k = j + 1; k < s.servers().size(); k++) {
            ServerState d = s.servers().get(k);
            RealServer now = svc.realServer(d.address(), d.port());
            if (!now.options().equals(d.options())) {
                table.editRealServer(s.key(), d.address(), d.port(), d.options());
            }
        }
    }

    private static String id(InetAddress address, int port) {
        return address.getHostAddress() + "#" + port;
    }
}
