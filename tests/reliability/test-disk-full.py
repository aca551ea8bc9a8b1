#!/usr/bin/python3
"""A full disk (issue 19): every command that writes says so in plain words, exits non-zero
and leaves the database exactly as it was; once there is room again, the same command
works. The disk fills through the test VFS (RELANCE_DISKFULL_AFTER_BYTES, see
powercut-vfs.c), at several points of each write, so the failure lands in different places
of the transaction.

Run: test-disk-full.py RELANCE FAULT_VFS_SO
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

RELANCE = sys.argv.pop(1)
VFS = os.path.abspath(sys.argv.pop(1))



def preload(vfs):
    """LD_PRELOAD for the fault VFS; under AddressSanitizer its runtime must come first."""
    libs = [vfs]
    try:
        out = subprocess.run(["ldd", RELANCE], capture_output=True, text=True).stdout
    except OSError:
        out = ""
    for line in out.splitlines():
        if "libasan" in line and "=>" in line:
            libs.insert(0, line.split("=>")[1].split()[0])
    return " ".join(libs)


HEADER = "N° facture;Client;Courriel;Date facture;Échéance;Montant TTC;Devise\r\n"


def invoices_csv(first, count):
    rows = []
    for i in range(first, first + count):
        rows.append(f"F-{i:05d};Client {i % 97};compta{i % 97}@example.fr;02/01/2026;"
                    f"01/02/2026;{100 + i},50;EUR\r\n")
    return HEADER + "".join(rows)


class DiskFullTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "relance.db")
        self.env = dict(os.environ, XDG_DATA_HOME=os.path.join(self.dir, "xdg"),
                        RELANCE_NOW="2026-02-24T10:00:00Z", LC_ALL="C.UTF-8", LANGUAGE="",
                        LD_PRELOAD=preload(VFS))
        self.env.pop("RELANCE_DISKFULL_AFTER_BYTES", None)
        with open(os.path.join(self.dir, "first.csv"), "w", encoding="utf-8") as f:
            f.write(invoices_csv(1, 50))
        proc = self.relance("import", "invoices", os.path.join(self.dir, "first.csv"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # The day's backup copy is made at the first write; make it now, with room, so the
        # runs below test the owner's own changes.
        proc = self.relance("pay", "F-00001")
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def tearDown(self):
        self.tmp.cleanup()

    def relance(self, *args, room=None, lang=None):
        env = dict(self.env)
        if room is not None:
            env["RELANCE_DISKFULL_AFTER_BYTES"] = str(room)
        if lang:
            env["LANGUAGE"] = lang
            env["LC_ALL"] = "fr_FR.UTF-8" if lang == "fr" else "C.UTF-8"
        return subprocess.run([RELANCE, "--database", self.db] + list(args),
                              capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=120)

    def snapshot(self):
        proc = self.relance("list", "invoices", "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def assert_intact(self):
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")

    def assert_refused_and_unchanged(self, args, rooms):
        before = self.snapshot()
        for room in rooms:
            with self.subTest(room=room):
                proc = self.relance(*args, room=room)
                self.assertNotEqual(proc.returncode, 0, proc.stdout)
                self.assertIn("is full: the change was not saved", proc.stderr)
                self.assertNotIn("Traceback", proc.stderr)
                self.assertEqual(self.snapshot(), before)
                self.assert_intact()

    def test_import_on_a_full_disk(self):
        path = os.path.join(self.dir, "more.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(invoices_csv(100, 2000))
        # No room at all, a page or two, and most of what the import needs.
        self.assert_refused_and_unchanged(["import", "invoices", path], [0, 5000, 60000])
        proc = self.relance("import", "invoices", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(len(self.snapshot()), 2050)

    def test_payment_on_a_full_disk(self):
        self.assert_refused_and_unchanged(["pay", "F-00002"], [0, 100])
        proc = self.relance("pay", "F-00002")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        paid = [i for i in self.snapshot() if i["number"] == "F-00002"][0]
        self.assertEqual(paid["outstanding"], "0.00")

    def test_said_in_french(self):
        proc = self.relance("pay", "F-00003", room=0, lang="fr")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("est plein", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
