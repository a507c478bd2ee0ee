#!/usr/bin/env bash
# `make package`: the release build and the installable packages of this platform through the
# Tauri bundler (the CLI is the npm package @tauri-apps/cli in ui/). On Linux: a .deb with the
# desktop entry, icons 16–512 px, the `crosswalk` command line in /usr/bin and the runtime
# dependencies declared. On macOS the same configuration makes a .dmg, on Windows an .msi/NSIS
# installer (those are not built or tested here: see the README).
# BUNDLES overrides the list (e.g. BUNDLES=deb,appimage). PACKAGE_PROFILE=debug packages the
# debug build instead (the one `make test` built and tested: about a minute instead of ~25), for
# the install test in CI: the package's contents, dependencies and install scripts are the same,
# only the compiler's optimisation differs. Never ship it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
case "$(uname -s)" in
  Linux) default=deb ;;
  Darwin) default=dmg ;;
  *) default=msi,nsis ;;
esac
bundles="${BUNDLES:-$default}"
profile="${PACKAGE_PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}"
case "$profile" in
  release) tauri_profile=() ;;
  debug) tauri_profile=(--debug) ;;
  *) echo "PACKAGE_PROFILE must be release or debug, not '$profile'" >&2; exit 2 ;;
esac
# The command line goes into the package beside the app (tauri.conf.json → bundle.linux.deb.files).
# The debug one exactly as `make test` built it (every binary of the workspace at once: building
# one package alone would unify other features and rebuild its dependencies).
if [ "$profile" = release ]; then
  cargo build --release --locked -p crosswalk-cli --bin crosswalk
else
  cargo build --locked --workspace --bins
fi
# The UI first. (tauri.conf.json's beforeBuildCommand would run in the first folder with a
# package.json the Tauri CLI finds, which here is not ui/, so it is replaced by a no-op.)
npm --prefix ui run --silent build
# The packaged command line is the one just built, wherever CARGO_TARGET_DIR puts it (the path in
# tauri.conf.json is only right for a release build in ./target).
case "$target" in /*) cli="$target/$profile/crosswalk" ;; *) cli="$PWD/$target/$profile/crosswalk" ;; esac
config='{"build":{"beforeBuildCommand":"true"},"bundle":{"linux":{"deb":{"files":{"/usr/bin/crosswalk":"'"$cli"'"}}}}}'
ui/node_modules/.bin/tauri build "${tauri_profile[@]}" --bundles "$bundles" --ci --config "$config"
echo
echo "Packages:"
find "$target/$profile/bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.AppImage' -o -name '*.dmg' -o -name '*.msi' -o -name '*.exe' \) -printf '  %p (%s bytes)\n'
