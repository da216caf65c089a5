#!/usr/bin/env bash
# Server CPU per operation of two Keyhole configurations, A and B, side by side: both started,
# warmed up, then loaded in turn by the same load-generator scenario (A first in odd pairs, B
# first in even ones), each run's CPU read from /proc around it. For deciding whether a setting
# or a JVM option pays before making it a default; the same process serves each side's runs, so
# no run pays a JVM's start or its compiling. Each JVM compiles its code its own way, which can
# favour one process throughout: run it again with A and B swapped before believing a difference.
#
# Usage: A_OPTS='serve options' A_JAVA='JVM options' B_OPTS=... B_JAVA=... \
#          load-tests/ab-cpu.sh [SCENARIO (small-files)] [PAIRS (3)] [CLIENTS (200)] [DURATION (15s)] [LOAD OPTIONS...]
# e.g.   A_JAVA= B_JAVA=-Djdk.virtualThreadScheduler.parallelism=1 load-tests/ab-cpu.sh small-files 3 200 15s --data-channel epsv
# A_LOG / B_LOG: each side's log level (default WARN, as `keyhole load` runs its keyhole peer; INFO is what
# `keyhole serve` logs by default)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
scenario="${1:-small-files}"
pairs="${2:-3}"
clients="${3:-200}"
duration="${4:-15s}"
shift $(( $# < 4 ? $# : 4 ))
declare -A pid url
port=2991
for side in A B; do
  mkdir -p "$work/root-$side"
  opts_var="${side}_OPTS" java_var="${side}_JAVA" log_var="${side}_LOG"
  # shellcheck disable=SC2086
  KEYHOLE_JAVA_OPTS="${!java_var:-}" KEYHOLE_LOG_LEVEL="${!log_var:-WARN}" \
    start_keyhole "$port" --root "$work/root-$side" --max-sessions 20000 --idle-timeout 10m ${!opts_var:-}
  pid[$side]="$keyhole_pid"
  url[$side]="ftp://u:p@127.0.0.1:$port/"
  echo "$side: ${!opts_var:-} ${!java_var:-} log ${!log_var:-WARN} (pid $keyhole_pid)"
  port=$((port + 1))
done

# load SIDE DURATION WARMUP: the result line of one run (the load options go after the fixed ones)
load() {
  local side="$1" d="$2" w="$3"
  "$here/keyhole" load "$scenario" --target "${url[$side]}" --clients "$clients" --duration "$d" --warmup "$w" \
    --quiet --out "$work/results" "${extra[@]}" | grep '^ftp://'
}
extra=("$@")

for side in A B; do load "$side" 8s 20 > /dev/null; done
measured_header
for pair in $(seq 1 "$pairs"); do
  order=(A B)
  [ $((pair % 2)) -eq 0 ] && order=(B A)
  for side in "${order[@]}"; do
    measured_run "${pid[$side]}" "$pair" "$side" load "$side" "$duration" 0
  done
done
measured_ratio B A "B / A"
