#!/usr/bin/python3
# tests/bench/bench.py: benchmarks of the foundation and the reminder engine.
#
# Each benchmark times one of our commands and a floor doing the same work with bare
# SQLite, in the same run on the same data, and prints the ratio next to its goal.
# Timings are figures to read, never assertions: the script fails only when a command
# itself fails. RELANCE_BENCH_SMALL=1 (CI) shrinks the data ten times.
#
# Usage: bench.py RELANCE_EXE BENCH_PLANNER_EXE [import|list-json|planner ...]

import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from xml.sax.saxutils import escape

SMALL = os.environ.get('RELANCE_BENCH_SMALL', '') not in ('', '0')
N_CLIENTS = 1000 if SMALL else 10000
N_INVOICES = 10000 if SMALL else 100000
RUNS = 3
SEED = 20260115

SQLITE3 = shutil.which('sqlite3') or '/usr/bin/sqlite3'

HEADER = ["N° facture", "Client", "Réf client", "Courriel", "Date d'émission", "Échéance",
          "Montant TTC", "Devise", "Statut", "Type client", "Pays"]

TRADES = ["Boulangerie", "Café", "Garage", "Cabinet", "Société", "Atelier", "Pâtisserie",
          "Librairie", "Menuiserie", "Éditions", "Hôtel", "Crêperie", "Fromagerie",
          "Pharmacie", "Traiteur", "Électricité", "Plomberie", "Agence", "Clinique vétérinaire",
          "Brasserie"]
NAMES = ["Dupré", "Lefèvre", "Bérard", "Noël", "Gaëlle", "Müller", "Françoise", "Lemaître",
         "Crémieux", "Hélène", "Rivière", "Ségolène", "Béatrice", "Jérôme", "Chloé", "Léon",
         "Aimé", "Benoît", "Cécile", "Frédéric", "Mathéo", "Zoé", "Perrin", "Martin",
         "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Boucher"]
TOWNS = ["Besançon", "Orléans", "Nîmes", "Saint-Étienne", "Périgueux", "Angoulême",
         "Montréal-la-Cluse", "Sète", "Évreux", "Lyon", "Nantes", "Béziers", "Mâcon"]
# Weighted like a real ledger: most invoices are paid, some late, few disputed.
STATUSES = (["Payée"] * 55 + ["À payer"] * 30 + ["En retard"] * 8 + ["En attente"] * 3
            + ["Litige"] * 2 + ["Annulée"] * 2)
KINDS = ["Professionnel", "Professionnel", "Professionnel", "Particulier", "entreprise"]


def french_amount(cents, rng):
    """1234567 -> '12 345,67', sometimes with a non-breaking space and a euro sign."""
    units, minor = divmod(cents, 100)
    groups = []
    while units >= 1000:
        units, rest = divmod(units, 1000)
        groups.insert(0, '%03d' % rest)
    groups.insert(0, str(units))
    sep = '\u00a0' if rng.random() < 0.2 else ' '
    text = sep.join(groups) + ',%02d' % minor
    if rng.random() < 0.3:
        text += ' €'
    return text


