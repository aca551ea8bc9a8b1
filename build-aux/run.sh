#!/bin/bash
# Builds Relance and runs it from the build directory, uninstalled, on the default
# database ($XDG_DATA_HOME/relance/relance.db). Arguments go to relance itself:
#   build-aux/run.sh --demo
#   build-aux/run.sh list invoices --overdue
# BUILDDIR picks another build directory (default: build).
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$srcdir"
builddir="${BUILDDIR:-build}"
case "$builddir" in
  /*) ;;
  *) builddir="$srcdir/$builddir" ;;
esac

"$srcdir/build-aux/deps.sh"

if [ -f "$builddir/build.ninja" ]; then
  : # ninja reconfigures by itself when a meson.build changed
elif [ -d "$builddir/meson-private" ]; then
  meson setup --reconfigure "$builddir" "$srcdir"
else
  meson setup "$builddir" "$srcdir"
fi
ninja -C "$builddir"

# A command (a first word that is not an option) or --help/--version needs no window.
opens_window=1
skip_next=0
for arg in "$@"; do
  if [ "$skip_next" -eq 1 ]; then
    skip_next=0
    continue
  fi
  case "$arg" in
    --database) skip_next=1 ;;
    -h|--help|--help-*|--version) opens_window=0 ;;
    -*) ;;
    *) opens_window=0 ;;
  esac
done

if [ "$opens_window" -eq 1 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is" \
       "set): try 'xvfb-run -a dbus-run-session -- build-aux/run.sh${*:+ $*}'." >&2
  exit 1
fi

export GSETTINGS_SCHEMA_DIR="$builddir/data"
export RELANCE_LOCALEDIR="$builddir/po"
exec "$builddir/src/relance" "$@"
