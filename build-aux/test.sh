#!/bin/bash
# Builds Relance and runs every test once, headless, the way CI does: one Xvfb display and
# one private D-Bus session (with an unlocked throw-away gnome-keyring) for the whole run.
# The last line of output is "N passed, N failed" (", N skipped" when some were skipped);
# the exit status is non-zero when anything failed.
#
# Usage: build-aux/test.sh [extra meson test arguments]   (BUILDDIR=build by default)
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$srcdir"
builddir="${BUILDDIR:-build}"
case "$builddir" in
  /*) ;;
  *) builddir="$srcdir/$builddir" ;;
esac
export BUILDDIR="$builddir"
# The sanitizer build beside it; RELANCE_SKIP_SANITIZERS=1 leaves it out.
export ASAN_BUILDDIR="${builddir}-asan"
py=/usr/bin/python3
tmp=""
keyring_pid=""

# Runs inside the Xvfb display and the private D-Bus session set up below.
inside_session ()
{
  local status=0

  keyring_pid=""
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/relance-test.XXXXXX")"
  mkdir -m 700 "$tmp/data" "$tmp/runtime"
  export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"
  # dbus-run-session stops the bus, not the daemons it activated: stop the keyring ourselves.
  trap '[ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

  # The keyring's login collection is created and unlocked with a throw-away password.
  eval "$(printf 'relance-test' | gnome-keyring-daemon --unlock --components=secrets)"
  eval "$(gnome-keyring-daemon --start --components=secrets)"
  export GNOME_KEYRING_CONTROL
  keyring_pid="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
                   /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
                   string:org.freedesktop.secrets 2>/dev/null | awk '{ print $NF }' || true)"
  if [ -z "$keyring_pid" ]; then
    echo "test.sh: warning: no Secret Service on the session bus; keyring tests will fail." >&2
  fi
  if [ -n "$keyring_pid" ]; then export RELANCE_TEST_KEYRING=1; fi  # tests/mail/test-credentials.c

  meson test -C "$BUILDDIR" --print-errorlogs --no-suite bench "$@" </dev/null || status=1

  # Benchmarks only print figures; CI runs them once with small sizes to keep them working.
  if meson introspect --tests "$BUILDDIR" \
       | "$py" -c 'import json, sys
sys.exit(0 if any(s == "bench" or s.endswith(":bench")
                  for t in json.load(sys.stdin) for s in t["suite"]) else 1)'; then
    RELANCE_BENCH_SMALL=1 meson test -C "$BUILDDIR" --print-errorlogs --suite bench \
      --logbase benchlog </dev/null || status=1
  fi

  # The core, command-line and fuzz-replay suites again, built with AddressSanitizer and
  # UndefinedBehaviorSanitizer (tests/RELIABILITY.md); GLib's own leaks are noise.
  if [ "${RELANCE_SKIP_SANITIZERS:-0}" != 1 ] && [ -f "$ASAN_BUILDDIR/build.ninja" ]; then
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      meson test -C "$ASAN_BUILDDIR" --print-errorlogs --suite core --suite app \
        --suite fuzz-replay --timeout-multiplier 3 --logbase sanitizerlog </dev/null || status=1
  fi
  return "$status"
}

if [ "${1:-}" = "--inside-session" ]; then
  shift
  inside_session "$@"
  exit $?
fi

"$srcdir/build-aux/deps.sh"

configure_and_build ()
{
  if [ -f "$BUILDDIR/build.ninja" ]; then
    : # ninja reconfigures by itself when a meson.build changed
  elif [ -d "$BUILDDIR/meson-private" ]; then
    meson setup --reconfigure "$BUILDDIR" "$srcdir" || return 1
  else
    meson setup "$BUILDDIR" "$srcdir" || return 1
  fi
  ninja -C "$BUILDDIR"
}

if ! configure_and_build </dev/null; then
  echo "The build failed, so no test ran."
  echo "0 passed, 1 failed"
  exit 1
fi

if [ "${RELANCE_SKIP_SANITIZERS:-0}" != 1 ]; then
  if [ ! -f "$ASAN_BUILDDIR/build.ninja" ]; then
    meson setup "$ASAN_BUILDDIR" "$srcdir" -Db_sanitize=address,undefined -Db_lundef=false \
      </dev/null || { echo "The sanitizer build failed."; echo "0 passed, 1 failed"; exit 1; }
  fi
  if ! ninja -C "$ASAN_BUILDDIR" </dev/null; then
    echo "The sanitizer build failed, so no test ran."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

logdir="$BUILDDIR/meson-logs"
# Stale logs would be counted again; a --wrapper or --logbase run names its log differently.
rm -f "$logdir"/testlog*.json "$logdir"/benchlog*.json "$ASAN_BUILDDIR"/meson-logs/*.json

status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- "$srcdir/build-aux/test.sh" --inside-session "$@" </dev/null || status=$?

# meson's own summary is not a line CI reads, so print the totals from its JSON logs.
summary="$("$py" - "$status" "$logdir" "$ASAN_BUILDDIR/meson-logs" <<'EOF'
import glob
import json
import os
import sys

run_status = int(sys.argv[1])
passed = failed = skipped = 0
logdir = sys.argv[2]
paths = glob.glob(os.path.join(logdir, "testlog*.json")) + \
        glob.glob(os.path.join(logdir, "benchlog*.json")) + \
        glob.glob(os.path.join(sys.argv[3], "sanitizerlog*.json"))
for path in sorted(paths):
    with open(path, encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
if run_status != 0 and failed == 0:
    # The harness itself broke (Xvfb, D-Bus, keyring, meson): that is a failure too.
    print("The test run stopped with status %d outside any test." % run_status)
    failed = 1
line = "%d passed, %d failed" % (passed, failed)
if skipped:
    line += ", %d skipped" % skipped
print(line)
sys.exit(1 if failed else 0)
EOF
)" || status=1

if [ -z "$summary" ]; then
  summary="0 passed, 1 failed"
fi
echo "$summary"
exit "$status"
