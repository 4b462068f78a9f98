package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Live interoperability with the Debian keepalived package, in two network namespaces this test
 * creates (198.18.0.1/24 and 198.18.0.2/24 on a veth pair) and always removes.
 *
 * <p>keepalived runs v2 PASS, v3 multicast, v3 unicast and v3 IPv6 instances at priority 150. The
 * test captures their adverts with tcpdump and checks that lvs4j decodes and accepts every one;
 * then it sends lvs4j-encoded priority-200 adverts (raw sockets through python3, since the JVM
 * has none) and checks that keepalived accepts each of them by stepping down to BACKUP.
 *
 * <p>Skipped unless running as root with ip, keepalived, tcpdump and python3 installed ({@code
 * apt-get install -y keepalived tcpdump}).
 */
class KeepalivedInteropTest {

    static final Inet4Address KA = ip4("198.18.0.1");
    static final Inet4Address US = ip4("198.18.0.2");
    static final Inet6Address KA6 = ip6("fe80::c6ff:fe12:1");
    static final Inet6Address US6 = ip6("fe80::c6ff:fe12:2");
    static final Duration STARTUP = Duration.ofSeconds(20);

    static final String CONFIG =
            """
        global_defs {
            router_id lvs4j_interop
        }
        vrrp_instance VI_V2 {
            state BACKUP
            interface %1$s
            virtual_router_id 51
            priority 150
            advert_int 1
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            virtual_ipaddress {
                198.18.0.100/24
            }
        }
        vrrp_instance VI_V3 {
            state BACKUP
            interface %1$s
            version 3
            virtual_router_id 52
            priority 150
            advert_int 1
            virtual_ipaddress {
                198.18.0.101/24
                198.18.0.102/24
            }
        }
        vrrp_instance VI_V3_UNICAST {
            state BACKUP
            interface %1$s
            version 3
            virtual_router_id 53
            priority 150
            advert_int 0.5
            unicast_src_ip 198.18.0.1
            unicast_peer {
                198.18.0.2
            }
            virtual_ipaddress {
                198.18.0.103/24
            }
        }
        vrrp_instance VI_V3_IPV6 {
            state BACKUP
            interface %1$s
            version 3
            virtual_router_id 54
            priority 150
            advert_int 1
            virtual_ipaddress {
                fe80::5400:1/64
                2001:db8::100/64
            }
        }
        """;

    static final String SENDER =
            """
        import socket, sys
        ifindex = socket.if_nametoindex(sys.argv[1])
        for arg in sys.argv[2:]:
            family, dst, hexdata = arg.split('/')
            data = bytes.fromhex(hexdata)
            if family == '4':
                s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
                s.sendto(data, (dst, 0))
            else:
                s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
                s.sendto(data, (dst, 0, 0, ifindex))
            s.close()
        """;

