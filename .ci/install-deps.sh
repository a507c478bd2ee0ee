#!/usr/bin/env bash
# Installs what Crosswalk needs to build, run and test, skipping what is already there:
# Debian/Ubuntu packages (through sudo when not root), npm packages (npm ci), tauri-driver.
# Usage: .ci/install-deps.sh [run|test]   ("test" adds the end-to-end and browser test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- system packages ---------------------------------------------------------------------------
packages=(build-essential pkg-config curl file libwebkit2gtk-4.1-dev libssl-dev libdbus-1-dev
          librsvg2-dev xdg-utils gnome-keyring dbus-x11 keyutils)
if [ "$purpose" = test ]; then
  packages+=(xvfb xauth webkit2gtk-driver chromium imagemagick procps x11-utils util-linux)
elif [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # No desktop session (a server, a container): `make run` opens the window in a virtual X server.
  packages+=(xvfb xauth)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  say "Not a Debian/Ubuntu system: install the prerequisites listed in README.md yourself."
fi

# --- toolchains --------------------------------------------------------------------------------
command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs, then run this again." >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20+ and npm are missing: install them (e.g. apt install nodejs npm), then run this again." >&2; exit 1; }

# --- npm packages: only when the lock file changed since the last install --------------------------
npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "Installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci ui
if [ "$purpose" = test ]; then
  npm_ci tests/e2e
  # --- tauri-driver (WebDriver server for the real app window) ---------------------------------
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "Installing tauri-driver"
    cargo install tauri-driver --locked --version '^2' --quiet
  fi
fi
