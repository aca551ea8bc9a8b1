#!/usr/bin/python3
"""A loopback SMTP server for Relance's mail tests, run as a subprocess (aiosmtpd 1.4).

It binds 127.0.0.1 on a free port and writes that port to PORT_FILE once it listens, so
tests can run in parallel. Stop it with SIGTERM (or SIGINT).

Usage:
  smtpd.py PORT_FILE [--tls starttls|implicit|none] [--cert CERT.pem --key KEY.pem]
           [--user U --password P] [--maildir DIR] [--faults FAULTS.json]
  smtpd.py --make-certs DIR        writes a throw-away ca.pem, server.pem, server-key.pem

--tls starttls  STARTTLS offered and required before MAIL (the default when --cert is given)
--tls implicit  TLS from the first byte (port 465 style)
--tls none      plain text; AUTH is then allowed in the clear (loopback tests only)
--user/--password  AUTH PLAIN and LOGIN; with them, MAIL needs a successful AUTH first,
                and AUTH needs TLS unless --tls none.

--maildir DIR: every accepted message is saved as DIR/NNNNNN.eml (the exact DATA bytes,
after dot-unstuffing, CRLF line ends), and DIR/log.jsonl gets one JSON object per event:
  {"t": 1.23, "conn": 1, "event": "connect"}           also "close"
  {"event": "ehlo", "hostname": ...}                  {"event": "starttls"}
  {"event": "auth", "ok": true|false, "user": ...}     (never the password)
  {"event": "mail", "from": ..., "msg": N}             N counts transactions (MAIL), from 1
  {"event": "rcpt", "to": ..., "msg": N, "reply": "250 OK"}
  {"event": "data", "msg": N, "from": ..., "to": [...]}   all bytes received, before replying
  {"event": "accepted", "msg": N, "file": "000001.eml", "message_id": "<...>",
   "from": ..., "to": [...], "size": BYTES}            kept; the 250 reply follows
  {"event": "fault", "msg": N, "stage": ..., "action": ..., ...}  a fault was injected
  {"event": "abandoned", "msg": N}                    the client left during a delayed DATA

--faults FILE: a JSON file read again at every MAIL, RCPT and DATA, so a test can rewrite
it while the server runs (write a temporary file and rename it over). Missing or empty
file: no faults. Content: {"faults": [FAULT, ...]}; the first FAULT that matches wins:
  {"stage": "mail"|"rcpt"|"data",
   "action": "reply",  "reply": "451 4.3.0 Try again later"   a reply instead of 250
           | "drop"                 close the connection without any reply
           | "delay", "seconds": S  wait S seconds, then carry on (DATA: then accept)
   "msg": N             only for the Nth transaction since the server started (optional)
   "recipient": ADDR    only for RCPT TO this address, or DATA of a message to it (optional)
   "times": K}          at most K times, then the fault no longer matches (optional)
A "reply" starting with 421 also closes the connection after replying, like real servers.
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import subprocess
import sys
import time
from email.parser import BytesHeaderParser

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_certificates(directory):
    """A throw-away CA and a server certificate for localhost and 127.0.0.1 signed by it.

    Returns (ca.pem, server.pem, server-key.pem) paths in DIRECTORY."""
    os.makedirs(directory, exist_ok=True)
    ca_key = os.path.join(directory, "ca-key.pem")
    ca = os.path.join(directory, "ca.pem")
    key = os.path.join(directory, "server-key.pem")
    csr = os.path.join(directory, "server.csr")
    cert = os.path.join(directory, "server.pem")
    ext = os.path.join(directory, "server.ext")
    with open(ext, "w", encoding="ascii") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", ca_key, "-out", ca, "-subj", "/CN=Relance Test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"], **quiet)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", csr, "-subj", "/CN=localhost"], **quiet)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                    "-CAcreateserial", "-days", "2", "-out", cert, "-extfile", ext], **quiet)
    return ca, cert, key


class Recorder:
    """The event log and the saved messages; shared by all connections."""

    def __init__(self, maildir):
        self.maildir = maildir
        self.start = time.monotonic()
        self.log = None
        self.saved = 0
        if maildir:
            os.makedirs(maildir, exist_ok=True)
            self.log = open(os.path.join(maildir, "log.jsonl"), "a", encoding="utf-8")

    def event(self, conn, name, **fields):
        if not self.log:
            return
        record = {"t": round(time.monotonic() - self.start, 3), "conn": conn, "event": name}
        record.update(fields)
        self.log.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.log.flush()

    def save(self, content):
        self.saved += 1
        name = "%06d.eml" % self.saved
        if self.maildir:
            path = os.path.join(self.maildir, name)
            with open(path + ".part", "wb") as f:
                f.write(content)
            os.rename(path + ".part", path)
        return name


class Faults:
    """Fault rules from a JSON file the test may rewrite at any time."""

    def __init__(self, path):
        self.path = path
        self.fired = {}

    def match(self, stage, msg, recipients):
        if not self.path:
            return None
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
            rules = json.loads(text).get("faults", []) if text.strip() else []
        except (OSError, ValueError):
            return None
        for rule in rules:
            if rule.get("stage") != stage:
                continue
            if "msg" in rule and rule["msg"] != msg:
                continue
            if "recipient" in rule and rule["recipient"].lower() not in \
                    [r.lower() for r in recipients]:
                continue
            key = json.dumps(rule, sort_keys=True)
            if "times" in rule and self.fired.get(key, 0) >= rule["times"]:
                continue
            self.fired[key] = self.fired.get(key, 0) + 1
            return rule
        return None


class Handler:
    def __init__(self, recorder, faults):
        self.recorder = recorder
        self.faults = faults
        self.transactions = 0

    async def _fault(self, server, stage, recipients):
        """None to carry on, or the reply to give instead (or MISSING_REPLY after a drop)."""
        msg = getattr(server, "relance_msg", 0)
        rule = self.faults.match(stage, msg, recipients)
        if rule is None:
            return None
        action = rule.get("action", "reply")
        self.recorder.event(server.relance_conn, "fault", msg=msg, stage=stage,
                            action=action, reply=rule.get("reply"),
                            seconds=rule.get("seconds"))
        if action == "delay":
            await asyncio.sleep(float(rule.get("seconds", 0)))
            return None
        if action == "drop":
            server.transport.abort()
            # connection_lost cancels this coroutine: no reply is ever written.
            await asyncio.sleep(3600)
        reply = rule.get("reply", "451 4.3.0 Injected temporary failure")
        if reply.startswith("421"):
            await server.push(reply)
            server.transport.close()
            await asyncio.sleep(3600)
        return reply

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.recorder.event(server.relance_conn, "ehlo", hostname=hostname,
                            tls=server.relance_tls())
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.transactions += 1
        server.relance_msg = self.transactions
        self.recorder.event(server.relance_conn, "mail", msg=self.transactions, **{"from": address})
        reply = await self._fault(server, "mail", [])
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = await self._fault(server, "rcpt", [address]) or "250 OK"
        if reply.startswith("2"):
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
        self.recorder.event(server.relance_conn, "rcpt", msg=server.relance_msg, to=address,
                            reply=reply)
        return reply

    async def handle_DATA(self, server, session, envelope):
        msg = server.relance_msg
        self.recorder.event(server.relance_conn, "data", msg=msg, to=envelope.rcpt_tos,
                            **{"from": envelope.mail_from})
        try:
            reply = await self._fault(server, "data", envelope.rcpt_tos)
        except asyncio.CancelledError:
            self.recorder.event(server.relance_conn, "abandoned", msg=msg)
            raise
        if reply:
            return reply
        content = envelope.original_content
        headers = BytesHeaderParser().parsebytes(content)
        name = self.recorder.save(content)
        self.recorder.event(server.relance_conn, "accepted", msg=msg, file=name,
                            message_id=headers.get("Message-ID"), to=envelope.rcpt_tos,
                            size=len(content), **{"from": envelope.mail_from})
        return "250 2.0.0 Ok: queued as %06d" % self.recorder.saved


class RelanceSMTP(SMTP):
    """aiosmtpd's SMTP with connection events and implicit TLS counted as TLS."""

    connections = 0

    def __init__(self, handler, recorder, implicit_tls, **kwargs):
        super().__init__(handler, **kwargs)
        self.relance_recorder = recorder
        self.relance_implicit = implicit_tls
        self.relance_msg = 0
        RelanceSMTP.connections += 1
        self.relance_conn = RelanceSMTP.connections
        self.relance_open = False

    def relance_tls(self):
        return bool(self.relance_implicit or self._tls_protocol)

    def connection_made(self, transport):
        first = not self.relance_open
        super().connection_made(transport)
        if first:
            self.relance_open = True
            if self.relance_implicit:
                # aiosmtpd only knows STARTTLS: let AUTH through on an implicit TLS socket.
                self._tls_protocol = True
            self.relance_recorder.event(self.relance_conn, "connect", tls=self.relance_tls())
        else:
            self.relance_recorder.event(self.relance_conn, "starttls")

    def connection_lost(self, error):
        self.relance_recorder.event(self.relance_conn, "close")
        super().connection_lost(error)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port_file", nargs="?")
    parser.add_argument("--make-certs", metavar="DIR")
    parser.add_argument("--tls", choices=("starttls", "implicit", "none"))
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--maildir")
    parser.add_argument("--faults")
    args = parser.parse_args(argv)

    if args.make_certs:
        for path in make_certificates(args.make_certs):
            print(path)
        return 0
    if not args.port_file:
        parser.error("PORT_FILE is required")
    tls = args.tls or ("starttls" if args.cert else "none")
    context = None
    if tls != "none":
        if not (args.cert and args.key):
            parser.error("--tls %s needs --cert and --key" % tls)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    # aiosmtpd warns about its own deprecated login_data on every AUTH.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    recorder = Recorder(args.maildir)
    handler = Handler(recorder, Faults(args.faults))
    authenticator = None
    if args.user is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == args.user.encode()
                  and auth_data.password == (args.password or "").encode())
            login = auth_data.login.decode("utf-8", "replace") \
                if isinstance(auth_data, LoginPassword) else None
            recorder.event(server.relance_conn, "auth", ok=ok, mechanism=mechanism, user=login)
            # handled=False: aiosmtpd then answers 535 itself.
            return AuthResult(success=ok, handled=False)

    def factory():
        return RelanceSMTP(handler, recorder, tls == "implicit",
                           hostname="smtp.relance.test",
                           tls_context=context if tls == "starttls" else None,
                           require_starttls=tls == "starttls",
                           authenticator=authenticator,
                           auth_required=authenticator is not None,
                           auth_require_tls=tls != "none",
                           timeout=120)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(factory, host="127.0.0.1", port=0,
                           ssl=context if tls == "implicit" else None))
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".part", "w", encoding="ascii") as f:
        f.write("%d\n" % port)
    os.rename(args.port_file + ".part", args.port_file)

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
