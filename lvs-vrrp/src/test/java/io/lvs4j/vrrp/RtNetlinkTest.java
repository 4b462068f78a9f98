package io.lvs4j.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding of rtnetlink requests and decoding of replies, in host byte order. No privileges. */
class RtNetlinkTest {

  @Test
  void newAddressRequestCarriesLocalAddressAndLabel() throws Exception {
    byte[] m = RtNetlink.newAddress(7, 3, InetAddress.getByName("198.18.0.100"), 24, "va:vip",
        false);
    ByteBuffer b = SockAddr.host(m);

    assertThat(m.length).isEqualTo(16 + 8 + 8 + 8 + 12);
    assertThat(b.getInt(0)).as("nlmsg_len").isEqualTo(m.length);
    assertThat(b.getShort(4)).as("type").isEqualTo((short) RtNetlink.RTM_NEWADDR);
    assertThat(b.getShort(6)).as("flags REQUEST|ACK|EXCL|CREATE").isEqualTo((short) 0x605);
    assertThat(b.getInt(8)).as("seq").isEqualTo(7);
    assertThat(m[16]).as("family").isEqualTo((byte) LibC.AF_INET);
    assertThat(m[17]).as("prefix").isEqualTo((byte) 24);
    assertThat(b.getInt(20)).as("index").isEqualTo(3);
    List<int[]> attrs = RtNetlink.attributes(b, 24, m.length);
    assertThat(attrs).extracting(a -> a[0]).containsExactly(
        RtNetlink.IFA_LOCAL, RtNetlink.IFA_ADDRESS, RtNetlink.IFA_LABEL);
    assertThat(HexFormat.of().formatHex(m, attrs.get(0)[1], attrs.get(0)[1] + 4))
        .isEqualTo("c6120064");
    assertThat(attrs.get(2)[2]).as("label with NUL").isEqualTo(7);
  }

  @Test
  void ipv6NoDadSetsTheFlag() throws Exception {
    byte[] m = RtNetlink.newAddress(1, 2, InetAddress.getByName("fe80::1:100"), 64, null, true);
    assertThat(m[16]).isEqualTo((byte) LibC.AF_INET6);
    assertThat(m[17]).isEqualTo((byte) 64);
    assertThat(m[18]).as("IFA_F_NODAD").isEqualTo((byte) RtNetlink.IFA_F_NODAD);
    assertThat(m.length).isEqualTo(16 + 8 + 20 + 20);
  }

  @Test
  void errorReplyGivesErrnoAndTheExtendedAckText() {
    // NLMSG_ERROR, flags CAPPED|ACK_TLVS: error -13, the original header, then NLMSGERR_ATTR_MSG
    String text = "IPv6 is disabled on this device";
    int attrLength = 4 + text.length() + 1;
    int length = 16 + 4 + 16 + RtNetlink.align(attrLength);
    ByteBuffer b = SockAddr.host(length);
    b.putInt(length).putShort((short) RtNetlink.NLMSG_ERROR).putShort((short) 0x300)
        .putInt(9).putInt(0);
    b.putInt(-LibC.EACCES);
    b.putInt(44).putShort((short) RtNetlink.RTM_NEWADDR).putShort((short) 0x605).putInt(9)
        .putInt(0);
    b.putShort((short) attrLength).putShort((short) RtNetlink.NLMSGERR_ATTR_MSG);
    b.put(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0);

    List<RtNetlink.Message> messages = RtNetlink.split(b.array(), length);
    assertThat(messages).hasSize(1);
    RtNetlink.Ack ack = RtNetlink.ack(messages.get(0));
    assertThat(ack.errno()).isEqualTo(LibC.EACCES);
    assertThat(ack.kernelMessage()).isEqualTo(text);
  }

  @Test
  void linkReplyIsDecoded() {
    ByteBuffer b = SockAddr.host(16 + 16 + 8 + 12 + 8 + 8);
    b.putInt(b.capacity()).putShort((short) RtNetlink.RTM_NEWLINK).putShort((short) 0)
        .putInt(1).putInt(0);
    b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(4).putInt(0x11043).putInt(0);
    b.putShort((short) 7).putShort((short) RtNetlink.IFLA_IFNAME).put("va\0".getBytes())
        .put((byte) 0);
    b.putShort((short) 10).putShort((short) RtNetlink.IFLA_ADDRESS)
        .put(HexFormat.of().parseHex("020000c61201")).putShort((short) 0);
    b.putShort((short) 8).putShort((short) RtNetlink.IFLA_MTU).putInt(1500);
    b.putShort((short) 5).putShort((short) RtNetlink.IFLA_OPERSTATE).put((byte) 6)
        .put(new byte[3]);

    LinkInfo link = RtNetlink.link(RtNetlink.split(b.array(), b.capacity()).get(0));

    assertThat(link).isEqualTo(new LinkInfo(4, "va", "02:00:00:c6:12:01", 0x11043, 1500, "UP"));
    assertThat(link.isUpAndRunning()).isTrue();
    assertThat(link.macBytes()).containsExactly(2, 0, 0, 0xc6, 0x12, 1);
  }
}
