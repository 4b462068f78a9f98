package io.lvs4j.core.ipvsadm;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The C library's text-to-number and text-to-address conversions, with the exact acceptance rules
 * ipvsadm inherits from them: {@code strtol} (base 10), {@code atoi}, glibc's {@code inet_aton}
 * (1 to 4 parts, each decimal, octal or hex) and {@code inet_pton(AF_INET6)}. No name lookups.
 */
final class CText {
    private CText() {
    }

    /** C {@code isspace} in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /**
     * ipvsadm's {@code string_to_number}: the whole string must be a base-10 {@code long} (leading
     * white space and a sign allowed, as strtol takes them) within {@code min..max}; otherwise -1.
     */
    static long stringToNumber(String s, long min, long max) {
        Long v = strtolWhole(s);
        if (v == null || v < min || v > max) {
            return -1;
        }
        return v;
    }

    /**
     * strtol(s, &end, 10) where the caller demands {@code *end == '\0' && end != s} and no ERANGE:
     * the value, or null.
     */
    static Long strtolWhole(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (!overflow) {
                if (value > (Long.MAX_VALUE - d) / 10) {
                    overflow = true;
                } else {
                    value = value * 10 + d;
                }
            }
            i++;
        }
        if (i == digitsStart || i != n) {
            return null; // no digits (end == s) or trailing characters (*end != '\0')
        }
        if (overflow) {
            // strtol clamps and sets ERANGE, except for exactly LONG_MIN
            if (negative && s.substring(digitsStart).replaceFirst("^0+", "").equals("9223372036854775808")) {
                return Long.MIN_VALUE;
            }
            return null;
        }
        return negative ? -value : value;
    }

    /** C {@code atoi}: leading white space, a sign, then digits up to the first non-digit; 0 if none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = Math.min(v * 10 + (s.charAt(i) - '0'), 1L << 40);
            i++;
        }
        v = negative ? -v : v;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /**
     * glibc {@code inet_aton}: {@code a}, {@code a.b}, {@code a.b.c} or {@code a.b.c.d}; each part
     * decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes. Text after
     * the address is allowed only after a white-space character. Returns the host-order value as a
     * long, or -1 when the text is not an address.
     */
    static long inetAton(String s) {
        long[] parts = new long[4];
        int count = 0;
        int i = 0;
        int n = s.length();
        long val;
        while (true) {
            if (i >= n || !isDigit(s.charAt(i))) {
                return -1;
            }
            int base = 10;
            if (s.charAt(i) == '0') {
                if (i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                    base = 16;
                    i += 2;
                } else {
                    base = 8;
                }
            }
            val = 0;
            int digits = 0;
            while (i < n) {
                int d = Character.digit(s.charAt(i), base);
                if (d < 0) {
                    break;
                }
                val = val * base + d;
                if (val > 0xFFFFFFFFL) {
                    val = 0x1_0000_0000L; // beyond every part's limit; keep it from growing
                }
                digits++;
                i++;
            }
            if (base == 16 && digits == 0) {
                // strtoul reads "0x" without hex digits as 0 and stops at the 'x'
                i--;
                val = 0;
            }
            if (i < n && s.charAt(i) == '.') {
                if (count > 2 || val > 0xFF) {
                    return -1;
                }
                parts[count++] = val;
                i++;
            } else {
                break;
            }
        }
        if (i < n && !isSpace(s.charAt(i))) {
            return -1;
        }
        long[] max = {0xFFFFFFFFL, 0xFFFFFFL, 0xFFFFL, 0xFFL};
        if (val > max[count]) {
            return -1;
        }
        long result = val;
        for (int p = 0; p < count; p++) {
            result |= parts[p] << (24 - 8 * p);
        }
        return result;
    }

    /** {@link #inetAton} as an address, or null. */
    static Inet4Address inetAtonAddress(String s) {
        long v = inetAton(s);
        return v < 0 ? null : ipv4((int) v);
    }

    static Inet4Address ipv4(int hostOrder) {
        byte[] b = {(byte) (hostOrder >>> 24), (byte) (hostOrder >>> 16), (byte) (hostOrder >>> 8), (byte) hostOrder};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * glibc {@code inet_pton(AF_INET6)}: eight groups of 1-4 hex digits, one {@code ::}, an optional
     * dotted-quad tail (strict: decimal, no leading zeros). No zone index. Returns null when invalid.
     * The result is always an {@link Inet6Address}, also for IPv4-mapped addresses.
     */
    static Inet6Address inetPton6(String s) {
        byte[] out = new byte[16];
        int n = s.length();
        int i = 0;
        int tp = 0;
        int colonp = -1;
        if (n == 0) {
            return null;
        }
        if (s.charAt(0) == ':') {
            if (n < 2 || s.charAt(1) != ':') {
                return null;
            }
            i = 1;
        }
        int curtok = i;
        boolean sawXdigit = false;
        int val = 0;
        int digits = 0;
        while (i < n) {
            char ch = s.charAt(i++);
            int d = Character.digit(ch, 16);
            if (d >= 0 && ch < 128) {
                if (digits == 4) {
                    return null;
                }
                val = (val << 4) | d;
                digits++;
                sawXdigit = true;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (!sawXdigit) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i >= n) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                out[tp++] = (byte) (val >> 8);
                out[tp++] = (byte) val;
                sawXdigit = false;
                digits = 0;
                val = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                byte[] v4 = inetPton4(s.substring(curtok));
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, tp, 4);
                tp += 4;
                sawXdigit = false;
                break;
            }
            return null;
        }
        if (sawXdigit) {
            if (tp + 2 > 16) {
                return null;
            }
            out[tp++] = (byte) (val >> 8);
            out[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return null;
            }
            int moved = tp - colonp;
            for (int k = 1; k <= moved; k++) {
                out[16 - k] = out[colonp + moved - k];
                out[colonp + moved - k] = 0;
            }
            tp = 16;
        }
        if (tp != 16) {
            return null;
        }
        try {
            return Inet6Address.getByAddress(null, out, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** glibc inet_pton4: exactly four decimal parts 0..255 without leading zeros; null when invalid. */
    static byte[] inetPton4(String s) {
        byte[] out = new byte[4];
        int octets = 0;
        boolean sawDigit = false;
        int cur = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                int nv = cur * 10 + (ch - '0');
                if (sawDigit && cur == 0) {
                    return null;
                }
                if (nv > 255) {
                    return null;
                }
                cur = nv;
                if (!sawDigit) {
                    if (++octets > 4) {
                        return null;
                    }
                    sawDigit = true;
                }
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return null;
                }
                out[octets - 1] = (byte) cur;
                cur = 0;
                sawDigit = false;
            } else {
                return null;
            }
        }
        if (octets < 4 || !sawDigit) {
            return null;
        }
        out[3] = (byte) cur;
        return out;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
