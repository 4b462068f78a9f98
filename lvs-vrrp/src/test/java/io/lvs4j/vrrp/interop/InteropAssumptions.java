package io.lvs4j.vrrp.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the interoperability tests need from the machine: root (network namespaces, raw sockets),
 * iproute2 and Debian's keepalived; tcpdump for the tests that look at the wire. Each check skips
 * the test with a message saying what is missing.
 */
final class InteropAssumptions {

    static final String NEEDS = "needs root, iproute2 and keepalived (apt-get install keepalived)";

    private InteropAssumptions() {}

    /** Skips the calling test unless running as root with {@code ip} and {@code keepalived}. */
    static void assumeRootIpAndKeepalived() {
        assumeTrue(isRoot(), () -> NEEDS + ": not running as root");
        assumeTrue(which("ip").isPresent(), () -> NEEDS + ": no ip command on PATH");
        assumeTrue(which("keepalived").isPresent(), () -> NEEDS + ": no keepalived on PATH");
    }

    /** As {@link #assumeRootIpAndKeepalived()}, and tcpdump too. */
    static void assumeTcpdump() {
        assumeRootIpAndKeepalived();
        assumeTrue(which("tcpdump").isPresent(),
                "needs tcpdump to check lvs4j's adverts on the wire (apt-get install tcpdump)");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The executable's absolute path, searching PATH and the sbin directories. */
    static Optional<Path> which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "")
                + File.pathSeparator + "/usr/sbin:/sbin:/usr/bin:/bin";
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
