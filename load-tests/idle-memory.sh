#!/usr/bin/env bash
# What a logged-in idle session costs a Keyhole server: memory (PSS, from /proc/PID/smaps_rollup),
# Java heap (live objects after a full GC, by class), kernel socket memory (/proc/net/sockstat)
# and file descriptors, at the idle baseline and with SESSIONS sessions held, each sending NOOP
# every 30 s. The load generator runs in processes of its own, at most 19,000 clients each (a
# process here may open 20,000 files), each process connecting from 20 loopback addresses of its
# own (127.0.N.2-127.0.N.21), so neither one address's ports nor one process's files are a limit.
#
# Usage: load-tests/idle-memory.sh [SESSIONS (default 19000)] [HOLD_SECONDS (default 60)] [-- extra JVM options for the server]
# CLIENTS_PER_PROCESS (default 19000) sets how many clients one load generator process runs.
# A run needs SESSIONS + a few hundred open files in the server (the launcher raises the soft
# limit to the hard one), and the load generator's processes as many in all.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
sessions="${1:-19000}"
hold="${2:-60}"
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
server_opts="$*"
port=2989
ramp=1000

"$here/keyhole" build >/dev/null 2>&1
mkdir -p "$work/root"
KEYHOLE_LOG_LEVEL=WARN KEYHOLE_JAVA_OPTS="$server_opts" "$here/keyhole" serve --bind "127.0.0.1:$port" \
  --user u:p --root "$work/root" --max-sessions $((sessions + 1000)) --max-sessions-per-ip $((sessions + 1000)) \
  --idle-timeout 10m > "$work/keyhole.log" 2>&1 &
pid=$!
started+=("$pid")
wait_listening "$work/keyhole.log"
jcmd="${JAVA_HOME:-/nonexistent}/bin/jcmd"
[ -x "$jcmd" ] || jcmd="$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd"

pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup"; }
rss_kib() { awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup"; }
tcp_mem_kib() { awk -v pg="$(getconf PAGESIZE)" '/^TCP:/ {for (i = 1; i < NF; i++) if ($i == "mem") print $(i + 1) * pg / 1024}' /proc/net/sockstat; }
fds() { ls "/proc/$pid/fd" | wc -l; }
# the kernel's slab (sockets, TCP state, epoll entries, files), machine-wide: both ends of each
# loopback connection, the load generator's included
slab_kib() { awk '/^Slab:/ {print $2}' /proc/meminfo; }
# live heap after a full GC, in KiB (GC.class_histogram forces one)
heap_kib() { "$jcmd" "$pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%d", $3 / 1024}'; }

# the baseline: a server that has served sessions (its code loaded and compiled), none open now
"$here/keyhole" load sessions --target "ftp://u:p@127.0.0.1:$port/" --clients 20 --duration 5s > /dev/null 2>&1
sleep 2
base_heap="$(heap_kib)"; sleep 1
base_pss="$(pss_kib)"; base_rss="$(rss_kib)"; base_tcp="$(tcp_mem_kib)"; base_fds="$(fds)"; base_slab="$(slab_kib)"

per_process="${CLIENTS_PER_PROCESS:-19000}"
processes=$(( (sessions + per_process - 1) / per_process ))
duration=$(( sessions / ramp + hold + 10 ))
loads=()
for i in $(seq 1 "$processes"); do
  clients=$(( i < processes ? per_process : sessions - per_process * (processes - 1) ))
  # each process ramps at its share of the rate, so that together they ramp at $ramp a second
  "$here/keyhole" load idle --target "ftp://u:p@127.0.0.1:$port/" --clients "$clients" \
    --ramp $(( ramp * clients / sessions > 0 ? ramp * clients / sessions : 1 )) \
    --duration "${duration}s" --keepalive 30s --source-address "127.0.$i.2-127.0.$i.21" --timeout 30s \
    > "$work/load-$i.txt" 2> "$work/load-$i.err" &
  loads+=("$!")
done
sleep $(( sessions / ramp + hold / 2 + 5 ))
open_now="$(ss -Htn state established "( sport = :$port )" | wc -l)"
held_heap="$(heap_kib)"; sleep 1
held_pss="$(pss_kib)"; held_rss="$(rss_kib)"; held_tcp="$(tcp_mem_kib)"; held_fds="$(fds)"; held_slab="$(slab_kib)"
"$jcmd" "$pid" GC.class_histogram 2>/dev/null | head -n 23 > "$work/histogram.txt"
for l in "${loads[@]}"; do wait "$l" || true; done

echo "Keyhole, $sessions idle sessions asked, $open_now connected at the sample (server options: ${server_opts:-none})"
for i in $(seq 1 "$processes"); do
  echo "load generator process $i:"
  grep -E '^(target|ftp://)' "$work/load-$i.txt" || tail -n 5 "$work/load-$i.err"
done
printf "%-30s %12s %12s %14s\n" "" baseline held "per session"
row() { printf "%-30s %12s %12s %14s\n" "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" -v n="$open_now" 'BEGIN {if (n > 0) printf "%.1f", (b - a) / n; else print "-"}')"; }
row "PSS, KiB" "$base_pss" "$held_pss"
row "RSS, KiB" "$base_rss" "$held_rss"
row "live heap after GC, KiB" "$base_heap" "$held_heap"
row "kernel TCP buffers, KiB" "$base_tcp" "$held_tcp"
row "kernel slab, both ends, KiB" "$base_slab" "$held_slab"
row "file descriptors" "$base_fds" "$held_fds"
echo "largest classes on the heap with the sessions held (after a full GC):"
sed -n '1,23p' "$work/histogram.txt"
