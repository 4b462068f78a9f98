package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.hex;
import static io.lvs4j.vrrp.TestBytes.ip;
import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adverts recorded from Debian 12's keepalived 2.2.7 by {@code captures/record-keepalived-captures.sh}
 * (see the header of {@code captures/keepalived-adverts.hex}): every packet is decoded, checked
 * field by field against {@code captures/keepalived.conf}, checksum-verified, re-encoded byte for
 * byte and accepted by a validator configured like a peer.
 */
class KeepalivedCaptureTest {

    static final Inet4Address SENDER = ip4("198.18.0.1");
    static final Inet4Address PEER = ip4("198.18.0.2");
    static final Inet6Address SENDER_LINK_LOCAL = ip6("fe80::c6ff:fe12:1");

    static Map<Integer, Instance> config;
    static Map<Integer, List<byte[]>> packetsByVrid;

    /** One {@code vrrp_instance} block of the capture's keepalived.conf. */
    record Instance(
            String name,
            int vrid,
            int version,
            int priority,
            Duration advertInterval,
            String authType,
            String authPass,
            List<InetAddress> vips,
            List<InetAddress> unicastPeers) {}

    @BeforeAll
    static void load() throws IOException {
        config = parseConfig(resource("captures/keepalived.conf"));
        packetsByVrid = new TreeMap<>();
        for (String line : resource("captures/keepalived-adverts.hex").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            byte[] packet = hex(line);
            packetsByVrid.computeIfAbsent(vridOf(packet), v -> new ArrayList<>()).add(packet);
        }
    }

    @Test
    void theCaptureHoldsSeveralAdvertsOfEveryConfiguredInstance() {
        assertThat(config.keySet()).containsExactly(51, 52, 53, 54, 55);
        assertThat(packetsByVrid.keySet()).isEqualTo(config.keySet());
        packetsByVrid.forEach((vrid, packets) -> assertThat(packets).as("vrid %d", vrid).hasSizeGreaterThanOrEqualTo(3));
    }

    @Test
    void ipv4AdvertsMatchTheConfigurationFieldByField() {
        for (int vrid : List.of(51, 52, 53, 55)) {
            Instance instance = config.get(vrid);
            List<byte[]> packets = packetsByVrid.get(vrid);
            for (int i = 0; i < packets.size(); i++) {
                byte[] bytes = packets.get(i);
                boolean last = i == packets.size() - 1;
                Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(bytes);
                Ipv4Header ip = decoded.header();
                String what = instance.name() + " packet " + i;

                assertThat(bytes[0]).as(what).isEqualTo((byte) 0x45);
                assertThat(ip.tos()).as(what).isEqualTo(0xC0);
                assertThat(ip.totalLength()).as(what).isEqualTo(bytes.length);
                assertThat(ip.identification()).as("%s: IP ID counts adverts from 1", what).isEqualTo(i + 1);
                assertThat(ip.flagsAndFragment()).as(what).isZero();
                assertThat(ip.ttl()).as(what).isEqualTo(255);
                assertThat(ip.protocol()).as(what).isEqualTo(instance.authType().equals("AH") ? 51 : 112);
                assertThat(VrrpCodec.isIpv4HeaderChecksumValid(bytes, 0, bytes.length)).as(what).isTrue();
                assertThat(ip.source()).as(what).isEqualTo(SENDER);
                assertThat(ip.destination())
                        .as(what)
                        .isEqualTo(instance.unicastPeers().isEmpty() ? VrrpCodec.IPV4_MULTICAST_GROUP : instance.unicastPeers().get(0));

                VrrpPacket vrrp = decoded.vrrp();
                assertThat(vrrp.version()).as(what).isEqualTo(instance.version());
                assertThat(vrrp.type()).as(what).isEqualTo(1);
                assertThat(vrrp.vrid()).as(what).isEqualTo(vrid);
                assertThat(vrrp.priority()).as("%s: priority 0 only in the shutdown advert", what)
                        .isEqualTo(last ? 0 : instance.priority());
                assertThat(vrrp.addresses()).as(what).isEqualTo(instance.vips());
                assertThat(vrrp.addressCount()).as(what).isEqualTo(instance.vips().size());
                assertThat(vrrp.advertInterval())
                        .as(what)
                        .isEqualTo(AdvertInterval.toField(instance.version(), instance.advertInterval()));
                if (instance.version() == 2) {
                    assertThat(vrrp.authType()).as(what).isEqualTo(authTypeNumber(instance.authType()));
                    assertThat(vrrp.authData())
                            .as(what)
                            .isEqualTo(instance.authType().equals("PASS")
                                    ? VrrpPacket.passwordAuthData(instance.authPass())
                                    : new byte[8]);
                }
            }
        }
    }

