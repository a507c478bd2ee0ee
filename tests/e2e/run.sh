#!/usr/bin/env bash
# Runs the end-to-end tests against target/debug/crosswalk-desktop inside a virtual X server and a
# private D-Bus session with a real (fresh, unlocked) keyring.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export PATH="$HOME/.cargo/bin:$PATH"
# WebKitGTK: no GPU here; the DMA-BUF renderer fails under Xvfb.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 LIBGL_ALWAYS_SOFTWARE=1
exec xvfb-run -a -s "-screen 0 1280x820x24" "$here/../session.sh" node --test --test-concurrency=1 --test-reporter=spec *.test.mjs
