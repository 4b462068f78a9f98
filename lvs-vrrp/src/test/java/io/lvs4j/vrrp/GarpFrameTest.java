package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The GARP and NA frames as built, against the layout of spec 3.11. No privileges needed. */
class GarpFrameTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MAC = HEX.parseHex("020000c61201");

  @Test
  void arpFrameFollowsSpec311() {
    byte[] frame = Garp.arpFrame(MAC, VrrpSocketNetnsTest.v4("198.18.0.100"));

    assertThat(HEX.formatHex(frame)).isEqualTo(
        "ffffffffffff" + "020000c61201" + "0806"
            + "0001" + "0800" + "06" + "04" + "0001"
            + "020000c61201" + "c6120064"
            + "ffffffffffff" + "c6120064");
  }

  @Test
  void neighbourAdvertFollowsSpec311WithAValidChecksum() {
    byte[] frame = Garp.neighbourAdvertFrame(MAC, VrrpSocketNetnsTest.v6("fe80::1:100"), false);

    assertThat(frame).hasSize(86);
    assertThat(HEX.formatHex(frame, 0, 14)).isEqualTo("333300000001" + "020000c61201" + "86dd");
    assertThat(HEX.formatHex(frame, 14, 22)).isEqualTo("60000000" + "0020" + "3a" + "ff");
    assertThat(HEX.formatHex(frame, 22, 38)).isEqualTo("fe800000000000000000000000010100");
    assertThat(HEX.formatHex(frame, 38, 54)).isEqualTo("ff020000000000000000000000000001");
    assertThat(HEX.formatHex(frame, 54, 56)).as("type 136, code 0").isEqualTo("8800");
    assertThat(HEX.formatHex(frame, 58, 62)).as("Override only").isEqualTo("20000000");
    assertThat(HEX.formatHex(frame, 62, 78)).isEqualTo("fe800000000000000000000000010100");
    assertThat(HEX.formatHex(frame, 78, 86)).isEqualTo("0201" + "020000c61201");
    byte[] src = HEX.parseHex("fe800000000000000000000000010100");
    byte[] dst = HEX.parseHex("ff020000000000000000000000000001");
    assertThat(Garp.icmpv6Checksum(src, dst, frame, 54, 32)).as("re-summed with checksum in")
        .isZero();
  }

  @Test
  void routerFlagSetsTheTopBit() {
    byte[] frame = Garp.neighbourAdvertFrame(MAC, VrrpSocketNetnsTest.v6("fe80::1:100"), true);
    assertThat(frame[58] & 0xff).isEqualTo(0xa0);
  }

  @Test
  void icmpv6ChecksumMatchesAHandComputedValue() {
    // RFC 1071 style: pseudo-header of ::1 -> ::1, length 8, echo request id 0 seq 0
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    byte[] echo = HEX.parseHex("8000000000000000");
    // sum = 1 + 1 + 8 + 58 + 0x8000 = 0x8044, complement 0x7fbb
    assertThat(Garp.icmpv6Checksum(loopback, loopback, echo, 0, 8)).isEqualTo(0x7fbb);
  }

  @Test
  void macMustBeSixBytes() {
    assertThatThrownBy(() -> Garp.arpFrame(new byte[5], VrrpSocketNetnsTest.v4("198.18.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an Ethernet MAC is 6 bytes");
  }
}
