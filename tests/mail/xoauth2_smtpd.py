#!/usr/bin/python3
"""A loopback SMTP server that accepts SASL XOAUTH2 only, for tests/mail/test-oauth.c.

Usage: xoauth2_smtpd.py PORT_FILE TOKEN_FILE USER

Plain text on 127.0.0.1, a free port written to PORT_FILE once it listens. AUTH XOAUTH2
(initial response or after a 334) succeeds only for USER with a bearer token listed in
TOKEN_FILE, one per line, read again at every AUTH so the test can change it while the
server runs; anything else gets 535. PLAIN and LOGIN are offered too, and always refused,
so a client that falls back to a password is seen. MAIL needs a successful AUTH first.
Stop it with SIGTERM.
"""

import asyncio
import base64
import binascii
import os
import signal
import sys

from aiosmtpd.smtp import MISSING, SMTP, AuthResult


class Handler:
    def __init__(self, token_file, user):
        self.token_file = token_file
        self.user = user

    def accepted_tokens(self):
        try:
            with open(self.token_file, encoding="ascii") as f:
                return {line.strip() for line in f if line.strip()}
        except FileNotFoundError:
            return set()

    # aiosmtpd 1.4 has no XOAUTH2: an auth_<MECHANISM> method on the handler adds it.
    async def auth_XOAUTH2(self, server, args):
        if len(args) == 2:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False)
        else:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        # "user=U\x01auth=Bearer TOKEN\x01\x01"
        fields = dict(part.split("=", 1) for part in blob.decode("utf-8", "replace").split("\x01")
                      if "=" in part)
        auth = fields.get("auth", "")
        ok = (fields.get("user") == self.user and auth.startswith("Bearer ")
              and auth[len("Bearer "):] in self.accepted_tokens())
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 Ok: queued"


def refuse(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=False, handled=False)


def main(argv):
    port_file, token_file, user = argv
    handler = Handler(token_file, user)

    def factory():
        return SMTP(handler, hostname="smtp.relance.test", authenticator=refuse,
                    auth_required=True, auth_require_tls=False, timeout=60)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    with open(port_file + ".part", "w", encoding="ascii") as f:
        f.write("%d\n" % server.sockets[0].getsockname()[1])
    os.rename(port_file + ".part", port_file)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
