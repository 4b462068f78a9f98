package io.lvs4j.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * NETLINK_ROUTE message layouts (rtnetlink(7)): building address and link requests and reading
 * the kernel's replies. All integers are in host order. Pure functions, no I/O.
 */
final class RtNetlink {

  static final int HEADER = 16;

  static final int NLMSG_NOOP = 1;
  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;

  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  static final int NLM_F_CAPPED = 0x100;
  static final int NLM_F_ACK_TLVS = 0x200;
  static final int NLMSGERR_ATTR_MSG = 1;

  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int RTM_GETADDR = 22;

  static final int RTMGRP_LINK = 0x1;

  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_LABEL = 3;
  static final int IFA_FLAGS = 8;
  static final int IFA_F_NODAD = 0x02;
  static final int IFA_F_TENTATIVE = 0x40;

  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_OPERSTATE = 16;

  private static final String[] OPER_STATES = {
    "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
  };

  private RtNetlink() {}

  /** One message in a received datagram: its header fields and where its payload lies. */
  record Message(int type, int flags, int seq, ByteBuffer buffer, int offset, int length) {
    int payload() {
      return offset + HEADER;
    }

    int end() {
      return offset + length;
    }
  }

  /** The outcome carried by an NLMSG_ERROR: 0 for an ACK, else a positive errno. */
  record Ack(int errno, String kernelMessage) {}

  static byte[] newAddress(
      int seq, int ifindex, InetAddress address, int prefixLength, String label, boolean noDad) {
    byte[] raw = address.getAddress();
    int family = address instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
    Builder b = new Builder(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        seq);
    b.ifaddrmsg(family, prefixLength, noDad ? IFA_F_NODAD : 0, 0, ifindex);
    b.attribute(IFA_LOCAL, raw);
    b.attribute(IFA_ADDRESS, raw);
    if (label != null) {
      b.attribute(IFA_LABEL, cString(label));
    }
    return b.build();
  }

