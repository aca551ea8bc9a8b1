#!/usr/bin/python3
"""Sending reminders for real: the relance binary against a loopback SMTP server (smtpd.py,
with STARTTLS, AUTH and injected faults) and a real keyring (gnome-keyring on a private
D-Bus session when the caller provides none).

Usage: test-sending.py RELANCE_BINARY [unittest arguments]
Knobs: RELANCE_CRASH_TRIALS (20), RELANCE_CRASH_CLIENTS (1000), RELANCE_CRASH_SEED.
Exit status 77 (skipped) only when no Secret Service can be started at all.
"""

import base64
import datetime
import email
import email.policy
import email.utils
import html
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

RELANCE = os.environ.get("RELANCE_BIN") or sys.argv.pop(1)
# The power-cut VFS (tests/reliability/powercut-vfs.c), when meson passes it.
POWERCUT_VFS = (sys.argv.pop(1) if len(sys.argv) > 1 and sys.argv[1].endswith(".so")
                else os.environ.get("RELANCE_POWERCUT_VFS"))
HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
SMTPD = os.path.join(HERE, "smtpd.py")
# The fixture, for its certificate helper (not the standard library's old smtpd module).
_spec = importlib.util.spec_from_file_location("relance_smtpd", SMTPD)
smtpd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smtpd)

NOW = "2026-02-24T10:00:00Z"  # a Tuesday, 11:00 in Paris: inside the default send window
USER = "atelier-smtp"
PASSWORD = "Kx7!vQ2#relance-pw-93fd"
OWNER = "facturation@atelier-dupont.test"
FROM = "Atelier Dupont <%s>" % OWNER
REPLY_TO = "compta@atelier-dupont.test"
SUMMARY = re.compile(r"(\d+) sent, (\d+) to retry, (\d+) failed")

HEADER = ("N° facture;Client;Courriel;Date facture;Échéance;Montant TTC;Devise;Statut;Langue;"
          "Pays\r\n")
FRENCH = ("F2026-001", "Boulangerie Martin", "client1@example.test", "02/01/2026", "01/02/2026",
          "1 200,00", "EUR", "À payer", "fr", "FR")
ENGLISH = ("INV-7", "Thornbury Design Ltd", "client2@example.test", "15/01/2026", "14/02/2026",
           "1 250,00", "GBP", "", "en", "GB")

CERTS = None  # (ca, cert, key), made once per run in setUpModule


def setUpModule():
    global CERTS, CERT_DIR
    CERT_DIR = tempfile.mkdtemp(prefix="relance-certs.")
    CERTS = smtpd.make_certificates(CERT_DIR)


def tearDownModule():
    shutil.rmtree(CERT_DIR, ignore_errors=True)


def csv_field(value):
    if any(c in value for c in ";\"\r\n"):
        return '"' + value.replace('"', '""') + '"'
    return value


def mid(message_id):
    """A Message-ID without its angle brackets (the outbox may store either form)."""
    return (message_id or "").strip().strip("<>")


