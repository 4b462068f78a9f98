package io.lvs4j.core.ipvsadm;

import io.lvs4j.core.IpvsTable;
import io.lvs4j.core.Lease;
import io.lvs4j.core.ServiceKey;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Replays the seed article's LVS-DR session against an in-memory {@link IpvsTable}: an {@code rr}
 * service with two real servers, then {@code -E ... -s wrr} and {@code -e ... -w 3}. Each "curl" is a
 * short connection acquired and closed through the table; the demo prints which real server answered
 * and what {@code ipvsadm} prints. Run: {@code java -cp lvs-core.jar io.lvs4j.core.ipvsadm.Demo}.
 */
public final class Demo {
    private final IpvsTable table = new IpvsTable();
    private final PrintStream out;

    private Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws UnknownHostException {
        new Demo(System.out).run();
    }

    private void run() throws UnknownHostException {
        out.println("lvs4j demo: the seed's LVS-DR session, in-process (no packets leave this JVM)");
        out.println();
        ipvsadm("-A -t 10.0.102.110:80 -s rr");
        ipvsadm("-a -t 10.0.102.110:80 -r 10.0.102.204:80 -g -w 1");
        ipvsadm("-a -t 10.0.102.110:80 -r 10.0.102.214:80 -g -w 1");
        ipvsadm("-L -n");
        curl(4);
        ipvsadm("-E -t 10.0.102.110:80 -s wrr");
        ipvsadm("-e -t 10.0.102.110:80 -r 10.0.102.204:80 -g -w 3");
        curl(8);
        ipvsadm("-L -n");
        ipvsadm("-L -n --stats");
        ipvsadm("-L -n -c");
        out.println("10.0.102.214 was added last, so it is first in IPVS's scan order: after the edit wrr's");
        out.println("threshold is still 1 and the cycle starts with it (214, then 204 three times).");
    }

    private void ipvsadm(String args) {
        out.println("# ipvsadm " + args);
        IpvsadmResult r = Ipvsadm.run(table, args.split(" "));
        out.print(r.stdout());
        out.print(r.stderr());
        out.println();
    }

    private void curl(int times) throws UnknownHostException {
        ServiceKey vip = ServiceKey.tcp(InetAddress.getByName("10.0.102.110"), 80);
        InetAddress client = InetAddress.getByName("10.0.102.50");
        for (int i = 0; i < times; i++) {
            try (Lease lease = table.acquire(vip, client)) {
                out.println("# curl 10.0.102.110   -> answered by " + lease.realServer());
            }
        }
        out.println();
    }
}
