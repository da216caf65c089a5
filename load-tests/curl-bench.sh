# Sourced by the measurement scripts that drive servers with curl (tls-cpu.sh, upload-cpu.sh,
# alg-relay.sh): their work directory, the servers they start on loopback, and CPU from /proc.
# Every process started here is stopped, and the work directory removed, when the script exits.

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
started=()
trap 'kill "${started[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

# random_file PATH SIZE_MIB
random_file() { head -c "$(($2 * 1024 * 1024))" /dev/urandom > "$1"; }

# wait_listening LOG: until the process logging there says it listens (30 s at most)
wait_listening() {
  for _ in $(seq 60); do grep -q "listening" "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "not listening after 30 s: $1" >&2
  return 1
}

# start_keyhole PORT SERVE-OPTIONS...: keyhole serve on 127.0.0.1:PORT with user u:p; sets keyhole_pid
start_keyhole() {
  local port="$1"; shift
  # built once per script (a build also trains the ahead-of-time cache)
  if [ -z "${keyhole_built:-}" ]; then
    "$here/keyhole" build >/dev/null
    keyhole_built=yes
  fi
  # KEYHOLE_SERVE_OPTS: more serve options for every run (e.g. --direct-uploads)
  # shellcheck disable=SC2086
  KEYHOLE_LOG_LEVEL="${KEYHOLE_LOG_LEVEL:-WARN}" "$here/keyhole" serve --bind "127.0.0.1:$port" --user u:p "$@" ${KEYHOLE_SERVE_OPTS:-} \
    > "$work/keyhole-$port.log" 2>&1 &
  keyhole_pid=$! # the launcher execs the JVM: this is the server's own pid
  started+=("$keyhole_pid")
  wait_listening "$work/keyhole-$port.log"
}

# start_vsftpd PORT, with more configuration lines on standard input: anonymous vsftpd on
# 127.0.0.1:PORT; sets vsftpd_pid, left empty where vsftpd is not installed
start_vsftpd() {
  local port="$1" bin
  vsftpd_pid=""
  bin="$(command -v vsftpd || echo /usr/sbin/vsftpd)"
  [ -x "$bin" ] || return 0
  {
    printf '%s\n' listen=YES listen_address=127.0.0.1 "listen_port=$port" background=NO \
      run_as_launching_user=YES anonymous_enable=YES no_anon_password=YES local_enable=NO seccomp_sandbox=NO
    cat
  } > "$work/vsftpd-$port.conf"
  "$bin" "$work/vsftpd-$port.conf" > "$work/vsftpd-$port.log" 2>&1 &
  vsftpd_pid=$!
  started+=("$vsftpd_pid")
  sleep 1
}

# start_pureftpd PORT ROOT: pure-ftpd (unpacked by load-tests/peers/install.sh) on 127.0.0.1:PORT,
# with the virtual user u:p (uid nobody) chrooted in ROOT; sets pureftpd_pid, left empty where it
# is not unpacked. The password's hash is SHA-512-crypt, as the load generator's peer has it.
start_pureftpd() {
  local port="$1" root="$2" dir="$here/load-tests/target/peers/pure-ftpd/usr" hash
  pureftpd_pid=""
  [ -x "$dir/sbin/pure-ftpd" ] && [ -x "$dir/bin/pure-pw" ] || return 0
  chmod 777 "$root"
  hash="$(openssl passwd -6 -salt keyholebench p)"
  echo "u:$hash:$(id -u nobody):$(id -g nobody)::$root/./::::::::::::" > "$work/pureftpd-$port.passwd"
  "$dir/bin/pure-pw" mkdb "$work/pureftpd-$port.pdb" -f "$work/pureftpd-$port.passwd" >/dev/null
  "$dir/sbin/pure-ftpd" -S "127.0.0.1,$port" -l "puredb:$work/pureftpd-$port.pdb" -E -H -A \
    > "$work/pureftpd-$port.log" 2>&1 &
  pureftpd_pid=$!
  started+=("$pureftpd_pid")
  sleep 1
}

# cpu PID: CPU seconds (user + system, with reaped children's) of the process and of its live
# descendants, so a forking server's sessions count while they run and once they are reaped
cpu() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null) $(for c in $(pgrep -P "$1" 2>/dev/null); do pgrep -P "$c"; done); do
    [ -r "/proc/$p/stat" ] || continue
    total="$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{printf "%.2f", t + ($14 + $15 + $16 + $17) / hz}' \
      "/proc/$p/stat" 2>/dev/null || echo "$total")"
  done
  echo "$total"
}

# For the scripts that run the load generator against one server process at a time and compare
# its CPU per operation (spsv-vs-epsv.sh, ab-cpu.sh): what each KEY measured over all its runs.
declare -A cpu_ms ops_total

# measured_run PID PAIR KEY COMMAND...: runs COMMAND (a `keyhole load --target ... --quiet` whose
# output is its result line), reads PID's CPU from /proc around it, prints the run's row (pair,
# key, operations, operations/s, CPU ms per operation) and adds to cpu_ms[KEY] and ops_total[KEY]
measured_run() {
  local pid="$1" pair="$2" key="$3" c0 c1 line ops rate errors ms
  shift 3
  c0="$(cpu "$pid")"
  line="$("$@")"
  c1="$(cpu "$pid")"
  ops="$(awk '{print $3}' <<< "$line")"
  rate="$(awk '{print $4}' <<< "$line")"
  errors="$(awk '{print $13}' <<< "$line")"
  [ "$errors" = 0 ] || echo "  $key: $errors errors" >&2
  ms="$(awk -v a="$c0" -v b="$c1" -v n="$ops" 'BEGIN {printf "%.4f", (b - a) * 1000 / n}')"
  printf '%-5s %-5s %10s %12s %15s\n' "$pair" "$key" "$ops" "$rate" "$ms"
  cpu_ms[$key]="$(awk -v t="${cpu_ms[$key]:-0}" -v a="$c0" -v b="$c1" 'BEGIN {print t + (b - a) * 1000}')"
  ops_total[$key]=$(( ${ops_total[$key]:-0} + ops ))
}

# measured_header: the header of measured_run's rows
measured_header() { printf '%-5s %-5s %10s %12s %15s\n' pair run ops "ops/s" "CPU ms/op"; }

# measured_ratio KEY BASE LABEL: KEY's CPU per operation and operations over all its runs, as ratios to BASE's
measured_ratio() {
  awk -v kc="${cpu_ms[$1]}" -v ko="${ops_total[$1]}" -v bc="${cpu_ms[$2]}" -v bo="${ops_total[$2]}" -v label="$3" \
    'BEGIN {printf "%s over all pairs: CPU per operation %.2fx, operations %.2fx\n", label, (kc / ko) / (bc / bo), ko / bo}'
}
