#!/usr/bin/env bash
# Installs the Debian peers the load generator can start: vsftpd and pyftpdlib with apt, and
# pure-ftpd (which conflicts with vsftpd as a package) unpacked into load-tests/target/peers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends vsftpd python3-pyftpdlib >/dev/null
dest="$here/target/peers/pure-ftpd"
mkdir -p "$dest"
tmp="$(mktemp -d)"
(cd "$tmp" && apt-get download -qq pure-ftpd pure-ftpd-common 2>/dev/null)
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$dest"; done
rm -rf "$tmp"
echo "peers: vsftpd $(command -v vsftpd), pyftpdlib (/usr/bin/python3), pure-ftpd in $dest"
