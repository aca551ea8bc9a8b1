#!/usr/bin/python3
"""test-layers.py: the data layer stays where it belongs (issue 16).

- SQLite is the store's business: no file of src/ui, src/app or src/mail includes
  sqlite3.h or the store's private header, or calls the engine or the store's raw SQL
  helpers; the public headers of src/core expose no SQLite type.
- No include circle inside src/ui (pages listen to the store; they do not go through the
  window to announce a change).
- No source file over 800 lines without a reason on its first lines
  ("(Over 800 lines: …)").

Run: test-layers.py SOURCE_ROOT
"""
import re
import sys
import unittest
from pathlib import Path

ROOT = Path(sys.argv.pop(1) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
SRC = ROOT / "src"

RAW_SQL = re.compile(r"\b(sqlite3_\w+|relance_store_prepare|relance_store_exec|"
                     r"relance_store_get_db)\s*\(")
PRIVATE_INCLUDE = re.compile(r'#\s*include\s*[<"](sqlite3\.h|relance-store-private\.h)[>"]')
INCLUDE = re.compile(r'#\s*include\s*"([^"]+)\.h"')
MAX_LINES = 800


def sources(*dirs, suffixes=(".c", ".h")):
    for d in dirs:
        for path in sorted((SRC / d).rglob("*")):
            if path.suffix in suffixes:
                yield path


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


class LayersTest(unittest.TestCase):
    def test_no_sqlite_outside_the_store(self):
        offenders = []
        for path in sources("ui", "app", "mail"):
            text = strip_comments(path.read_text(encoding="utf-8"))
            for n, line in enumerate(text.splitlines(), 1):
                if PRIVATE_INCLUDE.search(line) or RAW_SQL.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
        self.assertEqual(offenders, [], "SQL outside the store:\n" + "\n".join(offenders))

    def test_public_headers_are_engine_neutral(self):
        offenders = []
        for path in sources("core", suffixes=(".h",)):
            if path.name.endswith("-private.h"):
                continue
            text = strip_comments(path.read_text(encoding="utf-8"))
            if re.search(r"\bsqlite3\w*\b", text):
                offenders.append(str(path.relative_to(ROOT)))
        self.assertEqual(offenders, [], "SQLite in a public header: " + ", ".join(offenders))

    def test_no_include_circle_in_ui(self):
        modules = {}
        # A module is X.c, X.h and X-private.h (the parts of one widget share that one).
        module_of = lambda stem: stem[:-len("-private")] if stem.endswith("-private") else stem
        for path in sources("ui"):
            deps = modules.setdefault(module_of(path.stem), set())
            for name in INCLUDE.findall(path.read_text(encoding="utf-8")):
                if (module_of(name) != module_of(path.stem)
                        and (SRC / "ui" / (name + ".h")).exists()):
                    deps.add(module_of(name))
        # Depth-first search for a cycle, reported as the path that closes it.
        state, stack = {}, []

        def visit(module):
            state[module] = "open"
            stack.append(module)
            for dep in sorted(modules.get(module, ())):
                if state.get(dep) == "open":
                    return stack[stack.index(dep):] + [dep]
                if dep not in state:
                    cycle = visit(dep)
                    if cycle:
                        return cycle
            stack.pop()
            state[module] = "done"
            return None

        for module in sorted(modules):
            if module not in state:
                cycle = visit(module)
                self.assertIsNone(cycle, "include circle: " + " → ".join(cycle or []))

    def test_files_by_concern(self):
        offenders = []
        for path in sources("core", "mail", "app", "ui"):
            lines = path.read_text(encoding="utf-8").splitlines()
            if len(lines) > MAX_LINES and not any("Over 800 lines:" in l for l in lines[:8]):
                offenders.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
        self.assertEqual(offenders, [], "over %d lines without a reason:\n" % MAX_LINES
                         + "\n".join(offenders))


if __name__ == "__main__":
    unittest.main(verbosity=2)