def generate(path_1252, path_utf8):
    """Writes the same invoices as Windows-1252 (what users export) and as UTF-8."""
    rng = random.Random(SEED)
    clients = []
    for c in range(N_CLIENTS):
        name = '%s %s %s' % (rng.choice(TRADES), rng.choice(NAMES), rng.choice(TOWNS))
        if rng.random() < 0.1:
            name = '"%s; Fils & Cie"' % name   # a quoted cell holding the separator
        ref = 'C%05d' % (c + 1)
        email = 'compta.%s@exemple.fr' % ref.lower()
        kind = rng.choice(KINDS)
        country = 'France' if rng.random() < 0.9 else 'FR'
        clients.append((name, ref, email, kind, country))

    lines = [';'.join(HEADER)]
    epoch = 738886  # 2024-01-01 as a proleptic Gregorian ordinal
    for i in range(N_INVOICES):
        client = clients[rng.randrange(N_CLIENTS)]
        issue = datetime.date.fromordinal(epoch + i * 900 // N_INVOICES)
        due = issue + datetime.timedelta(days=rng.choice((0, 15, 30, 30, 45, 60)))
        cents = rng.randrange(1500, 2500000)
        lines.append(';'.join((
            'F-%d-%06d' % (issue.year, i + 1),
            client[0], client[1], client[2],
            issue.strftime('%d/%m/%Y'), due.strftime('%d/%m/%Y'),
            french_amount(cents, rng), 'EUR', rng.choice(STATUSES), client[3], client[4])))
    text = '\r\n'.join(lines) + '\r\n'
    with open(path_1252, 'wb') as f:
        f.write(text.encode('cp1252'))
    with open(path_utf8, 'wb') as f:
        f.write(text.encode('utf-8'))
    return lines


def write_xlsx(path, lines):
    """The same invoices as an .xlsx saved by a spreadsheet: text cells as shared strings,
    dates as serial numbers with a date style, amounts as numbers."""
    shared = {}
    rows = []

    def text_cell(ref, value):
        index = shared.setdefault(value, len(shared))
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, index)

    date_base = datetime.date(1899, 12, 30)
    for r, line in enumerate(lines, start=1):
        cells = []
        fields = []
        # The generator quotes names holding the separator; unquote them.
        for part in line.split(';'):
            if fields and fields[-1].startswith('"') and not fields[-1].endswith('"'):
                fields[-1] += ';' + part
            else:
                fields.append(part)
        fields = [f[1:-1] if f.startswith('"') and f.endswith('"') else f for f in fields]
        for c, value in enumerate(fields):
            ref = '%s%d' % (chr(ord('A') + c), r)
            if r > 1 and c in (4, 5):
                d = datetime.datetime.strptime(value, '%d/%m/%Y').date()
                cells.append('<c r="%s" s="1"><v>%d</v></c>' % (ref, (d - date_base).days))
            elif r > 1 and c == 6:
                number = value.replace('\u00a0', '').replace(' ', '').replace('€', '')
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, number.replace(',', '.')))
            else:
                cells.append(text_cell(ref, value))
        rows.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
    main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
                   'ContentType="application/xml"/><Default Extension="rels" ContentType='
                   '"application/vnd.openxmlformats-package.relationships+xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr('_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % rel)
        z.writestr('xl/workbook.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s">'
                   '<sheets><sheet name="Factures" sheetId="1" r:id="rId1"/></sheets>'
                   '</workbook>' % (main, rel))
        z.writestr('xl/_rels/workbook.xml.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                   'Type="%s/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" '
                   'Type="%s/styles" Target="styles.xml"/></Relationships>' % (rel, rel, rel))
        z.writestr('xl/styles.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="%s"><cellXfs '
                   'count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
                   '</cellXfs></styleSheet>' % main)
        strings = sorted(shared, key=shared.get)
        z.writestr('xl/sharedStrings.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" '
                   'uniqueCount="%d">%s</sst>'
                   % (main, len(strings), len(strings),
                      ''.join('<si><t>%s</t></si>' % escape(t) for t in strings)))
        z.writestr('xl/worksheets/sheet1.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>'
                   '%s</sheetData></worksheet>' % (main, ''.join(rows)))


def remove_db(path):
    for suffix in ('', '-wal', '-shm', '-journal'):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass


def best_of(fn, runs=RUNS):
    """Best wall-clock time of @fn over @runs runs; best, because noise only adds time."""
    best = None
    for _ in range(runs):
        elapsed = fn()
        best = elapsed if best is None else min(best, elapsed)
    return best


def timed(argv, stdout=subprocess.DEVNULL, before=None):
    def run():
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=stdout)
        return time.perf_counter() - start
    return run


def report(name, ours, floor, goal):
    ratio = ours / floor if floor > 0 else float('inf')
    print('%s: %.3f s vs floor %.3f s = ratio %.2f (goal ≤ %g)%s'
          % (name, ours, floor, ratio, goal, '' if ratio <= goal else '  [over goal]'),
          flush=True)


# The floor's table has our invoices table's shape for what costs at insert time: the
# UNIQUE key on the number and the indexes on the client and the due date.
FLOOR_SCHEMA = (
    # No id column: the implicit rowid is what our INTEGER PRIMARY KEY aliases, and
    # .import needs exactly the CSV's columns.
    "CREATE TABLE invoices_raw (number TEXT NOT NULL UNIQUE, client TEXT, reference TEXT, "
    "email TEXT, issue_date TEXT, due_date TEXT, total TEXT, currency TEXT, status TEXT, "
    "kind TEXT, country TEXT);"
    "CREATE INDEX invoices_raw_client ON invoices_raw (client);"
    "CREATE INDEX invoices_raw_due ON invoices_raw (due_date);")


