#!/usr/bin/python3
"""Sending through Brevo for real: the relance binary's send-due against a loopback HTTP
server that answers like Brevo's transactional email API, with the API key in a real
keyring. Checks the outbox states each answer leads to (sent with Brevo's message id,
retry with the server's delay, failed, paused), and that killing send-due (SIGKILL) at
random points never sends a message twice: every row ends sent (message id recorded) or
uncertain.

Usage: test-brevo-sending.py RELANCE_BINARY [unittest arguments]
Knobs: RELANCE_CRASH_TRIALS (10), RELANCE_CRASH_CLIENTS (200), RELANCE_CRASH_SEED.
"""

import http.server
import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import unittest

if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
    RELANCE = os.path.abspath(sys.argv.pop(1))
else:
    RELANCE = os.environ["RELANCE_BIN"]
HERE = os.path.dirname(os.path.abspath(__file__))
# The SMTP test's helpers: its world (CSV rows, company) and its keyring for the run.
os.environ["RELANCE_BIN"] = RELANCE
_spec = importlib.util.spec_from_file_location("relance_test_sending",
                                               os.path.join(HERE, "test-sending.py"))
sending = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sending)

API_KEY = "xkeysib-0123456789abcdef-relance-test"
NOW = sending.NOW


def epoch(text):
    return sending.utc(text).timestamp()


