#!/usr/bin/python3
# Checks the Flatpak manifest offline (no Flatpak remote is reachable where tests run):
# it parses, names the app, its command and the GNOME runtime, asks only for the
# permissions Relance needs, pins every downloaded source, and builds the app last.
#
# Usage: test-flatpak-manifest.py [path/to/com.example.Relance.json]

import json
import os
import re
import sys

APP_ID = "com.example.Relance"
REQUIRED_ARGS = ("--share=network", "--share=ipc", "--socket=wayland")
# Home or host access would defeat the sandbox: files go through the portals.
FORBIDDEN_ARGS = ("--filesystem=home", "--filesystem=host")
DOWNLOADED_TYPES = ("archive", "file", "patch")


def default_manifest():
    srcdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    return os.path.join(srcdir, APP_ID + ".json")


def check(manifest):
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    expect(manifest.get("app-id") == APP_ID,
           "app-id is %r, expected %r." % (manifest.get("app-id"), APP_ID))
    expect(manifest.get("command") == "relance",
           "command is %r, expected 'relance'." % manifest.get("command"))
    expect(manifest.get("runtime") == "org.gnome.Platform",
           "runtime is %r, expected 'org.gnome.Platform'." % manifest.get("runtime"))
    expect(manifest.get("sdk") == "org.gnome.Sdk",
           "sdk is %r, expected 'org.gnome.Sdk'." % manifest.get("sdk"))
    expect(isinstance(manifest.get("runtime-version"), str) and manifest["runtime-version"],
           "runtime-version is missing: pin the GNOME runtime version.")

    finish_args = manifest.get("finish-args", [])
    for arg in REQUIRED_ARGS:
        expect(arg in finish_args, "finish-args lack %s." % arg)
    for arg in finish_args:
        for forbidden in FORBIDDEN_ARGS:
            # "--filesystem=home:ro" grants the same access, read-only.
            expect(arg != forbidden and not arg.startswith(forbidden + ":"),
                   "finish-args grant %s: use the file chooser portal instead." % arg)

    modules = manifest.get("modules", [])
    expect(isinstance(modules, list) and modules, "the manifest has no modules.")
    for module in modules:
        if not isinstance(module, dict):
            continue  # a path to a separate module file
        name = module.get("name", "?")
        for source in module.get("sources", []):
            if not isinstance(source, dict) or source.get("type") not in DOWNLOADED_TYPES:
                continue
            if "url" not in source:
                continue  # a local file shipped with the manifest
            sha256 = source.get("sha256", "")
            expect(re.fullmatch(r"[0-9a-f]{64}", sha256) is not None,
                   "module %s: source %s has no valid sha256 (64 lowercase hex digits)."
                   % (name, source.get("url")))

    if modules and isinstance(modules[-1], dict):
        last = modules[-1]
        expect(last.get("name") == "relance",
               "the last module is %r, expected the app itself ('relance')." % last.get("name"))
        expect(last.get("buildsystem") == "meson",
               "the last module builds with %r, expected meson." % last.get("buildsystem"))
    else:
        problems.append("the last module must be the app, inline, built with meson.")

    return problems


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else default_manifest()
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: cannot read the manifest: %s" % (path, e), file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print("%s: the manifest is not a JSON object." % path, file=sys.stderr)
        return 1

    problems = check(manifest)
    for problem in problems:
        print("%s: %s" % (path, problem), file=sys.stderr)
    if not problems:
        print("%s: ok" % path)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