    @Test
    void v2ChecksumsVerifyWithoutPseudoHeaderAndReEncodeByteForByte() {
        for (byte[] bytes : packetsByVrid.get(51)) {
            assertThat(VrrpCodec.isChecksumValid(bytes, 20, bytes.length - 20, null, null, V3ChecksumMode.NO_PSEUDO_HEADER))
                    .isTrue();
            assertThat(TestBytes.referenceChecksum(TestBytes.withZeroChecksum(Arrays.copyOfRange(bytes, 20, bytes.length))))
                    .isEqualTo(TestBytes.checksumField(Arrays.copyOfRange(bytes, 20, bytes.length)));
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(bytes);
            assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(bytes);
            assertThat(VrrpCodec.encodeV2(decoded.vrrp())).isEqualTo(Arrays.copyOfRange(bytes, 20, bytes.length));
        }
    }

    @Test
    void v3MulticastChecksumsUseTheGroupInThePseudoHeader() {
        for (byte[] bytes : packetsByVrid.get(52)) {
            byte[] vrrp = Arrays.copyOfRange(bytes, 20, bytes.length);
            assertThat(VrrpCodec.isChecksumValid(vrrp, 0, vrrp.length, SENDER, VrrpCodec.IPV4_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER))
                    .isTrue();
            assertThat(VrrpCodec.isChecksumValid(vrrp, 0, vrrp.length, null, null, V3ChecksumMode.NO_PSEUDO_HEADER))
                    .isFalse();
            assertThat(TestBytes.referenceChecksum(
                            TestBytes.ipv4PseudoHeader(SENDER, VrrpCodec.IPV4_MULTICAST_GROUP, vrrp.length),
                            TestBytes.withZeroChecksum(vrrp)))
                    .isEqualTo(TestBytes.checksumField(vrrp));
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(bytes);
            assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(bytes);
        }
    }

    @Test
    void v3UnicastChecksumsUseThePeerAddressInThePseudoHeader() {
        for (byte[] bytes : packetsByVrid.get(53)) {
            byte[] vrrp = Arrays.copyOfRange(bytes, 20, bytes.length);
            assertThat(VrrpCodec.isChecksumValid(vrrp, 0, vrrp.length, SENDER, PEER, V3ChecksumMode.PSEUDO_HEADER)).isTrue();
            assertThat(VrrpCodec.isChecksumValid(vrrp, 0, vrrp.length, SENDER, PEER, V3ChecksumMode.OLD_UNICAST)).isFalse();
            assertThat(TestBytes.referenceChecksum(TestBytes.ipv4PseudoHeader(SENDER, PEER, vrrp.length), TestBytes.withZeroChecksum(vrrp)))
                    .isEqualTo(TestBytes.checksumField(vrrp));
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(bytes);
            assertThat(VrrpCodec.encodeIpv4(decoded.header(), decoded.vrrp(), V3ChecksumMode.PSEUDO_HEADER)).isEqualTo(bytes);
        }
    }