def utc(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(
        datetime.timezone.utc)


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SmtpServer:
    """smtpd.py as a subprocess: start, rewrite faults, read the log and saved messages."""

    def __init__(self, directory, tls="starttls", user=USER, password=PASSWORD):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.maildir = os.path.join(directory, "maildir")
        self.faults_file = os.path.join(directory, "faults.json")
        self.port_file = os.path.join(directory, "port")
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        self.set_faults([])
        argv = [PYTHON, SMTPD, self.port_file, "--tls", tls, "--maildir", self.maildir,
                "--faults", self.faults_file]
        if tls != "none":
            argv += ["--cert", CERTS[1], "--key", CERTS[2]]
        if user is not None:
            argv += ["--user", user, "--password", password]
        self.stderr = open(os.path.join(directory, "smtpd.stderr"), "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                     stderr=self.stderr)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                with open(self.stderr.name, encoding="utf-8", errors="replace") as f:
                    raise RuntimeError("smtpd.py did not start: " + f.read())
            time.sleep(0.02)
        with open(self.port_file, encoding="ascii") as f:
            self.port = int(f.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()

    def set_faults(self, faults):
        part = self.faults_file + ".part"
        with open(part, "w", encoding="utf-8") as f:
            json.dump({"faults": faults}, f)
        os.replace(part, self.faults_file)

    def events(self, name=None):
        path = os.path.join(self.maildir, "log.jsonl")
        if not os.path.exists(path):
            return []
        result = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:  # the line being written right now
                    continue
                if name is None or record["event"] == name:
                    result.append(record)
        return result

    def messages(self):
        """Accepted messages: the "accepted" events, each with its exact bytes as "raw"."""
        result = []
        for record in self.events("accepted"):
            with open(os.path.join(self.maildir, record["file"]), "rb") as f:
                record["raw"] = f.read()
            result.append(record)
        return result

    def wait_for(self, name, count=1, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.events(name)) < count:
            if time.monotonic() > deadline:
                raise AssertionError("the server never logged %d %r events" % (count, name))
            time.sleep(0.02)


def plain_words(text, is_html=False):
    """TEXT with tags and entities gone and runs of ASCII white space made one space."""
    if is_html:
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    return re.sub(r"[ \t\r\n]+", " ", text)


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def raw_headers(raw):
    """The header lines of a raw message, unfolded, as (name, raw value) pairs."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    head = re.sub(r"\r\n[ \t]", " ", head)
    return [tuple(part.strip() for part in line.split(":", 1)) for line in head.split("\r\n")]


class SendingTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="relance-mail.")
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "data", "relance.db")
        self.env = dict(os.environ)
        for name, sub in (("XDG_DATA_HOME", "xdg-data"), ("XDG_CONFIG_HOME", "xdg-config"),
                          ("XDG_CACHE_HOME", "xdg-cache"), ("XDG_STATE_HOME", "xdg-state")):
            self.env[name] = os.path.join(self.dir, sub)
            os.makedirs(self.env[name])
        self.env["RELANCE_NOW"] = NOW
        self.env["LC_ALL"] = "C.UTF-8"
        self.env["LANGUAGE"] = ""
        self.servers = []
        self.outputs = []  # every stdout and stderr of relance, for the password hunt

    def tearDown(self):
        for server in self.servers:
            server.stop()
        self.tmp.cleanup()

    # -- helpers -----------------------------------------------------------------------
    def run_relance(self, *args, env=None, input=None, now=None, timeout=180):
        env = dict(env or self.env)
        if now:
            env["RELANCE_NOW"] = now
        argv = [RELANCE, "--database", self.db] + list(args)
        proc = subprocess.run(argv, capture_output=True, env=env, timeout=timeout,
                              input=(input or "").encode())
        self.outputs += [proc.stdout, proc.stderr]
        proc.stdout = proc.stdout.decode("utf-8", "replace")
        proc.stderr = proc.stderr.decode("utf-8", "replace")
        return proc

    def ok(self, *args, **kwargs):
        proc = self.run_relance(*args, **kwargs)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (args, proc.stdout, proc.stderr))
        return proc

    def fails(self, *args, words=(), **kwargs):
        """Exit 1 with one sentence on stderr that names the problem (any of WORDS)."""
        proc = self.run_relance(*args, **kwargs)
        self.assertEqual(proc.returncode, 1, "%s: %s%s" % (args, proc.stdout, proc.stderr))
        self.assertTrue(proc.stderr.strip(), args)
        if words:
            self.assertTrue(any(w in proc.stderr.lower() for w in words),
                            "%s: expected one of %s in: %s" % (args, words, proc.stderr))
        return proc

    def start_server(self, **kwargs):
        self.server_count = getattr(self, "server_count", 0) + 1
        server = SmtpServer(os.path.join(self.dir, "smtpd-%d" % self.server_count), **kwargs)
        self.servers.append(server)
        return server

    def import_rows(self, rows, name="factures.csv"):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(HEADER)
            for row in rows:
                f.write(";".join(csv_field(v) for v in row) + "\r\n")
        return self.run_relance("import", "invoices", path)

    def set_account(self, server, *extra, security="starttls", ca=True):
        args = ["account", "set", "--host", "127.0.0.1", "--port", str(server.port),
                "--security", security, "--user", USER, "--from", FROM]
        if ca:
            args += ["--ca-file", CERTS[0]]
        self.ok(*args, *extra)

    def setup_world(self, server, rows=(FRENCH, ENGLISH), *extra, password=PASSWORD, ca=True,
                    security="starttls"):
        proc = self.import_rows(rows)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.ok("company", "set", "--name", "Atelier Dupont", "--country", "FR",
                "--iban", "FR76 3000 6000 0112 3456 7890 189", "--bic", "AGRIFRPP")
        self.set_account(server, *extra, security=security, ca=ca)
        self.ok("account", "set-password", input=password + "\n")

    def history(self, *extra, now=None):
        proc = self.ok("history", "--format", "json", *extra, now=now)
        return json.loads(proc.stdout)

    def by_client(self, *extra, now=None):
        rows = {}
        for row in self.history(*extra, now=now):
            self.assertNotIn(row["client"], rows, "one reminder per client here")
            rows[row["client"]] = row
        return rows

    def summary(self, proc):
        match = SUMMARY.search(proc.stdout)
        self.assertIsNotNone(match, "no summary line in: " + proc.stdout)
        return tuple(int(n) for n in match.groups())

    def assert_nothing_sent(self, server):
        self.assertEqual(server.messages(), [])
        for row in self.history():
            self.assertNotEqual(row["state"], "sent", row)
            self.assertIsNone(row["sent_at"], row)

    # -- a send that arrives, in both languages --------------------------------------------
    def test_send_arrives_in_both_languages(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH, ENGLISH), "--reply-to", REPLY_TO)
        plan = {m["client"]: m for m in json.loads(self.ok("plan", "--format", "json").stdout)}
        self.assertEqual(set(plan), {FRENCH[1], ENGLISH[1]})

        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (2, 0, 0))
        self.assertIn(FRENCH[1], proc.stdout)
        self.assertIn(ENGLISH[1], proc.stdout)

        received = {m["to"][0]: m for m in server.messages()}
        self.assertEqual(sorted(received), [FRENCH[2], ENGLISH[2]])
        # The whole session was encrypted and authenticated before any MAIL.
        (auth,) = server.events("auth")
        self.assertTrue(auth["ok"])
        self.assertEqual(auth["user"], USER)
        encrypted = {e["conn"] for e in server.events("starttls")}
        for event in server.events("auth") + server.events("mail"):
            self.assertIn(event["conn"], encrypted, event)

        rows = self.by_client()
        for row_data, words in ((FRENCH, ("Sauf erreur de notre part", "Facture n° F2026-001",
                                          "1\u202f200,00\u00a0€", "FR7630006000011234567890189")),
                                (ENGLISH, ("Unless we are mistaken", "INV-7", "1,250.00",
                                           "FR7630006000011234567890189"))):
            number, client, address = row_data[:3]
            with self.subTest(client=client):
                accepted = received[address]
                raw = accepted["raw"]
                self.assertEqual(accepted["from"], OWNER)
                self.assertEqual(accepted["to"], [address])
                # Wire format: CRLF only, no line over 998 octets, 7-bit headers.
                self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))
                self.assertNotIn(b"\r", raw.replace(b"\r\n", b""))
                for line in raw.split(b"\r\n"):
                    self.assertLessEqual(len(line), 998)
                headers = dict((k.lower(), v) for k, v in raw_headers(raw))
                self.assertTrue(headers["subject"].isascii())
                self.assertIn("=?", headers["subject"], "the subject is RFC 2047-encoded")

                message = parse(raw)
                self.assertEqual(str(message["Subject"]).strip(), plan[client]["subject"].strip())
                if row_data is FRENCH:
                    self.assertTrue(str(message["Subject"]).startswith("Rappel de paiement – "))
                else:
                    self.assertTrue(str(message["Subject"]).startswith("Payment reminder – "))
                self.assertIn(number, str(message["Subject"]))
                name, sender = email.utils.parseaddr(str(message["From"]))
                self.assertEqual((name, sender), ("Atelier Dupont", OWNER))
                self.assertEqual(email.utils.parseaddr(str(message["Reply-To"]))[1], REPLY_TO)
                self.assertEqual([a for _, a in email.utils.getaddresses([str(message["To"])])],
                                 [address])
                self.assertEqual(message["Auto-Submitted"], "auto-generated")
                self.assertIsNone(message["Bcc"])
                date = email.utils.parsedate_to_datetime(str(message["Date"]))
                self.assertLess(abs(date - utc(NOW)), datetime.timedelta(minutes=1))
                message_id = str(message["Message-ID"]).strip()
                self.assertRegex(message_id, r"^<[^<>@\s]+@atelier-dupont\.test>$")
                self.assertEqual(accepted["message_id"], message_id)

                self.assertEqual(message.get_content_type(), "multipart/alternative")
                text = message.get_body(("plain",))
                html_part = message.get_body(("html",))
                self.assertIsNotNone(text)
                self.assertIsNotNone(html_part)
                self.assertEqual(text.get_content_charset(), "utf-8")
                for part in (plain_words(text.get_content()),
                             plain_words(html_part.get_content(), is_html=True)):
                    for word in words:
                        self.assertIn(word, part)
                self.assertNotIn("{{", text.get_content())
                self.assertIn("<", html_part.get_content())

                # The outbox keeps what was sent, byte for byte.
                row = rows[client]
                self.assertEqual(row["state"], "sent")
                self.assertEqual(row["attempts"], 1)
                self.assertEqual(row["to"], [address])
                self.assertNotIn("bcc", row, "no copy to the owner unless asked")
                self.assertEqual(row["invoices"], [number])
                self.assertEqual(mid(row["message_id"]), mid(message_id))
                self.assertEqual(row["subject"].strip(), plan[client]["subject"].strip())
                self.assertIn("250", row["server_reply"])
                self.assertLess(abs(utc(row["sent_at"]) - utc(NOW)), datetime.timedelta(minutes=1))
                shown = subprocess.run([RELANCE, "--database", self.db, "history", "--show",
                                        str(row["id"])], capture_output=True, env=self.env)
                self.assertEqual(shown.returncode, 0, shown.stderr)
                self.assertEqual(shown.stdout, raw)

        (only,) = self.history("--invoice", "INV-7")
        self.assertEqual(only["client"], ENGLISH[1])
        self.assertEqual(self.run_relance("history", "--show", "999999").returncode, 1)

        # Sent is sent: the next pass, even later the same day, sends nothing again.
        proc = self.ok("send-due", now="2026-02-24T15:00:00Z")
        self.assertEqual(self.summary(proc), (0, 0, 0))
        self.assertEqual(len(server.messages()), 2)

    def test_dry_run_sends_and_writes_nothing(self):
        server = self.start_server()
        self.setup_world(server)
        proc = self.ok("send-due", "--dry-run")
        self.assertIn(FRENCH[1], proc.stdout)
        self.assertIn(ENGLISH[1], proc.stdout)
        self.assertEqual(server.events("mail"), [])
        self.assertEqual(self.history(), [])
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (2, 0, 0))

    # -- the account --------------------------------------------------------------------
    def test_account_settings(self):
        server = self.start_server()
        self.fails("account", "set", "--host", "smtp.example.test", "--port", "25",
                   "--security", "none", "--user", USER, "--from", FROM)
        base = ["--host", "127.0.0.1", "--port", "25", "--user", USER, "--from", FROM]
        proc = self.run_relance("account", "set", *base, "--security", "sometimes")
        self.assertIn(proc.returncode, (1, 2), proc.stderr)
        self.assertIn("starttls", proc.stderr)
        proc = self.run_relance("account", "set", "--host", "127.0.0.1", "--port", "smtp",
                                "--security", "starttls", "--user", USER, "--from", FROM)
        self.assertIn(proc.returncode, (1, 2), proc.stderr)
        self.assertEqual(self.run_relance("account", "frobnicate").returncode, 2)
        self.assertNotEqual(self.run_relance("account", "set", "--host", "127.0.0.1", "--port",
                                             "25", "--security", "starttls", "--user", USER,
                                             "--from", "not an address").returncode, 0)
        # A plain connection is fine to a loopback host.
        self.ok("account", "set", "--host", "127.0.0.1", "--port", "2525", "--security", "none",
                "--user", USER, "--from", FROM)

        self.set_account(server, "--reply-to", REPLY_TO, "--bcc-self", "--timeout", "7")
        self.ok("account", "set-password", input=PASSWORD + "\n")
        shown = self.ok("account", "show").stdout
        for value in ("127.0.0.1", str(server.port), "starttls", USER, OWNER, REPLY_TO):
            self.assertIn(value, shown)
        self.assertNotIn(PASSWORD, shown)

    def test_account_test_sends_to_the_owner(self):
        server = self.start_server()
        self.setup_world(server)
        proc = self.ok("account", "test")
        (message,) = server.messages()
        self.assertEqual(message["to"], [OWNER])
        self.assertEqual(message["from"], OWNER)
        self.assertNotIn(PASSWORD, proc.stdout + proc.stderr)
        # A test message is not a reminder.
        self.assertEqual(self.history(), [])

    def test_preview_send_to_me(self):
        """A test of a real rendering goes to the owner, marked [TEST], and is no reminder."""
        server = self.start_server()
        self.setup_world(server)
        plan_before = self.ok("plan", "--format", "json").stdout
        proc = self.ok("preview", FRENCH[0], "--send-to-me")
        self.assertIn(OWNER, proc.stdout)
        (message,) = server.messages()
        self.assertEqual(message["to"], [OWNER])
        parsed = parse(message["raw"])
        self.assertTrue(parsed["Subject"].startswith("[TEST] "), parsed["Subject"])
        self.assertIn(FRENCH[0], parsed["Subject"])
        text = parsed.get_body(preferencelist=("plain",)).get_content()
        self.assertIn(FRENCH[0], text)
        self.assertIn("FR7630006000011234567890189", text)
        self.assertNotIn("{{", text)
        # Any template, with the same invoice's values.
        self.ok("preview", ENGLISH[0], "--send-to-me", "--template", "firm")
        self.assertEqual(len(server.messages()), 2)
        self.assertTrue(parse(server.messages()[1]["raw"])["Subject"].startswith("[TEST] "))
        # Never a reminder: no history, the same plan.
        self.assertEqual(self.history(), [])
        self.assertEqual(self.ok("plan", "--format", "json").stdout, plan_before)
        self.fails("preview", "F404", "--send-to-me")

    def test_ab_variant_recorded_when_sent(self):
        """During an A/B test each sent reminder records its client's variant."""
        server = self.start_server()
        self.setup_world(server)
        text_b = os.path.join(self.dir, "b.txt")
        with open(text_b, "w", encoding="utf-8") as f:
            f.write("Subject: [B] {{invoice.number}}\n\nTexte B pour {{client.name}}.\n")
        # Both invoices are at J+1 or later on 02-24: the step planned is the one under test.
        plan = {m["client"]: m for m in json.loads(self.ok("plan", "--format", "json").stdout)}
        planned = plan[FRENCH[1]]
        step = "%s:%+d" % (planned["scenario"], planned["step"])
        self.ok("ab", "start", step, "--variant", text_b)
        self.ok("send-due")
        import sqlite3
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT o.subject, o.ab_variant, c.language FROM outbox o JOIN "
                           "clients c ON c.id = o.client_id").fetchall()
        con.close()
        for subject, variant, language in rows:
            if language == "fr":
                self.assertIn(variant, ("a", "b"))
                self.assertEqual(subject.startswith("[B] "), variant == "b")
            else:  # no text B in English: not in the test
                self.assertIsNone(variant)

    def test_account_test_implicit_tls_and_plain_loopback(self):
        for tls, security in (("implicit", "tls"), ("none", "none")):
            with self.subTest(tls=tls):
                server = self.start_server(tls=tls)
                self.set_account(server, security=security)
                self.ok("account", "set-password", input=PASSWORD + "\n")
                self.ok("account", "test")
                self.assertEqual(len(server.messages()), 1)

    def test_account_test_names_the_problem(self):
        server = self.start_server()
        self.setup_world(server)
        # Unreachable: a port nobody listens on any more.
        dead = self.start_server()
        dead.stop()
        self.set_account(dead)
        self.fails("account", "test", words=("reach",))
        # The sender address refused by the server.
        self.set_account(server)
        server.set_faults([{"stage": "mail", "action": "reply",
                            "reply": "553 5.7.1 Sender address rejected: not owned by user"}])
        self.fails("account", "test", words=("sender",))
        server.set_faults([])
        # A wrong user name.
        self.ok("account", "set", "--host", "127.0.0.1", "--port", str(server.port),
                "--security", "starttls", "--user", "someone-else", "--from", FROM,
                "--ca-file", CERTS[0])
        self.ok("account", "set-password", input=PASSWORD + "\n")
        self.fails("account", "test", words=("password", "user name"))
        self.assertEqual(server.messages(), [])

    def test_untrusted_certificate_refused(self):
        server = self.start_server()
        self.setup_world(server, ca=False)
        self.fails("account", "test", words=("certificate",))
        self.fails("send-due", words=("certificate",))
        # The password never left the machine: no AUTH reached the server.
        self.assertEqual(server.events("auth"), [])
        self.assert_nothing_sent(server)
        # Trusting the CA fixes it.
        self.set_account(server)
        self.assertEqual(self.summary(self.ok("send-due")), (2, 0, 0))

    def test_wrong_password(self):
        server = self.start_server()
        self.setup_world(server, password="not-the-password")
        self.fails("account", "test", words=("password", "user name"))
        self.fails("send-due", words=("password", "user name"))
        self.assertTrue(server.events("auth"))
        self.assertFalse(any(e["ok"] for e in server.events("auth")))
        self.assert_nothing_sent(server)
        for row in self.history():
            # The account is at fault, not the message.
            self.assertNotEqual(row["state"], "failed", row)
        self.ok("account", "set-password", input=PASSWORD + "\n")
        self.assertEqual(self.summary(self.ok("send-due")), (2, 0, 0))
        self.assertEqual(len(server.messages()), 2)

    def test_no_keyring(self):
        server = self.start_server()
        self.setup_world(server)
        env = dict(self.env, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent")
        self.fails("send-due", env=env, words=("keyring",))
        self.fails("account", "set-password", env=env, input="other\n", words=("keyring",))
        self.assertEqual(server.events("mail"), [])
        self.assert_nothing_sent(server)
        # A keyring without this account's password.
        self.ok("account", "set", "--host", "127.0.0.1", "--port", str(server.port),
                "--security", "starttls", "--user", "no-password-yet", "--from", FROM,
                "--ca-file", CERTS[0])
        self.fails("send-due", words=("password",))
        self.assert_nothing_sent(server)
        # With the keyring and the password back, the same reminders go out.
        self.set_account(server)
        self.assertEqual(self.summary(self.ok("send-due")), (2, 0, 0))

    # -- temporary and permanent failures ----------------------------------------------
    def deliver_later(self, server, client, reply_code, sent_before):
        """The row of CLIENT waits in retry with the reply kept, then goes out after the delay."""
        row = self.by_client()[client]
        self.assertEqual(row["state"], "retry", row)
        self.assertEqual(row["attempts"], 1)
        self.assertIsNone(row["sent_at"])
        self.assertIn(reply_code, row["server_reply"] or "")
        delay = utc(row["next_attempt_at"]) - utc(NOW)
        self.assertGreaterEqual(delay, datetime.timedelta(seconds=299))
        self.assertLessEqual(delay, datetime.timedelta(minutes=30))

        # Too early: nothing happens.
        early = iso(utc(NOW) + datetime.timedelta(minutes=2))
        self.ok("send-due", now=early)
        self.assertEqual(self.by_client(now=early)[client]["state"], "retry")
        self.assertEqual(len(server.messages()), sent_before)

        server.set_faults([])
        later = iso(utc(row["next_attempt_at"]) + datetime.timedelta(minutes=1))
        proc = self.ok("send-due", now=later)
        self.assertGreaterEqual(self.summary(proc)[0], 1)
        row = self.by_client(now=later)[client]
        self.assertEqual(row["state"], "sent", row)
        self.assertEqual(row["attempts"], 2)
        self.assertIn("250", row["server_reply"])
        ids = [mid(m["message_id"]) for m in server.messages()]
        self.assertEqual(len(ids), len(set(ids)), "a Message-ID was received twice")
        self.assertIn(mid(row["message_id"]), ids)

    def test_451_on_data_then_retry(self):
        server = self.start_server()
        self.setup_world(server)
        server.set_faults([{"stage": "data", "action": "reply", "recipient": FRENCH[2],
                            "reply": "451 4.3.0 Temporary local problem, try later"}])
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (1, 1, 0))
        self.assertEqual(self.by_client()[ENGLISH[1]]["state"], "sent")
        self.deliver_later(server, FRENCH[1], "451", 1)

    def test_partial_payment_while_waiting_cancels_the_old_amount(self):
        # Review finding: a reminder waiting in retry must not ask for the amount it was
        # prepared with once a (partial) payment was recorded.
        server = self.start_server()
        self.setup_world(server, (FRENCH,))
        server.set_faults([{"stage": "data", "action": "reply",
                            "reply": "451 4.3.0 Temporary local problem, try later"}])
        self.ok("send-due")
        row = self.by_client()[FRENCH[1]]
        self.assertEqual(row["state"], "retry")
        self.ok("pay", FRENCH[0], "--amount", "1 000,00")
        server.set_faults([])
        later = iso(utc(row["next_attempt_at"]) + datetime.timedelta(minutes=1))
        proc = self.ok("send-due", now=later)
        self.assertIn("1 cancelled", proc.stdout)
        self.assertEqual(server.messages(), [])
        # The next pass prepares the step again, with the amount still due.
        self.ok("send-due", now=later)
        states = sorted(r["state"] for r in self.history(now=later))
        self.assertEqual(states, ["cancelled", "sent"])
        (message,) = server.messages()
        text = plain_words(parse(message["raw"]).get_body(("plain",)).get_content())
        self.assertIn("200,00", text)
        self.assertNotIn("1 200,00", text.replace("\u202f", " ").replace("\u00a0", " "))

    def test_retry_of_a_message_never_built_does_not_block_sending(self):
        # Review finding: a failed row without bytes, retried, used to stop every batch.
        server = self.start_server()
        nomail = ("F2026-009", "Sans Courriel SARL", "", "02/01/2026", "01/02/2026",
                  "300,00", "EUR", "", "fr", "FR")
        self.setup_world(server, (nomail,))
        proc = self.run_relance("send-due")
        self.assertEqual(proc.returncode, 1)
        (row,) = self.history()
        self.assertEqual(row["state"], "failed")
        self.assertIn("email", row["error"])
        self.ok("outbox", "retry", str(row["id"]))
        self.assertEqual(self.import_rows((FRENCH,), name="more.csv").returncode, 0)
        proc = self.run_relance("send-due")
        self.assertNotIn("paused", proc.stderr.lower())
        self.assertEqual([m["to"] for m in server.messages()], [[FRENCH[2]]])
        states = sorted(r["state"] for r in self.history())
        self.assertEqual(states, ["cancelled", "failed", "sent"])

    def test_421_on_rcpt_then_retry(self):
        server = self.start_server()
        self.setup_world(server)
        server.set_faults([{"stage": "rcpt", "action": "reply", "recipient": FRENCH[2],
                            "reply": "421 4.7.0 Too many connections, closing"}])
        self.ok("send-due")
        # 421 closes the connection: the other client may have to wait too, never fail.
        other = self.by_client()[ENGLISH[1]]
        self.assertIn(other["state"], ("sent", "retry"))
        self.deliver_later(server, FRENCH[1], "421", len(server.messages()))
        received = sorted(m["to"][0] for m in server.messages())
        self.assertEqual(received, [FRENCH[2], ENGLISH[2]])

    def test_dropped_connection_during_data_then_retry(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,))
        server.set_faults([{"stage": "data", "action": "drop"}])
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (0, 1, 0))
        self.assertEqual(server.events("fault")[0]["action"], "drop")
        row = self.by_client()[FRENCH[1]]
        self.assertTrue(row["server_reply"] is None or "250" not in row["server_reply"])
        self.deliver_later(server, FRENCH[1], "", 0)

    def test_slow_server_and_timeout(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,), "--timeout", "2")
        server.set_faults([{"stage": "data", "action": "delay", "seconds": 6}])
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (0, 1, 0))
        row = self.by_client()[FRENCH[1]]
        self.assertEqual(row["state"], "retry")
        # Giving up must end the connection at once: a server still holding it would deliver
        # the message after all, and the retry would send it a second time.
        self.assertEqual([m["message_id"] for m in server.messages()], [],
                         "the server kept a message relance recorded as to retry: "
                         "the retry will deliver it twice")
        # The connection was dropped before the server's 6 s delay ended (its log, not a
        # stopwatch, says so: the client left while the server was still waiting).
        self.assertTrue(server.events("abandoned"), "the client did not give up")
        # Within the timeout, a slow server is fine.
        server.set_faults([{"stage": "data", "action": "delay", "seconds": 1}])
        later = iso(utc(row["next_attempt_at"]) + datetime.timedelta(minutes=1))
        self.assertEqual(self.summary(self.ok("send-due", now=later)), (1, 0, 0))
        self.assertEqual(self.by_client(now=later)[FRENCH[1]]["state"], "sent")
        self.assertEqual([m["to"] for m in server.messages()], [[FRENCH[2]]])

    def test_550_on_rcpt_fails_and_outbox_commands(self):
        server = self.start_server()
        self.setup_world(server)
        server.set_faults([{"stage": "rcpt", "action": "reply", "recipient": FRENCH[2],
                            "reply": "550 5.1.1 <client1@example.test>: Recipient unknown"}])
        proc = self.run_relance("send-due")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.summary(proc), (1, 0, 1))
        rows = self.by_client()
        self.assertEqual(rows[ENGLISH[1]]["state"], "sent")
        failed = rows[FRENCH[1]]
        self.assertEqual(failed["state"], "failed")
        self.assertIn("550", failed["server_reply"])
        self.assertIn("Recipient unknown", failed["server_reply"])
        self.assertIsNone(failed["sent_at"])
        self.assertEqual([m["to"] for m in server.messages()], [[ENGLISH[2]]])
        # A failed row is not retried by itself.
        later = "2026-02-25T10:00:00Z"
        self.ok("send-due", now=later)
        self.assertEqual(self.by_client(now=later)[FRENCH[1]]["state"], "failed")

        # The outbox commands act on failed and uncertain rows only.
        sent_id = str(rows[ENGLISH[1]]["id"])
        self.fails("outbox", "retry", sent_id)
        self.fails("outbox", "cancel", sent_id)
        self.fails("outbox", "retry", "999999")
        self.assertEqual(self.run_relance("outbox", "frobnicate", sent_id).returncode, 2)
        server.set_faults([])
        self.ok("outbox", "retry", str(failed["id"]), now=later)
        self.assertEqual(self.summary(self.ok("send-due", now=later)), (1, 0, 0))
        self.assertEqual(self.by_client(now=later)[FRENCH[1]]["state"], "sent")
        self.fails("outbox", "cancel", str(failed["id"]))
        self.assertEqual(sorted(m["to"][0] for m in server.messages()), [FRENCH[2], ENGLISH[2]])

    def test_cancel_a_failed_row(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,))
        server.set_faults([{"stage": "rcpt", "action": "reply", "reply": "550 5.1.1 Unknown"}])
        self.assertEqual(self.run_relance("send-due").returncode, 1)
        (row,) = self.history()
        self.ok("outbox", "cancel", str(row["id"]))
        (row,) = self.history()
        self.assertEqual(row["state"], "cancelled")
        self.fails("outbox", "retry", str(row["id"]))

    def test_gives_up_after_five_attempts(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,))
        server.set_faults([{"stage": "rcpt", "action": "reply", "reply": "451 4.4.3 Try later"}])
        now = NOW
        codes = []
        for _ in range(8):
            proc = self.run_relance("send-due", now=now)
            codes.append(proc.returncode)
            (row,) = self.history(now=now)
            if row["state"] != "retry":
                break
            now = iso(utc(row["next_attempt_at"]) + datetime.timedelta(seconds=30))
        self.assertEqual(row["state"], "failed", row)
        self.assertEqual(row["attempts"], 5)
        self.assertIn("451", row["server_reply"])
        self.assertEqual(codes, [0, 0, 0, 0, 1])
        self.assertEqual(len(server.events("rcpt")), 5)
        self.assertEqual(server.messages(), [])

    # -- what must never happen ---------------------------------------------------------
    def test_password_stays_in_the_keyring(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH, ENGLISH))
        self.ok("account", "test")
        self.ok("account", "show")
        server.set_faults([{"stage": "data", "action": "delay", "seconds": 3, "msg": 2}])
        proc = subprocess.Popen([RELANCE, "--database", self.db, "send-due"], env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            server.wait_for("data", 2)  # the account test was message 1: now it is stuck
            with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
                cmdline = f.read()
            with open("/proc/%d/environ" % proc.pid, "rb") as f:
                environ = f.read()
        finally:
            out, err = proc.communicate(timeout=120)
        self.outputs += [out, err]
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(b"--database", cmdline)  # we did read the right process

        forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
                 base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode()),
                 base64.b64encode(USER.encode() + b"\0" + USER.encode() + b"\0" +
                                  PASSWORD.encode())]
        for form in forms:
            self.assertNotIn(form, cmdline)
            self.assertNotIn(form, environ)
            for output in self.outputs:
                self.assertNotIn(form, output)
        self.assertTrue(os.path.exists(self.db))
        searched = 0
        for top in (os.path.dirname(self.db), self.env["XDG_DATA_HOME"],
                    self.env["XDG_CONFIG_HOME"], self.env["XDG_CACHE_HOME"],
                    self.env["XDG_STATE_HOME"]):
            for folder, _, files in os.walk(top):
                for name in files:
                    with open(os.path.join(folder, name), "rb") as f:
                        content = f.read()
                    searched += 1
                    for form in forms:
                        self.assertNotIn(form, content, os.path.join(folder, name))
        self.assertGreaterEqual(searched, 1)
        # The saved messages do not carry it either.
        for message in server.messages():
            self.assertNotIn(PASSWORD.encode(), message["raw"])

    def test_header_injection(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,))
        evil = "evil@example.test"
        cases = [
            ("F2026-101", "Dupont\r\nBcc: " + evil, "client3@example.test"),
            ("F2026-102", "Durand SARL", "client4@example.test\r\nBcc: " + evil),
            ("F2026-103", "Dubois\nBcc: " + evil, "client5@example.test"),
        ]
        imported = []
        for i, (number, name, address) in enumerate(cases):
            row = (number, name, address) + FRENCH[3:]
            proc = self.import_rows([row], "injection-%d.csv" % i)
            if proc.returncode == 0:
                imported.append(number)
            else:
                self.assertEqual(proc.returncode, 1, proc.stderr)
                self.assertTrue(proc.stderr.strip())
        # The message of a name with a line break may fail (never built) rather than go out.
        proc = self.run_relance("send-due")
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        self.assertEqual(self.by_client()[FRENCH[1]]["state"], "sent")
        for event in server.events("rcpt"):
            self.assertNotIn("evil", event["to"])
        for message in server.messages():
            self.assertNotIn(evil, message["to"])
            for name, value in raw_headers(message["raw"]):
                self.assertNotEqual(name.lower(), "bcc", value)
            self.assertNotIn(b"\r\nBcc:", message["raw"].split(b"\r\n\r\n", 1)[0])
            self.assertIsNone(parse(message["raw"])["Bcc"])
        if imported:
            states = {n: row["state"] for row in self.history() for n in row["invoices"]}
            print("injection cases imported, no header injected: %s" %
                  ", ".join("%s (%s)" % (n, states.get(n, "not queued")) for n in imported),
                  file=sys.stderr)

    def test_bcc_self(self):
        server = self.start_server()
        self.setup_world(server, (FRENCH,), "--bcc-self")
        self.assertEqual(self.summary(self.ok("send-due")), (1, 0, 0))
        messages = server.messages()
        self.assertTrue(messages)
        ids = {mid(m["message_id"]) for m in messages}
        self.assertEqual(len(ids), 1, "the copy is the same message")
        recipients = set(r for m in messages for r in m["to"])
        self.assertEqual(recipients, {FRENCH[2], OWNER})
        for message in messages:
            self.assertIsNone(parse(message["raw"])["Bcc"])
            self.assertNotIn(OWNER, str(parse(message["raw"])["To"]))
            self.assertNotIn(OWNER, str(parse(message["raw"])["Cc"] or ""))
        (row,) = self.history()
        # "to" is whom the message is addressed to; the owner's copy is listed apart.
        self.assertEqual(row["to"], [FRENCH[2]])
        self.assertNotIn(OWNER, row["to"])
        self.assertEqual(row["bcc"], [OWNER])

    # -- crashes and races ---------------------------------------------------------------
    def many_rows(self, count):
        return [("F2026-%05d" % i, "Client %05d" % i, "client%d@example.test" % i,
                 "02/01/2026", "01/02/2026", "%d,00" % (100 + i), "EUR", "", "fr", "FR")
                for i in range(count)]

    def check_outbox_against_server(self, server, count):
        rows = self.history()
        self.assertEqual(len(rows), count, "every reminder has its row")
        states = {}
        for row in rows:
            states[row["state"]] = states.get(row["state"], 0) + 1
        self.assertLessEqual(set(states), {"sent", "uncertain"}, states)
        received = server.messages()
        ids = [mid(m["message_id"]) for m in received]
        self.assertEqual(len(ids), len(set(ids)), "a Message-ID was received twice")
        recipients = [m["to"][0] for m in received]
        self.assertEqual(len(recipients), len(set(recipients)), "a client was reminded twice")
        by_id = {mid(row["message_id"]): row for row in rows if row["message_id"]}
        for message in received:
            row = by_id.get(mid(message["message_id"]))
            self.assertIsNotNone(row, "received but not recorded: %s" % message["message_id"])
            self.assertIn(row["state"], ("sent", "uncertain"))
        received_ids = set(ids)
        for row in rows:
            if row["state"] == "sent":
                self.assertIn(mid(row["message_id"]), received_ids,
                              "recorded sent, never received")
        return states

    def test_kill_9_never_sends_twice(self):
        trials = int(os.environ.get("RELANCE_CRASH_TRIALS", "20"))
        count = int(os.environ.get("RELANCE_CRASH_CLIENTS", "1000"))
        seed = int(os.environ.get("RELANCE_CRASH_SEED", str(int(time.time()))))
        rng = random.Random(seed)
        print("crash test: %d trials, %d clients, seed %d" % (trials, count, seed),
              file=sys.stderr)
        rows = self.many_rows(count)
        template = None
        total_kills = total_uncertain = 0
        states = {}
        for trial in range(trials):
            server = self.start_server()
            if template is None:
                self.setup_world(server, rows)
                template = self.db + ".template"
                self.ok("history")  # creates the outbox tables before the copy
                for suffix in ("", "-wal"):
                    if os.path.exists(self.db + suffix):
                        shutil.copy(self.db + suffix, template + suffix)
            else:
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(self.db + suffix):
                        os.remove(self.db + suffix)
                for suffix in ("", "-wal"):
                    if os.path.exists(template + suffix):
                        shutil.copy(template + suffix, self.db + suffix)
                self.set_account(server)
                self.ok("account", "set-password", input=PASSWORD + "\n")
            kills = 0
            for _ in range(50):
                proc = subprocess.Popen([RELANCE, "--database", self.db, "send-due"],
                                        env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                try:
                    out, err = proc.communicate(timeout=rng.uniform(0.05, 1.5))
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.communicate()
                    kills += 1
                    continue
                self.assertEqual(proc.returncode, 0, err)
                break
            else:
                self.fail("send-due never finished by itself in 50 runs")
            proc = self.ok("send-due")
            self.assertEqual(self.summary(proc)[0], 0, "nothing left to send")
            with self.subTest(trial=trial, kills=kills):
                states = self.check_outbox_against_server(server, count)
            total_kills += kills
            total_uncertain += states.get("uncertain", 0)
            server.stop()
            self.servers.remove(server)
        print("crash test: %d kills, %d rows left uncertain" % (total_kills, total_uncertain),
              file=sys.stderr)
        self.assertGreater(total_kills, 0, "no run was ever killed mid-way: nothing was tested")

    def test_power_cut_never_sends_twice(self):
        """A power cut at a random moment: every write SQLite did not sync is lost
        (tests/reliability/powercut-vfs.c, loaded with LD_PRELOAD) and the process stops.
        After each restart, no Message-ID reaches the server twice and none is lost."""
        vfs = POWERCUT_VFS
        if not vfs or not os.path.exists(vfs):
            self.skipTest("the power-cut VFS was not built")
        trials = int(os.environ.get("RELANCE_POWERCUT_TRIALS", "6"))
        count = int(os.environ.get("RELANCE_POWERCUT_CLIENTS", "200"))
        seed = int(os.environ.get("RELANCE_POWERCUT_SEED", str(int(time.time()))))
        rng = random.Random(seed)
        print("power-cut test: %d trials, %d clients, seed %d" % (trials, count, seed),
              file=sys.stderr)
        rows = self.many_rows(count)
        template = None
        total_cuts = total_uncertain = 0
        for trial in range(trials):
            server = self.start_server()
            if template is None:
                self.setup_world(server, rows)
                template = self.db + ".template"
                self.ok("history")
                for suffix in ("", "-wal"):
                    if os.path.exists(self.db + suffix):
                        shutil.copy(self.db + suffix, template + suffix)
            else:
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(self.db + suffix):
                        os.remove(self.db + suffix)
                for suffix in ("", "-wal"):
                    if os.path.exists(template + suffix):
                        shutil.copy(template + suffix, self.db + suffix)
                self.set_account(server)
                self.ok("account", "set-password", input=PASSWORD + "\n")
            cuts = 0
            for _ in range(60):
                env = dict(self.env)
                env["LD_PRELOAD"] = vfs
                # Under AddressSanitizer the preloaded VFS comes before ASan's runtime.
                env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                             "verify_asan_link_order=0"]))
                # Up to about ten writes a reminder: the cut falls anywhere in the batch.
                per_client = int(os.environ.get("RELANCE_POWERCUT_WRITES_PER_CLIENT", "10"))
                env["RELANCE_POWERCUT_AFTER_WRITES"] = str(rng.randrange(0, per_client * count))
                proc = subprocess.run([RELANCE, "--database", self.db, "send-due"], env=env,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, timeout=300)
                if proc.returncode == 137:
                    cuts += 1
                    continue
                self.assertEqual(proc.returncode, 0, proc.stderr)
                break
            else:
                self.fail("send-due never finished by itself in 60 runs")
            proc = self.ok("send-due")
            self.assertEqual(self.summary(proc)[0], 0, "nothing left to send")
            with self.subTest(trial=trial, cuts=cuts):
                states = self.check_outbox_against_server(server, count)
            total_cuts += cuts
            total_uncertain += states.get("uncertain", 0)
            server.stop()
            self.servers.remove(server)
        print("power-cut test: %d cuts, %d rows left uncertain" % (total_cuts, total_uncertain),
              file=sys.stderr)
        self.assertGreater(total_cuts, 0, "no run was ever cut mid-way: nothing was tested")

    def test_two_processes_at_once(self):
        count = 200
        server = self.start_server()
        self.setup_world(server, self.many_rows(count))
        self.ok("history")
        procs = [subprocess.Popen([RELANCE, "--database", self.db, "send-due"], env=self.env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(2)]
        results = [p.communicate(timeout=300) for p in procs]
        for proc, (out, err) in zip(procs, results):
            self.assertEqual(proc.returncode, 0, err)
        sent = 0
        for out, _ in results:
            match = SUMMARY.search(out.decode())
            self.assertIsNotNone(match, out)
            sent += int(match.group(1))
        self.assertEqual(sent, count)
        states = self.check_outbox_against_server(server, count)
        self.assertEqual(states, {"sent": count})
        self.assertEqual(len(server.messages()), count)


# -- a Secret Service for the whole run ------------------------------------------------------
def secret_service_works():
    probe = ["service", "relance-test-probe", "probe", str(os.getpid())]
    try:
        stored = subprocess.run(["secret-tool", "store", "--label=Relance test probe"] + probe,
                                input=b"probe", capture_output=True, timeout=20)
        if stored.returncode != 0:
            return False
        found = subprocess.run(["secret-tool", "lookup"] + probe, capture_output=True,
                               timeout=20)
        subprocess.run(["secret-tool", "clear"] + probe, capture_output=True, timeout=20)
        return found.stdout == b"probe"
    except (OSError, subprocess.TimeoutExpired):
        return False


def start_keyring():
    """Starts gnome-keyring inside our private D-Bus session; returns a function to stop it."""
    home = tempfile.mkdtemp(prefix="relance-keyring.")
    for sub in ("data", "runtime"):
        os.mkdir(os.path.join(home, sub), 0o700)
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "data")
    os.environ["XDG_RUNTIME_DIR"] = os.path.join(home, "runtime")
    for argv, stdin in ((["--unlock"], b"relance-test"), (["--start"], b"")):
        out = subprocess.run(["gnome-keyring-daemon", "--components=secrets"] + argv,
                             input=stdin, capture_output=True, timeout=30).stdout
        for line in out.decode().splitlines():
            name, _, value = line.partition("=")
            if name and value:
                os.environ[name] = value
    reply = subprocess.run(["dbus-send", "--session", "--print-reply=literal",
                            "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus.GetConnectionUnixProcessID",
                            "string:org.freedesktop.secrets"], capture_output=True, timeout=10)
    words = reply.stdout.split()
    pid = int(words[-1]) if reply.returncode == 0 and words else None

    def stop():
        if pid:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(home, ignore_errors=True)
    return stop


def main():
    inside = os.environ.get("RELANCE_MAIL_TEST_SESSION") == "inside"
    # Inside our own session, probing first would let D-Bus start a keyring with no login
    # collection (which then wants a prompt): start ours before any libsecret call.
    if not inside and secret_service_works():
        unittest.main(verbosity=2)
    if not inside and shutil.which("dbus-run-session"):
        # No usable keyring here: run again on a private bus with our own gnome-keyring.
        env = dict(os.environ, RELANCE_MAIL_TEST_SESSION="inside")
        argv = ["dbus-run-session", "--", PYTHON, os.path.abspath(__file__), RELANCE]
        if POWERCUT_VFS:
            argv.append(POWERCUT_VFS)
        os.execvpe("dbus-run-session", argv + sys.argv[1:], env)
    stop = start_keyring() if shutil.which("gnome-keyring-daemon") else (lambda: None)
    try:
        if not secret_service_works():
            print("SKIP: no Secret Service could be started (gnome-keyring-daemon, "
                  "dbus-run-session and secret-tool are needed)")
            sys.exit(77)
        program = unittest.main(verbosity=2, exit=False)
        status = 0 if program.result.wasSuccessful() else 1
    finally:
        stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
