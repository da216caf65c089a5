#!/usr/bin/env bash
# The published load figures (docs/benchmarks.md): each scenario against keyhole, vsftpd,
# pure-ftpd, pyftpdlib and apache-ftpserver, alternating round by round, with a pause between runs until the
# sockets left in TIME_WAIT have drained (they cut every server's rate, see CONVENTIONS).
# Usage: load-tests/publish.sh [OUT_DIR (default load-results/published)] [SCENARIO...]
# Peers must be installed first: sudo load-tests/peers/install.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/load-results/published}"
shift || true
peers=(--peer keyhole --peer vsftpd --peer pure-ftpd --peer pyftpdlib --peer apache-ftpserver)

drain() {
  for _ in $(seq 1 120); do
    local waiting
    waiting="$(ss -tan state time-wait 2>/dev/null | wc -l)"
    [ "$waiting" -lt 2000 ] && return 0
    sleep 1
  done
}

run() {
  local name="$1"; shift
  if [ "${#selected[@]}" -gt 0 ] && ! printf '%s\n' "${selected[@]}" | grep -qx "$name"; then
    return 0
  fi
  drain
  echo "== $name: ./keyhole load $*" | tee -a "$out/commands.txt"
  # a run with errors exits 1: that is a result to publish, not a reason to stop
  "$here/keyhole" load "$@" --out "$out/$name" --quiet | tee "$out/$name.txt" || true
}

selected=("$@")
mkdir -p "$out"
echo "# $(date -u +%FT%TZ) $(git -C "$here" rev-parse --short HEAD 2>/dev/null || true)" >> "$out/commands.txt"
run retr-1g-1 retr-large "${peers[@]}" --size 1g --clients 1 --count 3 --rounds 2
run retr-1g-8 retr-large "${peers[@]}" --size 1g --clients 8 --count 1 --rounds 2
run stor-1g-1 stor-large "${peers[@]}" --size 1g --clients 1 --count 2 --rounds 2
# 50 warm-up transfers per client: with fewer, Keyhole's JIT was still compiling for the first 10 s
run small-200 small-files "${peers[@]}" --clients 200 --duration 20s --rounds 2 --warmup 50
run sessions-30s sessions "${peers[@]}" --clients 50 --duration 30s --rounds 1
# 10,000 idle sessions are 20,000 processes for vsftpd and pure-ftpd (two per session), too close
# to this machine's pid_max of 32768: Keyhole alone at 10,000, every peer at 3,000
run idle-10k idle --peer keyhole --clients 10000 --duration 20s --rounds 1
run idle-3k idle "${peers[@]}" --clients 3000 --duration 20s --rounds 1
run idle-3k-ramped idle "${peers[@]}" --clients 3000 --ramp 300 --duration 30s --rounds 1
