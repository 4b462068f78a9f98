package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.RealServer;
import io.lvs4j.core.ServiceKey;
import io.lvs4j.core.VirtualService;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The order ipvsadm lists services and real servers in by default, including its arithmetic:
 * every field is compared by C {@code int} subtraction of host-order values, so two addresses (or
 * two firewall marks) that differ by 2^31 or more compare inverted (10.0.0.1 lists after
 * 192.168.0.1). Such a comparison is not transitive, so the result depends on the sorting
 * algorithm: this class sorts with glibc's {@code qsort} algorithm (a top-down merge sort that
 * splits n into n/2 and n - n/2 and keeps the left element on ties), not with {@code List.sort}.
 */
final class EntryOrder {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** A comparison returning C-style negative, zero or positive. */
    @FunctionalInterface
    interface Cmp<T> {
        int compare(T a, T b);
    }

    private EntryOrder() {
    }

    /** Services by (fwmark, address family, protocol, address, port), as ipvs_cmp_services. */
    static int compareServices(VirtualService a, VirtualService b) {
        ServiceKey ka = a.key();
        ServiceKey kb = b.key();
        int r = ka.fwmark() - kb.fwmark();
        if (r != 0) {
            return r;
        }
        int afA = ka.ipv6() ? AF_INET6 : AF_INET;
        r = afA - (kb.ipv6() ? AF_INET6 : AF_INET);
        if (r != 0) {
            return r;
        }
        // a firewall-mark service reports neither protocol, address nor port: all compare as 0
        r = protocol(ka) - protocol(kb);
        if (r != 0) {
            return r;
        }
        r = compareAddresses(afA, words(ka.isFwmark() ? null : ka.address()), words(kb.isFwmark() ? null : kb.address()));
        if (r != 0) {
            return r;
        }
        return port(ka) - port(kb);
    }

    /** Real servers by (address, port), as ipvs_cmp_dests; the first one's family decides how addresses compare. */
    static int compareServers(RealServer a, RealServer b) {
        int af = a.address() instanceof Inet6Address ? AF_INET6 : AF_INET;
        int r = compareAddresses(af, words(a.address()), words(b.address()));
        if (r != 0) {
            return r;
        }
        return a.port() - b.port();
    }

    private static int compareAddresses(int af, int[] a, int[] b) {
        if (af == AF_INET6) {
            int r = 0;
            for (int i = 0; r == 0 && i < 4; i++) {
                r = a[i] - b[i];
            }
            return r;
        }
        return a[0] - b[0];
    }

    private static int protocol(ServiceKey k) {
        return k.isFwmark() ? 0 : k.protocol().number();
    }

    private static int port(ServiceKey k) {
        return k.isFwmark() ? 0 : k.port();
    }

    /** The address as four host-order 32-bit words; IPv4 fills the first word (union nf_inet_addr). */
    private static int[] words(InetAddress address) {
        int[] w = new int[4];
        if (address == null) {
            return w;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length / 4; i++) {
            w[i] = ((b[4 * i] & 0xff) << 24) | ((b[4 * i + 1] & 0xff) << 16) | ((b[4 * i + 2] & 0xff) << 8)
                    | (b[4 * i + 3] & 0xff);
        }
        return w;
    }

    /** A sorted copy of {@code items}, sorted the way glibc's qsort (merge sort) does. */
    static <T> List<T> sorted(List<T> items, Cmp<T> cmp) {
        List<T> work = new ArrayList<>(items);
        List<T> tmp = new ArrayList<>(items);
        mergeSort(work, tmp, 0, work.size(), cmp);
        return work;
    }

    private static <T> void mergeSort(List<T> b, List<T> tmp, int from, int n, Cmp<T> cmp) {
        if (n <= 1) {
            return;
        }
        int n1 = n / 2;
        int n2 = n - n1;
        mergeSort(b, tmp, from, n1, cmp);
        mergeSort(b, tmp, from + n1, n2, cmp);
        int i = from;
        int j = from + n1;
        int endLeft = from + n1;
        int endRight = from + n;
        int k = 0;
        while (i < endLeft && j < endRight) {
            if (cmp.compare(b.get(i), b.get(j)) <= 0) {
                tmp.set(k++, b.get(i++));
            } else {
                tmp.set(k++, b.get(j++));
            }
        }
        while (i < endLeft) {
            tmp.set(k++, b.get(i++));
        }
        // what is left of the right run is already in place
        for (int m = 0; m < k; m++) {
            b.set(from + m, tmp.get(m));
        }
    }
}
