#!/usr/bin/python3
# tests/bench/bench-send.py: sending reminders to a loopback SMTP server, against a floor.
#
# Ours: `relance send-due` end to end on a fresh database of N clients with one overdue
# invoice each (it plans, builds every MIME message, claims and records each one in its
# own transactions, and sends over one reused connection). Floor: bench-send-raw, a bare
# libcurl loop sending the very bytes relance stored in its outbox, over one connection
# with the same AUTH, to the same server in the same run. Both include process start-up.
# Prints the throughput ratio floor/ours next to its goal (≥ 0.8); a figure, never an
# assertion: the script fails only when a command fails or a message is missing.
#
# Usage: bench-send.py RELANCE_EXE BENCH_SEND_RAW_EXE
# RELANCE_BENCH_SMALL=1 (CI): 100 clients instead of 1 000.
# RELANCE_BENCH_PROFILE="perf record -g -o /tmp/send.perf" (any command prefix): after the
# timed runs, one more send-due on a fresh database under that prefix, untimed; the
# keyring and the server only live as long as this script, so profile from here.

import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

SMALL = os.environ.get('RELANCE_BENCH_SMALL', '') not in ('', '0')
N_CLIENTS = 100 if SMALL else 1000
RUNS = 3
GOAL = 0.8

HERE = os.path.dirname(os.path.abspath(__file__))
MAIL = os.path.join(HERE, '..', 'mail')
SMTPD = os.path.join(MAIL, 'smtpd.py')
PYTHON = '/usr/bin/python3'

# test-sending.py's world (the same addresses, the same clock) and its keyring helpers.
# It takes the relance binary from RELANCE_BIN at import time.
os.environ.setdefault('RELANCE_BIN', sys.argv[1] if len(sys.argv) > 1 else 'relance')
_spec = importlib.util.spec_from_file_location(
    'relance_test_sending', os.path.join(MAIL, 'test-sending.py'))
sending = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sending)

SUMMARY = re.compile(r'(\d+) sent, (\d+) to retry, (\d+) failed')


def remove_db(path):
    for suffix in ('', '-wal', '-shm', '-journal'):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass


def copy_db(source, target):
    remove_db(target)
    for suffix in ('', '-wal'):
        if os.path.exists(source + suffix):
            shutil.copy(source + suffix, target + suffix)


class Bench:
    def __init__(self, relance, raw, tmp):
        self.relance = relance
        self.raw = raw
        self.dir = tmp
        self.env = dict(os.environ)
        for name in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'):
            self.env[name] = os.path.join(tmp, name.lower())
            os.makedirs(self.env[name])
        self.env['RELANCE_NOW'] = sending.NOW
        self.env['LC_ALL'] = 'C.UTF-8'
        self.env['LANGUAGE'] = ''
        # As a person runs it: `meson test` sets MALLOC_PERTURB_, which makes glibc fill
        # every block it hands out or takes back, a cost on each of the many allocations
        # of building a message that the bare libcurl floor hardly pays.
        self.env.pop('MALLOC_PERTURB_', None)
        self.server = None

    def run(self, db, *args, input=None):
        proc = subprocess.run([self.relance, '--database', db] + list(args), env=self.env,
                              capture_output=True, input=(input or '').encode(), timeout=1800)
        if proc.returncode != 0:
            sys.stderr.buffer.write(proc.stdout + proc.stderr)
            raise SystemExit('relance %s failed (exit %d)' % (' '.join(args), proc.returncode))
        return proc.stdout.decode('utf-8', 'replace')

    def start_server(self):
        # No --maildir: the fixture then writes nothing, a sink that costs both sides alike.
        port_file = os.path.join(self.dir, 'port')
        self.server_log = open(os.path.join(self.dir, 'smtpd.log'), 'wb')
        self.server = subprocess.Popen(
            [PYTHON, SMTPD, port_file, '--tls', 'none', '--user', sending.USER,
             '--password', sending.PASSWORD],
            stdin=subprocess.DEVNULL, stdout=self.server_log, stderr=self.server_log)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if self.server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit('smtpd.py did not start, see ' + self.server_log.name)
            time.sleep(0.02)
        with open(port_file, encoding='ascii') as f:
            self.port = int(f.read())

    def stop_server(self):
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=10)
        if self.server is not None:
            self.server_log.close()

    def make_template(self):
        """The world every run of ours starts from: clients, company, account, password."""
        db = os.path.join(self.dir, 'template.db')
        csv = os.path.join(self.dir, 'factures.csv')
        with open(csv, 'w', encoding='utf-8', newline='') as f:
            f.write(sending.HEADER)
            for i in range(N_CLIENTS):
                f.write(';'.join(('F2026-%05d' % i, 'Client %05d' % i,
                                  'client%d@example.test' % i, '02/01/2026', '01/02/2026',
                                  '%d,00' % (100 + i), 'EUR', '', 'fr', 'FR')) + '\r\n')
        self.run(db, 'import', 'invoices', csv)
        self.run(db, 'company', 'set', '--name', 'Atelier Dupont', '--country', 'FR',
                 '--iban', 'FR76 3000 6000 0112 3456 7890 189', '--bic', 'AGRIFRPP')
        self.run(db, 'account', 'set', '--host', '127.0.0.1', '--port', str(self.port),
                 '--security', 'none', '--user', sending.USER, '--from', sending.FROM)
        self.run(db, 'account', 'set-password', input=sending.PASSWORD + '\n')
        self.run(db, 'history')  # creates the outbox before the copies
        return db

    def ours(self, template, db):
        copy_db(template, db)
        start = time.perf_counter()
        out = self.run(db, 'send-due')
        elapsed = time.perf_counter() - start
        match = SUMMARY.search(out)
        if not match or tuple(int(n) for n in match.groups()) != (N_CLIENTS, 0, 0):
            raise SystemExit('send-due did not send %d messages: %s' % (N_CLIENTS, out[-500:]))
        return elapsed

    def spool(self, db):
        """The exact bytes relance sent, with their envelope recipients, for the floor."""
        path = os.path.join(self.dir, 'spool')
        connection = sqlite3.connect(db)
        rows = connection.execute(
            "SELECT o.recipients, r.raw FROM outbox o JOIN outbox_raw r ON r.outbox_id = o.id "
            "WHERE o.state = 'sent' ORDER BY o.id").fetchall()
        connection.close()
        if len(rows) != N_CLIENTS:
            raise SystemExit('the outbox holds %d sent messages, not %d' % (len(rows), N_CLIENTS))
        with open(path, 'wb') as f:
            for recipients, raw in rows:
                f.write(b'%s %d\n' % (recipients.encode(), len(raw)))
                f.write(raw)
        return path, sum(len(raw) for _, raw in rows)

    def floor(self, spool):
        address = sending.OWNER
        argv = [self.raw, 'smtp://127.0.0.1:%d' % self.port, sending.USER, sending.PASSWORD,
                address, spool]
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=self.env)
        return time.perf_counter() - start