    @Test
    void ipv6AdvertsMatchTheConfigurationAndTheirChecksumsVerify() {
        Instance instance = config.get(54);
        List<byte[]> packets = packetsByVrid.get(54);
        for (int i = 0; i < packets.size(); i++) {
            ByteBuffer ip6 = ByteBuffer.wrap(packets.get(i));
            int versionClassFlow = ip6.getInt();
            int payloadLength = Short.toUnsignedInt(ip6.getShort());
            int nextHeader = Byte.toUnsignedInt(ip6.get());
            int hopLimit = Byte.toUnsignedInt(ip6.get());
            byte[] src = new byte[16];
            byte[] dst = new byte[16];
            ip6.get(src).get(dst);
            byte[] message = new byte[ip6.remaining()];
            ip6.get(message);

            assertThat(versionClassFlow >>> 28).isEqualTo(6);
            assertThat((versionClassFlow >>> 20) & 0xFF).as("traffic class").isEqualTo(0xC0);
            assertThat(payloadLength).isEqualTo(message.length);
            assertThat(nextHeader).isEqualTo(112);
            assertThat(hopLimit).isEqualTo(255);
            assertThat(ip(src)).isEqualTo(SENDER_LINK_LOCAL);
            assertThat(ip(dst)).isEqualTo(VrrpCodec.IPV6_MULTICAST_GROUP);

            VrrpPacket vrrp = VrrpCodec.decode(message, StandardProtocolFamily.INET6);
            assertThat(vrrp.version()).isEqualTo(3);
            assertThat(vrrp.vrid()).isEqualTo(54);
            assertThat(vrrp.priority()).isEqualTo(i == packets.size() - 1 ? 0 : instance.priority());
            assertThat(vrrp.advertInterval()).isEqualTo(100);
            assertThat(vrrp.addresses()).isEqualTo(instance.vips());
            assertThat(vrrp.carriesIpv6()).isTrue();

            assertThat(VrrpCodec.isChecksumValid(message, 0, message.length, SENDER_LINK_LOCAL, VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER))
                    .isTrue();
            assertThat(TestBytes.referenceChecksum(
                            TestBytes.ipv6PseudoHeader(SENDER_LINK_LOCAL, VrrpCodec.IPV6_MULTICAST_GROUP, message.length),
                            TestBytes.withZeroChecksum(message)))
                    .isEqualTo(vrrp.checksum());
            assertThat(VrrpCodec.encodeV3(vrrp, SENDER_LINK_LOCAL, VrrpCodec.IPV6_MULTICAST_GROUP, V3ChecksumMode.PSEUDO_HEADER))
                    .isEqualTo(message);

            AdvertValidator peer = new AdvertValidator(settingsFor(instance).verifyIpv6Checksum(true).build());
            ValidationResult result =
                    peer.validateIpv6(hopLimit, SENDER_LINK_LOCAL, VrrpCodec.IPV6_MULTICAST_GROUP, message);
            assertThat(result.verdict()).isEqualTo(ValidationResult.Verdict.ACCEPT);
            assertThat(result.logLines()).isEmpty();
        }
    }

    @Test
    void ahAdvertsCarryAVerifiableIcvAndReEncodeByteForByte() {
        Instance instance = config.get(55);
        byte[] key = VrrpPacket.passwordAuthData(instance.authPass());
        assertThat(new String(key, StandardCharsets.US_ASCII)).isEqualTo("secret12");
        List<byte[]> packets = packetsByVrid.get(55);
        for (int i = 0; i < packets.size(); i++) {
            byte[] bytes = packets.get(i);
            Ipv4VrrpPacket decoded = VrrpCodec.decodeIpv4(bytes);
            IpsecAuthHeader ah = decoded.authHeader();
            assertThat(ah).isNotNull();
            assertThat(ah.nextHeader()).isEqualTo(112);
            assertThat(ah.payloadLength()).isEqualTo(4);
            assertThat(ah.reserved()).isZero();
            assertThat(ah.spi()).as("SPI is the sender address").isEqualTo(0xc6120001L);
            assertThat(ah.sequenceNumber()).isEqualTo(i + 1);
            assertThat(VrrpCodec.isAuthHeaderIcvValid(bytes, 0, bytes.length, key, false)).isTrue();
            assertThat(VrrpCodec.isAuthHeaderIcvValid(bytes, 0, bytes.length, VrrpPacket.passwordAuthData("secret13"), false))
                    .isFalse();
            assertThat(VrrpCodec.isChecksumValid(bytes, 44, bytes.length - 44, null, null, V3ChecksumMode.PSEUDO_HEADER)).isTrue();
            assertThat(VrrpCodec.encodeIpv4WithAuthHeader(decoded.header(), ah.sequenceNumber(), decoded.vrrp(), key, false))
                    .isEqualTo(bytes);
        }
    }

    @Test
    void aPeerConfiguredLikeEachInstanceAcceptsItsAdverts() {
        for (int vrid : List.of(51, 52, 53, 55)) {
            Instance instance = config.get(vrid);
            AdvertValidator peer = new AdvertValidator(settingsFor(instance).build());
            for (byte[] bytes : packetsByVrid.get(vrid)) {
                ValidationResult result = peer.validateIpv4(bytes);
                assertThat(result.verdict()).as("%s: %s", instance.name(), result.logLines()).isEqualTo(ValidationResult.Verdict.ACCEPT);
                assertThat(result.source()).isEqualTo(SENDER);
                assertThat(result.packet()).isEqualTo(VrrpCodec.decodeIpv4(bytes).vrrp());
            }
        }
    }

