#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# packaging_deb: cpack -G DEB, check the two packages' control data and
# contents, extract them into a throwaway root, run the installed programs
# and ask the installed daemon for /healthz. Exit 77 = skipped.
set -euo pipefail
build=$1 src=$2 cpack=${3:-cpack}

for tool in dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is missing (apt-get install dpkg-dev)"; exit 77
  fi
done

tmp=$(mktemp -d); daemon=
cleanup() { [[ -n $daemon ]] && kill "$daemon" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The shipped desktop files first: cheap, and independent of the build.
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$src/packaging/linux/io.github.tidewatch.Tidewatch.desktop" ||
    fail "desktop-file-validate"
else echo "note: desktop-file-validate missing, not checked"; fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net --pedantic \
    "$build/packaging/io.github.tidewatch.Tidewatch.metainfo.xml" || fail "appstreamcli validate"
else echo "note: appstreamcli missing, not checked"; fi

out=$tmp/pkgs
"$cpack" -G DEB -B "$out" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
daemon_deb=$(ls "$out"/tidewatchd_*.deb) || fail "no tidewatchd .deb"
gui_deb=$(ls "$out"/tidewatch_*.deb) || fail "no tidewatch .deb"

# Control data: the daemon pulls in no Widgets and no Charts; the app depends on the daemon.
dd=$(dpkg-deb --field "$daemon_deb" Depends)
echo "tidewatchd Depends: $dd"
[[ $dd == *libqt6core6* && $dd == *libqt6network6* ]] || fail "tidewatchd lacks Qt Core/Network deps"
[[ $dd != *widgets* && $dd != *charts* && $dd != *libqt6gui* ]] ||
  fail "tidewatchd depends on Widgets, Charts or Gui: $dd"
gd=$(dpkg-deb --field "$gui_deb" Depends)
echo "tidewatch Depends: $gd"
[[ $gd == *tidewatchd* && $gd == *libqt6charts6* && $gd == *libqt6widgets6* ]] ||
  fail "tidewatch Depends misses tidewatchd, Charts or Widgets"
for s in postinst prerm postrm; do
  dpkg-deb --info "$daemon_deb" "$s" >/dev/null || fail "tidewatchd has no $s"
done
dpkg-deb --info "$daemon_deb" postinst | grep -q 'enable tidewatchd.service' || fail "postinst enables nothing"
! dpkg-deb --info "$daemon_deb" postinst | grep -Eq 'systemctl (start|restart)' || fail "postinst starts the unit"

# Contents.
dpkg-deb --contents "$daemon_deb" | awk '{print $NF}' >"$tmp/daemon.list"
dpkg-deb --contents "$gui_deb" | awk '{print $NF}' >"$tmp/gui.list"
for f in ./usr/bin/tidewatchd ./usr/lib/systemd/system/tidewatchd.service \
         ./usr/lib/sysusers.d/tidewatch.conf ./usr/lib/tmpfiles.d/tidewatch.conf \
         ./usr/share/tidewatch/tidewatchd.conf ./usr/share/man/man1/tidewatchd.1.gz; do
  grep -qxF "$f" "$tmp/daemon.list" || fail "tidewatchd lacks $f"
done
for f in ./usr/bin/tidewatch ./usr/share/applications/io.github.tidewatch.Tidewatch.desktop \
         ./usr/share/metainfo/io.github.tidewatch.Tidewatch.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/tidewatch.svg \
         ./usr/share/icons/hicolor/48x48/apps/tidewatch.png \
         ./usr/share/icons/hicolor/256x256/apps/tidewatch.png \
         ./usr/share/man/man1/tidewatch.1.gz; do
  grep -qxF "$f" "$tmp/gui.list" || fail "tidewatch lacks $f"
done
! grep -q 'bin/tidewatch$' "$tmp/daemon.list" || fail "the desktop app is in tidewatchd"
# Translations are installed by src/gui; check them only where they ship.
if grep -q '/share/tidewatch/translations/' "$tmp/gui.list"; then
  grep -q '/share/tidewatch/translations/.*\.qm$' "$tmp/gui.list" || fail "translations dir is empty"
fi

# Install into a throwaway root and run what was installed.
root=$tmp/root
dpkg -x "$daemon_deb" "$root"; dpkg -x "$gui_deb" "$root"
"$root/usr/bin/tidewatchd" --version | grep -q "^tidewatchd [0-9]" || fail "tidewatchd --version"
QT_QPA_PLATFORM=offscreen "$root/usr/bin/tidewatch" --version | grep -q "^tidewatch [0-9]" ||
  fail "tidewatch --version"

# A loopback port nothing listens on now (the daemon exits 2 if one races us).
port=
for _ in $(seq 20); do
  p=$(( 20000 + RANDOM % 20000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[[ -n $port ]] || fail "no free port"
XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config \
  "$root/usr/bin/tidewatchd" --config "$root/usr/share/tidewatch/tidewatchd.conf" \
  --port "$port" --database "$tmp/history.sqlite" >"$tmp/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do
  if body=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null); then break; fi
  kill -0 "$daemon" 2>/dev/null || { cat "$tmp/daemon.log"; fail "installed tidewatchd exited"; }
  sleep 0.1
done
[[ ${body:-} == *'"status"'* ]] || { cat "$tmp/daemon.log"; fail "no /healthz from installed tidewatchd"; }
echo "/healthz: $body"
kill "$daemon"; wait "$daemon" || true; daemon=
echo "PASS: packaging_deb"
