"""Drives a Keyhole FTPS server with Python's ftplib.FTP_TLS: explicit TLS, PROT P, passive and active.

Usage: ftplib_tls_client.py HOST PORT USER PASSWORD [expect-522]
With expect-522, checks instead that a download is refused with 522 (a server that requires TLS
session reuse: ftplib opens each data connection with a new session).
Exits non-zero with a message on the first mismatch.
"""
import ftplib
import hashlib
import io
import os
import ssl
import sys


def sha(data):
    return hashlib.sha256(data).hexdigest()


def main():
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if len(sys.argv) > 5 and sys.argv[5] == "expect-522":
        ftp = ftplib.FTP_TLS(context=context, timeout=10)
        ftp.connect(host, port)
        ftp.login(user, password)
        ftp.prot_p()
        try:
            ftp.retrbinary("RETR tls-pasv.bin", io.BytesIO().write)
        except ftplib.error_perm as e:
            assert str(e).startswith("522"), "expected 522, got %s" % e
            ftp.voidcmd("NOOP")  # the session goes on
            ftp.quit()
            print("ftplib tls: refused with 522")
            return
        raise AssertionError("the download was not refused")
    payload = os.urandom(400_000)
    for passive in (True, False):
        ftp = ftplib.FTP_TLS(context=context, timeout=10)
        ftp.connect(host, port)
        ftp.login(user, password)  # sends AUTH TLS first
        ftp.prot_p()
        ftp.set_pasv(passive)
        name = "tls-%s.bin" % ("pasv" if passive else "port")
        ftp.storbinary("STOR " + name, io.BytesIO(payload))
        got = io.BytesIO()
        ftp.retrbinary("RETR " + name, got.write)
        assert sha(got.getvalue()) == sha(payload), "RETR differs (passive=%s)" % passive
        lines = []
        ftp.retrlines("LIST", lines.append)
        assert any(name in line for line in lines), "LIST misses " + name
        ftp.quit()
    print("ftplib tls: ok")


if __name__ == "__main__":
    main()
