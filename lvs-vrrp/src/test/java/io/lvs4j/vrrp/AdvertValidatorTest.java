package io.lvs4j.vrrp;

import static io.lvs4j.vrrp.TestBytes.ip4;
import static io.lvs4j.vrrp.TestBytes.ip6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs4j.vrrp.ReceiverSettings.UnicastPeer;
import io.lvs4j.vrrp.ValidationResult.DropReason;
import io.lvs4j.vrrp.ValidationResult.Verdict;
import io.lvs4j.vrrp.ValidationResult.Warning;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every check of spec §3.7, its exact log line, and the order in which they apply. */
class AdvertValidatorTest {

    static final Inet4Address ME = ip4("198.18.0.1");
    static final Inet4Address PEER = ip4("198.18.0.2");
    static final Inet4Address STRANGER = ip4("198.18.0.9");
    static final Inet4Address GROUP = VrrpCodec.IPV4_MULTICAST_GROUP;
    static final InetAddress VIP = ip4("198.18.0.100");
    static final InetAddress VIP2 = ip4("198.18.0.200");

    static final ReceiverSettings V2_PASS =
            ReceiverSettings.builder("VI_1", 51).passwordAuth("1111").virtualAddresses(List.of(VIP)).build();
    static final ReceiverSettings V3_MULTICAST =
            ReceiverSettings.builder("VI_3", 51).version(3).virtualAddresses(List.of(VIP)).build();
    static final ReceiverSettings V3_UNICAST =
            ReceiverSettings.builder("VI_U", 51)
                    .version(3)
                    .virtualAddresses(List.of(VIP))
                    .unicastPeers(List.of(UnicastPeer.of(PEER)))
                    .build();
    static final ReceiverSettings V2_AH =
            ReceiverSettings.builder("VI_AH", 51).ahAuth("secret12345").virtualAddresses(List.of(VIP)).build();

    // ------------------------------------------------------------------ packet builders

    static VrrpPacket v2(int authType, byte[] authData, int interval, int type, List<InetAddress> vips) {
        return new VrrpPacket(2, type, 51, 100, vips.size(), authType, interval, 0, vips, authData);
    }

    static VrrpPacket v2Pass() {
        return v2(VrrpPacket.AUTH_PASS, VrrpPacket.passwordAuthData("1111"), 1, 1, List.of(VIP));
    }

    static VrrpPacket v3(int intervalCs) {
        return VrrpPacket.advertV3(51, 100, intervalCs, List.of(VIP));
    }

    static byte[] datagram(VrrpPacket packet) {
        return datagram(packet, PEER, GROUP, V3ChecksumMode.PSEUDO_HEADER);
    }

    static byte[] datagram(VrrpPacket packet, Inet4Address src, Inet4Address dst, V3ChecksumMode mode) {
        return VrrpCodec.encodeIpv4(Ipv4Header.forVrrp(src, dst, 1), packet, mode);
    }

    static byte[] ahDatagram(Inet4Address src, String password) {
        VrrpPacket packet = v2(VrrpPacket.AUTH_AH, VrrpPacket.noAuthData(), 1, 1, List.of(VIP));
        return VrrpCodec.encodeIpv4WithAuthHeader(
                Ipv4Header.forVrrp(src, GROUP, 1), 7, packet, VrrpPacket.passwordAuthData(password), false);
    }

    static byte[] set(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    static ValidationResult check(ReceiverSettings settings, byte[] datagram) {
        return new AdvertValidator(settings).validateIpv4(datagram);
    }

    static void assertDrop(ValidationResult result, DropReason reason, String... lines) {
        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.DROP);
        assertThat(result.dropReason()).as("%s", result.logLines()).isEqualTo(reason);
        assertThat(result.logLines()).containsExactly(lines);
        assertThat(result.accepted()).isFalse();
    }

    static void assertWarning(ValidationResult result, Set<Warning> warnings, String... lines) {
        assertThat(result.verdict()).as("%s", result.logLines()).isEqualTo(Verdict.ACCEPT_WITH_WARNING);
        assertThat(result.dropReason()).isNull();
        assertThat(result.warnings()).isEqualTo(warnings);
        assertThat(result.logLines()).containsExactly(lines);
        assertThat(result.accepted()).isTrue();
    }

