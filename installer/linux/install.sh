#!/bin/sh
# Installs the unpacked bundle for every user of this machine (run as root):
#   sudo ./install.sh [--config desk.ini]
# The program goes to /opt/rovaseutu-desk, the menu entry and icon to /usr/share, and
# an optional settings file to /etc/rovaseutu/desk.ini (the machine-wide file the
# program reads before the user's own; with it the first-run dialog is not shown).
# Uninstall: sudo /opt/rovaseutu-desk/install.sh --uninstall
# DESTDIR=/some/root installs under that folder instead (packaging, tests).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
prefix=$root/opt/rovaseutu-desk
apps=$root/usr/share/applications
icons=$root/usr/share/icons/hicolor/256x256/apps
bin=$root/usr/local/bin
etc=$root/etc/rovaseutu

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/rovaseutu-desk.desktop" "$icons/rovaseutu-desk.png" "$bin/rovaseutu-desk"
  rm -rf "$prefix"
  echo "removed (the settings in $etc and each user's data are kept)"
  exit 0
fi
config=""
if [ "${1:-}" = "--config" ]; then
  config=${2:?--config needs a file}
fi

if [ "$here" != "$prefix" ]; then
  rm -rf "$prefix.new" && mkdir -p "$prefix.new"
  cp -a "$here/." "$prefix.new/"
  rm -rf "$prefix" && mv "$prefix.new" "$prefix"
fi
install -D -m 644 "$prefix/desk.desktop" "$apps/rovaseutu-desk.desktop"
install -D -m 644 "$prefix/desk.png" "$icons/rovaseutu-desk.png"
mkdir -p "$bin" && ln -sf /opt/rovaseutu-desk/desk "$bin/rovaseutu-desk"
if [ -n "$config" ]; then
  install -D -m 644 "$config" "$etc/desk.ini"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
echo "installed $("$prefix/desk" --version 2>/dev/null || echo) in $prefix"
