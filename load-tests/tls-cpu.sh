#!/usr/bin/env bash
# Server CPU per GiB for downloads with and without TLS (PROT P), Keyhole against vsftpd, with curl
# as the client: curl decrypts faster than the Java load generator, so the servers, not the client,
# set the pace. Each server runs on loopback; CPU comes from /proc (vsftpd's forked sessions are
# counted while they live and, once reaped, through its children's time).
#
# Usage: load-tests/tls-cpu.sh [SIZE_MIB (default 1024)] [REPEATS (default 4; the first is warm-up)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
size_mib="${1:-1024}"
repeats="${2:-4}"
mkdir -p "$work/root" "$work/tls"
random_file "$work/root/big.bin" "$size_mib"

start_keyhole 2997 --root "$work/root" --tls --tls-dir "$work/tls" --require-tls-session-reuse

start_vsftpd 2996 <<EOF
anon_root=$work/root
use_sendfile=YES
ssl_enable=YES
allow_anon_ssl=YES
require_ssl_reuse=YES
ssl_ciphers=HIGH
rsa_cert_file=$work/tls/cert.pem
rsa_private_key_file=$work/tls/key.pem
EOF

measure() { # name pid url curl-options...
  local name="$1" pid="$2" url="$3"; shift 3
  local total_cpu=0 total_wall=0
  for i in $(seq "$repeats"); do
    local c0 c1 t0 t1
    c0="$(cpu "$pid")"; t0="$(date +%s.%N)"
    curl -sS "$@" "$url" -o /dev/null
    sleep 0.2 # let a forked session exit and be reaped
    t1="$(date +%s.%N)"; c1="$(cpu "$pid")"
    if [ "$i" -gt 1 ]; then
      total_cpu="$(echo "$total_cpu + $c1 - $c0" | bc -l)"
      total_wall="$(echo "$total_wall + $t1 - $t0 - 0.2" | bc -l)"
    fi
  done
  local gib n
  n=$((repeats - 1))
  gib="$(echo "$size_mib * $n / 1024" | bc -l)"
  printf "%-14s %8.2f CPU s/GiB %8.0f MB/s\n" "$name" "$(echo "$total_cpu / $gib" | bc -l)" \
    "$(echo "$size_mib * 1.048576 * $n / $total_wall" | bc -l)"
}

echo "server         CPU per GiB  throughput  (${size_mib} MiB x $((repeats - 1)) after one warm-up, curl client)"
measure keyhole "$keyhole_pid" "ftp://u:p@127.0.0.1:2997/big.bin"
measure keyhole+tls "$keyhole_pid" "ftp://u:p@127.0.0.1:2997/big.bin" --ssl-reqd -k
if [ -n "$vsftpd_pid" ]; then
  measure vsftpd "$vsftpd_pid" "ftp://127.0.0.1:2996/big.bin"
  measure vsftpd+tls "$vsftpd_pid" "ftp://127.0.0.1:2996/big.bin" --ssl-reqd -k
else
  echo "vsftpd is not installed (load-tests/peers/install.sh): no peer figures"
fi
