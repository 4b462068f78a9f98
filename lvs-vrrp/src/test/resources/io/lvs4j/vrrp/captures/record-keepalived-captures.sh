#!/bin/bash
# Records VRRP adverts sent by Debian's keepalived into keepalived-adverts.hex for KeepalivedCaptureTest.
# Needs root, iproute2, tcpdump and keepalived (apt-get install -y keepalived tcpdump).
# Creates two network namespaces joined by a veth pair (198.18.0.1/24 <-> 198.18.0.2/24),
# runs keepalived in the first, captures in the second, then removes everything it created.
set -euo pipefail

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
NS_KA=lvs4j-vrrp-ka
NS_CAP=lvs4j-vrrp-cap
WORK=$(mktemp -d /tmp/lvs4j-vrrp-capture.XXXXXX)
KA_PID=
TCPDUMP_PID=

cleanup() {
  if [ -n "$KA_PID" ] && kill -0 "$KA_PID" 2>/dev/null; then
    kill -TERM "$KA_PID" 2>/dev/null || true   # keepalived stops its VRRP child on SIGTERM
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$KA_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$KA_PID" 2>/dev/null || true
  fi
  if [ -n "${TCPDUMP_PID:-}" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; fi
  ip netns del "$NS_KA" 2>/dev/null || true
  ip netns del "$NS_CAP" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_KA"
ip netns add "$NS_CAP"
ip link add v1ka0 netns "$NS_KA" type veth peer name v1cap0 netns "$NS_CAP"
for ns in "$NS_KA" "$NS_CAP"; do
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip -n "$ns" link set lo up
done
ip -n "$NS_KA" link set v1ka0 address 02:00:c6:12:00:01
ip -n "$NS_CAP" link set v1cap0 address 02:00:c6:12:00:02
ip -n "$NS_KA" addr add 198.18.0.1/24 dev v1ka0
ip -n "$NS_CAP" addr add 198.18.0.2/24 dev v1cap0
ip -n "$NS_KA" link set v1ka0 up
ip -n "$NS_CAP" link set v1cap0 up

cat > "$WORK/keepalived.conf" <<'CONF'
global_defs {
    router_id lvs4j_capture
    enable_script_security
}

vrrp_instance VI_V2 {
    state BACKUP
    interface v1ka0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        198.18.0.100/24
    }
}

vrrp_instance VI_V3 {
    state BACKUP
    interface v1ka0
    version 3
    virtual_router_id 52
    priority 150
    advert_int 1
    virtual_ipaddress {
        198.18.0.101/24
        198.18.0.102/24
    }
}

vrrp_instance VI_V3_UNICAST {
    state BACKUP
    interface v1ka0
    version 3
    virtual_router_id 53
    priority 150
    advert_int 0.5
    unicast_src_ip 198.18.0.1
    unicast_peer {
        198.18.0.2
    }
    virtual_ipaddress {
        198.18.0.103/24
    }
}

vrrp_instance VI_V3_IPV6 {
    state BACKUP
    interface v1ka0
    version 3
    virtual_router_id 54
    priority 150
    advert_int 1
    virtual_ipaddress {
        fe80::5400:1/64
        2001:db8::100/64
    }
}

vrrp_instance VI_V2_AH {
    state BACKUP
    interface v1ka0
    virtual_router_id 55
    priority 150
    advert_int 1
    authentication {
        auth_type AH
        auth_pass secret12345
    }
    virtual_ipaddress {
        198.18.0.105/24
    }
}
CONF
chmod 0644 "$WORK/keepalived.conf"

ip netns exec "$NS_CAP" tcpdump -i v1cap0 -U -nn -xx -c 80 'ip proto 112 or ip proto 51 or ip6 proto 112' \
  > "$WORK/tcpdump.txt" 2> "$WORK/tcpdump.err" &
TCPDUMP_PID=$!
sleep 1

ip netns exec "$NS_KA" keepalived -n -l -D -f "$WORK/keepalived.conf" \
  -p "$WORK/keepalived.pid" -r "$WORK/vrrp.pid" > "$WORK/keepalived.log" 2>&1 &
KA_PID=$!

# BACKUP -> MASTER takes 3 x advert_int + skew; then let each instance send a few adverts.
sleep 9
kill -TERM "$KA_PID"   # masters send a priority-0 advert on shutdown
wait "$KA_PID" || true
KA_PID=
sleep 1
kill -INT "$TCPDUMP_PID" 2>/dev/null || true
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=

KA_VERSION=$(keepalived --version 2>&1 | sed -n 1p)
KA_PACKAGE=$(dpkg-query -W -f='${Version}' keepalived 2>/dev/null || echo unknown)
cp "$WORK/keepalived.conf" "$OUT/keepalived.conf"
{
  echo "# VRRP adverts sent by $KA_VERSION (Debian package keepalived $KA_PACKAGE), recorded by"
  echo "# record-keepalived-captures.sh (beside this file) on $(date -u +%Y-%m-%d) with the keepalived.conf beside this file:"
  echo "# keepalived in netns $NS_KA (v1ka0 198.18.0.1/24), tcpdump -xx in netns $NS_CAP (v1cap0 198.18.0.2/24)."
  echo "# The last advert of each instance is the priority-0 advert keepalived sends on SIGTERM."
  echo "# Each packet: a '#' line with tcpdump's summary, then the IPv4 or IPv6 packet in hex;"
  echo "# the 14-byte Ethernet header tcpdump printed has been stripped."
  awk '
    function flush() { if (hex != "") { print substr(hex, 29); hex = "" } }
    /^[0-9]/ { flush(); print "# " $0; next }
    /^\t0x/ { line = $0; sub(/^\t0x[0-9a-f]+: +/, "", line); gsub(/ /, "", line); hex = hex line }
    END { flush() }
  ' "$WORK/tcpdump.txt"
} > "$OUT/keepalived-adverts.hex"
cat "$WORK/tcpdump.err" >&2
