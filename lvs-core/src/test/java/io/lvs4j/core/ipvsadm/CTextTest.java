package io.lvs4j.core.ipvsadm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

/** The C library conversions ipvsadm's input rules come from. */
class CTextTest {

    @Test
    void inetAtonAcceptsShortFormsOctalAndHexAndRejectsOverflow() {
        assertThat(CText.inetAton("10.0.0.1")).isEqualTo(0x0A000001L);
        assertThat(CText.inetAton("10.1")).isEqualTo(0x0A000001L);
        assertThat(CText.inetAton("10.1.2")).isEqualTo(0x0A010002L);
        assertThat(CText.inetAton("4294967295")).isEqualTo(0xFFFFFFFFL);
        assertThat(CText.inetAton("0x7f.1")).isEqualTo(0x7F000001L);
        assertThat(CText.inetAton("010.0.0.010")).isEqualTo(0x08000008L);
        assertThat(CText.inetAton("1.2.3.4 trailing")).isEqualTo(0x01020304L);
        assertThat(CText.inetAton("4294967296")).isEqualTo(-1);
        assertThat(CText.inetAton("256.0.0.1")).isEqualTo(-1);
        assertThat(CText.inetAton("1.2.3.256")).isEqualTo(-1);
        assertThat(CText.inetAton("1.2.65536")).isEqualTo(-1);
        assertThat(CText.inetAton("08.0.0.1")).isEqualTo(-1);
        assertThat(CText.inetAton("0x")).isEqualTo(-1);
        assertThat(CText.inetAton("1.2.3.4.5")).isEqualTo(-1);
        assertThat(CText.inetAton("1..2")).isEqualTo(-1);
        assertThat(CText.inetAton("")).isEqualTo(-1);
        assertThat(CText.inetAton("host")).isEqualTo(-1);
    }

    @Test
    void inetPton6FollowsGlibc() {
        assertThat(text("::")).isEqualTo("0:0:0:0:0:0:0:0");
        assertThat(text("::1")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(text("2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(text("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(text("1:2:3:4:5:6:7::")).isEqualTo("1:2:3:4:5:6:7:0");
        assertThat(text("::ffff:1.2.3.4")).isEqualTo("0:0:0:0:0:ffff:102:304");
        assertThat(CText.inetPton6("::ffff:1.2.3.4")).isInstanceOf(Inet6Address.class);
        assertThat(CText.inetPton6("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(CText.inetPton6("1::2::3")).isNull();
        assertThat(CText.inetPton6(":1::")).isNull();
        assertThat(CText.inetPton6("1:")).isNull();
        assertThat(CText.inetPton6("12345::")).isNull();
        assertThat(CText.inetPton6("::1.2.3.04")).isNull();
        assertThat(CText.inetPton6("fe80::1%eth0")).isNull();
        assertThat(CText.inetPton6("1.2.3.4")).isNull();
        assertThat(CText.inetPton6("1:2:3:4:5:6:7:8::")).isNull();
    }

    @Test
    void stringToNumberIsStrtolOfTheWholeText() {
        assertThat(CText.stringToNumber("65535", 0, 65535)).isEqualTo(65535);
        assertThat(CText.stringToNumber(" +7", 0, 65535)).isEqualTo(7);
        assertThat(CText.stringToNumber("-0", 0, 65535)).isZero();
        assertThat(CText.stringToNumber("7 ", 0, 65535)).isEqualTo(-1);
        assertThat(CText.stringToNumber("", 0, 65535)).isEqualTo(-1);
        assertThat(CText.stringToNumber("0x10", 0, 65535)).isEqualTo(-1);
        assertThat(CText.stringToNumber("99999999999999999999", 0, Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(CText.atoi("64abc")).isEqualTo(64);
        assertThat(CText.atoi("abc")).isZero();
    }

    private static String text(String s) {
        return CText.inetPton6(s).getHostAddress();
    }
}
