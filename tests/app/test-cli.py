#!/usr/bin/python3
"""End-to-end tests of the command line: real files, a real database, time travel."""

import csv
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

RELANCE = os.environ.get("RELANCE_BIN") or sys.argv.pop(1)
BANK_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "bank")

FRENCH_HEADER = "N° facture;Client;Courriel;Date facture;Échéance;Montant TTC;Devise;Statut\r\n"
FRENCH_ROWS = [
    "F2026-001;Boulangerie Martin;compta@boulangerie-martin.fr;02/01/2026;01/02/2026;1 200,00;EUR;À payer\r\n",
    "F2026-002;Garage des Alpes;contact@garage-alpes.fr;15/01/2026;14/02/2026;\"3 420,50\";EUR;\r\n",
    "F2026-003;Café Fénelon;cafe@fenelon.fr;20/01/2026;19/03/2026;89,90;EUR;Payée\r\n",
]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "data", "relance.db")
        self.env = dict(os.environ)
        self.env["XDG_DATA_HOME"] = os.path.join(self.dir, "xdg")
        self.env["RELANCE_NOW"] = "2026-02-24T10:00:00Z"
        self.env["LC_ALL"] = "C.UTF-8"
        self.env["LANGUAGE"] = ""

    def tearDown(self):
        self.tmp.cleanup()

    def run_relance(self, *args, db=True, env=None):
        argv = [RELANCE] + (["--database", self.db] if db else []) + list(args)
        proc = subprocess.run(argv, capture_output=True, text=True, env=env or self.env,
                              stdin=subprocess.DEVNULL, timeout=120)
        return proc

    def write(self, name, text, encoding="utf-8"):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(text.encode(encoding))
        return path

    def french_file(self, rows=None, name="factures.csv"):
        return self.write(name, FRENCH_HEADER + "".join(rows or FRENCH_ROWS), "windows-1252")

    def invoices(self, *extra):
        proc = self.run_relance("list", "invoices", "--format", "json", *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    # -- the basics of the contract --------------------------------------------------
    def test_version_and_help(self):
        proc = self.run_relance("--version", db=False)
        self.assertEqual(proc.returncode, 0)
        self.assertRegex(proc.stdout, r"^relance \d+\.\d+\.\d+\n$")
        proc = self.run_relance("--help", db=False)
        self.assertEqual(proc.returncode, 0)
        for command in ("import", "export", "list", "pay"):
            self.assertIn(command, proc.stdout)

    def test_usage_errors_exit_2(self):
        for args in (["frobnicate"], ["list"], ["list", "payments"], ["import", "invoices"],
                     ["list", "invoices", "--format", "xml"], ["pay"], ["--no-such-option"],
                     ["import", "invoices", "x.csv", "--map", "total"]):
            proc = self.run_relance(*args)
            self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
            self.assertTrue(proc.stderr.strip(), args)
        # A usage error never creates the database.
        self.assertFalse(os.path.exists(self.db))

    def test_default_database_location(self):
        proc = self.run_relance("list", "invoices", db=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        folder = os.path.join(self.env["XDG_DATA_HOME"], "relance")
        self.assertTrue(os.path.exists(os.path.join(folder, "relance.db")))
        self.assertEqual(os.stat(folder).st_mode & 0o777, 0o700)

    def test_database_option_anywhere(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        proc = subprocess.run([RELANCE, "list", "invoices", "--format", "json", "--database",
                               self.db], capture_output=True, text=True, env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(json.loads(proc.stdout)), 3)

    def test_json_escapes_odd_names(self):
        path = self.write("odd.csv", 'Invoice,Customer,Email,Date,Due,Amount,Currency\n'
                          'Q-1,"Le ""Bon"" Coin \\ Fils\tSARL",a@b.test,2026-01-01,2026-01-31,10.00,EUR\n')
        proc = self.run_relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        (row,) = self.invoices()
        self.assertEqual(row["client"], 'Le "Bon" Coin \\ Fils\tSARL')
        proc = self.run_relance("list", "clients", "--format", "json")
        self.assertEqual(json.loads(proc.stdout)[0]["name"], 'Le "Bon" Coin \\ Fils\tSARL')

    def test_empty_database(self):
        self.assertEqual(self.invoices(), [])
        proc = self.run_relance("list", "invoices")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("No invoices", proc.stdout)

    # -- import --------------------------------------------------------------------
    def test_french_import_and_json(self):
        path = self.french_file()
        proc = self.run_relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("3 created", proc.stdout)
        rows = {r["number"]: r for r in self.invoices()}
        self.assertEqual(set(rows), {"F2026-001", "F2026-002", "F2026-003"})
        first = rows["F2026-001"]
        self.assertEqual(first["client"], "Boulangerie Martin")
        self.assertEqual(first["email"], "compta@boulangerie-martin.fr")
        self.assertEqual(first["issue_date"], "2026-01-02")
        self.assertEqual(first["due_date"], "2026-02-01")
        self.assertEqual(first["total"], "1200.00")
        self.assertEqual(first["outstanding"], "1200.00")
        self.assertEqual(first["currency"], "EUR")
        self.assertEqual(first["status"], "open")
        self.assertEqual(first["days_overdue"], 23)  # RELANCE_NOW is 2026-02-24
        self.assertEqual(rows["F2026-002"]["total"], "3420.50")
        self.assertEqual(rows["F2026-002"]["days_overdue"], 10)
        self.assertEqual(rows["F2026-003"]["client"], "Café Fénelon")
        self.assertEqual(rows["F2026-003"]["status"], "paid")
        self.assertEqual(rows["F2026-003"]["outstanding"], "0.00")
        self.assertEqual(rows["F2026-003"]["days_overdue"], 0)

        overdue = [r["number"] for r in self.invoices("--overdue")]
        self.assertEqual(overdue, ["F2026-001", "F2026-002"])

        # Time travel: before the first due date nothing is overdue.
        env = dict(self.env, RELANCE_NOW="2026-01-20T09:00:00Z")
        proc = self.run_relance("list", "invoices", "--overdue", "--format", "json", env=env)
        self.assertEqual(json.loads(proc.stdout), [])

    def test_reimport_updates_not_duplicates(self):
        path = self.french_file()
        self.assertEqual(self.run_relance("import", "invoices", path).returncode, 0)
        proc = self.run_relance("pay", "F2026-001", "--amount", "200,00")
        self.assertEqual(proc.returncode, 0, proc.stderr)

        proc = self.run_relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0 created, 0 updated, 3 unchanged", proc.stdout)

        corrected = list(FRENCH_ROWS)
        corrected[1] = corrected[1].replace("\"3 420,50\"", "3 500,00")
        proc = self.run_relance("import", "invoices", self.french_file(corrected, "v2.csv"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0 created, 1 updated, 2 unchanged", proc.stdout)
        rows = {r["number"]: r for r in self.invoices()}
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows["F2026-002"]["total"], "3500.00")
        # The payment recorded by hand is kept.
        self.assertEqual(rows["F2026-001"]["outstanding"], "1000.00")
        self.assertEqual(rows["F2026-001"]["status"], "partially-paid")

    def test_bad_rows_change_nothing(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        before = self.invoices()
        digest = sha256(self.db)
        bad = [
            "F2026-010;Boulangerie Martin;compta@boulangerie-martin.fr;02/01/2026;01/02/2026;150,00;EUR;\r\n",
            "F2026-011;Garage des Alpes;pas-une-adresse;02/01/2026;01/02/2026;150,00;EUR;\r\n",
            "F2026-012;Garage des Alpes;contact@garage-alpes.fr;02/01/2026;31/02/2026;150,00;EUR;\r\n",
            "F2026-013;Garage des Alpes;contact@garage-alpes.fr;02/01/2026;01/02/2026;-150,00;EUR;\r\n",
        ]
        path = self.french_file(bad, "mauvais.csv")
        proc = self.run_relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"{path}:3:", proc.stderr)
        self.assertIn(f"{path}:4:", proc.stderr)
        self.assertIn(f"{path}:5:", proc.stderr)
        self.assertNotIn(f"{path}:2:", proc.stderr)
        self.assertIn("nothing was imported", proc.stderr.lower())
        self.assertEqual(self.invoices(), before)
        self.assertNotIn("F2026-010", [r["number"] for r in self.invoices()])
        del digest

    def test_name_with_line_break_refused(self):
        path = self.write("crlf.csv", 'Invoice,Customer,Email,Date,Due,Amount,Currency\n'
                          'Q-1,"Dupont\r\nBcc: evil@example.test",a@b.test,2026-01-01,2026-01-31,'
                          '10.00,EUR\n')
        proc = self.run_relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"{path}:2:", proc.stderr)
        self.assertIn("line break", proc.stderr)
        self.assertEqual(self.invoices(), [])

    def test_dry_run_writes_nothing(self):
        path = self.french_file()
        proc = self.run_relance("import", "invoices", path, "--dry-run")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("3 created", proc.stdout)
        self.assertEqual(self.invoices(), [])

    def test_map_and_us_dates(self):
        path = self.write("export.csv",
                          "Ref,Customer,Email,Date,Payable by,Amount due,Currency,Project\n"
                          "INV-7,Thornbury Design Ltd,accounts@thornbury.co.uk,01/15/2026,"
                          "02/14/2026,\"1,250.00\",GBP,Rebrand\n")
        proc = self.run_relance("import", "invoices", path, "--map", "number=Ref",
                                "--map", "due_date=Payable by", "--date-format", "MM/DD/YYYY")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Project", proc.stdout)  # ignored columns are listed
        (row,) = self.invoices()
        self.assertEqual(row["number"], "INV-7")
        self.assertEqual(row["due_date"], "2026-02-14")
        self.assertEqual(row["total"], "1250.00")
        self.assertEqual(row["currency"], "GBP")

    def test_export_import_round_trip(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        self.assertEqual(self.run_relance("pay", "F2026-002", "--amount", "420.50").returncode, 0)
        self.run_relance("invoice", "dispute", "F2026-001")  # may not exist yet: ignored
        before = self.invoices()
        out = os.path.join(self.dir, "out.csv")
        proc = self.run_relance("export", "invoices", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(len(list(csv.reader(f))), 4)

        other = os.path.join(self.dir, "copy.db")
        proc = subprocess.run([RELANCE, "--database", other, "import", "invoices", out],
                              capture_output=True, text=True, env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = subprocess.run([RELANCE, "--database", other, "list", "invoices", "--format",
                               "json"], capture_output=True, text=True, env=self.env)
        self.assertEqual(json.loads(proc.stdout), before)

        clients = os.path.join(self.dir, "clients.csv")
        self.assertEqual(self.run_relance("export", "clients", clients).returncode, 0)
        proc = subprocess.run([RELANCE, "--database", other, "import", "clients", clients],
                              capture_output=True, text=True, env=self.env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0 created", proc.stdout)

    # -- pay -----------------------------------------------------------------------
    def test_pay(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        proc = self.run_relance("pay", "F2026-001", "--amount", "1 000,00", "--date", "2026-02-20")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        row = {r["number"]: r for r in self.invoices()}["F2026-001"]
        self.assertEqual(row["outstanding"], "200.00")
        self.assertEqual(row["status"], "partially-paid")

        for args in (["F2026-001", "--amount", "200.01"], ["F2026-001", "--amount", "-5"],
                     ["F2026-001", "--amount", "abc"], ["F2026-404"],
                     ["F2026-001", "--date", "31/02/2026"], ["F2026-003"]):
            proc = self.run_relance("pay", *args)
            self.assertEqual(proc.returncode, 1, f"{args}: {proc.stdout}")
            self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertEqual({r["number"]: r for r in self.invoices()}["F2026-001"]["outstanding"],
                         "200.00")

        proc = self.run_relance("pay", "F2026-001")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("paid in full", proc.stdout)
        row = {r["number"]: r for r in self.invoices()}["F2026-001"]
        self.assertEqual(row["status"], "paid")
        self.assertEqual(row["days_overdue"], 0)

    def test_csv_and_text_formats(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        proc = self.run_relance("list", "invoices", "--format", "csv")
        self.assertEqual(proc.returncode, 0)
        rows = list(csv.DictReader(io.StringIO(proc.stdout)))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["Number"], "F2026-001")
        proc = self.run_relance("list", "invoices")
        self.assertIn("Boulangerie Martin", proc.stdout)
        self.assertIn("23 days late", proc.stdout)
        proc = self.run_relance("list", "clients", "--format", "json")
        names = sorted(c["name"] for c in json.loads(proc.stdout))
        self.assertEqual(names, ["Boulangerie Martin", "Café Fénelon", "Garage des Alpes"])

    # -- databases that are not ours ----------------------------------------------------
    def test_foreign_and_newer_databases_refused(self):
        foreign = os.path.join(self.dir, "recettes.db")
        con = sqlite3.connect(foreign)
        con.execute("CREATE TABLE recettes (nom TEXT)")
        con.commit()
        con.close()
        digest = sha256(foreign)
        proc = subprocess.run([RELANCE, "--database", foreign, "list", "invoices"],
                              capture_output=True, text=True, env=self.env)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("not a Relance database", proc.stderr)
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1)
        self.assertEqual(sha256(foreign), digest)

        self.assertEqual(self.run_relance("list", "invoices").returncode, 0)
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("PRAGMA user_version = 99")
        con.commit()
        con.close()
        digest = sha256(self.db)
        proc = self.run_relance("list", "invoices")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("newer version", proc.stderr)
        self.assertEqual(sha256(self.db), digest)

        garbage = self.write("garbage.db", "PK\x03\x04 not a database at all " * 40)
        digest = sha256(garbage)
        proc = subprocess.run([RELANCE, "--database", garbage, "list", "invoices"],
                              capture_output=True, text=True, env=self.env)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(sha256(garbage), digest)

    # -- the reminder engine ---------------------------------------------------------
    def engine_setup(self):
        self.assertEqual(self.run_relance("import", "invoices", self.french_file()).returncode, 0)
        proc = self.run_relance("company", "set", "--name", "Atelier Dupont", "--country", "FR",
                                "--iban", "FR76 3000 6000 0112 3456 7890 189", "--bic", "AGRIFRPP")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def plan(self, *extra, env=None):
        proc = self.run_relance("plan", "--format", "json", *extra, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_plan_json_contract(self):
        self.engine_setup()
        plan = self.plan()
        # F2026-003 is paid: two clients, one message each.
        self.assertEqual(sorted(m["client"] for m in plan),
                         ["Boulangerie Martin", "Garage des Alpes"])
        for message in plan:
            for key in ("client", "to", "scheduled_at", "channel", "tone", "scenario", "step",
                        "language", "subject", "invoices"):
                self.assertIn(key, message)
            self.assertRegex(message["scheduled_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
            self.assertNotIn("\n", message["subject"])
            for inv in message["invoices"]:
                for key in ("number", "outstanding", "currency", "days_overdue", "penalties",
                            "indemnity"):
                    self.assertIn(key, inv)
                self.assertRegex(inv["outstanding"], r"^\d+\.\d\d$")
        martin = next(m for m in plan if m["client"] == "Boulangerie Martin")
        # 2026-02-24 is a Tuesday, 10:00 UTC = 11:00 in Paris: inside the window, now.
        self.assertEqual(martin["scheduled_at"], "2026-02-24T11:00:00+01:00")
        self.assertEqual(martin["to"], ["compta@boulangerie-martin.fr"])
        self.assertEqual(martin["channel"], "email")
        self.assertEqual(martin["scenario"], "standard")
        # Imported 23 days late: the first overdue step, not a burst of later ones.
        self.assertEqual(martin["step"], 1)
        self.assertEqual(martin["tone"], "courteous")
        self.assertEqual(martin["language"], "fr")
        (inv,) = martin["invoices"]
        self.assertEqual(inv["number"], "F2026-001")
        self.assertEqual(inv["days_overdue"], 23)
        # 1 200,00 x 12.15 % x 23 / 365 = 9.187... -> 9.19 ; 40 EUR indemnity (B2B)
        self.assertEqual(inv["penalties"], "9.19")
        self.assertEqual(inv["indemnity"], "40.00")

    def test_plan_weekend_and_until(self):
        self.engine_setup()
        # Saturday 2026-02-28: the next send time is Monday 09:00 in Paris.
        env = dict(self.env, RELANCE_NOW="2026-02-28T10:00:00Z")
        plan = self.plan(env=env)
        self.assertTrue(plan)
        for message in plan:
            self.assertEqual(message["scheduled_at"], "2026-03-02T09:00:00+01:00")
        self.assertEqual(self.plan("--until", "2026-03-01", env=env), [])
        proc = self.run_relance("plan", "--until", "someday")
        self.assertEqual(proc.returncode, 2)

    def test_states_stop_reminders(self):
        self.engine_setup()
        self.assertEqual(self.run_relance("invoice", "dispute", "F2026-001").returncode, 0)
        self.assertEqual([m["client"] for m in self.plan()], ["Garage des Alpes"])
        self.assertEqual(self.run_relance("invoice", "resume", "F2026-001").returncode, 0)
        self.assertEqual(len(self.plan()), 2)

        proc = self.run_relance("invoice", "promise", "F2026-001", "--date", "2026-03-10")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([m["client"] for m in self.plan()], ["Garage des Alpes"])
        # The day after the promise, reminders resume.
        env = dict(self.env, RELANCE_NOW="2026-03-11T08:00:00Z")
        self.assertIn("Boulangerie Martin", [m["client"] for m in self.plan(env=env)])

        self.assertEqual(self.run_relance("client", "pause", "Garage des Alpes").returncode, 0)
        self.assertNotIn("Garage des Alpes", [m["client"] for m in self.plan()])
        self.assertEqual(self.run_relance("client", "resume", "garage des alpes").returncode, 0)
        self.assertIn("Garage des Alpes", [m["client"] for m in self.plan()])
        self.assertEqual(self.run_relance("client", "do-not-remind", "Garage des Alpes").returncode, 0)
        self.assertNotIn("Garage des Alpes", [m["client"] for m in self.plan()])

        self.assertEqual(self.run_relance("pay", "F2026-001").returncode, 0)
        self.assertEqual(self.plan(env=env), [])
        self.assertEqual(self.run_relance("client", "pause", "Nobody").returncode, 1)
        self.assertEqual(self.run_relance("invoice", "frobnicate", "F2026-001").returncode, 2)
        self.assertEqual(self.run_relance("invoice", "promise", "F2026-002").returncode, 2)

    def test_preview(self):
        self.engine_setup()
        proc = self.run_relance("preview", "F2026-001")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("compta@boulangerie-martin.fr", proc.stdout)
        self.assertIn("F2026-001", proc.stdout)
        self.assertIn("1\u202f200,00\u00a0€", proc.stdout)
        self.assertIn("FR7630006000011234567890189", proc.stdout)
        self.assertNotIn("{{", proc.stdout)
        proc = self.run_relance("preview", "F2026-003")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("No reminder", proc.stdout)
        self.assertEqual(self.run_relance("preview", "F404").returncode, 1)

    def test_ab_commands(self):
        """relance ab start|status|stop: the contract (issue 20)."""
        self.engine_setup()
        text_b = self.write("b.txt", "Subject: Un oubli ? Facture {{invoice.number}}\n\n"
                            "Bonjour {{client.name}}, texte B : {{total_due}}.\n")
        bad = self.write("bad.txt", "Subject: x\n\nBonjour {{client.nom}}\n")
        # Usage errors exit 2, errors 1.
        self.assertEqual(self.run_relance("ab", "start", "standard:+1").returncode, 2)
        self.assertEqual(self.run_relance("ab", "start", "standard", "--variant",
                                          text_b).returncode, 2)
        self.assertEqual(self.run_relance("ab", "stop", "standard:+1", "--keep", "c").returncode, 2)
        self.assertEqual(self.run_relance("ab", "frobnicate").returncode, 2)
        proc = self.run_relance("ab", "start", "standard:+1", "--variant", bad)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("client.nom", proc.stderr)
        self.assertEqual(self.run_relance("ab", "start", "standard:+45", "--variant",
                                          text_b).returncode, 1)  # a task, not an email
        self.assertEqual(self.run_relance("ab", "start", "nope:+1", "--variant",
                                          text_b).returncode, 1)
        self.assertEqual(self.run_relance("ab", "stop", "standard:+1", "--keep", "a").returncode, 1)

        proc = self.run_relance("ab", "start", "standard:+1", "--variant", text_b)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.run_relance("ab", "status", "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        (test,) = json.loads(proc.stdout)
        self.assertEqual(test["step"], "standard:+1")
        self.assertTrue(test["running"])
        self.assertEqual([v["variant"] for v in test["variants"]], ["a", "b"])
        for v in test["variants"]:
            for field in ("sent", "paid_7d", "paid_14d", "median_days"):
                self.assertIn(field, v)
        self.assertEqual(test["verdict"], "too-early")
        self.assertAlmostEqual(test["probability_better"], 0.5)

        # Reminders sent with each text (as the outbox records them), then payments.
        con = sqlite3.connect(self.db)
        with con:
            test_id, = con.execute("SELECT id FROM ab_tests").fetchone()
            step_id, = con.execute("SELECT st.id FROM scenario_steps st JOIN scenarios s "
                                   "ON s.id = st.scenario_id WHERE s.key = 'standard' "
                                   "AND st.offset_days = 1").fetchone()
            for number, variant, sent in (("F2026-001", "a", 1770000000),
                                          ("F2026-002", "b", 1770000000)):
                inv, client = con.execute("SELECT id, client_id FROM invoices WHERE number = ?",
                                          (number,)).fetchone()
                cur = con.execute(
                    "INSERT INTO outbox (client_id, channel, tone, step_offset, template_key, "
                    "state, scheduled_at, queued_at, sent_at, ab_test_id, ab_variant) VALUES "
                    "(?, 'email', 'courteous', 1, 'first-reminder', 'sent', ?, ?, ?, ?, ?)",
                    (client, sent, sent, sent, test_id, variant))
                con.execute("INSERT INTO reminders (invoice_id, step_id, channel, state, "
                            "scheduled_at, sent_at, outbox_id) VALUES (?, ?, 'email', 'sent', "
                            "?, ?, ?)", (inv, step_id, sent, sent, cur.lastrowid))
            # And one sent outside any A/B test.
            plain = con.execute(
                "INSERT INTO outbox (client_id, channel, tone, step_offset, template_key, "
                "state, scheduled_at, queued_at, sent_at) VALUES "
                "(?, 'email', 'courteous', 0, 'due-today', 'sent', ?, ?, ?)",
                (client, 1769000000, 1769000000, 1769000000)).lastrowid
        con.close()
        # The history says which text each reminder carried; the other fields are unchanged.
        proc = self.run_relance("history", "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = {tuple(r["invoices"]): r for r in json.loads(proc.stdout)}
        self.assertEqual(rows[("F2026-001",)]["ab_variant"], "a")
        self.assertEqual(rows[("F2026-002",)]["ab_variant"], "b")
        (no_test,) = [r for r in json.loads(proc.stdout) if r["id"] == plain]
        self.assertIsNone(no_test.get("ab_variant"))
        for field in ("id", "client", "invoices", "channel", "tone", "scenario", "step", "state",
                      "attempts", "scheduled_at", "queued_at", "sent_at", "next_attempt_at",
                      "server_reply", "message_id", "subject", "error"):
            self.assertIn(field, rows[("F2026-001",)])
        proc = self.run_relance("history", "--invoice", "F2026-002")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("A/B test: text B", proc.stdout)
        self.assertNotIn("text A", proc.stdout)
        # 1770000000 is 2026-02-02; F2026-002 is paid on 02-05: 3 days after.
        self.assertEqual(self.run_relance("pay", "F2026-002", "--date", "2026-02-05").returncode, 0)
        (test,) = json.loads(self.run_relance("ab", "status", "--format", "json").stdout)
        a, b = test["variants"]
        self.assertEqual((a["sent"], a["paid_7d"], a["paid_14d"], a["median_days"]),
                         (1, 0, 0, None))
        self.assertEqual((b["sent"], b["paid_7d"], b["paid_14d"], b["median_days"]),
                         (1, 1, 1, 3))
        # Exact, with uniform priors: 1 of 1 against 0 of 1 is 5/6.
        self.assertAlmostEqual(test["probability_better"], 0.8333, places=4)
        self.assertEqual(test["verdict"], "too-early")
        self.assertIn("Too early: 1 and 1 reminders so far", test["sentence"])
        proc = self.run_relance("ab", "status")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("Too early", proc.stdout)

        # Keeping B: the step gets its own copy of the text (first-reminder is shared by the
        # Gentle scenario, which keeps text A).
        proc = self.run_relance("ab", "stop", "standard:+1", "--keep", "b")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        con = sqlite3.connect(self.db)
        key, = con.execute("SELECT template_key FROM scenario_steps st JOIN scenarios s ON "
                           "s.id = st.scenario_id WHERE s.key = 'standard' AND "
                           "st.offset_days = 1").fetchone()
        body, = con.execute("SELECT body FROM templates WHERE key = ? AND language = 'fr'",
                            (key,)).fetchone()
        gentle, = con.execute("SELECT template_key FROM scenario_steps st JOIN scenarios s ON "
                              "s.id = st.scenario_id WHERE s.key = 'gentle' AND "
                              "st.offset_days = 3").fetchone()
        con.close()
        self.assertNotEqual(key, "first-reminder")
        self.assertIn("texte B", body)
        self.assertEqual(gentle, "first-reminder")
        (test,) = json.loads(self.run_relance("ab", "status", "--format", "json").stdout)
        self.assertFalse(test["running"])
        self.assertEqual(test["kept"], "b")

    def test_preview_send_to_me_needs_an_account(self):
        self.engine_setup()
        proc = self.run_relance("preview", "F2026-001", "--send-to-me")
        self.assertEqual(proc.returncode, 1)
        self.assertTrue(proc.stderr.strip())
        self.assertEqual(self.run_relance("preview", "F2026-001", "--template",
                                          "firm").returncode, 2)

    def test_template_check(self):
        good = self.write("good.txt", "Subject: Relance {{invoice.number}}\n\nBonjour {{client.name}},\n"
                          "{{#invoices}}\n- {{invoice.number}}\n{{/invoices}}\n")
        proc = self.run_relance("template", "check", good, db=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        bad = self.write("bad.txt", "Subject: Relance {{invoice.number}}\n\nBonjour,\n\n"
                         "Montant : {{invoice.outstandng}}\n")
        proc = self.run_relance("template", "check", bad, db=False)
        self.assertEqual(proc.returncode, 1)
        self.assertTrue(proc.stderr.startswith(f"{bad}:5:11: "), proc.stderr)
        self.assertIn("invoice.outstanding", proc.stderr)  # did you mean
        unclosed = self.write("unclosed.txt", "Subject: Hello {{client.name\n\nBody\n")
        proc = self.run_relance("template", "check", unclosed, db=False)
        self.assertEqual(proc.returncode, 1)
        self.assertTrue(proc.stderr.startswith(f"{unclosed}:1:"), proc.stderr)

    def test_rate_and_config(self):
        self.engine_setup()
        proc = self.run_relance("rate", "set", "2026-H2", "2.40")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("12.40", proc.stdout)
        env = dict(self.env, RELANCE_NOW="2026-08-03T10:00:00Z")
        plan = self.plan(env=env)
        martin = next(m for m in plan if m["client"] == "Boulangerie Martin")
        self.assertEqual(martin["invoices"][0]["penalty_rate"], "12.40")
        for args in (["rate", "set", "2026-H3", "2"], ["rate", "set", "2026-H2", "-1"],
                     ["rate", "set", "2026-H2", "abc"]):
            self.assertEqual(self.run_relance(*args).returncode, 2, args)

        proc = self.run_relance("config", "set", "send-window", "mon,wed 08:30-12:00")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.run_relance("config", "get", "send-window")
        self.assertEqual(proc.stdout.strip(), "mon,wed 08:30-12:00")
        # Tuesday 24 February 11:00 Paris is outside: Wednesday 08:30.
        for message in self.plan():
            self.assertEqual(message["scheduled_at"], "2026-02-25T08:30:00+01:00")
        for args in (["config", "set", "send-window", "every day"],
                     ["config", "set", "timezone", "Mars/Olympus"],
                     ["config", "set", "formal-notice-threshold", "cinq mille"]):
            proc = self.run_relance(*args)
            self.assertEqual(proc.returncode, 1, args)
            self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)
        self.assertEqual(self.run_relance("config", "get", "colour").returncode, 2)
        self.assertEqual(self.run_relance("config", "get", "send-window").stdout.strip(),
                         "mon,wed 08:30-12:00")

    def test_company(self):
        proc = self.run_relance("company", "set", "--name", "Atelier Dupont",
                                "--currency", "eur", "--payment-terms", "45")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = self.run_relance("company", "show")
        self.assertIn("Atelier Dupont", proc.stdout)
        self.assertIn("EUR", proc.stdout)
        self.assertIn("45 days", proc.stdout)
        for args in (["--currency", "euros"], ["--country", "France"],
                     ["--payment-terms", "400"], ["--language", "de"]):
            self.assertEqual(self.run_relance("company", "set", *args).returncode, 2, args)
        self.assertEqual(self.run_relance("company", "set", "--penalty-rate", "150").returncode, 1)
        self.assertIn("45 days", self.run_relance("company", "show").stdout)

    def test_background_pause_and_autostart(self):
        self.engine_setup()
        env = dict(self.env)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env["XDG_CONFIG_HOME"] = os.path.join(self.dir, "config")
        proc = subprocess.Popen([RELANCE, "--database", self.db, "--background"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            self.assertIsNone(proc.poll(), "the scheduler should keep running")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        self.assertEqual(proc.returncode, 0)

        self.assertEqual(self.run_relance("pause", env=env).returncode, 0)
        self.assertEqual(self.run_relance("config", "get", "paused", env=env).stdout.strip(),
                         "true")
        self.assertEqual(self.run_relance("resume", env=env).returncode, 0)
        self.assertEqual(self.run_relance("config", "get", "paused", env=env).stdout.strip(),
                         "false")

        autostart = os.path.join(env["XDG_CONFIG_HOME"], "autostart", "com.example.Relance.desktop")
        self.assertFalse(os.path.exists(autostart))  # off by default
        self.assertEqual(self.run_relance("config", "set", "background", "true", env=env).returncode, 0)
        with open(autostart, encoding="utf-8") as f:
            self.assertIn("--background", f.read())
        self.assertEqual(self.run_relance("config", "set", "background", "false", env=env).returncode, 0)
        self.assertFalse(os.path.exists(autostart))

    def test_damaged_database(self):
        rows = [f"F{i:04d};Client {i};c{i}@example.test;02/01/2026;01/02/2026;{i},00;EUR;\r\n"
                for i in range(1, 400)]
        self.assertEqual(self.run_relance("import", "invoices",
                                          self.french_file(rows)).returncode, 0)
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        with open(self.db, "r+b") as f:
            f.seek(4096 * 4)
            f.write(b"\x5a" * 4096 * 3)
        digest = sha256(self.db)
        # A write is refused before anything is written; a read says the file is damaged,
        # never "no such invoice".
        for args in (["pay", "F0042"], ["list", "invoices"], ["invoice", "dispute", "F0042"]):
            proc = self.run_relance(*args)
            self.assertEqual(proc.returncode, 1, args)
            self.assertIn("damaged", proc.stderr, args)
            self.assertNotIn("There is no invoice", proc.stderr)
        self.assertEqual(sha256(self.db), digest)

    # -- the client's postal address, the letter, the words shown ---------------------
    def set_address(self, client, street, postcode, city, country=None):
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE clients SET street = ?, postcode = ?, city = ?, "
                        "country = coalesce(?, country) WHERE name = ?",
                        (street, postcode, city, country, client))
        con.close()

    def test_client_address_listed_and_exported(self):
        self.engine_setup()
        self.set_address("Garage des Alpes", "Zone artisanale\n12 rue des Lilas", "74000", "Annecy")
        proc = self.run_relance("list", "clients", "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        clients = {c["name"]: c for c in json.loads(proc.stdout)}
        garage = clients["Garage des Alpes"]
        self.assertEqual(garage["street"], "Zone artisanale\n12 rue des Lilas")
        self.assertEqual(garage["postcode"], "74000")
        self.assertEqual(garage["city"], "Annecy")
        self.assertIsNone(clients["Boulangerie Martin"]["street"])

        out = os.path.join(self.dir, "clients.csv")
        self.assertEqual(self.run_relance("export", "clients", out).returncode, 0)
        with open(out, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        # The existing columns keep their order; the address comes last.
        self.assertEqual(rows[0], ["Name", "Reference", "Email", "Cc", "Phone", "Language",
                                   "Country", "Time zone", "Customer type", "Segment", "Notes",
                                   "Address", "Postcode", "City"])
        garage_row = next(r for r in rows[1:] if r[0] == "Garage des Alpes")
        self.assertEqual(garage_row[11:], ["Zone artisanale\n12 rue des Lilas", "74000", "Annecy"])

    def test_letter_warns_without_address(self):
        self.engine_setup()
        out = os.path.join(self.dir, "notice.pdf")
        proc = self.run_relance("letter", "F2026-001", "-o", out)
        # Written all the same, with a plain warning.
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(os.path.getsize(out) > 0)
        self.assertIn("The client has no postal address: this letter cannot be posted as it is.",
                      proc.stderr)
        self.set_address("Boulangerie Martin", "3 place du Marché", "69002", "Lyon")
        proc = self.run_relance("letter", "F2026-001", "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("postal address", proc.stderr)

    def test_plan_words_agree_in_french(self):
        self.engine_setup()
        env = dict(self.env, LC_ALL="fr_FR.UTF-8", LANGUAGE="fr")
        proc = self.run_relance("plan", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Courriel, ton courtois", proc.stdout)
        self.assertNotIn("courriel courtoise", proc.stdout.lower())
        # English: one phrase too; keys only in JSON.
        proc = self.run_relance("plan")
        self.assertIn("Email, courteous tone", proc.stdout)
        self.assertNotIn("courteous (", proc.stdout)

    def test_demo(self):
        proc = self.run_relance("--demo", "list", "invoices", "--format", "json", db=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertGreaterEqual(len(json.loads(proc.stdout)), 10)


    # -- bank statements ---------------------------------------------------------------
    def bank_setup(self):
        self.env["RELANCE_NOW"] = "2026-11-20T10:00:00Z"
        rows = ["F2026-0101;Garage des Alpes SARL;a@garage.test;01/10/2026;31/10/2026;1 200,00;EUR;\r\n",
                "F2026-0102;Garage des Alpes SARL;a@garage.test;01/10/2026;31/10/2026;300,00;EUR;\r\n",
                "F2026-0103;Garage des Alpes SARL;a@garage.test;01/10/2026;31/10/2026;450,00;EUR;\r\n",
                "F2026-0110;Boulangerie Martin;b@martin.test;01/10/2026;31/10/2026;80,00;EUR;\r\n",
                "F2026-0120;Studio Lumière;s@lumiere.test;01/10/2026;31/10/2026;999,00;EUR;\r\n"]
        proc = self.run_relance("import", "invoices", self.french_file(rows))
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def bank_rows(self, *extra):
        proc = self.run_relance("bank", "list", "--format", "json", *extra)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def outstanding(self, number):
        return {i["number"]: i["outstanding"] for i in self.invoices()}[number]

    def test_bank_import_matches_and_stops_reminders(self):
        self.bank_setup()
        plan = json.loads(self.run_relance("plan", "--format", "json").stdout)
        self.assertIn("F2026-0101", json.dumps(plan))
        # Every reminder gives the ISO 11649 reference the statement will bring back.
        proc = self.run_relance("preview", "F2026-0110")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Référence de virement : RF76 F202 6011 0", proc.stdout)
        statement = os.path.join(BANK_DATA, "camt053-v02.xml")

        proc = self.run_relance("bank", "import", statement, "--dry-run")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Dry run", proc.stdout)
        self.assertEqual(self.bank_rows(), [])
        self.assertEqual(self.outstanding("F2026-0101"), "1200.00")

        proc = self.run_relance("bank", "import", statement)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Paid at once: 2", proc.stdout)
        rows = self.bank_rows()
        self.assertEqual(len(rows), 4)
        for row in rows:
            self.assertEqual(set(row) >= {"id", "date", "amount", "currency", "payer", "label",
                                          "reference", "status", "invoices"}, True)
        by_amount = {r["amount"]: r for r in rows}
        self.assertEqual(by_amount["1200.00"]["status"], "applied")
        self.assertEqual(by_amount["1200.00"]["reference"], "RF28F20260101")
        self.assertEqual(by_amount["1200.00"]["date"], "2026-11-12")
        self.assertEqual(by_amount["750.00"]["invoices"],
                         [{"number": "F2026-0102", "amount": "300.00"},
                          {"number": "F2026-0103", "amount": "450.00"}])
        self.assertEqual(by_amount["80.00"]["status"], "proposed")
        self.assertEqual(by_amount["100.00"]["status"], "unmatched")
        self.assertEqual(self.outstanding("F2026-0101"), "0.00")
        self.assertEqual(self.outstanding("F2026-0110"), "80.00")
        # Paid by the bank: no more reminders for it, exactly as after `relance pay`.
        plan = json.loads(self.run_relance("plan", "--format", "json").stdout)
        self.assertNotIn("F2026-0101", json.dumps(plan))

        proc = self.run_relance("bank", "import", statement)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Nothing new", proc.stdout)
        self.assertEqual(len(self.bank_rows()), 4)
        self.assertEqual([r["amount"] for r in self.bank_rows("--proposed")], ["80.00"])
        self.assertEqual([r["amount"] for r in self.bank_rows("--unmatched")], ["100.00"])

        # By hand, undo, ignore.
        unmatched = by_amount["100.00"]["id"]
        proc = self.run_relance("bank", "match", str(unmatched), "F2026-0102")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("already paid", proc.stderr)
        proc = self.run_relance("bank", "match", str(unmatched), "F2026-0120")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.outstanding("F2026-0120"), "899.00")
        proc = self.run_relance("bank", "undo", str(by_amount["750.00"]["id"]))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.outstanding("F2026-0102"), "300.00")
        self.assertEqual(self.outstanding("F2026-0101"), "0.00")
        proc = self.run_relance("bank", "ignore", str(by_amount["80.00"]["id"]))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual({r["id"]: r["status"] for r in self.bank_rows()}[by_amount["80.00"]["id"]],
                         "ignored")
        proc = self.run_relance("bank", "match", str(by_amount["750.00"]["id"]),
                                "F2026-0102,F2026-0103")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.outstanding("F2026-0103"), "0.00")

    def test_bank_errors(self):
        self.bank_setup()
        for args in (["bank"], ["bank", "frobnicate"], ["bank", "import"],
                     ["bank", "match", "x", "F2026-0101"], ["bank", "undo"],
                     ["bank", "list", "--format", "xml"], ["bank", "list", "--unmatched",
                                                           "--proposed"]):
            proc = self.run_relance(*args)
            self.assertEqual(proc.returncode, 2, f"{args}: {proc.stderr}")
        proc = self.run_relance("bank", "undo", "999")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no bank transaction 999", proc.stderr)
        proc = self.run_relance("bank", "import", os.path.join(BANK_DATA, "camt-entities.xml"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn("camt-entities.xml", proc.stderr)
        self.assertEqual(proc.stderr.count("\n"), 1)
        proc = self.run_relance("bank", "import", os.path.join(BANK_DATA, "csv", "bad-amount.csv"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn("bad-amount.csv:3:", proc.stderr)
        self.assertEqual(self.bank_rows(), [])
        # Dollars never pay a euro invoice.
        proc = self.run_relance("bank", "import", os.path.join(BANK_DATA, "camt053-v08.xml"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        usd = [r for r in self.bank_rows() if r["currency"] == "USD"][0]
        self.assertEqual(usd["status"], "unmatched")
        proc = self.run_relance("bank", "match", str(usd["id"]), "F2026-0110")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("USD", proc.stderr)

    def test_bank_folder_setting(self):
        folder = os.path.join(self.dir, "statements")
        os.mkdir(folder)
        proc = self.run_relance("config", "set", "bank-folder", folder)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.run_relance("config", "get", "bank-folder").stdout.strip(), folder)
        proc = self.run_relance("config", "set", "bank-folder", os.path.join(self.dir, "nope"))
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(self.run_relance("config", "set", "bank-folder", "").returncode, 0)
        self.assertEqual(self.run_relance("config", "get", "bank-folder").stdout.strip(), "")


if __name__ == "__main__":
    unittest.main(verbosity=2)
