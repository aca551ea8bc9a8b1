#!/usr/bin/python3
"""Reading the inbox for real: the relance binary against a private Dovecot (IMAP over TLS
with a throw-away CA, a temporary maildir, a free loopback port) and a real keyring.

Replies with and without threading headers, a delivery status notification written per
RFC 3464, automatic replies, unrelated mail, a UIDVALIDITY change, the server down and back,
a wrong password; the mailbox (its files and their flags) is the same after every check.

Usage: test-inbox.py RELANCE_BINARY [unittest arguments]
Exit status 77 (skipped) when Dovecot is not installed, not root, or no keyring can start.
"""

import datetime
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

RELANCE = os.environ.get("RELANCE_BIN") or sys.argv.pop(1)
HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"
_spec = importlib.util.spec_from_file_location("relance_smtpd", os.path.join(HERE, "smtpd.py"))
smtpd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smtpd)

NOW = "2026-03-04T09:00:00Z"
NOW_TS = datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.timezone.utc).timestamp()
USER = "bob"
PASSWORD = "Imap-pw-7f3!x"
OWNER = "facturation@atelier-dupont.test"

HEADER = ("N° facture;Client;Courriel;Date facture;Échéance;Montant TTC;Devise;Statut;Langue;"
          "Pays\r\n")
INVOICES = [
    ("F2026-0103", "Garage des Alpes", "compta@garage-alpes.test", "01/01/2026", "31/01/2026"),
    ("F2026-0104", "Boulangerie Martin", "martin@boulangerie.test", "01/01/2026", "31/01/2026"),
    ("F2026-0105", "Thornbury Design", "accounts@thornbury.test", "01/01/2026", "31/01/2026"),
    ("F2026-0106", "Garage des Alpes", "compta@garage-alpes.test", "05/01/2026", "04/02/2026"),
]
# The Message-IDs of the reminders "sent" to each client (outbox rows made by the test).
SENT = {"Garage des Alpes": "r1.garage@atelier-dupont.test",
        "Boulangerie Martin": "r2.martin@atelier-dupont.test",
        "Thornbury Design": "r3.thornbury@atelier-dupont.test"}

CERTS = None


def setUpModule():
    global CERTS, CERT_DIR
    CERT_DIR = tempfile.mkdtemp(prefix="relance-inbox-certs.")
    os.chmod(CERT_DIR, 0o755)
    CERTS = smtpd.make_certificates(CERT_DIR)
    for path in CERTS:
        os.chmod(path, 0o644)


