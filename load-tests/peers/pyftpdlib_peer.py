"""pyftpdlib as a load-test peer, with limits as high as the other peers'.

Usage: pyftpdlib_peer.py PORT ROOT USER PASSWORD
`python3 -m pyftpdlib` cannot raise its connection cap (512), which would make it refuse load that
the other peers accept; here it is set like Keyhole's --max-sessions 20000, and its listen backlog
(default 100) like Keyhole's 4096.
"""
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    port, root, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, root, perm="elradfmwMT")
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.timeout = 600
    server = FTPServer(("127.0.0.1", port), handler, backlog=4096)
    server.max_cons = 20000
    server.max_cons_per_ip = 0
    server.serve_forever()


if __name__ == "__main__":
    main()
