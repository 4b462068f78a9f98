#!/usr/bin/env bash
# lvs-forwarder (lvs4j's user-space L4 forwarder) side by side with HAProxy 2.6 in TCP mode on loopback,
# then a fault soak of the forwarder process. Prints tables and lvs4j/HAProxy ratios.
#
# Usage: benchmarks/forwarder-vs-haproxy.sh [--no-build] [--rounds N] [--seconds S] [--idle N]
#            [--soak-idle N] [--no-default-flags] [--profile] [--bench-only | --soak-only]
#   defaults: 5 rounds of 3 s per measurement, 5,000 idle connections for the memory figure,
#   10,000 (or as many as the forwarder's file-descriptor limit allows) in the soak.
# Needs: java 17, python3, taskset, haproxy, iperf3, wrk, nginx, jcmd; strace for --profile
#   (apt-get install -y haproxy iperf3 wrk nginx-light strace). Root is not needed, but the hard
#   open-files limit must hold 2 sockets per idle connection (20,000 on the reference machine).
#   Everything listens on 127.0.0.0/8; every process started is stopped on exit (KEEP=1 keeps the logs).
#   Builds with ./mvnw package (no install) unless --no-build.
#
# CPU pinning (the reference machine has 2 CPUs): each proxy on CPU 1 (the forwarder's JVM sees one
# processor, so it runs one event loop; HAProxy gets nbthread 1); load generators (iperf3 -c, wrk,
# the Python clients) and backends (nginx, iperf3 -s) on CPU 0. Both proxies (and the forwarder with
# JVM default flags, on 127.0.0.2) run at the same time, idle when not measured, and every
# measurement round visits the targets in a rotating order, so background load hits them alike.
#
# Measurements (medians over the rounds):
#   bulk      iperf3 -c through the proxy to iperf3 -s (one stream, S s), Gbit/s received; plus the
#             proxy's CPU time per GB relayed (utime+stime of the process / bytes)
#   conn/s    wrk -t1 -c50 -H 'Connection: close' against nginx (2 backends, tiny body), requests/s;
#             plus the proxy's CPU time per connection
#   latency   wrk --latency at a fixed moderate rate (wrk2 is not packaged: paced.lua delays each
#             request 10 ms): keep-alive, 10 connections (~1,000 req/s); and Connection: close,
#             5 connections (~500 conn/s). p50 and p99; "added" = through proxy - direct
#   memory    N idle connections (client <-> proxy <-> nginx) opened at once: VmRSS after - before,
#             over N; for the JVM also the live heap (GC.class_histogram after a full GC) over N
#   ratios    lvs4j/HAProxy as the ratio of the medians and as the median of the per-round ratios
#             ("paired": both measured moments apart, which cancels slow swings in background load)
#   --profile strace -c of each proxy under the Connection: close load: system calls per connection
# JVM flags: LVS4J_JAVA_OPTS (default below) for the measured forwarder; the "lvs4j-default" column is
# the same forwarder with no flags (on one CPU the JVM picks SerialGC and a heap of 1/4 of RAM). Both
# log GC pauses (-Xlog:gc), summarized after the table.
#
# Fault soak (one forwarder, keepalived-soak.conf): fds (/proc/PID/fd), VmRSS, live heap and threads
# are recorded after a warm-up, then after each scenario (once its relays ended, 5.5 s, jcmd GC.run):
# a real server killed mid-transfer (iperf3), one that refuses, one that accepts and never answers,
# one that never accepts (connect timeout), clients that reset (SO_LINGER 0), 10,000 concurrent idle
# connections (fewer if the fd limit says so), malformed configurations loaded with SIGHUP, malformed
# lvsadm commands and raw garbage on the control socket. Prints a PASS/FAIL table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HERE=$ROOT/benchmarks/forwarder

build=1 rounds=5 secs=3 idle_n=5000 soak_idle=10000 with_default=1 profile=0 do_bench=1 do_soak=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --seconds) secs=$2; shift 2 ;;
    --idle) idle_n=$2; shift 2 ;;
    --soak-idle) soak_idle=$2; shift 2 ;;
    --no-default-flags) with_default=0; shift ;;
    --profile) profile=1; shift ;;
    --bench-only) do_soak=0; shift ;;
    --soak-only) do_bench=0; shift ;;
    *) echo "unknown argument: $1 (accepted: --no-build, --rounds N, --seconds S, --idle N, --soak-idle N," \
            "--no-default-flags, --profile, --bench-only, --soak-only)" >&2; exit 2 ;;
  esac
done

FWD_OPTS=${LVS4J_JAVA_OPTS:--XX:+UseG1GC -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g}
PROXY_CPU=1 LOAD_CPU=0

for tool in java python3 taskset haproxy iperf3 wrk nginx jcmd ss; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y haproxy iperf3 wrk nginx-light)" >&2; exit 1; }
done
[ "$(nproc --all)" -ge 2 ] || { echo "needs 2 CPUs (proxy on CPU 1, load on CPU 0)" >&2; exit 1; }
[ "$profile" = 0 ] || command -v strace >/dev/null || { echo "--profile needs strace" >&2; exit 1; }
ports="15201 15301 18080 18081 18082 25201 28080 16001 16002 16003 16004 16005 16101 16102 16103 16104"
for p in $ports; do
  if ss -Htln "sport = :$p" | grep -q .; then echo "port $p is in use; stop what listens there" >&2; exit 1; fi
