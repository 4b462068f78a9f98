package io.lvs4j.core;

/**
 * The hash functions the IPVS schedulers use (spec §1.10.1, §1.11): the multiplicative
 * {@code hash_32} of dh, sh, lblc and lblcr, and SipHash, whose 1-3 variant with a 32-bit message is
 * what mh calls {@code hsiphash} on 64-bit kernels. SipHash is written from the published algorithm
 * (Aumasson and Bernstein, 2012). Stateless and thread-safe; {@link #hash32} and {@link #hsiphash32}
 * allocate nothing.
 */
final class IpvsHash {
    /** GOLDEN_RATIO_32 of the kernel's hash.h. */
    static final int GOLDEN_RATIO_32 = 0x61C88647;

    private static final long C0 = 0x736f6d6570736575L;
    private static final long C1 = 0x646f72616e646f6dL;
    private static final long C2 = 0x6c7967656e657261L;
    private static final long C3 = 0x7465646279746573L;

    private IpvsHash() {
    }

    /** {@code hash_32(value, bits)}: the top {@code bits} bits of {@code value * GOLDEN_RATIO_32 mod 2^32}. */
    static int hash32(int value, int bits) {
        return (value * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * The bucket hash of dh, sh, lblc and lblcr: {@link #hash32} on current kernels; with
     * {@code legacy}, the older kernels' {@code (value * 2654435761) & (2^bits - 1)}, which keeps the
     * low bits, so only the last octet of an IPv4 address matters for 256 buckets (spec §1.10.1).
     */
    static int bucketHash(int value, int bits, boolean legacy) {
        return legacy ? (value * (int) 2654435761L) & ((1 << bits) - 1) : hash32(value, bits);
    }

    /**
     * SipHash-1-3 of the four bytes of {@code value} in little-endian order, truncated to its low
     * 32 bits: the 64-bit kernel's {@code hsiphash(&v, 4, key)} on a little-endian CPU.
     */
    static int hsiphash32(long k0, long k1, int value) {
        long v0 = k0 ^ C0;
        long v1 = k1 ^ C1;
        long v2 = k0 ^ C2;
        long v3 = k1 ^ C3;
        long b = (4L << 56) | (value & 0xFFFFFFFFL);
        v3 ^= b;
        // one compression round
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xFF;
        for (int i = 0; i < 3; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) (v0 ^ v1 ^ v2 ^ v3);
    }

    /**
     * SipHash-c-d of {@code message} with the 128-bit key ({@code k0}, {@code k1}), each half read
     * little-endian as the reference implementation does. SipHash-2-4 is {@code sipHash(2, 4, ...)}.
     */
    static long sipHash(int compressionRounds, int finalizationRounds, long k0, long k1, byte[] message) {
        long[] v = {k0 ^ C0, k1 ^ C1, k0 ^ C2, k1 ^ C3};
        int len = message.length;
        int end = len - (len % 8);
        for (int off = 0; off < end; off += 8) {
            long m = 0;
            for (int i = 7; i >= 0; i--) {
                m = (m << 8) | (message[off + i] & 0xFF);
            }
            compress(v, m, compressionRounds);
        }
        long b = ((long) len) << 56;
        for (int i = len - 1; i >= end; i--) {
            b |= (message[i] & 0xFFL) << (8 * (i - end));
        }
        compress(v, b, compressionRounds);
        v[2] ^= 0xFF;
        for (int i = 0; i < finalizationRounds; i++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m, int rounds) {
        v[3] ^= m;
        for (int i = 0; i < rounds; i++) {
            round(v);
        }
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }
}
