#!/usr/bin/env bash
# Uploads onto a full disk, on a small ext4 file system of its own (a loop mount: needs root and a
# loop device; without them it says so and exits 0). Checks, with curl as the client, that an
# upload larger than the free space is refused with a 4xx and leaves the old file intact (the
# default: a temporary file renamed into place), that with --keep-partial-uploads what stays is an
# intact prefix of what was sent, and that the next upload lands whole; written the ordinary way
# and with --direct-uploads (checked with strace, where it is installed, to have used O_DIRECT).
#
# Usage: load-tests/disk-full.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/curl-bench.sh"
fs="$work/fs"
mkdir -p "$fs"
export KEYHOLE_LOG_LEVEL=INFO # the STOR lines, with their reply codes
if [ "$(id -u)" -ne 0 ] || ! command -v mkfs.ext4 >/dev/null 2>&1; then
  echo "disk-full: skipped (needs root and mkfs.ext4)"
  exit 0
fi
truncate -s 40M "$work/fs.img"
mkfs.ext4 -q -F "$work/fs.img"
if ! mount -o loop "$work/fs.img" "$fs" 2>/dev/null; then
  echo "disk-full: skipped (no loop device to mount a file system on)"
  exit 0
fi
trap 'kill "${started[@]}" 2>/dev/null || true; sleep 1; umount "$fs" 2>/dev/null || true; rm -rf "$work"' EXIT
failed=0
check() { if "$@"; then echo "  ok: ${description}"; else echo "  FAILED: ${description}"; failed=1; fi; }

head -c $((5 * 1024 * 1024)) /dev/urandom > "$work/old.bin"
head -c $((60 * 1024 * 1024)) /dev/urandom > "$work/big.bin"
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom > "$work/next.bin"
cp "$work/old.bin" "$fs/keep.bin"

for run in default:buffered keep-partial:buffered default:direct keep-partial:direct; do
  mode="${run%%:*}"
  writes="${run##*:}"
  echo "disk-full: $mode, $writes"
  extra=()
  [ "$mode" = keep-partial ] && extra+=(--keep-partial-uploads)
  [ "$writes" = direct ] && extra+=(--direct-uploads)
  start_keyhole 2988 --root "$fs" "${extra[@]}"
  tracer=""
  if command -v strace >/dev/null 2>&1; then
    strace -f -e trace=openat -p "$keyhole_pid" -o "$work/open-$mode-$writes.trace" 2>/dev/null &
    tracer=$!
  fi
  sleep 1
  target=keep.bin
  [ "$mode" = keep-partial ] && target=part.bin
  description="the upload beyond the free space fails"
  check bash -c "! curl -sS -T '$work/big.bin' 'ftp://u:p@127.0.0.1:2988/$target' 2>/dev/null"
  if [ "$mode" = default ]; then
    description="the old file is intact"
    check cmp -s "$work/old.bin" "$fs/keep.bin"
    description="no temporary file is left"
    check bash -c "[ -z \"\$(ls -A '$fs' | grep -v -e '^keep.bin$' -e '^lost+found$')\" ]"
  else
    size="$(stat -c %s "$fs/part.bin")"
    description="the kept partial upload ($size bytes) is an intact prefix of what was sent"
    check bash -c "[ '$size' -gt 0 ] && cmp -s -n '$size' '$work/big.bin' '$fs/part.bin'"
    rm -f "$fs/part.bin"
  fi
  description="the reply was a 4xx (log: $(grep -o 'STOR /[a-z.]* [0-9]* bytes in [0-9]* ms: [0-9]*' "$work/keyhole-2988.log" | tail -1))"
  check grep -q "STOR /$target .*: 45[0-9]" "$work/keyhole-2988.log"
  description="the next upload lands whole"
  check bash -c "curl -sS -T '$work/next.bin' 'ftp://u:p@127.0.0.1:2988/next.bin' && cmp -s '$work/next.bin' '$fs/next.bin'"
  rm -f "$fs/next.bin"
  if [ -n "$tracer" ]; then
    kill "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    if [ "$writes" = direct ]; then
      description="it was written with O_DIRECT"
      check grep -q "$target.*O_DIRECT" "$work/open-$mode-$writes.trace"
    else
      description="it was written without O_DIRECT"
      check bash -c "! grep -q O_DIRECT '$work/open-$mode-$writes.trace'"
    fi
  elif [ "$writes" = direct ]; then
    echo "  (no strace: whether O_DIRECT was used is not checked)"
  fi
  kill "$keyhole_pid"
  wait "$keyhole_pid" 2>/dev/null || true
done
[ "$failed" -eq 0 ] && echo "disk-full: passed" || { echo "disk-full: FAILED"; exit 1; }
