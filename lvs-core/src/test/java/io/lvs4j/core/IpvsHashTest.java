package io.lvs4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpvsHashTest {

    private static final long REF_K0 = 0x0706050403020100L;
    private static final long REF_K1 = 0x0f0e0d0c0b0a0908L;

    private static byte[] counting(int length) {
        byte[] m = new byte[length];
        for (int i = 0; i < length; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    @Test
    void sipHash24MatchesTheReferenceVectors() {
        assertThat(IpvsHash.sipHash(2, 4, REF_K0, REF_K1, counting(15))).isEqualTo(0xa129ca6149be45e5L);
        assertThat(IpvsHash.sipHash(2, 4, REF_K0, REF_K1, counting(0))).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(IpvsHash.sipHash(2, 4, REF_K0, REF_K1, counting(8))).isEqualTo(0x93f5f5799a932462L);
    }

    @Test
    void hsiphash32IsSipHash13OfTheLittleEndianBytesTruncated() {
        int[] values = {0, 1, 0x0A000051, 0xC0A80164, -1, 0x80000000};
        for (int v : values) {
            byte[] le = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
            long full = IpvsHash.sipHash(1, 3, MaglevHashingScheduler.KEY1, MaglevHashingScheduler.KEY1, le);
            assertThat(IpvsHash.hsiphash32(MaglevHashingScheduler.KEY1, MaglevHashingScheduler.KEY1, v))
                    .as("value %08x", v).isEqualTo((int) full);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.0.0.1,      39,  134, 159",
            "10.0.0.2,      137, 232, 550",
            "192.168.1.100, 89,  184, 357",
            "192.168.1.101, 187, 26,  748",
            "172.16.5.9,    115, 209, 460",
    })
    void hash32SpecTable(String address, int dh, int shWithPort12345, int lblc) {
        int value = Addresses.fold(SchedulerFixture.ip(address));
        assertThat(IpvsHash.hash32(value, 8)).isEqualTo(dh);
        assertThat(IpvsHash.hash32(value + 12345, 8)).isEqualTo(shWithPort12345);
        assertThat(IpvsHash.hash32(value, 10)).isEqualTo(lblc);
    }

    /** The spec table's bracketed columns: old kernels kept the low bits of addr * 2654435761. */
    @ParameterizedTest(name = "legacy {0}")
    @CsvSource({
            "10.0.0.1,      177, 26",
            "10.0.0.2,      98,  203",
            "192.168.1.100, 36,  141",
            "192.168.1.101, 213, 62",
            "172.16.5.9,    57,  162",
    })
    void legacyHashSpecTable(String address, int low8, int shWithPort12345) {
        int value = Addresses.fold(SchedulerFixture.ip(address));
        assertThat(IpvsHash.bucketHash(value, 8, true)).isEqualTo(low8);
        assertThat(IpvsHash.bucketHash(value + 12345, 8, true)).isEqualTo(shWithPort12345);
        assertThat(IpvsHash.bucketHash(value, 8, false)).isEqualTo(IpvsHash.hash32(value, 8));
        // only the last octet matters for 256 buckets
        assertThat(IpvsHash.bucketHash(value ^ 0x7F000000, 8, true)).isEqualTo(low8);
    }

    @Test
    void legacyHashOptionReachesDhThroughTheTable() {
        for (boolean legacy : new boolean[]{false, true}) {
            IpvsTable t = new IpvsTable(TableOptions.builder().ticker(new FakeTicker()).legacyHash(legacy).build());
            ServiceKey key = ServiceKey.tcp(TestTables.ip("192.168.0.1"), 80);
            t.addService(key, ServiceOptions.builder().scheduler("dh").build());
            RealServer a = t.addRealServer(key, TestTables.ip("10.1.0.1"), 80, RealServerOptions.defaults());
            RealServer b = t.addRealServer(key, TestTables.ip("10.1.0.2"), 80, RealServerOptions.defaults());
            RealServer c = t.addRealServer(key, TestTables.ip("10.1.0.3"), 80, RealServerOptions.defaults());
            VirtualService svc = t.service(key);
            // scan order [C, B, A]: bucket i holds position i mod 3
            // 192.168.1.100: hash_32 89 -> 2 -> A; legacy 36 -> 0 -> C
            // 172.16.5.9:    hash_32 115 -> 1 -> B; legacy 57 -> 0 -> C
            assertThat(svc.scheduler().schedule(svc, TestTables.tcp("1.1.1.1", 1, "192.168.1.100", 80)))
                    .isSameAs(legacy ? c : a);
            assertThat(svc.scheduler().schedule(svc, TestTables.tcp("1.1.1.1", 1, "172.16.5.9", 80)))
                    .isSameAs(legacy ? c : b);
        }
    }

    @Test
    void hash32TakesTheHighBits() {
        assertThat(IpvsHash.hash32(0x0A000001, 8)).isEqualTo(39);
        assertThat(IpvsHash.hash32(0x0A000001 + 40000, 8)).isEqualTo(203);
        assertThat(IpvsHash.hash32(0x0A000001, 32)).isEqualTo(0x0A000001 * 0x61C88647);
    }

    @Test
    void ipv6IsFoldedBeforeHashing() {
        assertThat(Addresses.fold(SchedulerFixture.ip("2001:db8::1"))).isEqualTo(0x20010DB9);
    }
}
