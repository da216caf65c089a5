#!/usr/bin/env bash
# Server CPU per GiB and throughput for uploads, Keyhole against vsftpd and pure-ftpd, with curl
# as the client (it sends without hashing, so the servers set the pace), alternating one upload to
# each, each upload checked with cmp afterwards. CPU comes from /proc: the server process's own,
# and for the forking servers their live sessions' and reaped children's.
#
# Usage: load-tests/upload-cpu.sh [SIZE_MIB (default 1024)] [REPEATS (default 4; the first is warm-up)] [pinned]
# "pinned" runs each server on CPU 0 only (every thread; vsftpd's forked sessions inherit it) and
# curl on CPU 1: Keyhole's network and disk sides then share a core, as vsftpd's one process does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
size_mib="${1:-1024}"
repeats="${2:-4}"
pinned="${3:-}"
client=(curl)
[ "$pinned" = pinned ] && client=(taskset -c 1 curl)
mkdir -p "$work/keyhole" "$work/vsftpd/pub" "$work/pureftpd"
chmod 777 "$work/vsftpd/pub"
random_file "$work/big.bin" "$size_mib"

start_keyhole 2992 --root "$work/keyhole"
[ "$pinned" = pinned ] && taskset -a -pc 0 "$keyhole_pid" >/dev/null

start_vsftpd 2991 <<EOF
anon_root=$work/vsftpd
write_enable=YES
anon_upload_enable=YES
anon_other_write_enable=YES
anon_umask=022
EOF
[ -n "$vsftpd_pid" ] && [ "$pinned" = pinned ] && taskset -pc 0 "$vsftpd_pid" >/dev/null

start_pureftpd 2990 "$work/pureftpd"
[ -n "$pureftpd_pid" ] && [ "$pinned" = pinned ] && taskset -pc 0 "$pureftpd_pid" >/dev/null

declare -A cpu_total wall_total
upload() { # name pid url file-on-server
  local name="$1" pid="$2" url="$3" stored="$4" c0 c1 t0 t1
  c0="$(cpu "$pid")"; t0="$(date +%s.%N)"
  "${client[@]}" -sS -T "$work/big.bin" "$url"
  sleep 0.2 # let a forked session exit and be reaped
  t1="$(date +%s.%N)"; c1="$(cpu "$pid")"
  cmp -s "$work/big.bin" "$stored" || { echo "upload to $name differs" >&2; exit 1; }
  rm -f "$stored"
  cpu_total[$name]="$(echo "${cpu_total[$name]:-0} + $c1 - $c0" | bc -l)"
  wall_total[$name]="$(echo "${wall_total[$name]:-0} + $t1 - $t0 - 0.2" | bc -l)"
}

for i in $(seq "$repeats"); do
  upload keyhole "$keyhole_pid" "ftp://u:p@127.0.0.1:2992/up.bin" "$work/keyhole/up.bin"
  [ -n "$vsftpd_pid" ] && upload vsftpd "$vsftpd_pid" "ftp://127.0.0.1:2991/pub/up.bin" "$work/vsftpd/pub/up.bin"
  [ -n "$pureftpd_pid" ] && upload pure-ftpd "$pureftpd_pid" "ftp://u:p@127.0.0.1:2990/up.bin" "$work/pureftpd/up.bin"
  if [ "$i" -eq 1 ]; then cpu_total=(); wall_total=(); fi # the first round warms up
done

n=$((repeats - 1))
gib="$(echo "$size_mib * $n / 1024" | bc -l)"
echo "server      CPU s/GiB      MB/s   (${size_mib} MiB x $n uploads after one warm-up, curl client${pinned:+, servers on CPU 0})"
for name in keyhole vsftpd pure-ftpd; do
  [ -n "${cpu_total[$name]:-}" ] || { echo "$name: not measured (load-tests/peers/install.sh)"; continue; }
  printf "%-10s %10.2f %9.0f\n" "$name" "$(echo "${cpu_total[$name]} / $gib" | bc -l)" \
    "$(echo "$size_mib * 1.048576 * $n / ${wall_total[$name]}" | bc -l)"
done
for peer in vsftpd pure-ftpd; do
  [ -n "${cpu_total[$peer]:-}" ] || continue
  printf "keyhole/%s: CPU %.2fx, throughput %.2fx\n" "$peer" "$(echo "${cpu_total[keyhole]} / ${cpu_total[$peer]}" | bc -l)" \
    "$(echo "${wall_total[$peer]} / ${wall_total[keyhole]}" | bc -l)"
done