    @Test
    void keepalivedAndLvs4jAcceptEachOthersAdverts() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        for (String tool : List.of("ip", "keepalived", "tcpdump", "python3")) {
            assumeTrue(onPath(tool), "needs " + tool + " (apt-get install -y keepalived tcpdump)");
        }
        String id = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        String nsKa = "lvs4j-it-" + id + "-ka";
        String nsUs = "lvs4j-it-" + id + "-us";
        String ifKa = "lv" + id + "k";
        String ifUs = "lv" + id + "u";
        Path dir = Files.createTempDirectory("lvs4j-vrrp-interop");
        List<Process> processes = new ArrayList<>();
        try {
            run("ip", "netns", "add", nsKa);
            run("ip", "netns", "add", nsUs);
            run("ip", "link", "add", ifKa, "netns", nsKa, "type", "veth", "peer", "name", ifUs, "netns", nsUs);
            for (String[] end : new String[][] {{nsKa, ifKa, "02:00:c6:12:00:01", "198.18.0.1/24"}, {nsUs, ifUs, "02:00:c6:12:00:02", "198.18.0.2/24"}}) {
                run("ip", "netns", "exec", end[0], "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                        "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf." + end[1] + ".accept_dad=0");
                run("ip", "-n", end[0], "link", "set", "lo", "up");
                run("ip", "-n", end[0], "link", "set", end[1], "address", end[2]);
                run("ip", "-n", end[0], "addr", "add", end[3], "dev", end[1]);
                run("ip", "-n", end[0], "link", "set", end[1], "up");
            }
            run("ip", "-n", nsUs, "route", "add", "224.0.0.0/4", "dev", ifUs);

            Path pcap = dir.resolve("adverts.pcap");
            Path tcpdumpLog = dir.resolve("tcpdump.log");
            processes.add(start(tcpdumpLog, "ip", "netns", "exec", nsUs, "tcpdump", "-i", ifUs, "-U", "-n", "-w", pcap.toString(),
                    "ip proto 112 or ip6 proto 112"));
            awaitLog(tcpdumpLog, "listening on", Duration.ofSeconds(10));

            Path conf = dir.resolve("keepalived.conf");
            Files.writeString(conf, CONFIG.formatted(ifKa));
            Path kaLog = dir.resolve("keepalived.log");
            Process keepalived = start(kaLog, "ip", "netns", "exec", nsKa, "keepalived", "-n", "-l", "-D", "-f", conf.toString(),
                    "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString());
            processes.add(keepalived);
            for (String instance : List.of("VI_V2", "VI_V3", "VI_V3_UNICAST", "VI_V3_IPV6")) {
                awaitLog(kaLog, "(" + instance + ") Entering MASTER STATE", STARTUP);
            }
            Thread.sleep(2_000);

            run("ip", "netns", "exec", nsUs, "python3", "-c", SENDER, ifUs,
                    "4/224.0.0.18/" + TestBytes.toHex(VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(US, VrrpCodec.IPV4_MULTICAST_GROUP, 1),
                            VrrpPacket.advertV2(51, 200, VrrpPacket.AUTH_PASS, VrrpPacket.passwordAuthData("1111"), 1, List.of(ip4("198.18.0.100"))),
                            V3ChecksumMode.PSEUDO_HEADER)),
                    "4/224.0.0.18/" + TestBytes.toHex(VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(US, VrrpCodec.IPV4_MULTICAST_GROUP, 2),
                            VrrpPacket.advertV3(52, 200, 100, List.of(ip4("198.18.0.101"), ip4("198.18.0.102"))), V3ChecksumMode.PSEUDO_HEADER)),
                    "4/198.18.0.1/" + TestBytes.toHex(VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(US, KA, 3),
                            VrrpPacket.advertV3(53, 200, 50, List.of(ip4("198.18.0.103"))), V3ChecksumMode.PSEUDO_HEADER)),
                    "6/ff02::12/" + TestBytes.toHex(VrrpCodec.encodeV3(
                            VrrpPacket.advertV3(54, 200, 100, List.of(ip6("fe80::5400:1"), ip6("2001:db8::100"))),
                            US6, VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER)));
            awaitLog(kaLog, "(VI_V2) Master received advert from 198.18.0.2 with higher priority 200, ours 150", STARTUP);
            awaitLog(kaLog, "(VI_V3) Master received advert from 198.18.0.2 with higher priority 200, ours 150", STARTUP);
            awaitLog(kaLog, "(VI_V3_UNICAST) Master received advert from 198.18.0.2 with higher priority 200, ours 150", STARTUP);
            awaitLog(kaLog, "(VI_V3_IPV6) Master received advert from fe80::c6ff:fe12:2 with higher priority 200, ours 150", STARTUP);
            assertThat(Files.readString(kaLog)).doesNotContain("checksum").doesNotContain("invalid");

            stop(keepalived);
            Thread.sleep(500);
            processes.forEach(KeepalivedInteropTest::stop);

