#!/bin/sh
# screenshots.sh: renders the main views (Invoices, Clients, Upcoming, Dashboard, Templates,
# Onboarding) in English and French to data/screenshots/<view>-<lang>.png, from a demo
# database, at a fixed time, under Xvfb. The metainfo points at these files.
#
# Usage: build-aux/screenshots.sh [BUILDDIR]   (default: build; the build must be done)
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-$srcdir/build}" && pwd)
outdir="$srcdir/data/screenshots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# The driver links the same static library as the tests.
cc -o "$work/relance-screenshots" "$srcdir/build-aux/relance-screenshots.c" \
  -I"$builddir" -I"$builddir/src" -I"$srcdir/src" -I"$srcdir/src/core" -I"$srcdir/src/mail" \
  -I"$srcdir/src/app" -I"$srcdir/src/ui" \
  $(pkg-config --cflags gtk4 libadwaita-1 sqlite3) \
  -Wl,--start-group "$builddir/src/librelance-private.a" \
  $(pkg-config --libs gtk4 libadwaita-1 sqlite3 json-glib-1.0 gmime-3.0 libsecret-1 libcurl \
    libsoup-3.0 pangocairo libqrencode libpng libgsf-1 libxml-2.0 poppler-glib) \
  $(pkg-config --libs libportal 2>/dev/null || true) -lm -Wl,--end-group

mkdir -p "$outdir"
# One demo database for both languages (the driver fills it), so both show the same data.
export RELANCE_NOW=2026-03-10T09:00:00Z TZ=UTC GSETTINGS_BACKEND=memory
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export GSETTINGS_SCHEMA_DIR="$builddir/data" RELANCE_LOCALEDIR="$builddir/po"
for lang in en fr; do
  case $lang in
    fr) locale=fr_FR.UTF-8 ;;
    *) locale=en_US.UTF-8 ;;
  esac
  LANGUAGE=$lang LC_ALL=$locale xvfb-run -a -s "-screen 0 1280x900x24" \
    dbus-run-session -- "$work/relance-screenshots" "$work/demo.db" "$outdir" "$lang"
done