done

if [ "$build" = 1 ]; then
  echo "building (./mvnw -q -B package -DskipTests)..."
  ./mvnw -q -B package -DskipTests
fi
[ -f lvs-forwarder/target/lvs-forwarder.jar ] || { echo "lvs-forwarder is not built (./mvnw package)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/lvs4j-fwd-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers (nobody) read www/
declare -a STARTED=()

cleanup() {
  set +e
  local p
  for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${STARTED[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers -----------------------------------------------------------------------------------------
HZ=$(getconf CLK_TCK)
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
threads() { awk '/^Threads/{print $2}' "/proc/$1/status"; }
nfds() { ls "/proc/$1/fd" | wc -l; }
cpu_ticks() { [ -z "$1" ] && { echo 0; return; }; sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
live_heap() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 == "Total" {print $3}'; }
gc() { jcmd "$1" GC.run >/dev/null 2>&1 || true; }
gc_name() { jcmd "$1" VM.info 2>/dev/null | awk '/^# Java VM:/ {n = split($0, f, ", "); for (i = 1; i <= n; i++) if (f[i] ~ / gc$/) print f[i]; exit}'; }
heap_max() { jcmd "$1" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/ {printf "%.0f MiB", $2 / 1048576}'; }
app_threads() { jcmd "$1" Thread.print 2>/dev/null | grep -c '^"lvs4j-' || true; }
alive() { kill -0 "$1" 2>/dev/null; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
paired() { # per-round values of A, per-round values of B -> per-round A/B
  awk -v a="$1" -v b="$2" 'BEGIN {n = split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= n; i++) if (x[i] != "nan" && y[i] != "nan" && y[i] + 0 != 0) printf "%.3f ", x[i] / y[i]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 == 0 || a == "nan" || b == "nan") print "n/a"; else printf "%.2f", a / b}'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN {if (v == "nan" || v == "") print "n/a"; else printf f, v}'; }
on_load() { taskset -c $LOAD_CPU "$@"; }
start_bg() { # log-file command... -> pid in $BG (an external command, so $! is its own pid)
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  BG=$!
  STARTED+=("$BG")
}
wait_listen() { # addr:port timeout-s
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    ss -Htln "src ${1%:*} and sport = :${1##*:}" | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listens on $1 after $2 s" >&2
  return 1
}
wait_fds() { # pid target-count timeout-s [ge|le]
  local i n
  for ((i = 0; i < $3 * 10; i++)); do
    n=$(nfds "$1")
    if [ "${4:-ge}" = ge ]; then [ "$n" -ge "$2" ] && return 0; else [ "$n" -le "$2" ] && return 0; fi
    sleep 0.1
  done
  return 1
}
stop_pid() { kill "$1" 2>/dev/null || true; for _ in 1 2 3 4 5 6 7 8 9 10; do alive "$1" || return 0; sleep 0.2; done; kill -9 "$1" 2>/dev/null || true; }
to_us() { # wrk latency value (e.g. 606.00us, 1.25ms, 1.02s) -> microseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) {sub(/us$/, "", v); print v + 0}
    else if (v ~ /ms$/) {sub(/ms$/, "", v); print v * 1000}
    else if (v ~ /m$/) {sub(/m$/, "", v); print v * 60000000}
    else if (v ~ /s$/) {sub(/s$/, "", v); print v * 1000000}
    else print "nan"}'
}
background_load() {
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); busiest processes (ps %CPU over their lifetime, this run's included):"
  ps -eo pid,pcpu,comm --sort=-pcpu | awk -v me=$$ 'NR > 1 && $2 > 5 {printf "  pid %s %s%% %s\n", $1, $2, $3; n++} n == 4 {exit}'
}

# --- backends (CPU 0) ----------------------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/tmp"
truncate -s 256M "$WORK/www/big"
start_bg "$WORK/nginx.out" taskset -c $LOAD_CPU nginx -p "$WORK" -c "$HERE/nginx.conf"
NGINX=$BG
start_bg "$WORK/iperf3-s.log" taskset -c $LOAD_CPU iperf3 -s -B 127.0.0.1 -p 15301
IPERF_S=$BG
wait_listen 127.0.0.1:18081 10
wait_listen 127.0.0.1:15301 10

start_forwarder() { # name conf opts -> pid in $BG (GC pauses logged to $WORK/name-gc.log)
  local name=$1 conf=$2 opts=$3
  start_bg "$WORK/$name.log" taskset -c $PROXY_CPU env JAVA_OPTS="$opts -Xlog:gc:file=$WORK/$name-gc.log" \
    "$ROOT/bin/lvs-forwarder" -f "$conf" \
    --control "$WORK/$name.sock" --drain 1 -l
}

declare -A PID=() VIP=() IPERF_PORT=() HTTP_PORT=()
TARGETS=(direct)
VIP[direct]=127.0.0.1 IPERF_PORT[direct]=15301 HTTP_PORT[direct]=18081 PID[direct]=""

if [ "$do_bench" = 1 ]; then
  echo
  echo "=== lvs4j forwarder vs HAProxy $(haproxy -v | awk 'NR == 1 {print $3}'), TCP mode, loopback ==="
  echo "machine: $(nproc --all) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -r)," \
       "$(java -version 2>&1 | awk -F'"' 'NR == 1 {print $2}')"
  echo "pinning: proxies on CPU $PROXY_CPU; iperf3, wrk, nginx and clients on CPU $LOAD_CPU"
  echo "forwarder JVM flags: $FWD_OPTS (lvs4j-default: none)"
  background_load

  cp "$HERE/keepalived-bench.conf" "$WORK/bench.conf"
  start_forwarder lvs4j "$WORK/bench.conf" "$FWD_OPTS"
  PID[lvs4j]=$BG VIP[lvs4j]=127.0.0.1 IPERF_PORT[lvs4j]=15201 HTTP_PORT[lvs4j]=18080
  TARGETS+=(lvs4j)
  start_bg "$WORK/haproxy.log" taskset -c $PROXY_CPU haproxy -db -f "$HERE/haproxy.cfg"
  PID[haproxy]=$BG VIP[haproxy]=127.0.0.1 IPERF_PORT[haproxy]=25201 HTTP_PORT[haproxy]=28080
  TARGETS+=(haproxy)
  if [ "$with_default" = 1 ]; then
    sed 's/^virtual_server 127\.0\.0\.1 /virtual_server 127.0.0.2 /' "$HERE/keepalived-bench.conf" > "$WORK/bench-default.conf"
    start_forwarder lvs4j-default "$WORK/bench-default.conf" ""
    PID[lvs4j-default]=$BG VIP[lvs4j-default]=127.0.0.2 IPERF_PORT[lvs4j-default]=15201 HTTP_PORT[lvs4j-default]=18080
    TARGETS+=(lvs4j-default)
  fi
  for t in "${TARGETS[@]}"; do
    [ "$t" = direct ] && continue
    wait_listen "${VIP[$t]}:${HTTP_PORT[$t]}" 30 || { cat "$WORK/$t.log" >&2; exit 1; }
    wait_listen "${VIP[$t]}:${IPERF_PORT[$t]}" 30
  done
  echo "forwarder event loops: $(jcmd "${PID[lvs4j]}" Thread.print 2>/dev/null | grep -c '"lvs4j-forwarder-[0-9]') (lvs4j)," \
       "GC: $(gc_name "${PID[lvs4j]}"), heap $(heap_max "${PID[lvs4j]}") (lvs4j);" \
       "$(gc_name "${PID[lvs4j-default]:-${PID[lvs4j]}}"), heap $(heap_max "${PID[lvs4j-default]:-${PID[lvs4j]}}") (lvs4j-default)"

  # --- memory per idle connection (first: the table holds only a handful of entries now) --------------
  # warm up with keep-alive traffic only (few table entries, nothing expires during the measurement)
  for t in "${TARGETS[@]}"; do
    [ "$t" = direct ] && continue
    on_load wrk -t1 -c16 -d2s "http://${VIP[$t]}:${HTTP_PORT[$t]}/" >/dev/null
  done
  declare -A MEM_RSS=() MEM_HEAP=() MEM_BASE=()
  for t in "${TARGETS[@]}"; do
    [ "$t" = direct ] && continue
    p=${PID[$t]}
    jvm=0; [ "$t" != haproxy ] && jvm=1
    [ $jvm = 1 ] && sleep 5 && gc "$p"
    sleep 1
    f0=$(nfds "$p") r0=$(rss_kb "$p") h0=""
    [ $jvm = 1 ] && h0=$(live_heap "$p")
    coproc IDLE { exec taskset -c $LOAD_CPU python3 "$HERE/faults.py" idle "${VIP[$t]}" "${HTTP_PORT[$t]}" "$idle_n"; }
    STARTED+=("$IDLE_PID")
    read -r -t 60 ready <&"${IDLE[0]}" || true
    if ! wait_fds "$p" $((f0 + 2 * idle_n)) 60; then
      echo "$t: only $(($(nfds "$p") - f0)) of $((2 * idle_n)) sockets after 60 s" >&2
    fi
    if [ $jvm = 1 ]; then
      sleep 6   # the forwarder keeps a cancelled connect timer (and what it references) until its 5 s deadline
      gc "$p"; sleep 0.5
    else
      sleep 1
    fi
    r1=$(rss_kb "$p") h1=""
    [ $jvm = 1 ] && h1=$(live_heap "$p")
    MEM_RSS[$t]=$(awk -v a="$r0" -v b="$r1" -v n="$idle_n" 'BEGIN {printf "%.0f", (b - a) * 1024 / n}')
    MEM_BASE[$t]=$((r0 / 1024))
    [ $jvm = 1 ] && MEM_HEAP[$t]=$(awk -v a="$h0" -v b="$h1" -v n="$idle_n" 'BEGIN {printf "%.0f", (b - a) / n}')
    eval "exec ${IDLE[1]}>&-"   # close the client's stdin: it closes its connections
    wait "$IDLE_PID" 2>/dev/null || true
    wait_fds "$p" $((f0 + 2)) 30 le || echo "$t: fds did not come back ($(nfds "$p") vs $f0)" >&2
  done

  # --- warm-up of the remaining paths --------------------------------------------------------------------
  for t in "${TARGETS[@]}"; do
    on_load wrk -t1 -c50 -d2s -H 'Connection: close' "http://${VIP[$t]}:${HTTP_PORT[$t]}/" >/dev/null
    on_load iperf3 -c "${VIP[$t]}" -p "${IPERF_PORT[$t]}" -t 2 >/dev/null
  done

  # --- measurement rounds ----------------------------------------------------------------------------------
  declare -A BW=() BWCPU=() CPS=() CPSCPU=() KA50=() KA99=() CL50=() CL99=() ERRS=()
  run_wrk() { # target seconds args... -> "rps p50 p99 requests errors" (latency in us)
    local t=$1 s=$2; shift 2
    on_load wrk -t1 -d"${s}s" --latency "$@" "http://${VIP[$t]}:${HTTP_PORT[$t]}/" > "$WORK/wrk.out" 2>&1 || true
    local rps p50 p99 n e
    rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.out")
    p50=$(to_us "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.out")")
    p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")")
    n=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
    e=$(awk '/Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} /Non-2xx/ {n += $NF} END {print n + 0}' "$WORK/wrk.out")
    echo "${rps:-nan} ${p50:-nan} ${p99:-nan} ${n:-0} ${e:-0}"
  }
  echo
  echo "running $rounds rounds x ${#TARGETS[@]} targets (${TARGETS[*]}), $secs s per measurement..."
  for ((r = 0; r < rounds; r++)); do
    order=("${TARGETS[@]:r % ${#TARGETS[@]}}" "${TARGETS[@]:0:r % ${#TARGETS[@]}}")
    for t in "${order[@]}"; do
      p=${PID[$t]}
      c0=$(cpu_ticks "$p")
      on_load iperf3 -c "${VIP[$t]}" -p "${IPERF_PORT[$t]}" -t "$secs" -J > "$WORK/iperf.json" 2>&1 || true
      c1=$(cpu_ticks "$p")
      read -r bps bytes < <(python3 -c 'import json,sys
try:
    e = json.load(open(sys.argv[1]))["end"]["sum_received"]; print(e["bits_per_second"], e["bytes"])
except Exception:
    print("nan 0")' "$WORK/iperf.json")
      BW[$t]+="$(awk -v b="$bps" 'BEGIN {print b / 1e9}') "
      [ -n "$p" ] && BWCPU[$t]+="$(awk -v c=$((c1 - c0)) -v hz="$HZ" -v b="$bytes" 'BEGIN {if (b > 0) print c / hz / (b / 1e9); else print "nan"}') "
    done
    for t in "${order[@]}"; do
      p=${PID[$t]}
      c0=$(cpu_ticks "$p")
      read -r rps _ _ n e < <(run_wrk "$t" "$secs" -c50 -H 'Connection: close')
      c1=$(cpu_ticks "$p")
      CPS[$t]+="$rps "
      ERRS[$t]=$(( ${ERRS[$t]:-0} + e ))
      [ -n "$p" ] && CPSCPU[$t]+="$(awk -v c=$((c1 - c0)) -v hz="$HZ" -v n="$n" 'BEGIN {if (n > 0) print c / hz / n * 1e6; else print "nan"}') "
    done
    for t in "${order[@]}"; do
      read -r _ p50 p99 _ e < <(WRK_DELAY_MS=10 run_wrk "$t" "$secs" -c10 -s "$HERE/paced.lua")
      KA50[$t]+="$p50 " KA99[$t]+="$p99 "
      read -r _ p50 p99 _ e < <(WRK_DELAY_MS=10 run_wrk "$t" "$secs" -c5 -s "$HERE/paced.lua" -H 'Connection: close')
      CL50[$t]+="$p50 " CL99[$t]+="$p99 "
      ERRS[$t]=$(( ${ERRS[$t]:-0} + e ))
    done
    echo "  round $((r + 1)) done ($(cut -d' ' -f1 /proc/loadavg) load)"
  done

  # --- results -------------------------------------------------------------------------------------------
  declare -A M=()
  for t in "${TARGETS[@]}"; do
    M[bw,$t]=$(median ${BW[$t]}) M[cps,$t]=$(median ${CPS[$t]})
    M[bwcpu,$t]=$(median ${BWCPU[$t]:-nan}) M[cpscpu,$t]=$(median ${CPSCPU[$t]:-nan})
    M[ka50,$t]=$(median ${KA50[$t]}) M[ka99,$t]=$(median ${KA99[$t]})
    M[cl50,$t]=$(median ${CL50[$t]}) M[cl99,$t]=$(median ${CL99[$t]})
  done
  for t in "${TARGETS[@]}"; do
    for k in ka50 ka99 cl50 cl99; do
      M[add$k,$t]=$(awk -v a="${M[$k,$t]}" -v d="${M[$k,direct]}" 'BEGIN {print a - d}')
    done
  done
  cols=("${TARGETS[@]}")
  echo
  echo "Per-round values (rotating order):"
  for t in "${TARGETS[@]}"; do
    echo "  $t: Gbit/s [${BW[$t]% }]  conn/s [${CPS[$t]% }]  CPU us/conn [${CPSCPU[$t]:-} ]"
    echo "  $t: keep-alive p99 us [${KA99[$t]% }]  close p99 us [${CL99[$t]% }]  wrk socket errors ${ERRS[$t]:-0}"
  done
  echo
  # lvs4j/HAProxy two ways: ratio of the medians, and the median of the per-round ratios (each round
  # measures both close together in time, so a burst of background load tends to hit both)
  declare -A PR=()
  PR[bw]=$(median $(paired "${BW[lvs4j]}" "${BW[haproxy]}")) PR[cps]=$(median $(paired "${CPS[lvs4j]}" "${CPS[haproxy]}"))
  PR[bwcpu]=$(median $(paired "${BWCPU[lvs4j]}" "${BWCPU[haproxy]}")) PR[cpscpu]=$(median $(paired "${CPSCPU[lvs4j]}" "${CPSCPU[haproxy]}"))
  PR[ka50]=$(median $(paired "${KA50[lvs4j]}" "${KA50[haproxy]}")) PR[ka99]=$(median $(paired "${KA99[lvs4j]}" "${KA99[haproxy]}"))
  PR[cl50]=$(median $(paired "${CL50[lvs4j]}" "${CL50[haproxy]}")) PR[cl99]=$(median $(paired "${CL99[lvs4j]}" "${CL99[haproxy]}"))
  printf '%-44s' "measure (median of $rounds rounds)"; for t in "${cols[@]}"; do printf '%14s' "$t"; done
  printf '%10s%10s\n' "lvs4j/" "paired"
  printf '%-44s' ""; for t in "${cols[@]}"; do printf '%14s' ""; done; printf '%10s%10s\n' "HAProxy" "ratio"
  row() { # label key format
    printf '%-44s' "$1"
    for t in "${cols[@]}"; do printf '%14s' "$(fmt "${M[$2,$t]:-nan}" "$3")"; done
    printf '%10s%10s\n' "$(ratio "${M[$2,lvs4j]:-nan}" "${M[$2,haproxy]:-nan}")" "$(fmt "${PR[$2]:-nan}" "%.2f")"
  }
  row "bulk throughput, Gbit/s (iperf3, 1 stream)" bw "%.2f"
  row "  proxy CPU per GB relayed, s" bwcpu "%.3f"
  row "connections/s (wrk -c50, Connection: close)" cps "%.0f"
  row "  proxy CPU per connection, us" cpscpu "%.1f"
  row "keep-alive latency p50, us (~1,000 req/s)" ka50 "%.0f"
  row "keep-alive latency p99, us" ka99 "%.0f"
  row "  added p50 (proxy - direct), us" addka50 "%.0f"
  row "  added p99 (proxy - direct), us" addka99 "%.0f"
  row "close latency p50, us (~500 conn/s)" cl50 "%.0f"
  row "close latency p99, us" cl99 "%.0f"
  row "  added p50 (proxy - direct), us" addcl50 "%.0f"
  row "  added p99 (proxy - direct), us" addcl99 "%.0f"
  for t in "${cols[@]}"; do M[rss,$t]=${MEM_RSS[$t]:-nan} M[heap,$t]=${MEM_HEAP[$t]:-nan} M[base,$t]=${MEM_BASE[$t]:-nan}; done
  row "idle process RSS before, MiB" base "%.0f"
  row "memory per idle connection, RSS bytes ($idle_n)" rss "%.0f"
  row "  live Java heap per idle connection, bytes" heap "%.0f"
  echo
  verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN {if (v == "n/a") print "n/a"; else if ((dir == "ge" && v >= t) || (dir == "le" && v <= t)) print "MET"; else print "MISSED"}'; }
  target() { # label key threshold ge|le
    local a b
    a=$(ratio "${M[$2,lvs4j]}" "${M[$2,haproxy]}") b=$(fmt "${PR[$2]:-nan}" "%.2f")
    printf '  %-46s ratio of medians %5s %-7s paired %5s %s\n' "$1" "$a" "$(verdict "$a" "$3" "$4")" "$b" "$(verdict "$b" "$3" "$4")"
  }
  echo "Targets (lvs4j with the flags above vs HAProxy):"
  target "bulk throughput >= 0.95 x HAProxy" bw 0.95 ge
  target "connections/s >= 0.80 x HAProxy" cps 0.80 ge
  target "p99 latency <= 1.5 x HAProxy (keep-alive)" ka99 1.5 le
  target "p99 latency <= 1.5 x HAProxy (Connection: close)" cl99 1.5 le
  echo "  (CPU cost ratios, lvs4j/HAProxy: per GB $(ratio "${M[bwcpu,lvs4j]}" "${M[bwcpu,haproxy]}")," \
       "per connection $(ratio "${M[cpscpu,lvs4j]}" "${M[cpscpu,haproxy]}"))"
  if [ "$with_default" = 1 ]; then
    echo "  lvs4j-default/lvs4j: bulk $(ratio "${M[bw,lvs4j-default]}" "${M[bw,lvs4j]}"), conn/s $(ratio "${M[cps,lvs4j-default]}" "${M[cps,lvs4j]}")," \
         "keep-alive p99 $(ratio "${M[ka99,lvs4j-default]}" "${M[ka99,lvs4j]}"), close p99 $(ratio "${M[cl99,lvs4j-default]}" "${M[cl99,lvs4j]}")"
  fi
  for t in lvs4j lvs4j-default; do
    [ -f "$WORK/$t-gc.log" ] || continue
    echo "$t GC pauses during the run: $(awk '/Pause/ {ms = $NF; sub(/ms$/, "", ms); n++; s += ms; if (ms > m) m = ms}
      END {if (n) printf "%d, max %.1f ms, total %.0f ms", n, m, s; else print "none"}' "$WORK/$t-gc.log")"
  done
  background_load

  if [ "$profile" = 1 ]; then
    echo
    echo "Profile: system calls per connection (strace -c -f for 3 s of wrk -c50 Connection: close; strace slows both)"
    for t in lvs4j haproxy; do
      p=${PID[$t]}
      ( on_load wrk -t1 -c50 -d5s -H 'Connection: close' "http://${VIP[$t]}:${HTTP_PORT[$t]}/" > "$WORK/prof-wrk.out" 2>&1 ) &
      wp=$!
      sleep 1
      timeout -s INT 3 strace -c -f -o "$WORK/strace-$t.txt" -p "$p" >/dev/null 2>&1 || true
      wait "$wp"
      total=$(awk '$NF == "total" {print $4}' "$WORK/strace-$t.txt")
      accepts=$(awk '$NF ~ /^accept4?$/ {n += $4} END {print n + 0}' "$WORK/strace-$t.txt")
      echo "  $t: $total system calls for ~$accepts accepted connections = $(ratio "$total" "$accepts") per connection; busiest:"
      awk -v a="$accepts" 'NR > 2 && $1 ~ /^[0-9.]+$/ && $NF != "total" && a > 0 {printf "    %-14s %6.2f per connection\n", $NF, $4 / a}' \
        "$WORK/strace-$t.txt" | sort -k2 -gr | head -14
    done
  fi

  for t in lvs4j-default haproxy lvs4j; do [ -n "${PID[$t]:-}" ] && stop_pid "${PID[$t]}"; done
fi

# === fault soak ==========================================================================================
if [ "$do_soak" = 1 ]; then
  echo
  echo "=== fault soak: one forwarder process (JVM flags: $FWD_OPTS), pinned to CPU $PROXY_CPU ==="
  cp "$HERE/keepalived-soak.conf" "$WORK/soak.conf"
  start_forwarder soak "$WORK/soak.conf" "$FWD_OPTS"
  F=$BG
  SOCK=$WORK/soak.sock
  wait_listen 127.0.0.1:16005 30 || { cat "$WORK/soak.log" >&2; exit 1; }
  lvsadm() { "$ROOT/bin/lvsadm" --control "$SOCK" "$@"; }
  fd_limit=$(awk '/Max open files/ {print $4}' "/proc/$F/limits")
  # warm-up (traffic, the control socket's 4 worker threads, the reload thread), then the baseline
  on_load wrk -t1 -c16 -d2s "http://127.0.0.1:16005/" >/dev/null
  on_load wrk -t1 -c16 -d2s -H 'Connection: close' "http://127.0.0.1:16005/" >/dev/null
  lp=()
  for i in 1 2 3 4; do lvsadm -L -n >/dev/null & lp+=($!); done
  wait "${lp[@]}"
  kill -HUP "$F"
  sleep 6; gc "$F"; sleep 0.5
  B_FD=$(nfds "$F") B_RSS=$(rss_kb "$F") B_HEAP=$(live_heap "$F") B_THR=$(threads "$F") B_APP=$(app_threads "$F")
  echo "baseline: $B_FD fds (limit $fd_limit), RSS $((B_RSS / 1024)) MiB, live heap $((B_HEAP / 1024)) KiB," \
       "$B_THR threads ($B_APP lvs4j-*)"
  declare -a SOAK=()
  SOAK_FAIL=0
  table_conns() { lvsadm -L -n 2>/dev/null | awk '$1 == "->" && $2 ~ /:/ {a += $5; i += $6} END {print a + 0, i + 0}'; }
  check() { # scenario-name detail
    local name=$1 detail=$2 ok=PASS why="" fd rss heap thr app act inact
    # give the relays a moment to finish; a closed relay stays referenced by its cancelled connect
    # timer until the timer's deadline (5 s), so wait that long before collecting garbage
    wait_fds "$F" $((B_FD + 2)) 15 le || true
    sleep 5.5; gc "$F"; sleep 0.5
    if ! alive "$F"; then
      SOAK+=("$(printf '%-34s %-5s %s' "$name" FAIL "forwarder process is gone")"); SOAK_FAIL=1; return
    fi
    fd=$(nfds "$F") rss=$(rss_kb "$F") heap=$(live_heap "$F") thr=$(threads "$F") app=$(app_threads "$F")
    read -r act inact < <(table_conns)
    [ "$fd" -le $((B_FD + 2)) ] || { ok=FAIL; why+=" fds +$((fd - B_FD))"; }
    [ "$app" -le "$B_APP" ] || { ok=FAIL; why+=" lvs4j threads +$((app - B_APP))"; }
    # table entries rest in CLOSE/TIME_WAIT for IPVS's timeouts (10 s / 120 s): allow 1 KiB each + 4 MiB
    [ "$heap" -le $((B_HEAP + 4 * 1048576 + inact * 1024)) ] || { ok=FAIL; why+=" live heap +$(((heap - B_HEAP) / 1024)) KiB"; }
    [ "$rss" -le $((B_RSS + 128 * 1024)) ] || { ok=FAIL; why+=" RSS +$(((rss - B_RSS) / 1024)) MiB"; }
    [ "$ok" = PASS ] || SOAK_FAIL=1
    SOAK+=("$(printf '%-32s %-4s %5d %+4d %5d %+4d %7d %+6d %4d %+3d %6s  %s%s' \
      "$name" "$ok" "$fd" $((fd - B_FD)) $((rss / 1024)) $(((rss - B_RSS) / 1024)) $((heap / 1024)) $(((heap - B_HEAP) / 1024)) \
      "$thr" $((thr - B_THR)) "$act/$inact" "$detail" "${why:+ -- FAIL:$why}")")
    echo "  ${SOAK[-1]}"
  }

  echo "1. real server dies mid-transfer (iperf3 -s killed with SIGKILL 2 s into a 6 s test), 3 times"
  outcomes=""
  for i in 1 2 3; do
    start_bg "$WORK/iperf3-soak-s.log" taskset -c $LOAD_CPU iperf3 -s -B 127.0.0.1 -p 16101 -1
    srv=$BG
    wait_listen 127.0.0.1:16101 10
    ( on_load iperf3 -c 127.0.0.1 -p 16001 -t 6 -P 2 > "$WORK/iperf3-soak-c.log" 2>&1 ) &
    cli=$!
    sleep 2
    kill -9 "$srv"; wait "$srv" 2>/dev/null || true
    wait "$cli" && outcomes+="completed " || outcomes+="client-error "
  done
  check "server dies mid-transfer x3" "(clients: ${outcomes% })"

  echo "2. real server refuses (nothing on 127.0.0.1:16102): 500 clients one after another"
  res=$(on_load python3 "$HERE/faults.py" refused 127.0.0.1 16002 500)
  check "server refuses x500" "($res)"

  echo "3. real server accepts and never answers: 200 clients wait 2 s, give up (FIN); then it stops"
  start_bg "$WORK/stall.log" taskset -c $LOAD_CPU python3 "$HERE/faults.py" stall-server 127.0.0.1 16103
  stall_srv=$BG
  wait_listen 127.0.0.1:16103 10
  res=$(on_load python3 "$HERE/faults.py" stall 127.0.0.1 16003 200 2)
  held=$(($(nfds "$F") - B_FD))
  stop_pid "$stall_srv"
  check "server stalls x200" "($res; $held sockets held while it stalled)"

  echo "4. real server never accepts (backlog full): 50 clients wait 7 s (connect timeout 5 s)"
  start_bg "$WORK/blackhole.log" taskset -c $LOAD_CPU python3 "$HERE/faults.py" blackhole-server 127.0.0.1 16104
  bh_srv=$BG
  wait_listen 127.0.0.1:16104 10
  res=$(on_load python3 "$HERE/faults.py" stall 127.0.0.1 16004 50 7)
  stop_pid "$bh_srv"
  check "server never accepts x50" "($res)"

  echo "5. clients that reset (SO_LINGER 0): 1,000, half right after connecting, half mid-download"
  res=$(on_load python3 "$HERE/faults.py" reset 127.0.0.1 16005 1000 /big)
  check "clients reset x1000" "($res)"

  n=$soak_idle
  fit=$(((fd_limit - B_FD - 16) / 2))
  note=""
  if [ "$n" -gt "$fit" ]; then note="; $soak_idle do not fit in the fd limit $fd_limit (2 per connection + $B_FD)"; n=$fit; fi
  echo "6. $n concurrent idle connections$note"
  coproc SOAKIDLE { exec taskset -c $LOAD_CPU python3 "$HERE/faults.py" idle 127.0.0.1 16005 "$n"; }
  STARTED+=("$SOAKIDLE_PID")
  read -r -t 90 ready <&"${SOAKIDLE[0]}" || ready="client not ready"
  wait_fds "$F" $((B_FD + 2 * n)) 90 || true
  peak_fd=$(nfds "$F") peak_rss=$(rss_kb "$F")
  gc "$F"; peak_heap=$(live_heap "$F")
  probe=$(curl -s -m 5 http://127.0.0.1:16005/ || echo "no answer")
  eval "exec ${SOAKIDLE[1]}>&-"
  wait "$SOAKIDLE_PID" 2>/dev/null || true
  check "idle connections x$n" "(peak $peak_fd fds, RSS $((peak_rss / 1024)) MiB, heap +$(((peak_heap - B_HEAP) / n)) B/conn; request meanwhile: ${probe%%$'\n'*})"

  echo "7. malformed configurations, each loaded with SIGHUP (the old configuration must stay)"
  before=$(lvsadm -S -n)
  refused_count() { grep -a -c 'Reload refused' "$WORK/soak.log" || true; }
  bad=0 total=0
  try_reload() { # label (the file has been changed)
    local c0 i ok=ok l0
    c0=$(refused_count) l0=$(wc -l < "$WORK/soak.log")
    kill -HUP "$F"
    for ((i = 0; i < 100; i++)); do [ "$(refused_count)" -gt "$c0" ] && break; sleep 0.1; done
    [ "$(refused_count)" -gt "$c0" ] || ok="not refused"
    alive "$F" || ok="process gone"
    [ "$(lvsadm -S -n)" = "$before" ] || ok="table changed"
    curl -s -m 5 -o /dev/null http://127.0.0.1:16005/ || ok="no traffic"
    total=$((total + 1)); [ "$ok" = ok ] || bad=$((bad + 1))
    printf '     %-36s %s; first error logged: %s\n' "$1" "$ok" \
      "$(tail -n +$((l0 + 1)) "$WORK/soak.log" | grep -a -m 1 'ERROR' | sed 's/^.*ERROR[: ]*//' | LC_ALL=C tr -c '[:print:]\n' '?' | cut -c1-90)"
  }
  conf=$WORK/soak.conf good=$WORK/soak.conf.good
  cp "$conf" "$good"
  { cat "$good"; echo "virtual_server 127.0.0.1 16009 {"; echo "    lb_algo rr"; } > "$conf"; try_reload "unclosed brace"
  sed 's/weight 1/weight many/' "$good" > "$conf"; try_reload "weight many"
  sed 's/lb_algo wlc/lb_algo nosuch/' "$good" > "$conf"; try_reload "unknown scheduler"
  { cat "$good"; printf 'virtual_server fwmark 1 {\n    real_server 10.0.0.2 {\n    }\n}\n'; } > "$conf"; try_reload "fwmark service without port/lb_kind"
  python3 -c 'import random, sys; r = random.Random(5); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(4096)))' > "$conf"
  try_reload "4 KiB of (seeded) random bytes"
  rm -f "$conf"; try_reload "file removed"
  cp "$good" "$conf"
  kill -HUP "$F"; sleep 1
  echo "     good file again: $( [ "$(lvsadm -S -n)" = "$before" ] && echo "table unchanged" || echo "table changed")"
  check "malformed configs x$total (SIGHUP)" "($((total - bad)) of $total refused with the old config kept)"

  echo "8. malformed lvsadm commands (bin/lvsadm), then malformed requests straight to the control socket"
  bad=0 total=0
  try_lvsadm() { # command...
    local rc out lines
    set +e
    out=$(lvsadm "$@" 2>&1 >/dev/null </dev/null); rc=$?
    set -e
    lines=$(printf '%s' "$out" | grep -c . || true)
    total=$((total + 1))
    [ "$rc" -ne 0 ] && [ "$lines" -ge 1 ] || bad=$((bad + 1))
    printf '     lvsadm %-44s exit %3d, %d line(s): %s\n' "$*" "$rc" "$lines" "$(printf '%s' "$out" | head -n 1 | cut -c1-120)"
  }
  try_lvsadm -A -t 127.0.0.1
  try_lvsadm -A -t 300.1.2.3:80
  try_lvsadm -A -t 127.0.0.1:16099 -s nosuch
  try_lvsadm -A -t 127.0.0.1:16005
  try_lvsadm -a -t 127.0.0.1:16005 -r 127.0.0.1:18081 -m
  try_lvsadm -a -t 127.0.0.1:16005 -r 127.0.0.1:18083 -w -5
  try_lvsadm -d -t 127.0.0.1:16005 -r 10.9.9.9:1
  try_lvsadm -D -t 10.9.9.9:1
  try_lvsadm -E -t 10.9.9.9:1 -s rr
  try_lvsadm --frobnicate
  try_lvsadm -L -n --control "$WORK/no-such.sock"
  set +e
  out=$(printf -- '-A -t 1.2.3.4\n-a garbage\n' | lvsadm -R 2>&1 >/dev/null); rc=$?
  set -e
  total=$((total + 1)); [ "$rc" -ne 0 ] || bad=$((bad + 1))
  printf '     lvsadm -R < garbage                               exit %3d: %s\n' "$rc" "$(printf '%s' "$out" | head -n 1 | cut -c1-80)"
  on_load python3 "$HERE/faults.py" garbage-control "$SOCK" | sed 's/^/   /'
  same=$( [ "$(lvsadm -S -n)" = "$before" ] && echo "table unchanged" || echo "TABLE CHANGED")
  [ "$same" = "table unchanged" ] || bad=$((bad + 1))
  check "malformed lvsadm x$total + raw" "($((total - bad)) of $total: non-zero exit and a message; $same)"

  echo
  echo "Fault soak. After each scenario: wait for the relays to end, 5.5 s, jcmd GC.run, then measure."
  echo "PASS = process alive, fds <= baseline+2, no new lvs4j-* thread, live heap <= baseline + 4 MiB + 1 KiB per"
  echo "table entry still resting in its IPVS state (act/in = ActiveConn/InActConn: SYN_RECV 60 s, CLOSE 10 s,"
  echo "TIME_WAIT 120 s), RSS <= baseline + 128 MiB. Baseline: $B_FD fds, RSS $((B_RSS / 1024)) MiB, heap $((B_HEAP / 1024)) KiB, $B_THR threads."
  printf '  %-32s %-4s %5s %4s %5s %4s %7s %6s %4s %3s %6s  %s\n' scenario "" fds "+-" "RSS" "MiB" "heapKiB" "+-" thr "+-" "act/in" "detail"
  for line in "${SOAK[@]}"; do echo "  $line"; done
  final="$(alive "$F" && echo alive || echo DEAD)"
  echo "forwarder process at the end: $final (pid $F), $(nfds "$F") fds (baseline $B_FD), RSS $(($(rss_kb "$F") / 1024)) MiB (baseline $((B_RSS / 1024)) MiB)"
  echo "unexpected log lines (errors other than the refused reloads):"
  grep -a -E 'ERROR|Exception' "$WORK/soak.log" | grep -a -v 'Reload refused\|soak\.conf' | head -5 | LC_ALL=C tr -c '[:print:]\n' '?' | sed 's/^/  log: /' || true
  [ "$final" = alive ] || SOAK_FAIL=1
  echo "soak: $([ "$SOAK_FAIL" = 0 ] && echo PASS || echo FAIL)"
fi
