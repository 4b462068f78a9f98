package io.lvs4j.vrrp.interop;

import io.lvs4j.vrrp.Ipv4Header;
import io.lvs4j.vrrp.Ipv4VrrpPacket;
import io.lvs4j.vrrp.V3ChecksumMode;
import io.lvs4j.vrrp.VrrpCodec;
import io.lvs4j.vrrp.VrrpPacket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * tcpdump on the LAN's bridge, in the switch namespace, writing every IPv4 VRRP frame to a pcap
 * file. After {@link #stop()} the frames are decoded twice, independently: by lvs4j's
 * {@link VrrpCodec} (fields, IP header checksum, VRRP checksum recomputed from the bytes) and by
 * tcpdump itself ({@code tcpdump -vv -r}, whose VRRP printer flags a bad v2 checksum).
 */
final class AdvertCapture implements AutoCloseable {

    /** One captured VRRP frame, decoded. */
    record Advert(
            long micros,
            String sourceMac,
            String destinationMac,
            Ipv4Header ip,
            VrrpPacket vrrp,
            boolean ipChecksumValid,
            boolean vrrpChecksumValid,
            byte[] bytes) {

        String source() {
            return ip.source().getHostAddress();
        }

        List<String> addresses() {
            return vrrp.addresses().stream().map(a -> a.getHostAddress()).toList();
        }

        @Override
        public String toString() {
            return String.format("%s -> %s v%d vrid %d prio %d int %d auth %d naddr %d %s ttl %d tos 0x%02x"
                            + " ipsum %s vrrpsum %s (%s)",
                    source(), ip.destination().getHostAddress(), vrrp.version(), vrrp.vrid(),
                    vrrp.priority(), vrrp.advertInterval(), vrrp.authType(), vrrp.addressCount(),
                    addresses(), ip.ttl(), ip.tos(), ipChecksumValid ? "ok" : "BAD",
                    vrrpChecksumValid ? "ok" : "BAD", HexFormat.of().formatHex(bytes));
        }
    }

    private final Path pcap;
    private final LoggedProcess tcpdump;

    private AdvertCapture(Path pcap, LoggedProcess tcpdump) {
        this.pcap = pcap;
        this.tcpdump = tcpdump;
    }

    /** Starts tcpdump on the bridge and waits until it is listening. */
    static AdvertCapture start(BridgedLan lan, Path dir, String label) {
        Path pcap = dir.resolve(label + ".pcap");
        LoggedProcess tcpdump = LoggedProcess.start("tcpdump-" + label, dir.resolve(label + ".tcpdump.log"),
                List.of("ip", "netns", "exec", lan.switchNamespace(), "tcpdump", "--immediate-mode", "-Z", "root", "-i",
                        lan.bridge(), "-U", "-n", "-s", "0", "-w", pcap.toString(), "ip proto 112"));
        AdvertCapture capture = new AdvertCapture(pcap, tcpdump);
        try {
            tcpdump.await("listening on", Duration.ofSeconds(10));
        } catch (AssertionError e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    /** Stops tcpdump (SIGTERM; -U has already flushed every packet) and returns the decoded adverts. */
    List<Advert> stop() {
        tcpdump.terminate(Duration.ofSeconds(5));
        return adverts();
    }

    /** The adverts in the file so far. */
    List<Advert> adverts() {
        List<Advert> adverts = new ArrayList<>();
        for (Frame frame : frames(pcap)) {
            byte[] f = frame.bytes();
            if (f.length < 14 + 20 || (((f[12] & 0xFF) << 8) | (f[13] & 0xFF)) != 0x0800) {
                continue;
            }
            byte[] datagram = Arrays.copyOfRange(f, 14, f.length);
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(datagram);
            Ipv4Header ip = decoded.header();
            int offset = ip.headerLength();
            int length = ip.totalLength() - offset;
            boolean vrrpOk = VrrpCodec.isChecksumValid(datagram, offset, length, ip.source(),
                    ip.destination(), V3ChecksumMode.PSEUDO_HEADER);
            adverts.add(new Advert(frame.micros(), mac(f, 6), mac(f, 0), ip, decoded.vrrp(),
                    VrrpCodec.isIpv4HeaderChecksumValid(datagram, 0, datagram.length), vrrpOk,
                    Arrays.copyOfRange(datagram, 0, ip.totalLength())));
        }
        return adverts;
    }

    /** {@code tcpdump -vv -n -r FILE}: tcpdump's own decoding, one packet per line. */
    List<String> tcpdumpText() {
        String out = Shell.check("tcpdump", "-vv", "-n", "-r", pcap.toString());
        String joined = out.replace("\n    ", " ");
        return Arrays.stream(joined.split("\n")).filter(l -> !l.startsWith("reading from")).toList();
    }

    private static String mac(byte[] frame, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", frame[at + i] & 0xFF));
        }
        return sb.toString();
    }

    private record Frame(long micros, byte[] bytes) {}

    private static List<Frame> frames(Path pcap) {
        byte[] data;
        try {
            data = Files.readAllBytes(pcap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Frame> frames = new ArrayList<>();
        if (data.length < 24) {
            return frames;
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        boolean nanos;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
            nanos = magic == 0xa1b23c4d;
        } else {
            in.order(ByteOrder.BIG_ENDIAN);
            nanos = in.getInt(0) == 0xa1b23c4d;
        }
        if (in.getInt(20) != 1) {
            throw new IllegalStateException("pcap link type " + in.getInt(20) + ", expected 1 (Ethernet)");
        }
        in.position(24);
        while (in.remaining() >= 16) {
            long seconds = in.getInt() & 0xFFFFFFFFL;
            long fraction = in.getInt() & 0xFFFFFFFFL;
            int captured = in.getInt();
            in.getInt();
            if (captured > in.remaining()) {
                break;
            }
            byte[] frame = new byte[captured];
            in.get(frame);
            frames.add(new Frame(seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction), frame));
        }
        return frames;
    }

    @Override
    public void close() {
        tcpdump.close();
    }
}
