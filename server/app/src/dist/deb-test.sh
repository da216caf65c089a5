#!/usr/bin/env bash
# The Debian package as an operator meets it (run as root by .ci/run, after `./keyhole package`):
# dpkg -i, the keyhole user and directories, the unit's ExecStart line started as the unit would
# (user keyhole, CAP_NET_BIND_SERVICE only) with the installed configuration, a file up and down
# with curl on loopback, SIGHUP and logrotate, `systemd-analyze verify`, then removal and purge.
set -euo pipefail

dist="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../target/dist" && pwd)"
deb="$(ls "$dist"/keyhole_*_amd64.deb | head -n1)"
work="$(mktemp -d)"
pid=""
fail() { echo "deb-test: $*" >&2; [ -f "$work/out.txt" ] && sed 's/^/  out: /' "$work/out.txt" >&2; exit 1; }
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  dpkg --purge keyhole >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"

echo "deb-test: installing $(basename "$deb")"
dpkg -i "$deb" >/dev/null
getent passwd keyhole >/dev/null || fail "no keyhole user"
[ "$(stat -c %U /srv/keyhole)" = keyhole ] || fail "/srv/keyhole is not the keyhole user's"
[ -x /opt/keyhole/runtime/bin/java ] || fail "no bundled runtime"
[ -f /etc/keyhole/keyhole.yaml ] || fail "no /etc/keyhole/keyhole.yaml"
dpkg-query -W -f='${Conffiles}\n' keyhole | grep -q /etc/keyhole/keyhole.yaml || fail "keyhole.yaml is no conffile"
/usr/bin/keyhole --version | grep -q keyhole || fail "keyhole --version"
# a JDK 25+ runtime comes with the ahead-of-time cache trained at packaging, and uses it installed
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' /opt/keyhole/runtime/release)" -ge 25 ]; then
  [ -f /opt/keyhole/lib/keyhole.aot ] || fail "no ahead-of-time cache in the package"
  KEYHOLE_JAVA_OPTS=-Xlog:aot=info /usr/bin/keyhole --version > "$work/aot.txt" 2>&1
  grep -q 'Using AOT-linked classes: true' "$work/aot.txt" || fail "the ahead-of-time cache is not used: $(grep -i aot "$work/aot.txt" | tail -n 3)"
fi
# the installed command finds its own runtime, whatever java is on PATH
PATH=/usr/bin:/bin /usr/bin/keyhole check-config /etc/keyhole/keyhole.yaml > "$work/check.txt" || fail "check-config: $(cat "$work/check.txt")"

unit=/lib/systemd/system/keyhole.service
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify loads the unit as systemd would; it warns for units it cannot reach on a host without systemd
  systemd-analyze verify "$unit" 2> "$work/verify.txt" || fail "systemd-analyze verify: $(cat "$work/verify.txt")"
  if grep -v -e 'Failed to ' -e 'Unit .* not found' "$work/verify.txt" | grep -q .; then
    cat "$work/verify.txt" >&2
  fi
fi

# the unit's ExecStart line, started as systemd would: user keyhole, only CAP_NET_BIND_SERVICE
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
install -d -o keyhole -g adm -m 2750 /var/log/keyhole   # LogsDirectory= under systemd
echo "deb-test: starting: $exec_start"
# shellcheck disable=SC2086
setpriv --reuid keyhole --regid keyhole --init-groups --inh-caps +net_bind_service \
  --ambient-caps +net_bind_service --bounding-set -all,+net_bind_service --no-new-privs \
  $exec_start > "$work/out.txt" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q 'password:' "$work/out.txt" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "the server stopped"
  sleep 0.2
done
password="$(sed -n 's/^ *password: *\([^ ]*\).*/\1/p' "$work/out.txt")"
[ -n "$password" ] || fail "no generated password in the server's output"
grep -q 'listening on ftp://0.0.0.0:21/' "$work/out.txt" || fail "not listening on port 21"

url="ftp://keyhole:$password@127.0.0.1:21"
head -c 3000000 /dev/urandom > "$work/up.bin"
curl -sS --max-time 30 -T "$work/up.bin" "$url/up.bin" || fail "upload"
curl -sS --max-time 30 -o "$work/down.bin" "$url/up.bin" || fail "download"
cmp -s "$work/up.bin" "$work/down.bin" || fail "the downloaded file differs"
[ "$(stat -c %U /srv/keyhole/up.bin)" = keyhole ] || fail "the upload is not the keyhole user's"
echo "deb-test: 3,000,000 bytes up and down through the installed server on port 21"

log=/var/log/keyhole/keyhole.log
grep -q 'logged in' "$log" || fail "no login in $log"

# wrong passwords over IPv4 and IPv6: the shipped fail2ban filter finds each, with its address
curl -s --max-time 10 -o /dev/null "ftp://keyhole:wrong@127.0.0.1:21/" || true
curl -s -g --max-time 10 -o /dev/null "ftp://keyhole:wrong@[::1]:21/" || true
if command -v fail2ban-regex >/dev/null 2>&1; then
  fail2ban-regex -o ip "$log" /opt/keyhole/docs/fail2ban/keyhole.conf > "$work/f2b.txt" 2>&1 || fail "fail2ban-regex: $(cat "$work/f2b.txt")"
  [ "$(grep -cx '127.0.0.1' "$work/f2b.txt")" -eq 1 ] || fail "fail2ban-regex did not find the IPv4 failure: $(cat "$work/f2b.txt")"
  [ "$(grep -cx '::1' "$work/f2b.txt")" -eq 1 ] || fail "fail2ban-regex did not find the IPv6 failure: $(cat "$work/f2b.txt")"
  echo "deb-test: fail2ban-regex with docs/fail2ban/keyhole.conf found both failed logins"
fi
# logrotate (when installed) moves the log and the server reopens it on SIGHUP
if command -v logrotate >/dev/null 2>&1; then
  logrotate -f -s "$work/logrotate.state" /etc/logrotate.d/keyhole || fail "logrotate"
  [ -f "$log.1" ] || fail "logrotate did not rotate $log"
  for _ in $(seq 1 50); do grep -q 'log file reopened' "$log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'log file reopened' "$log" || fail "the server did not reopen $log after logrotate"
else
  mv "$log" "$log.1"
  kill -HUP "$pid"
  for _ in $(seq 1 50); do grep -q 'log file reopened' "$log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'log file reopened' "$log" || fail "the server did not reopen $log on SIGHUP"
fi
kill -0 "$pid" || fail "SIGHUP stopped the server"
curl -sS --max-time 30 -o /dev/null "$url/up.bin" || fail "download after SIGHUP"
grep -q 'logged in' "$log" || fail "no line in the reopened $log"
echo "deb-test: SIGHUP and logrotate: serving on, log reopened"

kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
dpkg -r keyhole >/dev/null
[ ! -e /opt/keyhole/bin/keyhole ] || fail "dpkg -r left /opt/keyhole"
[ -f /etc/keyhole/keyhole.yaml ] || fail "dpkg -r removed the conffile"
dpkg --purge keyhole >/dev/null
[ ! -e /etc/keyhole/keyhole.yaml ] || fail "purge left /etc/keyhole/keyhole.yaml"
echo "deb-test: installed, served, removed and purged"
