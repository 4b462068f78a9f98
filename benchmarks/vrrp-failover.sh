#!/usr/bin/env bash
# VRRP failover time, side by side: keepalived<->keepalived, lvs4j<->keepalived (both ways) and
# lvs4j<->lvs4j, with the same keepalived.conf settings. For each pair the master (h1, priority
# 150) is stopped -- kill -9 (a crash: the backup waits Master_Down_Interval) or SIGTERM (a clean
# stop: priority 0, the backup waits Skew_Time) -- right after one of its adverts is seen on the
# wire, and the time until the VIP appears on the backup (h2, priority 100) is measured by polling
# `ip -n NS -o addr` every 10 ms. Prints per-trial and median times and lvs4j-pair/keepalived-pair.
#
# Usage: benchmarks/vrrp-failover.sh [--trials N] [--version 2|3] [--advert-int S] [--pairs LIST]
#   defaults: 5 trials, VRRPv2, advert_int 1, pairs ka-ka,lvs4j-ka,ka-lvs4j,lvs4j-lvs4j
# Needs root, iproute2, keepalived and tcpdump (apt-get install -y keepalived tcpdump). Everything
# runs in network namespaces this script creates (a bridge in a "switch" namespace, 198.18.0.0/24)
# and removes on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

trials=5 version=2 advert_int=1 pairs="ka-ka,lvs4j-ka,ka-lvs4j,lvs4j-lvs4j" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --advert-int) advert_int=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown argument: $1 (accepted: --trials N, --version 2|3, --advert-int S, --pairs LIST, --no-build)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, raw sockets)" >&2; exit 1; }
for tool in ip keepalived tcpdump java; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y keepalived tcpdump iproute2)" >&2; exit 1; }
done

if [ "$build" = 1 ]; then
  ./mvnw -q -B install -DskipTests
fi
# bash reports every SIGKILLed background job ("line N: PID Killed ..."): expected here, not news
exec 2> >(grep --line-buffered -v -E '^.*: line [0-9]+: +[0-9]+ Killed ' >&2)

jar=$PWD/lvs-vrrp/target/lvs-vrrp-standalone.jar
[ -f "$jar" ] || { echo "no $jar: build lvs-vrrp first" >&2; exit 1; }

VIP=198.18.0.100
BASE=lvs4j-bench-$$
SW=$BASE-sw H1=$BASE-h1 H2=$BASE-h2
WORK=$(mktemp -d /tmp/lvs4j-vrrp-failover.XXXXXX)
declare -A PID=()        # host -> pid of the VRRP process running there
declare -A KIND=()       # host -> keepalived | lvs4j
declare -A RUN=()        # host -> run counter (log and pid file names)