class Brevo:
    """A loopback HTTP server answering POST /v3/smtp/email like Brevo; counts requests per
    Message-ID (the header Relance sends) and per idempotency key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []          # (status, body, headers) used in turn, then the default
        self.delay = 0.0
        self.by_message_id = {}
        self.bodies = []
        brevo = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                if brevo.delay:
                    time.sleep(brevo.delay)
                if self.path != "/v3/smtp/email" or self.headers.get("api-key") != API_KEY:
                    return self.reply(401, {"code": "unauthorized", "message": "Key not found"})
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self.reply(400, {"code": "bad_request", "message": "not json"})
                with brevo.lock:
                    if brevo.answers:
                        status, answer, headers = brevo.answers.pop(0)
                        return self.reply(status, answer, headers)
                    mid = body.get("headers", {}).get("Message-ID")
                    brevo.by_message_id[mid] = brevo.by_message_id.get(mid, 0) + 1
                    brevo.bodies.append(body)
                    n = len(brevo.bodies)
                self.reply(201, {"messageId": "<2026022410.%d@smtp-relay.mailin.fr>" % n})

            def reply(self, status, answer, headers=None):
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client killed mid-request is the point of the crash test, not an error.
        self.server.handle_error = lambda request, address: None
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port


class BrevoSendingTest(unittest.TestCase):
    # The SMTP test's helpers, without its SMTP scenarios.
    run_relance = sending.SendingTest.run_relance
    ok = sending.SendingTest.ok
    fails = sending.SendingTest.fails
    import_rows = sending.SendingTest.import_rows
    history = sending.SendingTest.history
    summary = sending.SendingTest.summary
    many_rows = sending.SendingTest.many_rows

    def setUp(self):
        sending.SendingTest.setUp(self)
        self.brevo = Brevo()
        self.env["RELANCE_BREVO_BASE_URL"] = self.brevo.base

    def tearDown(self):
        self.brevo.stop()
        sending.SendingTest.tearDown(self)

    def brevo_world(self, rows=(sending.FRENCH, sending.ENGLISH)):
        proc = self.import_rows(rows)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.ok("company", "set", "--name", "Atelier Dupont", "--country", "FR",
                "--iban", "FR76 3000 6000 0112 3456 7890 189", "--bic", "AGRIFRPP")
        self.ok("account", "set", "--transport", "brevo", "--from", sending.FROM)
        self.ok("account", "set-api-key", input=API_KEY + "\n")

    def one_row(self):
        (row,) = self.history()
        return row

    def test_sent_with_brevo_message_id(self):
        self.brevo_world((sending.FRENCH,))
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (1, 0, 0))
        row = self.one_row()
        self.assertEqual(row["state"], "sent")
        self.assertIn("messageId <2026022410.1@smtp-relay.mailin.fr>", row["server_reply"])
        (body,) = self.brevo.bodies
        self.assertEqual(body["sender"], {"email": sending.OWNER, "name": "Atelier Dupont"})
        self.assertEqual(body["to"][0]["email"], sending.FRENCH[2])
        self.assertEqual(body["headers"]["Message-ID"].strip("<>"),
                         sending.mid(row["message_id"]))
        self.assertEqual(body["headers"]["Auto-Submitted"], "auto-generated")
        self.assertIn("F2026-001", body["textContent"])
        self.assertIn("F2026-001", body["htmlContent"])
        self.assertEqual(body["subject"], row["subject"])

    def test_429_waits_as_long_as_brevo_asks(self):
        self.brevo_world((sending.FRENCH,))
        self.brevo.answers.append((429, {"code": "too_many_requests", "message": "slow"},
                                   {"Retry-After": "7200"}))
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (0, 1, 0))
        row = self.one_row()
        self.assertEqual(row["state"], "retry")
        self.assertEqual(epoch(row["next_attempt_at"]) - epoch(NOW), 7200)
        # Not before: nothing is sent an hour later; two hours later it goes.
        proc = self.ok("send-due", now="2026-02-24T11:00:00Z")
        self.assertEqual(self.summary(proc), (0, 0, 0))
        proc = self.ok("send-due", now="2026-02-24T12:00:01Z")
        self.assertEqual(self.summary(proc), (1, 0, 0))
        self.assertEqual(self.one_row()["state"], "sent")

    def test_500_retries_with_backoff(self):
        self.brevo_world((sending.FRENCH,))
        self.brevo.answers.append((500, {"code": "internal_error", "message": "oops"}, {}))
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (0, 1, 0))
        row = self.one_row()
        self.assertEqual(row["state"], "retry")
        self.assertEqual(epoch(row["next_attempt_at"]) - epoch(NOW), 300)
        self.assertIn("500", row["server_reply"])

    def test_400_fails(self):
        self.brevo_world((sending.FRENCH,))
        self.brevo.answers.append((400, {"code": "invalid_parameter",
                                         "message": "email is not valid"}, {}))
        proc = self.run_relance("send-due")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(self.summary(proc), (0, 0, 1))
        row = self.one_row()
        self.assertEqual(row["state"], "failed")
        self.assertIn("400 invalid_parameter", row["server_reply"])

    def test_bad_key_fails_and_pauses_sending(self):
        # Issue 9: 401/403 make the row failed (reply kept), and the batch stops.
        self.brevo_world((sending.FRENCH,))
        self.ok("account", "set-api-key", input="xkeysib-wrong\n")
        proc = self.fails("send-due", words=("api key",))
        self.assertIn("paused", proc.stderr.lower())
        row = self.one_row()
        self.assertEqual(row["state"], "failed")
        self.assertIn("401", row["server_reply"])
        self.ok("account", "set-api-key", input=API_KEY + "\n")
        self.ok("outbox", "retry", str(row["id"]))
        proc = self.ok("send-due")
        self.assertEqual(self.summary(proc), (1, 0, 0))

    def test_unreachable_pauses_sending(self):
        self.brevo_world((sending.FRENCH,))
        closed = Brevo()
        closed.stop()
        proc = self.fails("send-due", env=dict(self.env, RELANCE_BREVO_BASE_URL=closed.base))
        self.assertIn("brevo", proc.stderr.lower())
        self.assertEqual(self.one_row()["state"], "queued")

    def test_kill_9_never_sends_twice(self):
        trials = int(os.environ.get("RELANCE_CRASH_TRIALS", "10"))
        count = int(os.environ.get("RELANCE_CRASH_CLIENTS", "200"))
        seed = int(os.environ.get("RELANCE_CRASH_SEED", str(int(time.time()))))
        rng = random.Random(seed)
        print("brevo crash test: %d trials, %d clients, seed %d" % (trials, count, seed),
              file=sys.stderr)
        self.brevo_world(self.many_rows(count))
        self.ok("history")
        template = self.db + ".template"
        for suffix in ("", "-wal"):
            if os.path.exists(self.db + suffix):
                shutil.copy(self.db + suffix, template + suffix)
        total_kills = total_uncertain = 0
        for trial in range(trials):
            self.brevo.stop()
            self.brevo = Brevo()
            self.brevo.delay = 0.004
            self.env["RELANCE_BREVO_BASE_URL"] = self.brevo.base
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.db + suffix):
                    os.remove(self.db + suffix)
            for suffix in ("", "-wal"):
                if os.path.exists(template + suffix):
                    shutil.copy(template + suffix, self.db + suffix)
            kills = 0
            for _ in range(50):
                proc = subprocess.Popen([RELANCE, "--database", self.db, "send-due"],
                                        env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                try:
                    out, err = proc.communicate(timeout=rng.uniform(0.05, 1.0))
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
                rows = self.history()
                self.assertEqual(len(rows), count)
                dupes = {m: n for m, n in self.brevo.by_message_id.items() if n > 1}
                self.assertEqual(dupes, {}, "a Message-ID reached Brevo twice")
                received = {m.strip("<>") for m in self.brevo.by_message_id}
                states = {}
                for row in rows:
                    states[row["state"]] = states.get(row["state"], 0) + 1
                    mid = sending.mid(row["message_id"])
                    if row["state"] == "sent":
                        self.assertIn("messageId <", row["server_reply"] or "",
                                      "sent without Brevo's message id")
                        self.assertIn(mid, received, "recorded sent, never received")
                    else:
                        self.assertEqual(row["state"], "uncertain", row)
                recorded = {sending.mid(r["message_id"]) for r in rows}
                self.assertLessEqual(received, recorded, "received but not recorded")
                total_uncertain += states.get("uncertain", 0)
            total_kills += kills
        print("brevo crash test: %d kills, %d rows left uncertain"
              % (total_kills, total_uncertain), file=sys.stderr)
        self.assertGreater(total_kills, 0, "no run was ever killed mid-way: nothing was tested")


def load_tests(loader, tests, pattern):
    return loader.loadTestsFromTestCase(BrevoSendingTest)


def main():
    inside = os.environ.get("RELANCE_MAIL_TEST_SESSION") == "inside"
    argv = [sys.argv[0]] + sys.argv[1:]
    if not inside and sending.secret_service_works():
        unittest.main(argv=argv, verbosity=2)
    if not inside and shutil.which("dbus-run-session"):
        env = dict(os.environ, RELANCE_MAIL_TEST_SESSION="inside")
        cmd = ["dbus-run-session", "--", sending.PYTHON, os.path.abspath(__file__), RELANCE]
        os.execvpe("dbus-run-session", cmd + sys.argv[1:], env)
    stop = sending.start_keyring() if shutil.which("gnome-keyring-daemon") else (lambda: None)
    try:
        if not sending.secret_service_works():
            print("SKIP: no Secret Service could be started")
            sys.exit(77)
        program = unittest.main(argv=argv, verbosity=2, exit=False)
        status = 0 if program.result.wasSuccessful() else 1
    finally:
        stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
