#!/usr/bin/env python3
"""Session latency and cold start, measured with a sequential Python ftplib client.

Usage: load-tests/session-latency.py [--sessions N] [--rounds R] [--peer NAME]... [--keyhole-opts OPTS]

For each round, each peer (default: keyhole and pyftpdlib; others when asked with --peer) is
started afresh on loopback in a new root, and one client, one session after another, connects,
sends USER, PASS and QUIT, and closes. Reported per peer and round:

  start       wall time from spawning the server's process to its first served login (230)
  cold        sessions/s over the first 1,000 sessions after that first login
  warm        sessions/s over the last 1,000 sessions of the round
  cold/warm   the ratio of the two (issue 17: >= 0.8)
  greeting, USER, PASS, QUIT
              medians over the round's second half, in microseconds: connect() to the 220 read,
              and each command sent to its reply read (QUIT: to the 221)

and, per peer, each figure as a ratio to pyftpdlib's in the same round. Peers alternate round by
round, so their figures come from the same conditions. Every loop is bounded by --sessions;
everything runs on 127.0.0.1.
"""
import argparse
import ftplib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
USER, PASSWORD = "load", "load-secret"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(peer, work, keyhole_opts):
    port = free_port()
    root = os.path.join(work, peer + "-root")
    os.makedirs(root, exist_ok=True)
    env = dict(os.environ)
    user = USER
    if peer == "keyhole" or peer == "keyhole-noaot" or peer.startswith("keyhole:"):
        env["KEYHOLE_JAVA_OPTS"] = keyhole_opts
        if peer == "keyhole-noaot":
            env["KEYHOLE_AOT"] = "off"
        checkout = peer[len("keyhole:"):] if peer.startswith("keyhole:") else TOP
        cmd = [os.path.join(checkout, "keyhole"), "serve", "--port", str(port), "--root", root,
               "--user", USER + ":" + PASSWORD, "--max-sessions", "20000", "--idle-timeout", "10m"]
    elif peer == "pyftpdlib":
        cmd = [PYTHON, os.path.join(HERE, "peers", "pyftpdlib_peer.py"), str(port), root, USER, PASSWORD]
    elif peer == "vsftpd":
        user = "anonymous"
        conf = os.path.join(work, "vsftpd.conf")
        with open(conf, "w") as f:
            f.write("\n".join([
                "listen=YES", "listen_address=127.0.0.1", "listen_port=%d" % port, "background=NO",
                "run_as_launching_user=YES", "anonymous_enable=YES", "anon_root=" + root,
                "no_anon_password=YES", "local_enable=NO", "allow_writeable_chroot=YES",
                "seccomp_sandbox=NO", "max_clients=0", "max_per_ip=0", "xferlog_enable=NO", ""]))
        cmd = [shutil.which("vsftpd") or "/usr/sbin/vsftpd", conf]
    else:
        sys.exit("unknown peer " + peer + " (keyhole, keyhole-noaot, keyhole:CHECKOUT, pyftpdlib, vsftpd)")
    log = open(os.path.join(work, peer + ".log"), "w")
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = began + 120
    while True:
        if proc.poll() is not None:
            sys.exit("%s exited at start (status %s): see %s" % (peer, proc.returncode, log.name))
        try:
            ftp = ftplib.FTP()
            ftp.connect("127.0.0.1", port, timeout=10)
            ftp.login(user, PASSWORD)
            ftp.quit()
            break
        except (OSError, ftplib.Error):
            if time.perf_counter() > deadline:
                stop(proc)
                sys.exit("%s did not serve a login within 120 s" % peer)
            time.sleep(0.005)
    return proc, port, user, time.perf_counter() - began


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def one_session(port, user):
    """One session: the four latencies in nanoseconds."""
    ftp = ftplib.FTP()
    t0 = time.perf_counter_ns()
    ftp.connect("127.0.0.1", port, timeout=10)
    t1 = time.perf_counter_ns()
    resp = ftp.sendcmd("USER " + user)
    t2 = time.perf_counter_ns()
    if resp.startswith("331"):
        resp = ftp.sendcmd("PASS " + PASSWORD)
    t3 = time.perf_counter_ns()
    if not resp.startswith("230"):
        raise RuntimeError("login refused: " + resp)
    resp = ftp.sendcmd("QUIT")
    t4 = time.perf_counter_ns()
    ftp.close()
    if not resp.startswith("221"):
        raise RuntimeError("QUIT answered " + resp)
    return t1 - t0, t2 - t1, t3 - t2, t4 - t3


def run(peer, sessions, work, keyhole_opts):
    proc, port, user, started = start(peer, work, keyhole_opts)
    try:
        ends, samples = [], []
        began = time.perf_counter()
        for _ in range(sessions):
            samples.append(one_session(port, user))
            ends.append(time.perf_counter())
    finally:
        stop(proc)
    window = min(1000, sessions // 2)
    cold = window / (ends[window - 1] - began)
    warm = window / (ends[-1] - ends[-window - 1])
    half = samples[len(samples) // 2:]
    medians = [statistics.median(s[i] for s in half) / 1000 for i in range(4)]
    return {"start": started, "cold": cold, "warm": warm, "medians": medians}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=4000, help="sessions per peer and round (default 4000)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--peer", action="append",
                        help="keyhole, keyhole-noaot (without the ahead-of-time cache), keyhole:CHECKOUT (the "
                             "launcher of another checkout, e.g. an earlier commit), pyftpdlib, vsftpd (repeatable)")
    parser.add_argument("--keyhole-opts", default="", help="extra JVM options for Keyhole (KEYHOLE_JAVA_OPTS)")
    args = parser.parse_args()
    if args.sessions < 2:
        sys.exit("--sessions must be at least 2")
    peers = args.peer or ["keyhole", "pyftpdlib"]
    names = ["start ms", "cold/s", "warm/s", "cold/warm", "greeting us", "USER us", "PASS us", "QUIT us"]
    print("| round | peer | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 2) + "|")
    for rnd in range(1, args.rounds + 1):
        results = {}
        for peer in peers:
            work = tempfile.mkdtemp(prefix="keyhole-latency-")
            if peer.startswith("keyhole"):
                # the launcher builds what is missing or older than the sources: not in the timing
                checkout = peer[len("keyhole:"):] if peer.startswith("keyhole:") else TOP
                subprocess.run([os.path.join(checkout, "keyhole"), "--version"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            try:
                results[peer] = run(peer, args.sessions, work, args.keyhole_opts)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        ref = results.get("pyftpdlib")
        for peer, r in results.items():
            cells = ["%.0f" % (r["start"] * 1000), "%.0f" % r["cold"], "%.0f" % r["warm"],
                     "%.2f" % (r["cold"] / r["warm"])]
            for i, m in enumerate(r["medians"]):
                ratio = "" if ref is None or peer == "pyftpdlib" else " (%.2fx)" % (m / ref["medians"][i])
                cells.append("%.0f%s" % (m, ratio))
            if ref is not None and peer != "pyftpdlib":
                cells[1] += " (%.2fx)" % (r["cold"] / ref["cold"])
                cells[2] += " (%.2fx)" % (r["warm"] / ref["warm"])
            print("| %d | %s | %s |" % (rnd, peer, " | ".join(cells)), flush=True)


if __name__ == "__main__":
    main()
