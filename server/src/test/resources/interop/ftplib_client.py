"""Drives a Keyhole server with Python's ftplib: passive and active, list, get, put, resume.

Usage: ftplib_client.py HOST PORT USER PASSWORD WORKDIR
Exits non-zero with a message on the first mismatch.
"""
import ftplib
import hashlib
import io
import os
import sys


def sha(data):
    return hashlib.sha256(data).hexdigest()


def main():
    host, port, user, password, workdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    payload = os.urandom(300_000)
    for passive in (True, False):
        ftp = ftplib.FTP()
        ftp.connect(host, port, timeout=10)
        ftp.login(user, password)
        ftp.set_pasv(passive)
        name = "py-%s.bin" % ("pasv" if passive else "port")
        ftp.storbinary("STOR " + name, io.BytesIO(payload))
        got = io.BytesIO()
        ftp.retrbinary("RETR " + name, got.write)
        assert sha(got.getvalue()) == sha(payload), "RETR differs (passive=%s)" % passive
        assert name in ftp.nlst(), "NLST misses " + name
        facts = dict(ftp.mlsd())
        assert facts[name]["size"] == str(len(payload)), "MLSD size"
        lines = []
        ftp.retrlines("LIST", lines.append)
        assert any(name in line for line in lines), "LIST misses " + name
        # resume a download at an offset
        tail = io.BytesIO()
        ftp.retrbinary("RETR " + name, tail.write, rest=100_000)
        assert tail.getvalue() == payload[100_000:], "REST RETR"
        # resume an upload at an offset
        half = "py-half-%s.bin" % passive
        ftp.storbinary("STOR " + half, io.BytesIO(payload[:123_456]))
        ftp.storbinary("STOR " + half, io.BytesIO(payload[123_456:]), rest=123_456)
        assert ftp.size(half) == len(payload), "REST STOR size"
        ftp.sendcmd("TYPE I")
        ftp.mkd("pydir-%s" % passive)
        ftp.rename(half, "pydir-%s/moved.bin" % passive)
        ftp.delete(name)
        ftp.quit()
    print("ftplib: ok")


if __name__ == "__main__":
    main()
