#!/usr/bin/env bash
# `make test-package`: installs the newest .deb from target/release/bundle/deb/ with apt (which
# resolves its declared dependencies), checks what it put where, starts the installed app under
# Xvfb with a fresh profile and sees the demo data on the Learners screen through the real window
# (tests/package/installed.test.mjs), then purges the package and checks nothing it installed is
# left on the system. Run `make package` first. With PACKAGE_PROFILE=debug it takes the debug
# build's package from target/debug/bundle/deb/ instead (`make test-package-debug`, run by CI).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

profile="${PACKAGE_PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}"
deb="$(ls -t "$target/$profile/bundle/deb/"*.deb 2>/dev/null | head -1 || true)"
[ -n "$deb" ] || { echo "No .deb in $target/$profile/bundle/deb/: run 'PACKAGE_PROFILE=$profile make package' first." >&2; exit 1; }
pkg="$(dpkg-deb -f "$deb" Package)"
say "Package $deb ($pkg $(dpkg-deb -f "$deb" Version))"
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ */  depends: /'
files="$(mktemp)"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./||; s|^|/|' | grep -v '/$' > "$files"

need() { grep -qx "$1" "$files" || { echo "The package lacks $1" >&2; exit 1; }; }
need /usr/bin/crosswalk-desktop
need /usr/bin/crosswalk
grep -q '^/usr/share/applications/.*\.desktop$' "$files" || { echo "The package has no desktop entry" >&2; exit 1; }
for size in 16x16 32x32 48x48 128x128 256x256 512x512; do
  grep -q "^/usr/share/icons/hicolor/$size/apps/" "$files" || { echo "The package has no $size icon" >&2; exit 1; }
done
dpkg-deb -f "$deb" Depends | grep -q 'libwebkit2gtk-4.1' || { echo "WebKitGTK 4.1 is not declared" >&2; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q 'gnome-keyring' || { echo "No Secret Service keyring is declared" >&2; exit 1; }

say "Installing with apt"
if dpkg -s "$pkg" >/dev/null 2>&1; then $SUDO apt-get purge -y "$pkg" >/dev/null; fi
$SUDO apt-get install -y "$(realpath "$deb")"
# A failing check below still leaves the system as it found it.
trap 'echo "Purging $pkg after the failure" >&2; $SUDO apt-get purge -y "$pkg" >/dev/null 2>&1 || true' EXIT
desktop="$(grep '^/usr/share/applications/.*\.desktop$' "$files" | head -1)"
grep -q '^Exec=crosswalk-desktop' "$desktop" || { echo "The desktop entry does not start crosswalk-desktop:"; cat "$desktop"; exit 1; } >&2
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi

say "Starting the installed app with a fresh profile"
(
  cd tests/e2e
  export CROSSWALK_APP=/usr/bin/crosswalk-desktop WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
  xvfb-run -a -s "-screen 0 1280x820x24" ../session.sh node --test --test-concurrency=1 --test-reporter=spec ../package/installed.test.mjs
)

say "Purging"
trap - EXIT
$SUDO apt-get purge -y "$pkg"
left=()
while read -r f; do [ -e "$f" ] && left+=("$f"); done < "$files"
if [ ${#left[@]} -gt 0 ]; then
  echo "Files left after purging $pkg:" >&2; printf '  %s\n' "${left[@]}" >&2; exit 1
fi
stray="$(find /usr /etc /opt -xdev -iname '*crosswalk*' 2>/dev/null | grep -v "^$(pwd)" || true)"
if [ -n "$stray" ]; then echo "Left on the system after purging:" >&2; echo "$stray" >&2; exit 1; fi
rm -f "$files"
say "The package installs, runs and uninstalls cleanly"
