#!/usr/bin/python3
# Keeps the translations complete: regenerates the template from po/POTFILES.in the way
# meson's glib preset does, merges every language of po/LINGUAS against it in a temporary
# folder and fails when a message is untranslated, fuzzy or has mismatched format
# specifiers. Also fails when POTFILES.in names a missing file, or omits a source file
# that has translatable strings. Writes nothing into the source tree.
#
# Usage: test-po.py SOURCE_ROOT [BUILD_ROOT]

import os
import re
import shutil
import subprocess
import sys
import tempfile

PACKAGE = "relance"
SKIP = 77
MAX_LISTED = 20
FIX = "Fix: run `ninja -C <builddir> relance-pot` and translate the new strings in po/{lang}.po."

# Mirrors PRESET_ARGS['glib'] of meson's i18n module; imported from meson below when it
# is importable so that the two cannot drift apart.
GLIB_PRESET = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

# A call of a gettext function in C; the look-behind keeps g_strdup_printf (…_( ) and
# friends from matching.
C_GETTEXT_CALL = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(")
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')


def preset_args():
    try:
        from mesonbuild.modules.i18n import PRESET_ARGS
        return list(PRESET_ARGS["glib"])
    except Exception:  # meson not importable from this interpreter: use the copy
        return list(GLIB_PRESET)


def tool_env():
    # Tool messages are parsed below, so they must not be translated.
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env["LC_ALL"] = "C"
    return env


def run(argv):
    return subprocess.run(argv, env=tool_env(), capture_output=True, text=True)


def read_list(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                entries.append(line)
    return entries


def check_potfiles(srcroot, potfiles):
    problems = []
    listed = set(potfiles)
    for name in potfiles:
        if not os.path.isfile(os.path.join(srcroot, name)):
            problems.append(f"po/POTFILES.in names {name}, which does not exist.")

    missing = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(srcroot, "src")):
        dirnames.sort()
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            rel = os.path.relpath(path, srcroot).replace(os.sep, "/")
            if filename.endswith(".c"):
                pattern = C_GETTEXT_CALL
            elif filename.endswith(".ui"):
                pattern = UI_TRANSLATABLE
            else:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                if pattern.search(f.read()) and rel not in listed:
                    missing.append(rel)
    if missing:
        problems.append("These files have translatable strings but are not listed in "
                        "po/POTFILES.in: " + ", ".join(missing))
    return problems


def unquote(text):
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(text[i + 1],
                                                                       text[i:i + 2]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def msgids(po_text):
    """The msgids (with context) of a PO file, header left out."""
    ids = []
    current = None
    context = None
    for line in po_text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("msgctxt "):
            context = unquote(line[len("msgctxt "):].strip()[1:-1])
            current = "ctxt"
        elif line.startswith("msgid "):
            ids.append([context, unquote(line[len("msgid "):].strip()[1:-1])])
            context = None
            current = "id"
        elif line.startswith('"') and current in ("id", "ctxt"):
            part = unquote(line[1:-1])
            if current == "id":
                ids[-1][1] += part
            else:
                context = (context or "") + part
        else:
            current = None
    return [(c, m) for c, m in ids if m]


def describe(context, msgid):
    shown = msgid.replace("\n", "\\n")
    if len(shown) > 100:
        shown = shown[:97] + "…"
    return f"  [{context}] “{shown}”" if context else f"  “{shown}”"


def check_language(srcroot, tmpdir, pot, lang):
    po = os.path.join(srcroot, "po", lang + ".po")
    if not os.path.isfile(po):
        return [f"po/LINGUAS lists {lang} but po/{lang}.po does not exist."]

    merged = os.path.join(tmpdir, lang + ".po")
    result = run(["msgmerge", "--quiet", "--output-file=" + merged, po, pot])
    if result.returncode != 0:
        return [f"msgmerge failed on po/{lang}.po:\n{result.stderr}"]

    result = run(["msgfmt", "--check", "--statistics", "--output-file=/dev/null", merged])
    stats = result.stderr.strip()
    print(f"{lang}: {stats.splitlines()[-1] if stats else '(no statistics)'}")
    problems = []
    if result.returncode != 0:
        problems.append(f"msgfmt --check rejects po/{lang}.po once merged:\n{stats}")

    bad = []
    for label, option in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
        listing = run(["msgattrib", option, "--no-obsolete", merged])
        if listing.returncode != 0:
            problems.append(f"msgattrib failed:\n{listing.stderr}")
            continue
        bad += [(label, c, m) for c, m in msgids(listing.stdout)]
    if bad:
        lines = [f"po/{lang}.po has {len(bad)} untranslated or fuzzy messages:"]
        for label, context, msgid in bad[:MAX_LISTED]:
            lines.append(f"{describe(context, msgid)} ({label})")
        if len(bad) > MAX_LISTED:
            lines.append(f"  … and {len(bad) - MAX_LISTED} more")
        problems.append("\n".join(lines))
    elif result.returncode == 0 and re.search(r"fuzzy|untranslated", stats):
        problems.append(f"msgfmt reports unfinished messages in po/{lang}.po: {stats}")

    if problems:
        problems.append(FIX.format(lang=lang))
    return problems


def main():
    if len(sys.argv) < 2:
        print("usage: test-po.py SOURCE_ROOT [BUILD_ROOT]", file=sys.stderr)
        return 2
    srcroot = os.path.abspath(sys.argv[1])
    podir = os.path.join(srcroot, "po")

    for tool in ("xgettext", "msgmerge", "msgfmt", "msgattrib"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} is not installed (package gettext).")
            return SKIP

    potfiles = read_list(os.path.join(podir, "POTFILES.in"))
    problems = check_potfiles(srcroot, potfiles)

    with tempfile.TemporaryDirectory(prefix="relance-test-po-") as tmpdir:
        pot = os.path.join(tmpdir, PACKAGE + ".pot")
        result = run(["xgettext", "--package-name=" + PACKAGE, "-p", tmpdir,
                      "-f", os.path.join(podir, "POTFILES.in"), "-D", srcroot, "-k_",
                      "-o", PACKAGE + ".pot"] + preset_args())
        if result.returncode != 0 or not os.path.isfile(pot):
            problems.append(f"xgettext could not build the template:\n{result.stderr}")
        else:
            with open(pot, encoding="utf-8") as f:
                print(f"template: {len(msgids(f.read()))} messages")
            languages = read_list(os.path.join(podir, "LINGUAS"))
            if not languages:
                problems.append("po/LINGUAS lists no language.")
            for lang in languages:
                problems += check_language(srcroot, tmpdir, pot, lang)

    if problems:
        print("\n\n".join(problems), file=sys.stderr)
        return 1
    print("All translations are complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