def bench(relance, raw):
    with tempfile.TemporaryDirectory(prefix='relance-bench-send-') as tmp:
        b = Bench(relance, raw, tmp)
        try:
            b.start_server()
            template = b.make_template()
            db = os.path.join(tmp, 'run.db')
            spool = None
            ours = floor = None
            # Alternated, so a machine getting busier weighs on both sides alike.
            for _ in range(RUNS):
                elapsed = b.ours(template, db)
                ours = elapsed if ours is None else min(ours, elapsed)
                if spool is None:
                    spool, size = b.spool(db)
                    print('# %d clients, one overdue invoice each, %d messages of %d bytes '
                          'on average, best of %d runs'
                          % (N_CLIENTS, N_CLIENTS, size // N_CLIENTS, RUNS), flush=True)
                elapsed = b.floor(spool)
                floor = elapsed if floor is None else min(floor, elapsed)
            profile = os.environ.get('RELANCE_BENCH_PROFILE', '').split()
            if profile:
                copy_db(template, db)
                subprocess.run(profile + [relance, '--database', db, 'send-due'], env=b.env,
                               check=True, stdout=subprocess.DEVNULL)
        finally:
            b.stop_server()
    ratio = floor / ours if ours > 0 else 0.0
    print('send: %.3f s vs floor %.3f s = throughput ratio %.2f (goal ≥ %g)%s'
          % (ours, floor, ratio, GOAL, '' if ratio >= GOAL else '  [under goal]'), flush=True)
    return 0


def main():
    if len(sys.argv) != 3:
        print('usage: bench-send.py RELANCE_EXE BENCH_SEND_RAW_EXE', file=sys.stderr)
        return 2
    relance, raw = (os.path.abspath(p) for p in sys.argv[1:3])
    inside = os.environ.get('RELANCE_MAIL_TEST_SESSION') == 'inside'
    # As test-sending.py: use the caller's keyring when it works, else our own gnome-keyring
    # on a private bus (started before any libsecret call, so D-Bus does not auto-start one).
    if not inside and sending.secret_service_works():
        return bench(relance, raw)
    if not inside and shutil.which('dbus-run-session'):
        env = dict(os.environ, RELANCE_MAIL_TEST_SESSION='inside')
        argv = ['dbus-run-session', '--', PYTHON, os.path.abspath(__file__), relance, raw]
        os.execvpe('dbus-run-session', argv, env)
    stop = sending.start_keyring() if shutil.which('gnome-keyring-daemon') else (lambda: None)
    try:
        if not sending.secret_service_works():
            print('SKIP: no Secret Service could be started (gnome-keyring-daemon, '
                  'dbus-run-session and secret-tool are needed)')
            return 77
        return bench(relance, raw)
    finally:
        stop()


if __name__ == '__main__':
    sys.exit(main())
