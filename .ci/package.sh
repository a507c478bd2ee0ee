#!/usr/bin/env bash
# `make package`: the release build and the installable packages of this platform through the
# Tauri bundler (the CLI is the npm package @tauri-apps/cli in ui/). On Linux: a .deb with the
# desktop entry, icons 16–512 px, the `crosswalk` command line in /usr/bin and the runtime
# dependencies declared. On macOS the same configuration makes a .dmg, on Windows an .msi/NSIS
# installer (those are not built or tested here: see the README).
# BUNDLES overrides the list (e.g. BUNDLES=deb,appimage).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
case "$(uname -s)" in
  Linux) default=deb ;;
  Darwin) default=dmg ;;
  *) default=msi,nsis ;;
esac
bundles="${BUNDLES:-$default}"
# The command line goes into the package beside the app (tauri.conf.json → bundle.linux.deb.files).
cargo build --release --locked -p crosswalk-cli --bin crosswalk
# The UI first. (tauri.conf.json's beforeBuildCommand would run in the first folder with a
# package.json the Tauri CLI finds, which here is not ui/, so it is replaced by a no-op.)
npm --prefix ui run --silent build
ui/node_modules/.bin/tauri build --bundles "$bundles" --ci --config '{"build":{"beforeBuildCommand":"true"}}'
echo
echo "Packages:"
find target/release/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' -o -name '*.dmg' -o -name '*.msi' -o -name '*.exe' \) -printf '  %p (%s bytes)\n'