  static byte[] deleteAddress(int seq, int ifindex, InetAddress address, int prefixLength) {
    byte[] raw = address.getAddress();
    int family = address instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
    Builder b = new Builder(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.ifaddrmsg(family, prefixLength, 0, 0, ifindex);
    b.attribute(IFA_LOCAL, raw);
    b.attribute(IFA_ADDRESS, raw);
    return b.build();
  }

  static byte[] dumpAddresses(int seq) {
    Builder b = new Builder(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
    b.ifaddrmsg(0, 0, 0, 0, 0);
    return b.build();
  }

  static byte[] getLink(int seq, String name) {
    Builder b = new Builder(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
    b.ifinfomsg(0);
    b.attribute(IFLA_IFNAME, cString(name));
    return b.build();
  }

  static byte[] dumpLinks(int seq) {
    Builder b = new Builder(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
    b.ifinfomsg(0);
    return b.build();
  }

  /** Splits a datagram into messages; stops at a malformed length. */
  static List<Message> split(byte[] datagram, int length) {
    ByteBuffer b = SockAddr.host(datagram);
    List<Message> messages = new ArrayList<>();
    int at = 0;
    while (at + HEADER <= length) {
      int messageLength = b.getInt(at);
      if (messageLength < HEADER || at + messageLength > length) {
        break;
      }
      int type = b.getShort(at + 4) & 0xffff;
      int flags = b.getShort(at + 6) & 0xffff;
      int seq = b.getInt(at + 8);
      messages.add(new Message(type, flags, seq, b, at, messageLength));
      at += align(messageLength);
    }
    return messages;
  }

  /** Reads an NLMSG_ERROR: the errno (0 for an ACK) and the kernel's extended-ACK text. */
  static Ack ack(Message m) {
    ByteBuffer b = m.buffer();
    if (m.length() < HEADER + 4) {
      return new Ack(LibC.EINVAL, "truncated NLMSG_ERROR");
    }
    int errno = -b.getInt(m.payload());
    String text = null;
    if ((m.flags() & NLM_F_ACK_TLVS) != 0 && m.length() >= HEADER + 4 + HEADER) {
      int original = b.getInt(m.payload() + 4);
      int tlvs = m.payload() + 4 + ((m.flags() & NLM_F_CAPPED) != 0 ? HEADER : align(original));
      for (int[] attr : attributes(b, tlvs, m.end())) {
        if (attr[0] == NLMSGERR_ATTR_MSG) {
          text = string(b, attr[1], attr[2]);
        }
      }
    }
    return new Ack(errno, text);
  }

  /** Reads an RTM_NEWLINK or RTM_DELLINK. */
  static LinkInfo link(Message m) {
    ByteBuffer b = m.buffer();
    int at = m.payload();
    int index = b.getInt(at + 4);
    int flags = b.getInt(at + 8);
    String name = null;
    String mac = null;
    int mtu = 0;
    String operState = "UNKNOWN";
    for (int[] attr : attributes(b, at + 16, m.end())) {
      switch (attr[0]) {
        case IFLA_IFNAME:
          name = string(b, attr[1], attr[2]);
          break;
        case IFLA_ADDRESS:
          mac = attr[2] == 0 ? null : HexFormat.ofDelimiter(":").formatHex(bytes(b, attr[1],
              attr[2]));
          break;
        case IFLA_MTU:
          mtu = attr[2] >= 4 ? b.getInt(attr[1]) : 0;
          break;
        case IFLA_OPERSTATE:
          int state = b.get(attr[1]) & 0xff;
          operState = state < OPER_STATES.length ? OPER_STATES[state] : "UNKNOWN";
          break;
        default:
          break;
      }
    }
    return new LinkInfo(index, name == null ? "if" + index : name, mac, flags, mtu, operState);
  }

  /** Reads an RTM_NEWADDR. */
  static LinkAddress address(Message m) {
    ByteBuffer b = m.buffer();
    int at = m.payload();
    int prefixLength = b.get(at + 1) & 0xff;
    int flags = b.get(at + 2) & 0xff;
    int index = b.getInt(at + 4);
    byte[] local = null;
    byte[] address = null;
    String label = null;
    for (int[] attr : attributes(b, at + 8, m.end())) {
      switch (attr[0]) {
        case IFA_LOCAL:
          local = bytes(b, attr[1], attr[2]);
          break;
        case IFA_ADDRESS:
          address = bytes(b, attr[1], attr[2]);
          break;
        case IFA_LABEL:
          label = string(b, attr[1], attr[2]);
          break;
        case IFA_FLAGS:
          if (attr[2] >= 4) {
            flags = b.getInt(attr[1]);
          }
          break;
        default:
          break;
      }
    }
    byte[] raw = local != null ? local : address;
    if (raw == null || (raw.length != 4 && raw.length != 16)) {
      return null;
    }
    return new LinkAddress(index, SockAddr.inet(raw), prefixLength, label, flags);
  }

  /** The attributes in {@code [from, to)} as {type, payload offset, payload length}. */
  static List<int[]> attributes(ByteBuffer b, int from, int to) {
    List<int[]> attributes = new ArrayList<>();
    int at = from;
    while (at + 4 <= to) {
      int length = b.getShort(at) & 0xffff;
      int type = b.getShort(at + 2) & 0x3fff;
      if (length < 4 || at + length > to) {
        break;
      }
      attributes.add(new int[] {type, at + 4, length - 4});
      at += align(length);
    }
    return attributes;
  }

  static int align(int length) {
    return (length + 3) & ~3;
  }

  private static byte[] cString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, out, 0, utf8.length);
    return out;
  }

  private static byte[] bytes(ByteBuffer b, int at, int length) {
    byte[] out = new byte[length];
    b.get(at, out);
    return out;
  }

  private static String string(ByteBuffer b, int at, int length) {
    int end = at;
    while (end < at + length && b.get(end) != 0) {
      end++;
    }
    return new String(bytes(b, at, end - at), StandardCharsets.UTF_8);
  }

  /** Appends a header, a fixed family message and attributes; fills in the length at the end. */
  private static final class Builder {
    private final ByteBuffer b = SockAddr.host(512);

    Builder(int type, int flags, int seq) {
      b.putInt(0);
      b.putShort((short) type);
      b.putShort((short) flags);
      b.putInt(seq);
      b.putInt(0);
    }

    void ifaddrmsg(int family, int prefixLength, int flags, int scope, int index) {
      b.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope);
      b.putInt(index);
    }

    void ifinfomsg(int index) {
      b.put((byte) 0).put((byte) 0).putShort((short) 0);
      b.putInt(index);
      b.putInt(0);
      b.putInt(0);
    }

    void attribute(int type, byte[] value) {
      b.putShort((short) (4 + value.length));
      b.putShort((short) type);
      b.put(value);
      while ((b.position() & 3) != 0) {
        b.put((byte) 0);
      }
    }

    byte[] build() {
      int length = b.position();
      b.putInt(0, length);
      byte[] out = new byte[length];
      b.get(0, out);
      return out;
    }
  }
}
