#!/usr/bin/env bash
# What an SPDT relayed by another node of a cluster costs against the same transfer with its SPDT
# on its own node: two `keyhole serve` nodes in one cluster on 127.0.0.11 and 127.0.0.12, the
# load generator's SPSV client with its control connection on node a, and its data connections to
# node a (local) or to node b (`?spdt=`, relayed to a). Alternating, in one run: throughput of the
# timed transfers (the load generator's MB/s) and CPU seconds of both node processes together
# (from /proc) per invocation, which also moves the scenario's untimed preparation (retr-large
# uploads the file first, stor-large reads its uploads back): the same bytes in both variants.
#
# Usage: load-tests/cluster-relay.sh [SIZE (default 256m)] [REPEATS (default 4; the first is warm-up)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
size="${1:-256m}"
repeats="${2:-4}"
mkdir -p "$work/root"

"$here/keyhole" build >/dev/null
peers=(--cluster-peer a=127.0.0.11:2981 --cluster-peer b=127.0.0.12:2982)
start_node() { # id address port: sets node_pid
  "$here/keyhole" serve --bind "$2" --port "$3" --root "$work/root" --user load:load \
    --node-id "$1" "${peers[@]}" --data-channels spsv --max-sessions 20000 > "$work/$1.log" 2>&1 &
  node_pid=$!
  started+=("$node_pid")
  wait_listening "$work/$1.log"
}
start_node a 127.0.0.11 2981
a_pid="$node_pid"
start_node b 127.0.0.12 2982
b_pid="$node_pid"

declare -A cpu_total mbs_total
run() { # variant scenario url
  local c0 c1 out="$work/out-$1-$2-$i"
  c0="$(echo "$(cpu "$a_pid") + $(cpu "$b_pid")" | bc -l)"
  "$here/keyhole" load "$2" --target "$3" --size "$size" --clients 1 --count 2 --quiet --out "$out" > "$out.txt" 2>&1 \
    || { cat "$out.txt" >&2; exit 1; }
  c1="$(echo "$(cpu "$a_pid") + $(cpu "$b_pid")" | bc -l)"
  if grep -q "errors of" "$out.txt"; then cat "$out.txt" >&2; exit 1; fi
  local mbs
  mbs="$(awk '$1 ~ /^ftp:/ {print $5}' "$out.txt" | head -1)"
  if [ "$i" -gt 1 ]; then
    cpu_total[$1-$2]="$(echo "${cpu_total[$1-$2]:-0} + $c1 - $c0" | bc -l)"
    mbs_total[$1-$2]="$(echo "${mbs_total[$1-$2]:-0} + $mbs" | bc -l)"
  fi
}

for i in $(seq "$repeats"); do
  for scenario in retr-large stor-large; do
    run local "$scenario" "ftp://load:load@127.0.0.11:2981/"
    run relayed "$scenario" "ftp://load:load@127.0.0.11:2981/?spdt=127.0.0.12:2982"
  done
done
relays="$(grep -c "relayed to node a" "$work/b.log" || true)"
[ "$relays" -gt 0 ] || { echo "node b relayed nothing" >&2; exit 1; }

n=$((repeats - 1))
echo "SPDT local vs relayed by another node ($size, 2 transfers per invocation, $n invocations after one warm-up;"
echo "node b relayed $relays data connections)"
printf "%-20s %12s %14s\n" variant "MB/s (mean)" "CPU s (a+b)"
for name in local-retr-large relayed-retr-large local-stor-large relayed-stor-large; do
  printf "%-20s %12.0f %14.2f\n" "$name" "$(echo "${mbs_total[$name]} / $n" | bc -l)" \
    "$(echo "${cpu_total[$name]} / $n" | bc -l)"
done
for s in retr-large stor-large; do
  printf "relayed/local %s: throughput %.2fx, CPU %.2fx\n" "$s" \
    "$(echo "${mbs_total[relayed-$s]} / ${mbs_total[local-$s]}" | bc -l)" \
    "$(echo "${cpu_total[relayed-$s]} / ${cpu_total[local-$s]}" | bc -l)"
done