cleanup() {
  set +e
  for h in "${!PID[@]}"; do stop_host "$h" KILL; done
  [ -n "${TD_PID:-}" ] && kill "$TD_PID" 2>/dev/null
  for ns in "$H1" "$H2" "$SW"; do ip netns del "$ns" 2>/dev/null; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { local t=$EPOCHREALTIME; echo $(( ${t/./} / 1000 )); }

# --- the LAN: a bridge in its own namespace, two hosts on it -------------------------------------
ip netns add "$SW"
ip -n "$SW" link add br0 type bridge mcast_snooping 0 stp_state 0 forward_delay 0
ip -n "$SW" link set br0 up
i=0
for h in "$H1" "$H2"; do
  i=$((i + 1))
  ip netns add "$h"
  ip -n "$SW" link add "p$i" type veth peer name eth0 netns "$h"
  ip -n "$SW" link set "p$i" master br0 up
  ip -n "$h" link set lo up
  ip -n "$h" addr add "198.18.0.$i/24" dev eth0
  ip -n "$h" link set eth0 up
done

write_conf() { # host priority -> path
  local f=$WORK/$1.conf
  cat > "$f" <<EOF
global_defs {
    router_id $1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    version $version
    advert_int $advert_int
    virtual_ipaddress {
        $VIP/24
    }
}
EOF
  echo "$f"
}

start_host() { # host kind priority
  local h=$1 kind=$2 prio=$3 conf log n
  conf=$(write_conf "$h" "$prio")
  n=$(( ${RUN[$h]:-0} + 1 )); RUN[$h]=$n
  log=$WORK/$h-$n.log
  if [ "$kind" = keepalived ]; then
    ip netns exec "$h" keepalived -n -l -D -G -P -R -f "$conf" -p "$WORK/$h-$n.pid" \
      -r "$WORK/$h-$n-vrrp.pid" -c "$WORK/$h-$n-chk.pid" > "$log" 2>&1 &
  else
    ip netns exec "$h" java -cp "$jar" io.lvs4j.vrrp.VrrpMain -f "$conf" -l -D > "$log" 2>&1 &
  fi
  PID[$h]=$!
  KIND[$h]=$kind
}

signal_host() { # host KILL|TERM: sends the signal, does not wait
  local h=$1 sig=$2 pid=${PID[$1]:-} n=${RUN[$1]:-0}
  [ -n "$pid" ] || return 0
  if [ "$sig" = KILL ] && [ "${KIND[$h]}" = keepalived ] && [ -s "$WORK/$h-$n-vrrp.pid" ]; then
    # the VRRP child first: killed after its parent it would get SIGTERM and resign cleanly
    kill -KILL "$(cat "$WORK/$h-$n-vrrp.pid")" "$pid" 2>/dev/null || true
  else
    kill -"$sig" "$pid" 2>/dev/null || true
  fi
}

reap_host() { # host: waits for the process to exit (SIGKILL after 10 s)
  local pid=${PID[$1]:-} i state
  [ -n "$pid" ] || return 0
  for i in $(seq 1 1000); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || break
    [ "$state" = Z ] && break
    sleep 0.01
  done
  kill -KILL "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
  unset "PID[$1]"
}

stop_host() { signal_host "$1" "$2"; reap_host "$1"; }

has_vip() { ip -n "$1" -o -4 addr show dev eth0 | grep -q " $VIP/"; }

last_state() { # host -> MASTER | BACKUP | FAULT | ""
  grep -o 'Entering [A-Z]* STATE' "$WORK/$1-${RUN[$1]}.log" 2>/dev/null | tail -1 | cut -d' ' -f2 || true
}

await() { # description timeout_s command...
  local what=$1 limit=$(( $(now_ms) + $2 * 1000 )); shift 2
  until "$@"; do
    if [ "$(now_ms)" -gt "$limit" ]; then
      echo "timed out waiting for: $what" >&2
      for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done
      exit 1
    fi
    sleep 0.01
  done
}

settled() { has_vip "$H1" && ! has_vip "$H2" && [ "$(last_state "$H1")" = MASTER ] && [ "$(last_state "$H2")" = BACKUP ]; }

# Waits for one advert from h1 on the bridge, so every trial stops the master at the same phase.
sync_to_advert() {
  local line
  coproc TD { exec ip netns exec "$SW" tcpdump --immediate-mode -l -n -i br0 "ip proto 112 and src host 198.18.0.1" 2>/dev/null; }
  TD_PID=$TD_PID
  read -r -t 10 line <&"${TD[0]}" || { echo "no advert from h1 in 10 s" >&2; exit 1; }
  kill "$TD_PID" 2>/dev/null || true
  wait "$TD_PID" 2>/dev/null || true
  TD_PID=
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

master_down_ms=$(awk -v v="$version" -v i="$advert_int" 'BEGIN {
  skew = (v == 2) ? (256 - 100) / 256 : (256 - 100) * i / 256; printf "%d", (3 * i + skew) * 1000 }')
skew_ms=$(awk -v v="$version" -v i="$advert_int" 'BEGIN {
  skew = (v == 2) ? (256 - 100) / 256 : (256 - 100) * i / 256; printf "%d", skew * 1000 }')

declare -A MEDIAN=()
echo "VRRPv$version advert_int $advert_int, master h1 priority 150, backup h2 priority 100, $trials trials each"
echo "expected: kill -9 -> backup's Master_Down_Interval = ${master_down_ms} ms; SIGTERM -> Skew_Time = ${skew_ms} ms"
echo "machine: $(nproc) CPUs, $(uname -r), $(keepalived -v 2>&1 | head -1), $(java -version 2>&1 | head -1)"
echo

IFS=, read -r -a pair_list <<< "$pairs"
for pair in "${pair_list[@]}"; do
  master_kind=${pair%-*} backup_kind=${pair#*-}
  [ "$master_kind" = ka ] && master_kind=keepalived
  [ "$backup_kind" = ka ] && backup_kind=keepalived
  start_host "$H2" "$backup_kind" 100
  start_host "$H1" "$master_kind" 150
  await "$pair: h1 MASTER with the VIP, h2 BACKUP" 60 settled
  for mode in KILL TERM; do
    times=()
    for t in $(seq 1 "$trials"); do
      sync_to_advert
      t0=$(now_ms)
      signal_host "$H1" "$mode"
      until has_vip "$H2"; do sleep 0.01; done
      t1=$(now_ms)
      reap_host "$H1"
      times+=($((t1 - t0)))
      printf '%-12s %-5s trial %d: %5d ms\n' "$pair" "$mode" "$t" "$((t1 - t0))"
      # a crashed master's host keeps the VIP; a real crash (power loss) would not
      ip -n "$H1" addr del "$VIP/24" dev eth0 2>/dev/null || true
      start_host "$H1" "$master_kind" 150
      await "$pair: h1 MASTER again" 60 settled
    done
    m=$(printf '%s\n' "${times[@]}" | median)
    MEDIAN[$pair-$mode]=$m
    printf '%-12s %-5s median:  %5d ms\n\n' "$pair" "$mode" "$m"
  done
  stop_host "$H1" TERM
  stop_host "$H2" TERM
  ip -n "$H1" addr del "$VIP/24" dev eth0 2>/dev/null || true
  ip -n "$H2" addr del "$VIP/24" dev eth0 2>/dev/null || true
done

echo "summary (median ms; ratio = pair / keepalived<->keepalived)"
printf '%-12s %10s %8s %10s %8s\n' pair "kill -9" ratio SIGTERM ratio
for pair in "${pair_list[@]}"; do
  k=${MEDIAN[$pair-KILL]} s=${MEDIAN[$pair-TERM]}
  rk=- rs=-
  if [ -n "${MEDIAN[ka-ka-KILL]:-}" ]; then
    rk=$(awk -v a="$k" -v b="${MEDIAN[ka-ka-KILL]}" 'BEGIN { printf "%.3f", a / b }')
    rs=$(awk -v a="$s" -v b="${MEDIAN[ka-ka-TERM]}" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }')
  fi
  printf '%-12s %10d %8s %10d %8s\n' "$pair" "$k" "$rk" "$s" "$rs"
done
