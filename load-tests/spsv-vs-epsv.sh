#!/usr/bin/env bash
# Server CPU per small transfer over SPSV against EPSV: one Keyhole, warmed up on both kinds, then
# the load generator's small-files scenario against it, alternating the data channel kind (SPSV
# first in odd pairs, EPSV first in even ones), each run's CPU read from /proc around it. The
# same server process serves every run, so no run pays a JVM's start or its compiling.
#
# Usage: load-tests/spsv-vs-epsv.sh [PAIRS (default 3)] [CLIENTS (default 200)] [DURATION (default 15s)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
pairs="${1:-3}"
clients="${2:-200}"
duration="${3:-15s}"
mkdir -p "$work/root"
start_keyhole 2989 --root "$work/root" --max-sessions 20000
url="ftp://u:p@127.0.0.1:2989/"

# load DURATION WARMUP KIND: the result line of one small-files run
load() {
  "$here/keyhole" load small-files --target "$url" --clients "$clients" --duration "$1" --warmup "$2" \
    --data-channel "$3" --quiet --out "$work/results" | grep '^ftp://'
}

load 8s 20 epsv > /dev/null
load 8s 20 spsv > /dev/null
declare -A cpu_ms ops_total
printf '%-5s %-5s %10s %12s %18s\n' pair kind transfers "transfers/s" "CPU ms/transfer"
for pair in $(seq 1 "$pairs"); do
  order=(spsv epsv)
  [ $((pair % 2)) -eq 0 ] && order=(epsv spsv)
  for kind in "${order[@]}"; do
    c0="$(cpu "$keyhole_pid")"
    line="$(load "$duration" 0 "$kind")"
    c1="$(cpu "$keyhole_pid")"
    ops="$(awk '{print $3}' <<< "$line")"
    rate="$(awk '{print $4}' <<< "$line")"
    errors="$(awk '{print $13}' <<< "$line")"
    [ "$errors" = 0 ] || echo "  $kind: $errors errors" >&2
    ms="$(awk -v a="$c0" -v b="$c1" -v n="$ops" 'BEGIN {printf "%.4f", (b - a) * 1000 / n}')"
    printf '%-5s %-5s %10s %12s %18s\n' "$pair" "$kind" "$ops" "$rate" "$ms"
    cpu_ms[$kind]="$(awk -v t="${cpu_ms[$kind]:-0}" -v a="$c0" -v b="$c1" 'BEGIN {print t + (b - a) * 1000}')"
    ops_total[$kind]=$(( ${ops_total[$kind]:-0} + ops ))
  done
done
awk -v sc="${cpu_ms[spsv]}" -v so="${ops_total[spsv]}" -v ec="${cpu_ms[epsv]}" -v eo="${ops_total[epsv]}" \
  'BEGIN {printf "SPSV / EPSV over all pairs: CPU per transfer %.2fx, transfers %.2fx\n", (sc / so) / (ec / eo), so / eo}'