    static void assertAccept(ValidationResult result) {
        assertThat(result.verdict()).as("%s", result.logLines()).isEqualTo(Verdict.ACCEPT);
        assertThat(result.logLines()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        assertThat(result.packet()).isNotNull();
    }

    // ------------------------------------------------------------------ accepting

    @Test
    void acceptsAValidAdvertAndReturnsItDecoded() {
        byte[] bytes = datagram(v2Pass());
        ValidationResult result = check(V2_PASS, bytes);
        assertAccept(result);
        assertThat(result.source()).isEqualTo(PEER);
        assertThat(result.packet()).isEqualTo(VrrpCodec.decodeIpv4(bytes).vrrp());
        assertThat(result.ipv4Header()).isEqualTo(VrrpCodec.decodeIpv4(bytes).header());
        assertThat(result.authHeader()).isNull();
        assertAccept(check(V3_MULTICAST, datagram(v3(100))));
        assertAccept(check(V3_UNICAST, datagram(v3(100), PEER, ME, V3ChecksumMode.PSEUDO_HEADER)));
    }

    // ------------------------------------------------------------------ each check

    @Test
    void tooShortForTheHeaders() {
        byte[] bytes = datagram(v2Pass());
        ValidationResult tiny = check(V2_PASS, Arrays.copyOf(bytes, 19));
        assertDrop(tiny, DropReason.TOO_SHORT, "IPv4 VRRP packet too short - 19 bytes");
        assertThat(tiny.source()).isNull();
        assertDrop(check(V2_PASS, Arrays.copyOf(bytes, 27)), DropReason.TOO_SHORT, "IPv4 VRRP packet too short - 27 bytes");
        assertDrop(check(V2_AH, Arrays.copyOf(ahDatagram(PEER, "secret12345"), 40)), DropReason.TOO_SHORT,
                "IPv4 VRRP packet with AH too short - 40 bytes");
    }

    @Test
    void foreignDatagramsAndOtherVridsAreDroppedSilently() {
        byte[] bytes = datagram(v2Pass());
        assertDrop(check(V2_PASS, set(bytes, 9, 6)), DropReason.NOT_VRRP);
        assertDrop(check(V2_PASS, set(bytes, 0, 0x65)), DropReason.NOT_VRRP);
        assertDrop(check(V2_PASS, set(bytes, 0, 0x44)), DropReason.NOT_VRRP);
        byte[] ah = ahDatagram(PEER, "secret12345");
        assertDrop(check(V2_AH, set(ah, 20, 17)), DropReason.NOT_VRRP);
        assertDrop(check(V2_PASS, set(bytes, 21, 52)), DropReason.VRID_MISMATCH);
    }

    @Test
    void ahHeaderMustBePresentExactlyWhenAuthTypeIsAh() {
        assertDrop(check(V2_PASS, ahDatagram(PEER, "secret12345")), DropReason.AUTH_HEADER_MISMATCH,
                "(VI_1) Received AH header but auth type not AH");
        assertDrop(check(V2_AH, datagram(v2Pass())), DropReason.AUTH_HEADER_MISMATCH,
                "(VI_AH) No AH header but auth type is AH");
    }

    @Test
    void lengthMustBeHeadersPlusTheAdvertisedAddresses() {
        byte[] bytes = datagram(v2Pass());
        byte[] claimsTwo = set(bytes, 23, 2);
        assertDrop(check(V2_PASS, claimsTwo), DropReason.LENGTH_MISMATCH, "(VI_1) vrrp packet too short, length 40 and expect 44");
        byte[] trailing = TestBytes.concat(bytes, new byte[8]);
        assertDrop(check(V2_PASS, trailing), DropReason.LENGTH_MISMATCH, "(VI_1) vrrp packet too long, length 48 and expect 40");
        byte[] v3 = datagram(v3(100));
        assertDrop(check(V3_MULTICAST, Arrays.copyOf(v3, 31)), DropReason.LENGTH_MISMATCH,
                "(VI_3) vrrp packet too short, length 31 and expect 32");
    }

    @Test
    void ethernetMinimumFramePaddingIsTolerated() {
        byte[] bytes = datagram(v2Pass());
        ValidationResult padded = check(V2_PASS, TestBytes.concat(bytes, new byte[6]));
        assertAccept(padded);
        assertThat(padded.ipv4Header().totalLength()).isEqualTo(40);
        assertAccept(check(V3_MULTICAST, TestBytes.concat(datagram(v3(100)), new byte[14])));
    }

    @Test
    void ttlMustBe255UnlessUnicast() {
        byte[] bytes = set(datagram(v2Pass()), 8, 254);
        assertDrop(check(V2_PASS, bytes), DropReason.TTL, "(VI_1) invalid TTL/HL from 198.18.0.2. Received 254 and expect 255");
        byte[] unicast = set(datagram(v3(100), PEER, ME, V3ChecksumMode.PSEUDO_HEADER), 8, 64);
        assertAccept(check(V3_UNICAST, unicast));
    }

    @Test
    void versionMustMatchTheInstance() {
        assertDrop(check(V2_PASS, datagram(v3(100))), DropReason.VERSION,
                "(VI_1) wrong VRRP version from 198.18.0.2. Received 3 and expect 2");
        assertDrop(check(V3_MULTICAST, datagram(v2Pass())), DropReason.VERSION,
                "(VI_3) wrong VRRP version from 198.18.0.2. Received 2 and expect 3");
    }

    @Test
    void v2AuthTypeMustBeKnownAndEqual() {
        assertDrop(check(V2_PASS, datagram(v2(3, new byte[8], 1, 1, List.of(VIP)))), DropReason.INVALID_AUTH_TYPE,
                "(VI_1) Invalid auth type from 198.18.0.2: 3");
        assertDrop(check(V2_PASS, datagram(v2(VrrpPacket.AUTH_NONE, new byte[8], 1, 1, List.of(VIP)))), DropReason.AUTH_TYPE_MISMATCH,
                "(VI_1) received a 0 auth from 198.18.0.2, expecting 1!");
        ReceiverSettings none = ReceiverSettings.builder("VI_N", 51).virtualAddresses(List.of(VIP)).build();
        assertDrop(check(none, datagram(v2Pass())), DropReason.AUTH_TYPE_MISMATCH,
                "(VI_N) received a 1 auth from 198.18.0.2, expecting 0!");
        assertAccept(check(none, datagram(v2(VrrpPacket.AUTH_NONE, new byte[8], 1, 1, List.of(VIP)))));
    }

    @Test
    void passwordMustMatchAllEightBytes() {
        assertDrop(check(V2_PASS, datagram(v2(1, VrrpPacket.passwordAuthData("1112"), 1, 1, List.of(VIP)))), DropReason.INVALID_PASSWORD,
                "(VI_1) received an invalid passwd from 198.18.0.2!");
        assertDrop(check(V2_PASS, datagram(v2(1, VrrpPacket.passwordAuthData("11110"), 1, 1, List.of(VIP)))), DropReason.INVALID_PASSWORD,
                "(VI_1) received an invalid passwd from 198.18.0.2!");
        ReceiverSettings longPassword = ReceiverSettings.builder("VI_L", 51).passwordAuth("12345678-ignored").virtualAddresses(List.of(VIP)).build();
        assertAccept(check(longPassword, datagram(v2(1, VrrpPacket.passwordAuthData("12345678"), 1, 1, List.of(VIP)))));
    }

    @Test
    void ahIcvAndSpiMustVerify() {
        ValidationResult ok = check(V2_AH, ahDatagram(PEER, "secret12345"));
        assertAccept(ok);
        assertThat(ok.authHeader().sequenceNumber()).isEqualTo(7);
        assertThat(ok.authHeader().spi()).isEqualTo(0xc6120002L);
        assertDrop(check(V2_AH, ahDatagram(PEER, "secret13")), DropReason.INVALID_AH_ICV,
                "(VI_AH) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !");
        byte[] badSpi = ahDatagram(PEER, "secret12345");
        System.arraycopy(STRANGER.getAddress(), 0, badSpi, 24, 4);
        byte[] icv = VrrpCodec.authHeaderIcv(badSpi, 0, badSpi.length, VrrpPacket.passwordAuthData("secret12345"), false);
        System.arraycopy(icv, 0, badSpi, 32, 12);
        assertDrop(check(V2_AH, badSpi), DropReason.INVALID_AH_SPI,
                "IPSEC AH : invalid IPSEC SPI value. 198.18.0.2 and expect 198.18.0.9");
        assertAccept(check(V2_AH, set(set(ahDatagram(PEER, "secret12345"), 1, 0), 10, 0x55)));
    }

    @Test
    void v2IntervalMismatchIsDropped() {
        assertDrop(check(V2_PASS, datagram(v2(1, VrrpPacket.passwordAuthData("1111"), 2, 1, List.of(VIP)))), DropReason.INTERVAL_MISMATCH,
                "(VI_1) advertisement interval mismatch with 198.18.0.2 mine=1 sec rcv'd=2 sec");
        ReceiverSettings fractional =
                ReceiverSettings.builder("VI_F", 51).passwordAuth("1111").advertInterval(Duration.ofMillis(1500)).virtualAddresses(List.of(VIP)).build();
        assertDrop(check(fractional, datagram(v2Pass())), DropReason.INTERVAL_MISMATCH,
                "(VI_F) advertisement interval mismatch with 198.18.0.2 mine=2 sec rcv'd=1 sec");
    }

    @Test
    void typeMustBeAdvertisement() {
        assertDrop(check(V2_PASS, datagram(v2(1, VrrpPacket.passwordAuthData("1111"), 1, 2, List.of(VIP)))), DropReason.PACKET_TYPE,
                "(VI_1) Invalid packet type. 2 and expect 1");
    }

    @Test
    void ipTotalLengthMustMatchTheReceivedLength() {
        byte[] bytes = datagram(v2Pass());
        assertDrop(check(V2_PASS, set(bytes, 3, 44)), DropReason.TOTAL_LENGTH_MISMATCH,
                "(VI_1) ip_tot_len mismatch against received length. 44 and received 40");
        assertDrop(check(V2_PASS, set(bytes, 3, 36)), DropReason.TOTAL_LENGTH_MISMATCH,
                "(VI_1) ip_tot_len mismatch against received length. 36 and received 40");
    }

    @Test
    void fragmentsThatPassTheLengthChecksAreMalformed() {
        byte[] fragment = set(datagram(v2Pass()), 6, 0x20);
        ValidationResult result = check(V2_PASS, fragment);
        assertThat(result.dropReason()).isEqualTo(DropReason.MALFORMED);
        assertThat(result.logLines()).singleElement().asString()
                .startsWith("(VI_1) malformed advert from 198.18.0.2: at offset 6: flags/fragment 0x2000");
    }

    @Test
    void v3IntervalMismatchIsOnlyLogged() {
        ValidationResult result = check(V3_MULTICAST, datagram(v3(50)));
        assertWarning(result, EnumSet.of(Warning.INTERVAL_MISMATCH),
                "(VI_3) advertisement interval mismatch with 198.18.0.2 mine=1000 milli-sec rcv'd=500 milli-sec");
        assertThat(result.packet().advertInterval()).isEqualTo(50);
    }

    @Test
    void v2ChecksumMustVerify() {
        byte[] bytes = datagram(v2Pass());
        assertDrop(check(V2_PASS, set(bytes, 27, bytes[27] ^ 1)), DropReason.CHECKSUM, "(VI_1) Invalid VRRPv2 checksum from 198.18.0.2");
        assertDrop(check(V2_PASS, set(bytes, 22, bytes[22] ^ 0x40)), DropReason.CHECKSUM, "(VI_1) Invalid VRRPv2 checksum from 198.18.0.2");
    }

    @Test
    void v3ChecksumMustVerifyWithThePseudoHeader() {
        byte[] asV2 = datagram(v3(100), PEER, GROUP, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertDrop(check(V3_MULTICAST, asV2), DropReason.CHECKSUM, "(VI_3) Invalid VRRPv3 checksum from 198.18.0.2");
        byte[] wrongSource = datagram(v3(100), STRANGER, GROUP, V3ChecksumMode.PSEUDO_HEADER);
        System.arraycopy(PEER.getAddress(), 0, wrongSource, 12, 4);
        assertDrop(check(V3_MULTICAST, wrongSource), DropReason.CHECKSUM, "(VI_3) Invalid VRRPv3 checksum from 198.18.0.2");
    }

    @Test
    void withV3ChecksumAsV2FailingChecksumsAreNotRejected() {
        ReceiverSettings asV2 = ReceiverSettings.builder("VI_C", 51).version(3).virtualAddresses(List.of(VIP))
                .v3Checksum(V3ChecksumMode.NO_PSEUDO_HEADER).build();
        byte[] noPseudo = datagram(v3(100), PEER, GROUP, V3ChecksumMode.NO_PSEUDO_HEADER);
        assertAccept(check(asV2, noPseudo));
        assertAccept(check(asV2, datagram(v3(100))));
        assertAccept(check(asV2, set(noPseudo, 27, noPseudo[27] ^ 1)));
    }

    @Test
    void theOldUnicastChecksumIsDetected() {
        byte[] old = datagram(v3(100), PEER, ME, V3ChecksumMode.OLD_UNICAST);
        assertWarning(check(V3_UNICAST, old), EnumSet.of(Warning.OLD_UNICAST_CHECKSUM),
                "(VI_U) Setting unicast VRRPv3 checksum to old version");

        ReceiverSettings never = ReceiverSettings.builder("VI_U", 51).version(3).virtualAddresses(List.of(VIP))
                .unicastPeers(List.of(UnicastPeer.of(PEER))).detectOldUnicastChecksum(false).build();
        assertDrop(check(never, old), DropReason.CHECKSUM, "(VI_U) Invalid VRRPv3 checksum from 198.18.0.2");

        ReceiverSettings configuredOld = ReceiverSettings.builder("VI_U", 51).version(3).virtualAddresses(List.of(VIP))
                .unicastPeers(List.of(UnicastPeer.of(PEER))).v3Checksum(V3ChecksumMode.OLD_UNICAST).build();
        assertAccept(check(configuredOld, old));
        assertDrop(check(configuredOld, datagram(v3(100), PEER, ME, V3ChecksumMode.PSEUDO_HEADER)), DropReason.CHECKSUM,
                "(VI_U) Invalid VRRPv3 checksum from 198.18.0.2");
    }

    @Test
    void destinationMustBeMulticastExactlyWhenTheInstanceIs() {
        assertDrop(check(V2_PASS, datagram(v2Pass(), PEER, ME, V3ChecksumMode.PSEUDO_HEADER)), DropReason.DESTINATION_MISMATCH,
                "(VI_1) Expected multicast packet but received unicast packet");
        assertDrop(check(V3_UNICAST, datagram(v3(100))), DropReason.DESTINATION_MISMATCH,
                "(VI_U) Expected unicast packet but received multicast packet");
        assertAccept(check(V2_PASS, datagram(v2Pass(), PEER, ip4("239.1.2.3"), V3ChecksumMode.PSEUDO_HEADER)));
    }

    @Test
    void anOwnerIgnoringAdvertsDropsThemSilently() {
        ReceiverSettings owner = ReceiverSettings.builder("VI_O", 51).passwordAuth("1111").virtualAddresses(List.of(VIP))
                .ignoreAdverts(true).build();
        assertDrop(check(owner, datagram(v2Pass())), DropReason.OWNER_IGNORES_ADVERTS);
    }

    @Test
    void vipCountAndListMismatchesAreLoggedButTheAdvertIsUsed() {
        ReceiverSettings twoVips = ReceiverSettings.builder("VI_1", 51).passwordAuth("1111").virtualAddresses(List.of(VIP, VIP2)).build();
        assertWarning(check(twoVips, datagram(v2Pass())), EnumSet.of(Warning.ADDRESS_COUNT_MISMATCH),
                "(VI_1) expected 2 VIPs but received 1");
        VrrpPacket otherVip = v2(1, VrrpPacket.passwordAuthData("1111"), 1, 1, List.of(VIP2));
        assertWarning(check(V2_PASS, datagram(otherVip)), EnumSet.of(Warning.ADDRESS_NOT_PRESENT),
                "(VI_1) ip address associated with VRID 51 not present in advert from 198.18.0.2");
        VrrpPacket reordered = v2(1, VrrpPacket.passwordAuthData("1111"), 1, 1, List.of(VIP2, VIP));
        assertAccept(check(twoVips, datagram(reordered)));
    }

    @Test
    void addressChecksCanBeSkipped() {
        ReceiverSettings skip = ReceiverSettings.builder("VI_1", 51).passwordAuth("1111").virtualAddresses(List.of(VIP, VIP2))
                .checkAdvertAddresses(false).build();
        assertAccept(check(skip, datagram(v2(1, VrrpPacket.passwordAuthData("1111"), 1, 1, List.of(ip4("198.18.0.50"))))));
    }

    @Test
    void unicastSourceMustBeAPeerWhenChecked() {
        byte[] fromStranger = datagram(v3(100), STRANGER, ME, V3ChecksumMode.PSEUDO_HEADER);
        assertAccept(check(V3_UNICAST, fromStranger));
        ReceiverSettings checking = ReceiverSettings.builder("VI_U", 51).version(3).virtualAddresses(List.of(VIP))
                .unicastPeers(List.of(UnicastPeer.of(PEER))).checkUnicastSource(true).build();
        assertDrop(check(checking, fromStranger), DropReason.NOT_A_UNICAST_PEER,
                "(VI_U) unicast source address 198.18.0.9 not a unicast peer");
        assertAccept(check(checking, datagram(v3(100), PEER, ME, V3ChecksumMode.PSEUDO_HEADER)));
    }

    @Test
    void aPeerTtlRangeImpliesSourceChecking() {
        ReceiverSettings ranged = ReceiverSettings.builder("VI_U", 51).version(3).virtualAddresses(List.of(VIP))
                .unicastPeers(List.of(new UnicastPeer(PEER, 250, 255))).build();
        byte[] advert = datagram(v3(100), PEER, ME, V3ChecksumMode.PSEUDO_HEADER);
        assertAccept(check(ranged, advert));
        assertDrop(check(ranged, set(advert, 8, 64)), DropReason.TTL_OUT_OF_RANGE, "(VI_U) TTL/HL 64 from 198.18.0.2 not in range 250 - 255");
        assertDrop(check(ranged, datagram(v3(100), STRANGER, ME, V3ChecksumMode.PSEUDO_HEADER)), DropReason.NOT_A_UNICAST_PEER,
                "(VI_U) unicast source address 198.18.0.9 not a unicast peer");
    }

    // ------------------------------------------------------------------ order

    /** Faults that can be combined in one v2 PASS datagram, in keepalived's order of checks. */
    enum Fault {
        TTL(DropReason.TTL),
        AUTH_TYPE(DropReason.AUTH_TYPE_MISMATCH),
        PASSWORD(DropReason.INVALID_PASSWORD),
        INTERVAL(DropReason.INTERVAL_MISMATCH),
        TYPE(DropReason.PACKET_TYPE),
        TOTAL_LENGTH(DropReason.TOTAL_LENGTH_MISMATCH),
        CHECKSUM(DropReason.CHECKSUM),
        DESTINATION(DropReason.DESTINATION_MISMATCH);

        final DropReason reason;

        Fault(DropReason reason) {
            this.reason = reason;
        }
    }

    static byte[] withFaults(Set<Fault> faults) {
        VrrpPacket packet =
                v2(
                        faults.contains(Fault.AUTH_TYPE) ? VrrpPacket.AUTH_NONE : VrrpPacket.AUTH_PASS,
                        VrrpPacket.passwordAuthData(faults.contains(Fault.PASSWORD) ? "2222" : "1111"),
                        faults.contains(Fault.INTERVAL) ? 3 : 1,
                        faults.contains(Fault.TYPE) ? 2 : 1,
                        List.of(VIP));
        byte[] bytes = datagram(packet, PEER, faults.contains(Fault.DESTINATION) ? ME : GROUP, V3ChecksumMode.PSEUDO_HEADER);
        if (faults.contains(Fault.TTL)) {
            bytes[8] = 1;
        }
        if (faults.contains(Fault.TOTAL_LENGTH)) {
            bytes[3] = 44;
        }
        if (faults.contains(Fault.CHECKSUM)) {
            bytes[27] ^= 0x01;
        }
        return bytes;
    }

    @Test
    void ofAnyTwoFaultsTheEarlierCheckDecides() {
        Fault[] all = Fault.values();
        for (int i = 0; i < all.length; i++) {
            assertThat(check(V2_PASS, withFaults(EnumSet.of(all[i]))).dropReason()).as("%s alone", all[i]).isEqualTo(all[i].reason);
            for (int j = i + 1; j < all.length; j++) {
                ValidationResult result = check(V2_PASS, withFaults(EnumSet.of(all[i], all[j])));
                assertThat(result.dropReason()).as("%s with %s", all[i], all[j]).isEqualTo(all[i].reason);
                assertThat(result.logLines()).hasSize(1);
            }
        }
        assertThat(check(V2_PASS, withFaults(EnumSet.allOf(Fault.class))).dropReason()).isEqualTo(DropReason.TTL);
    }

    @Test
    void theHeaderChecksComeFirst() {
        byte[] v3 = datagram(v3(100));
        // AH mismatch before length; length before TTL; TTL before version; version before type.
        assertThat(check(V2_AH, Arrays.copyOf(set(v3, 8, 1), 31)).dropReason()).isEqualTo(DropReason.AUTH_HEADER_MISMATCH);
        assertThat(check(V3_MULTICAST, Arrays.copyOf(set(v3, 8, 1), 31)).dropReason()).isEqualTo(DropReason.LENGTH_MISMATCH);
        assertThat(check(V2_PASS, set(v3, 8, 1)).dropReason()).isEqualTo(DropReason.TTL);
        assertThat(check(V2_PASS, set(v3, 20, 0x32)).dropReason()).isEqualTo(DropReason.VERSION);
        assertThat(check(V2_PASS, set(set(v3, 21, 9), 8, 1)).dropReason()).isEqualTo(DropReason.VRID_MISMATCH);
    }

    @Test
    void warningsAccumulateBeforeALaterDrop() {
        byte[] badChecksum = datagram(v3(50));
        badChecksum[27] ^= 1;
        ValidationResult result = check(V3_MULTICAST, badChecksum);
        assertDrop(result, DropReason.CHECKSUM,
                "(VI_3) advertisement interval mismatch with 198.18.0.2 mine=1000 milli-sec rcv'd=500 milli-sec",
                "(VI_3) Invalid VRRPv3 checksum from 198.18.0.2");
        assertThat(result.warnings()).containsExactly(Warning.INTERVAL_MISMATCH);

        ReceiverSettings checking = ReceiverSettings.builder("VI_U", 51).version(3).virtualAddresses(List.of(VIP, VIP2))
                .unicastPeers(List.of(UnicastPeer.of(PEER))).checkUnicastSource(true).build();
        assertDrop(check(checking, datagram(v3(100), STRANGER, ME, V3ChecksumMode.PSEUDO_HEADER)), DropReason.NOT_A_UNICAST_PEER,
                "(VI_U) expected 2 VIPs but received 1",
                "(VI_U) unicast source address 198.18.0.9 not a unicast peer");

        ReceiverSettings twoVips = ReceiverSettings.builder("VI_1", 51).passwordAuth("1111").virtualAddresses(List.of(VIP, VIP2)).build();
        assertDrop(check(twoVips, datagram(v2Pass(), PEER, ME, V3ChecksumMode.PSEUDO_HEADER)), DropReason.DESTINATION_MISMATCH,
                "(VI_1) Expected multicast packet but received unicast packet");
    }

    // ------------------------------------------------------------------ IPv6

    static final Inet6Address SRC6 = ip6("fe80::2");
    static final Inet6Address ME6 = ip6("fe80::1");
    static final List<InetAddress> VIPS6 = List.of(ip6("fe80::100"), ip6("2001:db8::100"));
    static final ReceiverSettings V6 = ReceiverSettings.builder("VI_6", 54).version(3).virtualAddresses(VIPS6).build();

    static byte[] v6Message(int vrid, int intervalCs, Inet6Address dst) {
        return VrrpCodec.encodeV3(VrrpPacket.advertV3(vrid, 100, intervalCs, VIPS6), SRC6, dst, V3ChecksumMode.PSEUDO_HEADER);
    }

    @Test
    void ipv6AdvertsGoThroughTheSameChecks() {
        AdvertValidator validator = new AdvertValidator(V6);
        byte[] message = v6Message(54, 100, VrrpCodec.IPV6_MULTICAST_GROUP);
        ValidationResult ok = validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, message);
        assertAccept(ok);
        assertThat(ok.packet().addresses()).isEqualTo(VIPS6);
        assertThat(ok.ipv4Header()).isNull();
        assertAccept(validator.validateIpv6(-1, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, message));

        assertDrop(validator.validateIpv6(64, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, message), DropReason.TTL,
                "(VI_6) invalid TTL/HL from fe80::2. Received 64 and expect 255");
        assertDrop(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, Arrays.copyOf(message, 7)), DropReason.TOO_SHORT,
                "IPv6 VRRP packet too short - 7 bytes");
        assertDrop(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, Arrays.copyOf(message, 39)), DropReason.LENGTH_MISMATCH,
                "(VI_6) vrrp packet too short, length 39 and expect 40");
        assertDrop(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, set(message, 0, 0x21)), DropReason.VERSION,
                "(VI_6) wrong VRRP version from fe80::2. Received 2 and expect 3");
        assertDrop(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, set(message, 0, 0x32)), DropReason.PACKET_TYPE,
                "(VI_6) Invalid packet type. 2 and expect 1");
        assertDrop(validator.validateIpv6(255, SRC6, ME6, v6Message(54, 100, ME6)), DropReason.DESTINATION_MISMATCH,
                "(VI_6) Expected multicast packet but received unicast packet");
        assertWarning(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, v6Message(54, 200, VrrpCodec.IPV6_MULTICAST_GROUP)),
                EnumSet.of(Warning.INTERVAL_MISMATCH),
                "(VI_6) advertisement interval mismatch with fe80::2 mine=1000 milli-sec rcv'd=2000 milli-sec");
        assertDrop(validator.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, v6Message(55, 100, VrrpCodec.IPV6_MULTICAST_GROUP)),
                DropReason.VRID_MISMATCH);
    }

    @Test
    void ipv6ChecksumsAreLeftToTheKernelUnlessAsked() {
        byte[] corrupt = set(v6Message(54, 100, VrrpCodec.IPV6_MULTICAST_GROUP), 7, 0);
        assertAccept(new AdvertValidator(V6).validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, corrupt));
        AdvertValidator verifying =
                new AdvertValidator(ReceiverSettings.builder("VI_6", 54).version(3).virtualAddresses(VIPS6).verifyIpv6Checksum(true).build());
        assertDrop(verifying.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, corrupt), DropReason.CHECKSUM,
                "(VI_6) Invalid VRRPv3 checksum from fe80::2");
        assertAccept(verifying.validateIpv6(255, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, v6Message(54, 100, VrrpCodec.IPV6_MULTICAST_GROUP)));
    }

    @Test
    void ipv6UnicastPeers() {
        ReceiverSettings unicast = ReceiverSettings.builder("VI_6U", 54).version(3).virtualAddresses(VIPS6)
                .unicastPeers(List.of(new UnicastPeer(SRC6, 200, 255))).build();
        AdvertValidator validator = new AdvertValidator(unicast);
        byte[] message = v6Message(54, 100, ME6);
        assertAccept(validator.validateIpv6(255, SRC6, ME6, message));
        assertDrop(validator.validateIpv6(64, SRC6, ME6, message), DropReason.TTL_OUT_OF_RANGE,
                "(VI_6U) TTL/HL 64 from fe80::2 not in range 200 - 255");
        assertAccept(validator.validateIpv6(-1, SRC6, ME6, message));
        assertDrop(validator.validateIpv6(255, ip6("fe80::9"), ME6, message), DropReason.NOT_A_UNICAST_PEER,
                "(VI_6U) unicast source address fe80::9 not a unicast peer");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new AdvertValidator(V2_PASS).validateIpv6(255, SRC6, ME6, new byte[8]))
                .hasMessageContaining("VRRPv2");
        assertThatThrownBy(() -> ReceiverSettings.builder("X", 0).build()).hasMessage("vrid 0 (accepted: 1..255)");
        assertThatThrownBy(() -> ReceiverSettings.builder("X", 1).version(3).passwordAuth("x").build())
                .hasMessageContaining("v3 has no authentication");
        assertThatThrownBy(() -> ReceiverSettings.builder("X", 1).virtualAddresses(VIPS6).build())
                .hasMessageContaining("version 3 for IPv6");
        assertThatThrownBy(() -> ReceiverSettings.builder("X", 1).advertInterval(Duration.ZERO).build())
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new UnicastPeer(PEER, 200, 100)).hasMessageContaining("200..100");
    }

    @Test
    void validationNeverThrowsOnArbitraryBytes() {
        java.util.Random random = new java.util.Random(42);
        List<AdvertValidator> validators = new ArrayList<>();
        for (ReceiverSettings s : List.of(V2_PASS, V3_MULTICAST, V3_UNICAST, V2_AH)) {
            validators.add(new AdvertValidator(s));
        }
        List<byte[]> seeds = List.of(datagram(v2Pass()), datagram(v3(100)), ahDatagram(PEER, "secret12345"));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(80)];
                random.nextBytes(bytes);
            } else {
                bytes = seeds.get(random.nextInt(seeds.size())).clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                bytes = Arrays.copyOf(bytes, Math.max(0, bytes.length - random.nextInt(3) + random.nextInt(3)));
            }
            for (AdvertValidator validator : validators) {
                ValidationResult result = validator.validateIpv4(bytes);
                assertThat(result.verdict()).isNotNull();
            }
            new AdvertValidator(V6).validateIpv6(random.nextInt(257) - 1, SRC6, VrrpCodec.IPV6_MULTICAST_GROUP, bytes);
        }
    }
}
