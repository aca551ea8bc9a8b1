#!/bin/bash
# Installs what building, running and testing Relance needs on Debian 12 (bookworm):
# the Debian packages and the fr_FR/en_US UTF-8 locales. Safe to run again: it only
# calls apt-get and locale generation when something is missing, so it is fast otherwise.
set -euo pipefail

packages=(
  build-essential pkg-config meson ninja-build gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libsqlite3-dev sqlite3 libsecret-1-dev libsecret-tools
  libgmime-3.0-dev libcurl4-openssl-dev libportal-dev libportal-gtk4-dev
  libjson-glib-dev xvfb xauth dbus dbus-x11 gnome-keyring at-spi2-core python3-pyatspi locales
  python3-aiosmtpd appstream desktop-file-utils openssl ca-certificates poppler-utils
  libqrencode-dev libpng-dev libpoppler-glib-dev imagemagick xdotool libxml2-dev libgsf-1-dev
  dovecot-imapd
  libofx-dev
)
locales_wanted=(fr_FR en_US)

say ()
{
  printf 'deps.sh: %s\n' "$*" >&2
}

# Root runs commands directly; anyone else goes through sudo when it exists.
as_root ()
{
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "Cannot run '$1' as root: run this script as root or install sudo."
    exit 1
  fi
}

# dpkg-query prints nothing (and fails) for unknown packages, so compare its list of
# fully installed packages ("ii") with the wanted list instead of trusting its exit code.
installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null \
             | awk '$2 == "ii" { print $1 }' || true)"
missing=()
for pkg in "${packages[@]}"; do
  if ! grep -qxF -- "$pkg" <<<"$installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing ${#missing[@]} missing package(s): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null
  # The tests run private Dovecot instances; the system's own, if the package started one,
  # is not wanted on this machine.
  if [[ " ${missing[*]} " == *" dovecot-imapd "* ]]; then
    as_root sh -c 'service dovecot stop || invoke-rc.d dovecot stop' >/dev/null 2>&1 || true
  fi
fi

# `locale -a` spells the codeset "utf8" whatever the spelling used to generate it.
available="$(locale -a 2>/dev/null || true)"
for loc in "${locales_wanted[@]}"; do
  if grep -qxiE -- "${loc}\.utf-?8" <<<"$available"; then
    continue
  fi
  say "Generating the ${loc}.UTF-8 locale"
  # Enable it in /etc/locale.gen too, so a later locale-gen keeps it.
  if [ -f /etc/locale.gen ] && ! grep -qE "^${loc}\.UTF-8 UTF-8" /etc/locale.gen; then
    if grep -qE "^# *${loc}\.UTF-8 UTF-8" /etc/locale.gen; then
      as_root sed -i -E "s/^# *(${loc}\.UTF-8 UTF-8)/\1/" /etc/locale.gen
    else
      printf '%s.UTF-8 UTF-8\n' "$loc" | as_root tee -a /etc/locale.gen >/dev/null
    fi
  fi
  # localedef builds just this one locale; locale-gen would rebuild every enabled one.
  as_root localedef -i "$loc" -c -f UTF-8 -A /usr/share/locale/locale.alias "${loc}.UTF-8" \
    || as_root locale-gen
done