            Map<Integer, Integer> acceptedByVrid = new HashMap<>();
            for (byte[] frame : readPcap(pcap)) {
                int etherType = ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
                byte[] packet = Arrays.copyOfRange(frame, 14, frame.length);
                ValidationResult result;
                if (etherType == 0x0800) {
                    Ipv4Header header = VrrpCodec.decodeIpv4Header(packet, 0, packet.length);
                    if (!header.source().equals(KA)) {
                        continue;
                    }
                    int vrid = VrrpCodec.peekVrid(packet, 0, packet.length, true);
                    result = new AdvertValidator(ipv4Peer(vrid)).validateIpv4(packet, 0, header.totalLength());
                    Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(packet, 0, header.totalLength());
                    assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER))
                            .isEqualTo(Arrays.copyOf(packet, header.totalLength()));
                } else if (etherType == 0x86dd) {
                    byte[] src = Arrays.copyOfRange(packet, 8, 24);
                    if (!InetAddress.getByAddress(src).equals(KA6)) {
                        continue;
                    }
                    byte[] message = Arrays.copyOfRange(packet, 40, 40 + (((packet[4] & 0xFF) << 8) | (packet[5] & 0xFF)));
                    ReceiverSettings settings = ReceiverSettings.builder("VI_V3_IPV6", 54).version(3)
                            .virtualAddresses(List.of(ip6("fe80::5400:1"), ip6("2001:db8::100"))).verifyIpv6Checksum(true).build();
                    result = new AdvertValidator(settings).validateIpv6(packet[7] & 0xFF, KA6, VrrpCodec.IPV6_MULTICAST_GROUP, message);
                    assertThat(VrrpCodec.encodeV3(VrrpCodec.decode(message, StandardProtocolFamily.INET6), KA6,
                            VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(message);
                } else {
                    continue;
                }
                assertThat(result.verdict()).as("%s", result.logLines()).isEqualTo(ValidationResult.Verdict.ACCEPT);
                acceptedByVrid.merge(result.packet().vrid(), 1, Integer::sum);
            }
            assertThat(acceptedByVrid).containsOnlyKeys(51, 52, 53, 54);
            acceptedByVrid.values().forEach(count -> assertThat(count).isGreaterThanOrEqualTo(2));
        } finally {
            processes.forEach(KeepalivedInteropTest::stop);
            quietly("ip", "netns", "del", nsKa);
            quietly("ip", "netns", "del", nsUs);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    static ReceiverSettings ipv4Peer(int vrid) {
        return switch (vrid) {
            case 51 -> ReceiverSettings.builder("VI_V2", 51).passwordAuth("1111").virtualAddresses(List.of(ip4("198.18.0.100"))).build();
            case 52 -> ReceiverSettings.builder("VI_V3", 52).version(3)
                    .virtualAddresses(List.of(ip4("198.18.0.101"), ip4("198.18.0.102"))).build();
            case 53 -> ReceiverSettings.builder("VI_V3_UNICAST", 53).version(3).advertInterval(Duration.ofMillis(500))
                    .virtualAddresses(List.of(ip4("198.18.0.103")))
                    .unicastPeers(List.of(ReceiverSettings.UnicastPeer.of(KA))).checkUnicastSource(true).build();
            default -> throw new AssertionError("unexpected vrid " + vrid);
        };
    }

    static List<byte[]> readPcap(Path pcap) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(pcap));
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        in.order(magic == 0xa1b2c3d4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThat(in.getInt(20)).as("link type Ethernet").isEqualTo(1);
        in.position(24);
        List<byte[]> frames = new ArrayList<>();
        while (in.remaining() >= 16) {
            in.getInt();
            in.getInt();
            int captured = in.getInt();
            in.getInt();
            if (captured > in.remaining()) {
                break;
            }
            byte[] frame = new byte[captured];
            in.get(frame);
            frames.add(frame);
        }
        return frames;
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> new File(d, tool).canExecute());
    }

    static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("%s: %s", String.join(" ", command), output).isTrue();
    }

    static void quietly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort during cleanup
        }
    }

    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitLog(Path log, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" within " + timeout + " in " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }
}
