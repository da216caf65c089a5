#!/usr/bin/env bash
# The ALG's data relay, spliced in the kernel against copied through buffers: ALG CPU per GiB and
# throughput for downloads and uploads with curl through two nat64 ALGs (one with --no-splice)
# in front of one Keyhole server, alternating, plus the same transfers straight to the server as
# the reference. All on loopback; CPU of each ALG process comes from /proc.
#
# Usage: load-tests/alg-relay.sh [SIZE_MIB (default 1024)] [REPEATS (default 4; the first is warm-up)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
size_mib="${1:-1024}"
repeats="${2:-4}"
mkdir -p "$work/root" "$work/up"
random_file "$work/up/big.bin" "$size_mib"
cp "$work/up/big.bin" "$work/root/big.bin"

start_keyhole 2995 --root "$work/root"
server_pid="$keyhole_pid"

start_alg() { # port extra-options...: an ALG in front of the server; sets alg_pid
  local port="$1"; shift
  "$here/keyhole" alg --listen "[::1]:$port" --upstream 127.0.0.1:2995 --mode nat64 "$@" > "$work/alg-$port.log" 2>&1 &
  alg_pid=$!
  started+=("$alg_pid")
  wait_listening "$work/alg-$port.log"
}
start_alg 2993
splice_pid="$alg_pid"
start_alg 2994 --no-splice
copy_pid="$alg_pid"

declare -A cpu_total wall_total
run() { # name pid curl-arguments...
  local name="$1" pid="$2"; shift 2
  local c0 c1 t0 t1
  c0="$(cpu "$pid")"; t0="$(date +%s.%N)"
  curl -sS "$@"
  t1="$(date +%s.%N)"; c1="$(cpu "$pid")"
  cpu_total[$name]="$(echo "${cpu_total[$name]:-0} + $c1 - $c0" | bc -l)"
  wall_total[$name]="$(echo "${wall_total[$name]:-0} + $t1 - $t0" | bc -l)"
}

for i in $(seq "$repeats"); do
  for variant in splice copy direct; do
    case "$variant" in
      splice) pid="$splice_pid"; url="ftp://u:p@[::1]:2993" ;;
      copy) pid="$copy_pid"; url="ftp://u:p@[::1]:2994" ;;
      direct) pid="$server_pid"; url="ftp://u:p@127.0.0.1:2995" ;;
    esac
    if [ "$i" -eq 1 ]; then # warm-up
      curl -sS "$url/big.bin" -o /dev/null
      curl -sS -T "$work/up/big.bin" "$url/warm.bin"
      continue
    fi
    run "$variant-retr" "$pid" "$url/big.bin" -o /dev/null
    run "$variant-stor" "$pid" -T "$work/up/big.bin" "$url/up-$variant.bin"
    cmp -s "$work/up/big.bin" "$work/root/up-$variant.bin" || { echo "upload through $variant differs" >&2; exit 1; }
  done
done

n=$((repeats - 1))
gib="$(echo "$size_mib * $n / 1024" | bc -l)"
echo "relay (${size_mib} MiB x $n after one warm-up, curl)   CPU s/GiB of the ALG (direct: of the server)   MB/s"
for name in splice-retr copy-retr direct-retr splice-stor copy-stor direct-stor; do
  printf "%-12s %10.2f %10.0f\n" "$name" "$(echo "${cpu_total[$name]} / $gib" | bc -l)" \
    "$(echo "$size_mib * 1.048576 * $n / ${wall_total[$name]}" | bc -l)"
done
for dir in retr stor; do
  printf "splice/copy %s: CPU %.2fx, throughput %.2fx\n" "$dir" \
    "$(echo "${cpu_total[splice-$dir]} / ${cpu_total[copy-$dir]}" | bc -l)" \
    "$(echo "${wall_total[copy-$dir]} / ${wall_total[splice-$dir]}" | bc -l)"
done