def tearDownModule():
    shutil.rmtree(CERT_DIR, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rfc2822(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime(
        "%a, %d %b %Y %H:%M:%S +0000")


class Dovecot:
    """A private Dovecot: its own configuration, state, log and maildir under DIRECTORY."""

    def __init__(self, directory):
        self.dir = directory
        self.port = free_port()
        self.maildir = os.path.join(directory, "home", USER, "Maildir")
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(self.maildir, sub), exist_ok=True)
        for sub in ("base", "state"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)
        self.conf = os.path.join(directory, "dovecot.conf")
        with open(os.path.join(directory, "users"), "w", encoding="ascii") as f:
            f.write("%s:{PLAIN}%s::::::\n" % (USER, PASSWORD))
        with open(self.conf, "w", encoding="ascii") as f:
            f.write(f"""instance_name = relance-test-{self.port}
base_dir = {directory}/base
state_dir = {directory}/state
log_path = {directory}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = required
ssl_cert = <{CERTS[1]}
ssl_key = <{CERTS[2]}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {self.port}
    ssl = yes
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {directory}/users
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={directory}/home/%u
}}
first_valid_uid = 8
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_login_user = dovenull
auth_mechanisms = plain login
""")
        self.counter = 0

    def start(self):
        subprocess.run(["chown", "-R", "mail:mail", os.path.join(self.dir, "home")], check=True)
        subprocess.run(["dovecot", "-c", self.conf], check=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + self.log())

    def stop(self):
        subprocess.run(["doveadm", "-c", self.conf, "stop"], capture_output=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(0.05)
            except OSError:
                return

    def log(self):
        path = os.path.join(self.dir, "dovecot.log")
        return open(path, encoding="utf-8", errors="replace").read() if os.path.exists(path) else ""

    def deliver(self, text, age_days=1):
        """Writes a message into Maildir/new, as a delivery agent does; its internal date
        (the file's time) is AGE_DAYS before NOW."""
        self.counter += 1
        name = "%d.M%dP%d.relance-test" % (int(NOW_TS) - age_days * 86400, self.counter,
                                           os.getpid())
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(text.replace("\n", "\r\n").encode("utf-8"))
        when = NOW_TS - age_days * 86400
        os.utime(tmp, (when, when))
        final = os.path.join(self.maildir, "new", name)
        os.rename(tmp, final)
        shutil.chown(final, "mail", "mail")
        return final

    def snapshot(self):
        """Every message file (new/ or cur/, with the flags in its name) and its content."""
        result = {}
        for sub in ("new", "cur"):
            folder = os.path.join(self.maildir, sub)
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), "rb") as f:
                    result[sub + "/" + name] = hashlib.sha256(f.read()).hexdigest()
        return result

    def renumber(self):
        """Makes the server give the mailbox a new UIDVALIDITY (as after a restore)."""
        self.stop()
        for name in os.listdir(self.maildir):
            if name.startswith("dovecot"):
                os.remove(os.path.join(self.maildir, name))
        self.start()


def message(sender, subject, body, *headers, date_ts=None, message_id=None):
    lines = ["From: %s" % sender, "To: %s" % OWNER, "Subject: %s" % subject,
             "Date: %s" % rfc2822(date_ts or NOW_TS - 3600),
             "Message-ID: <%s>" % (message_id or "%s@client.test" % hashlib.md5(
                 (sender + subject + body).encode()).hexdigest()),
             "MIME-Version: 1.0"]
    lines += list(headers)
    if not any(h.lower().startswith("content-type") for h in headers):
        lines.append("Content-Type: text/plain; charset=utf-8")
    return "\n".join(lines) + "\n\n" + body + "\n"


def dsn(original_id, recipient):
    """A delivery status notification as RFC 3464 describes it (multipart/report)."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.atelier-dupont.test>
To: {OWNER}
Subject: Undelivered Mail Returned to Sender
Date: {rfc2822(NOW_TS - 1800)}
Message-ID: <dsn-{original_id}>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.atelier-dupont.test.
I'm sorry to have to inform you that your message could not be delivered.

<{recipient}>: host mx.thornbury.test said: 550 5.1.1 User unknown

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.atelier-dupont.test
Arrival-Date: {rfc2822(NOW_TS - 1900)}

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.thornbury.test
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: User unknown

--BOUNDARY
Content-Type: text/rfc822-headers

From: Atelier Dupont <{OWNER}>
To: {recipient}
Subject: Facture F2026-0105
Message-ID: <{original_id}>

--BOUNDARY--
"""


class InboxTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="relance-inbox.")
        self.addCleanup(self.tmp.cleanup)  # cleanups run last first: after the server stops
        self.dir = self.tmp.name
        os.chmod(self.dir, 0o755)
        self.db = os.path.join(self.dir, "data", "relance.db")
        self.env = dict(os.environ, RELANCE_NOW=NOW)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            self.env[name] = os.path.join(self.dir, name.lower())
            os.makedirs(self.env[name])
        self.server = Dovecot(os.path.join(self.dir, "dovecot"))
        self.server.start()
        self.addCleanup(self.server.stop)
        self.ok("account", "set", "--host", "127.0.0.1", "--port", "1", "--security", "tls",
                "--user", USER, "--from", "Atelier Dupont <%s>" % OWNER,
                "--ca-file", CERTS[0], "--imap-host", "127.0.0.1",
                "--imap-port", str(self.server.port), "--imap-security", "tls")
        self.ok("account", "set-password", input=PASSWORD + "\n")
        csv = os.path.join(self.dir, "invoices.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write(HEADER)
            for number, client, email, issued, due in INVOICES:
                f.write(";".join([number, client, email, issued, due, "1 200,00", "EUR", "",
                                  "fr", "FR"]) + "\r\n")
        self.ok("import", "invoices", csv)
        self.make_sent_reminders()

    def run_relance(self, *args, input=None, env=None):
        proc = subprocess.run([RELANCE, "--database", self.db] + list(args), capture_output=True,
                              env=env or self.env, input=(input or "").encode(), timeout=120)
        proc.stdout = proc.stdout.decode("utf-8", "replace")
        proc.stderr = proc.stderr.decode("utf-8", "replace")
        return proc

    def ok(self, *args, **kwargs):
        proc = self.run_relance(*args, **kwargs)
        self.assertEqual(proc.returncode, 0, "%s: %s%s" % (args, proc.stdout, proc.stderr))
        return proc

    def fails(self, *args, words=()):
        proc = self.run_relance(*args)
        self.assertEqual(proc.returncode, 1, "%s: %s%s" % (args, proc.stdout, proc.stderr))
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(any(w in proc.stderr.lower() for w in words), proc.stderr)
        return proc

    def sql(self, query, *params):
        with sqlite3.connect(self.db) as db:
            return db.execute(query, params).fetchall()

    def make_sent_reminders(self):
        """One reminder sent to each client the day before, with a known Message-ID."""
        with sqlite3.connect(self.db) as db:
            step = db.execute("SELECT min(id) FROM scenario_steps").fetchone()[0]
            for name, mid in SENT.items():
                client, email = db.execute("SELECT id, email FROM clients WHERE name = ?",
                                           (name,)).fetchone()
                cur = db.execute(
                    "INSERT INTO outbox (client_id, channel, tone, step_offset, template_key, "
                    "state, recipients, subject, message_id, scheduled_at, queued_at, sent_at) "
                    "VALUES (?, 'email', 'courteous', 1, 'first-reminder', 'sent', ?, "
                    "'Relance', ?, ?, ?, ?)", (client, email, mid, NOW_TS - 86400,
                                               NOW_TS - 86400, NOW_TS - 86400))
                for (invoice,) in db.execute("SELECT id FROM invoices WHERE client_id = ? "
                                             "ORDER BY number LIMIT 1", (client,)).fetchall():
                    db.execute("INSERT INTO reminders (invoice_id, step_id, channel, state, "
                               "scheduled_at, sent_at, outbox_id) VALUES (?, ?, 'email', "
                               "'sent', ?, ?, ?)", (invoice, step, NOW_TS - 86400,
                                                    NOW_TS - 86400, cur.lastrowid))

    def listed(self):
        return json.loads(self.ok("inbox", "list", "--format", "json").stdout)

    def check(self):
        before = self.server.snapshot()
        proc = self.ok("inbox", "check")
        self.assertEqual(self.server.snapshot(), before, "the mailbox changed")
        return proc

    # ---- the cases ---------------------------------------------------------------------

    def test_answers_are_recognised_and_the_mailbox_is_untouched(self):
        s = self.server
        # A reply with threading headers.
        s.deliver(message("Garage des Alpes <compta@garage-alpes.test>", "Re: Relance",
                          "Bonjour,\nnous avons payé hier.\n\n> Votre facture F2026-0103",
                          "In-Reply-To: <%s>" % SENT["Garage des Alpes"],
                          "References: <%s>" % SENT["Garage des Alpes"]))
        # A reply without threading headers, from the client's address, naming the invoice.
        s.deliver(message("martin@boulangerie.test", "Facture F2026-0104",
                          "Je conteste la ligne 3."))
        # A DSN for the reminder to Thornbury.
        s.deliver(dsn(SENT["Thornbury Design"], "accounts@thornbury.test"))
        # Automatic replies: RFC 3834 header, and a French out-of-office subject.
        s.deliver(message("compta@garage-alpes.test", "Automatic reply: Relance",
                          "I am away.", "Auto-Submitted: auto-replied",
                          "In-Reply-To: <%s>" % SENT["Garage des Alpes"]))
        s.deliver(message("martin@boulangerie.test", "Absence du bureau jusqu'au 10 mars",
                          "Je suis absent."))
        # Unrelated: a newsletter, a client writing about something else, a stranger naming
        # an invoice number, and a message older than 60 days.
        s.deliver(message("news@shop.test", "Promotions", "F2026-0103 -50%"))
        s.deliver(message("martin@boulangerie.test", "Commande", "Pouvez-vous livrer jeudi ?"))
        s.deliver(message("stranger@else.test", "F2026-0105", "Hello"))
        s.deliver(message("compta@garage-alpes.test", "Re: F2026-0106", "Old",
                          date_ts=NOW_TS - 90 * 86400), age_days=90)

        out = self.check().stdout
        self.assertIn("Garage des Alpes replied about F2026-0103", out)
        self.assertIn("Boulangerie Martin replied about F2026-0104", out)
        self.assertIn("5 answers recognised", out)

        rows = self.listed()
        kinds = sorted((r["kind"], r["client"], ",".join(r["invoices"]), r["action"])
                       for r in rows)
        self.assertEqual(kinds, [
            ("auto-reply", "Boulangerie Martin", "F2026-0104", "noted"),
            ("auto-reply", "Garage des Alpes", "F2026-0103", "noted"),
            ("bounce", "Thornbury Design", "F2026-0105", "address-invalid"),
            ("reply", "Boulangerie Martin", "F2026-0104", "paused"),
            ("reply", "Garage des Alpes", "F2026-0103", "paused"),
        ])
        for r in rows:
            self.assertEqual(set(r) >= {"uid", "date", "from", "kind", "client", "invoices",
                                        "action"}, True)
            self.assertIsInstance(r["uid"], int)
            self.assertTrue(r["date"].endswith("Z"))
        text = self.ok("inbox", "list").stdout
        self.assertIn("bounce", text)

        # The bounced reminder shows as such; the client's reminders stop; a new address
        # clears it.
        self.assertIn("bounced", self.ok("history").stdout)
        self.assertEqual(self.sql("SELECT state FROM outbox WHERE message_id = ?",
                                  SENT["Thornbury Design"]), [("bounced",)])
        plan = json.loads(self.ok("plan", "--format", "json").stdout)
        planned = json.dumps(plan)
        self.assertNotIn("Thornbury", planned)
        # Replied clients are paused for 7 days: nothing for them before 2026-03-11.
        soon = json.dumps(json.loads(self.ok("plan", "--until", "2026-03-10",
                                             "--format", "json").stdout))
        self.assertNotIn("Garage des Alpes", soon)
        self.assertNotIn("Boulangerie Martin", soon)
        self.sql("UPDATE clients SET email = 'new@thornbury.test' WHERE name = 'Thornbury Design'")
        self.assertEqual(self.sql("SELECT invalid_address FROM client_mail_holds h JOIN clients c "
                                  "ON c.id = h.client_id WHERE c.name = 'Thornbury Design'"),
                         [(None,)])

        # Incremental: nothing new, nothing recognised twice; then one more reply.
        self.assertIn("0 answers recognised", self.check().stdout)
        s.deliver(message("compta@garage-alpes.test", "Re: F2026-0106", "Promis pour le 15.",
                          message_id="late@garage.test"))
        self.assertIn("1 answer recognised", self.check().stdout)
        self.assertEqual(len(self.listed()), 6)

    def test_reply_pause_days_setting(self):
        self.ok("config", "set", "reply-pause-days", "2")
        self.assertEqual(self.ok("config", "get", "reply-pause-days").stdout.strip(), "2")
        self.assertEqual(self.run_relance("config", "set", "reply-pause-days", "x").returncode, 1)
        self.server.deliver(message("compta@garage-alpes.test", "Re: Relance", "Payé.",
                                    "In-Reply-To: <%s>" % SENT["Garage des Alpes"]))
        self.check()
        until = self.sql("SELECT reply_paused_until FROM client_mail_holds")[0][0]
        self.assertEqual(until, int(NOW_TS) + 2 * 86400)

    def test_uidvalidity_change(self):
        self.server.deliver(message("compta@garage-alpes.test", "Re: Relance", "Payé.",
                                    "In-Reply-To: <%s>" % SENT["Garage des Alpes"]))
        self.check()
        validity = self.sql("SELECT uidvalidity FROM inbox_cursor")[0][0]
        self.server.renumber()
        # Dovecot takes the time as UIDVALIDITY: make sure it moved on.
        time.sleep(1.1)
        self.server.renumber()
        self.assertIn("0 answers recognised", self.check().stdout)
        self.assertNotEqual(self.sql("SELECT uidvalidity FROM inbox_cursor")[0][0], validity)
        self.assertEqual(len(self.listed()), 1)
        self.server.deliver(message("martin@boulangerie.test", "F2026-0104", "Je paie demain."))
        self.assertIn("1 answer recognised", self.check().stdout)

    def test_server_down_and_back(self):
        self.server.deliver(message("compta@garage-alpes.test", "Re: Relance", "Payé.",
                                    "In-Reply-To: <%s>" % SENT["Garage des Alpes"]))
        self.server.stop()
        self.fails("inbox", "check", words=("reach",))
        next_try = self.sql("SELECT next_try_at, last_error FROM inbox_cursor")[0]
        self.assertEqual(next_try[0], int(NOW_TS) + 15 * 60)
        self.assertTrue(next_try[1])
        self.server.start()
        self.assertIn("1 answer recognised", self.check().stdout)
        self.assertEqual(self.sql("SELECT next_try_at, last_error FROM inbox_cursor")[0],
                         (None, None))

    def test_wrong_password(self):
        self.ok("account", "set-password", input="wrong\n")
        self.fails("inbox", "check", words=("refused",))
        self.assertEqual(self.sql("SELECT count(*) FROM inbox_messages")[0][0], 0)

    def test_certificate_must_be_trusted(self):
        self.ok("account", "set", "--ca-file", "")
        # An empty --ca-file is refused or means the system CAs; either way no trust.
        self.sql("UPDATE settings SET value = '' WHERE key = 'account.ca-file'")
        self.fails("inbox", "check", words=("certificate",))


def secret_service_works():
    try:
        stored = subprocess.run(["secret-tool", "store", "--label=probe", "relance-probe", "1"],
                                input=b"probe", capture_output=True, timeout=10)
        if stored.returncode != 0:
            return False
        found = subprocess.run(["secret-tool", "lookup", "relance-probe", "1"],
                               capture_output=True, timeout=10)
        return found.stdout == b"probe"
    except (OSError, subprocess.TimeoutExpired):
        return False


def start_keyring():
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
    if shutil.which("dovecot") is None or os.geteuid() != 0:
        print("SKIP: Dovecot (dovecot-imapd) and root are needed to run a private IMAP server")
        sys.exit(77)
    inside = os.environ.get("RELANCE_INBOX_TEST_SESSION") == "inside"
    if not inside and secret_service_works():
        unittest.main(verbosity=2)
    if not inside and shutil.which("dbus-run-session"):
        env = dict(os.environ, RELANCE_INBOX_TEST_SESSION="inside")
        argv = ["dbus-run-session", "--", PYTHON, os.path.abspath(__file__), RELANCE]
        os.execvpe("dbus-run-session", argv + sys.argv[1:], env)
    stop = start_keyring() if shutil.which("gnome-keyring-daemon") else (lambda: None)
    try:
        if not secret_service_works():
            print("SKIP: no Secret Service could be started")
            sys.exit(77)
        program = unittest.main(verbosity=2, exit=False)
        status = 0 if program.result.wasSuccessful() else 1
    finally:
        stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