    @Test
    void aPeerWithTheWrongPasswordOrIntervalRejectsTheCapturedV2Adverts() {
        byte[] advert = packetsByVrid.get(51).get(0);
        ValidationResult wrongPassword =
                new AdvertValidator(settingsFor(config.get(51)).passwordAuth("2222").build()).validateIpv4(advert);
        assertThat(wrongPassword.logLines()).containsExactly("(VI_V2) received an invalid passwd from 198.18.0.1!");

        ValidationResult wrongInterval =
                new AdvertValidator(settingsFor(config.get(51)).advertInterval(Duration.ofSeconds(2)).build()).validateIpv4(advert);
        assertThat(wrongInterval.logLines())
                .containsExactly("(VI_V2) advertisement interval mismatch with 198.18.0.1 mine=2 sec rcv'd=1 sec");
    }

    /** Settings a peer of this instance would have: same VRID, version, auth, interval and VIPs. */
    static ReceiverSettings.Builder settingsFor(Instance instance) {
        ReceiverSettings.Builder builder =
                ReceiverSettings.builder(instance.name(), instance.vrid())
                        .version(instance.version())
                        .advertInterval(instance.advertInterval())
                        .virtualAddresses(instance.vips());
        switch (instance.authType()) {
            case "PASS" -> builder.passwordAuth(instance.authPass());
            case "AH" -> builder.ahAuth(instance.authPass());
            default -> builder.noAuth();
        }
        if (!instance.unicastPeers().isEmpty()) {
            builder.unicastPeers(List.of(ReceiverSettings.UnicastPeer.of(SENDER))).checkUnicastSource(true);
        }
        return builder;
    }

    static int vridOf(byte[] packet) {
        return (packet[0] >> 4) == 6 ? packet[41] & 0xFF : VrrpCodec.peekVrid(packet, 0, packet.length, true);
    }

    static int authTypeNumber(String authType) {
        return switch (authType) {
            case "PASS" -> VrrpPacket.AUTH_PASS;
            case "AH" -> VrrpPacket.AUTH_AH;
            default -> VrrpPacket.AUTH_NONE;
        };
    }

    static String resource(String name) throws IOException {
        try (InputStream in = KeepalivedCaptureTest.class.getResourceAsStream(name)) {
            assertThat(in).as("resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Just enough of keepalived.conf for the capture's instances: one keyword per line. */
    static Map<Integer, Instance> parseConfig(String text) {
        Map<Integer, Instance> instances = new LinkedHashMap<>();
        List<String> lines =
                Arrays.stream(text.split("\n")).map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("vrrp_instance ")) {
                continue;
            }
            String name = lines.get(i).split("\\s+")[1];
            Map<String, String> values = new LinkedHashMap<>();
            List<InetAddress> vips = new ArrayList<>();
            List<InetAddress> peers = new ArrayList<>();
            int depth = 1;
            String block = null;
            for (i++; depth > 0; i++) {
                String line = lines.get(i);
                if (line.endsWith("{")) {
                    depth++;
                    block = line.split("\\s+")[0];
                } else if (line.equals("}")) {
                    depth--;
                    block = null;
                } else if ("virtual_ipaddress".equals(block)) {
                    vips.add(ip(line.split("/")[0]));
                } else if ("unicast_peer".equals(block)) {
                    peers.add(ip(line));
                } else {
                    String[] kv = line.split("\\s+", 2);
                    values.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            i--;
            int vrid = Integer.parseInt(values.get("virtual_router_id"));
            instances.put(
                    vrid,
                    new Instance(
                            name,
                            vrid,
                            Integer.parseInt(values.getOrDefault("version", "2")),
                            Integer.parseInt(values.get("priority")),
                            Duration.ofMillis(Math.round(Double.parseDouble(values.get("advert_int")) * 1000)),
                            values.getOrDefault("auth_type", "NONE"),
                            values.getOrDefault("auth_pass", ""),
                            List.copyOf(vips),
                            List.copyOf(peers)));
        }
        return instances;
    }
}