def bench_import(ctx):
    db = os.path.join(ctx['dir'], 'import.db')
    floor_db = os.path.join(ctx['dir'], 'floor.db')

    def fresh():
        remove_db(db)

    def fresh_floor():
        remove_db(floor_db)
        subprocess.run([SQLITE3, floor_db, 'PRAGMA journal_mode=WAL;' + FLOOR_SCHEMA],
                       check=True, stdout=subprocess.DEVNULL)

    ours = best_of(timed([ctx['relance'], '--database', db, 'import', 'invoices',
                          ctx['csv_1252']], before=fresh))
    # The floor gets the easier file: sqlite3 reads UTF-8 only, and it does not parse
    # amounts or dates, match clients or check anything; it is the cost of the writes.
    # WAL and synchronous=NORMAL, as our store; .import writes in one transaction, as we do.
    floor = best_of(timed([SQLITE3, floor_db, 'PRAGMA synchronous=NORMAL', '.mode csv',
                           '.separator ;',
                           '.import --skip 1 %s invoices_raw' % ctx['csv_utf8']],
                          before=fresh_floor))
    report('import', ours, floor, 1.5)

    # The raw floor: the same file into a table without any index or key.
    raw_db = os.path.join(ctx['dir'], 'raw.db')

    def fresh_raw():
        remove_db(raw_db)
        subprocess.run([SQLITE3, raw_db, 'PRAGMA journal_mode=WAL;'
                        + FLOOR_SCHEMA.split(';')[0].replace(' UNIQUE', '') + ';'],
                       check=True, stdout=subprocess.DEVNULL)

    raw = best_of(timed([SQLITE3, raw_db, 'PRAGMA synchronous=NORMAL', '.mode csv',
                         '.separator ;', '.import --skip 1 %s invoices_raw' % ctx['csv_utf8']],
                        before=fresh_raw))
    report('import vs raw .import (no index)', ours, raw, 3)


def bench_import_xlsx(ctx):
    """The same invoices as a spreadsheet: reading the .xlsx against reading the CSV."""
    db = os.path.join(ctx['dir'], 'import-xlsx.db')
    xlsx = os.path.join(ctx['dir'], 'factures.xlsx')

    def fresh():
        remove_db(db)

    write_xlsx(xlsx, ctx['lines'])
    ours = best_of(timed([ctx['relance'], '--database', db, 'import', 'invoices', xlsx],
                         before=fresh))
    csv = best_of(timed([ctx['relance'], '--database', db, 'import', 'invoices',
                         ctx['csv_utf8']], before=fresh))
    report('import .xlsx vs the same as CSV', ours, csv, 3)


def ensure_imported(ctx):
    db = os.path.join(ctx['dir'], 'data.db')
    if not os.path.exists(db):
        subprocess.run([ctx['relance'], '--database', db, 'import', 'invoices',
                        ctx['csv_1252']], check=True, stdout=subprocess.DEVNULL)
    return db


LIST_SELECT = (
    "SELECT i.id, i.number, i.client_id, c.name, c.email, i.issue_date, i.due_date, i.total, "
    "i.currency, i.status, i.promise_date, "
    "coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0), i.notes "
    "FROM invoices i JOIN clients c ON c.id = i.client_id ORDER BY i.due_date, i.number")


def bench_list_json(ctx):
    db = ensure_imported(ctx)
    ours = best_of(timed([ctx['relance'], '--database', db, 'list', 'invoices',
                          '--format', 'json']))
    # The same query, its rows written as JSON by sqlite3 itself.
    floor = best_of(timed([SQLITE3, '-json', db, LIST_SELECT]))
    report('list-json', ours, floor, 2)


def bench_planner(ctx):
    db = ensure_imported(ctx)
    # One process times both sides; it prints the report line itself.
    subprocess.run([ctx['planner'], db, str(RUNS)], check=True)


def bench_bank(ctx):
    db = ensure_imported(ctx)
    # The helper program (bench-bank) writes the credits, times both sides and reports;
    # 10 000 credits at full size, 1 000 with the small data set.
    credits = 1000 if N_INVOICES < 100000 else 10000
    subprocess.run([ctx['planner'], db, str(RUNS), str(credits)], check=True)


BENCHES = {'import': bench_import, 'import-xlsx': bench_import_xlsx,
           'list-json': bench_list_json, 'planner': bench_planner, 'bank': bench_bank}


def main():
    if len(sys.argv) < 3:
        print('usage: bench.py RELANCE_EXE BENCH_PLANNER_EXE [%s ...]' % '|'.join(BENCHES),
              file=sys.stderr)
        return 2
    names = sys.argv[3:] or list(BENCHES)
    for name in names:
        if name not in BENCHES:
            print('unknown benchmark: %s' % name, file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix='relance-bench-') as tmp:
        ctx = {'relance': sys.argv[1], 'planner': sys.argv[2], 'dir': tmp,
               'csv_1252': os.path.join(tmp, 'factures.csv'),
               'csv_utf8': os.path.join(tmp, 'factures-utf8.csv')}
        # The commands must not touch the developer's data nor depend on the day.
        os.environ['XDG_DATA_HOME'] = tmp
        os.environ['XDG_CONFIG_HOME'] = tmp
        os.environ.setdefault('RELANCE_NOW', '2026-03-16T10:00:00+01:00')
        ctx['lines'] = generate(ctx['csv_1252'], ctx['csv_utf8'])
        print('# %d clients, %d invoices, best of %d runs' % (N_CLIENTS, N_INVOICES, RUNS),
              flush=True)
        for name in names:
            BENCHES[name](ctx)
    return 0


if __name__ == '__main__':
    sys.exit(main())
