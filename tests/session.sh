#!/usr/bin/env bash
# Runs a command inside a private D-Bus session that has a fresh, unlocked GNOME keyring (the real
# Secret Service) and fresh XDG folders, so tests never touch the user's own keyring or files.
# Everything it starts is stopped when the command ends.
#   tests/session.sh cargo test --workspace
set -euo pipefail
if [ -z "${CROSSWALK_TEST_SESSION:-}" ]; then
  tmp=$(mktemp -d -t crosswalk-session.XXXXXX)
  # The desktop portal may have mounted its document store (FUSE) under the runtime folder:
  # unmount it before removing the folder. Clean-up never changes the command's exit status.
  cleanup() {
    fusermount -uz "$tmp/runtime/doc" 2>/dev/null || umount -l "$tmp/runtime/doc" 2>/dev/null || true
    rm -rf "$tmp" 2>/dev/null || true
  }
  trap cleanup EXIT
  mkdir -p "$tmp"/{data,config,cache,runtime}
  chmod 700 "$tmp/runtime"
  status=0
  CROSSWALK_TEST_SESSION=1 XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" \
    dbus-run-session -- "$0" "$@" || status=$?
  exit $status
fi

# Inside the session: start the keyring's Secret Service, unlocked with a throwaway password.
printf 'crosswalk-test-only' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
trap 'kill $keyring 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.ListNames 2>/dev/null | grep -q org.freedesktop.secrets; then
    break
  fi
  sleep 0.1
done
"$@"
