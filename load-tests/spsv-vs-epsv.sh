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
measured_header
for pair in $(seq 1 "$pairs"); do
  order=(spsv epsv)
  [ $((pair % 2)) -eq 0 ] && order=(epsv spsv)
  for kind in "${order[@]}"; do
    measured_run "$keyhole_pid" "$pair" "$kind" load "$duration" 0 "$kind"
  done
done
measured_ratio spsv epsv "SPSV / EPSV"
