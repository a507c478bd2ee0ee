// Browser tests of the built UI, in two projects:
// - "real-core" (tests/browser/real/): the page's commands go to the real core through
//   `crosswalk-bridge` (src-tauri/src/bridge.rs), in demo mode with the sandbox behind it;
// - "mocked" (the rest): the back end mocked in the page (tests/browser/mockBackend.ts), for the
//   states the sandbox cannot produce on demand (slow answers, failures at a given call, dialogs
//   closed, the clipboard).
// Run `npm run build` and `cargo build --features bridge --bin crosswalk-bridge` first: these
// tests serve ui/dist exactly as Tauri would load it.
import { defineConfig } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshotDir } from './tests/browser/paths';
import { BRIDGE_PORT, BRIDGE_URL } from './tests/browser/realCore';

const dist = fileURLToPath(new URL('./dist/index.html', import.meta.url));
if (!existsSync(dist)) {
  throw new Error(
    'ui/dist is missing, so there is nothing to test. Run `npm run build` in ui/ first, then `npm run test:browser`.',
  );
}

const bridge = fileURLToPath(new URL('../target/debug/crosswalk-bridge', import.meta.url));
if (!existsSync(bridge)) {
  throw new Error(
    'target/debug/crosswalk-bridge is missing, so the real-core specs cannot run. Build it with `cargo build --features bridge --bin crosswalk-bridge` in the project root first.',
  );
}
const session = fileURLToPath(new URL('../tests/session.sh', import.meta.url));
// Only the main process starts web servers (workers load this file too).
const bridgeData =
  process.env.TEST_WORKER_INDEX === undefined ? join(mkdtempSync(join(tmpdir(), 'crosswalk-bridge-')), 'run') : '';
// The specs read the files the core wrote there (workers inherit it).
if (bridgeData) process.env.CROSSWALK_BRIDGE_DATA = bridgeData;

mkdirSync(screenshotDir, { recursive: true });

const PORT = 41731;

export default defineConfig({
  testDir: './tests/browser',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    headless: true,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 860 },
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser downloads are not available on these machines.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'real-core', testMatch: 'real/**/*.spec.ts' },
    { name: 'mocked', testIgnore: 'real/**' },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // A fresh data folder each run, inside a private D-Bus session with a real keyring.
      command: `${session} ${bridge} --port ${BRIDGE_PORT} --data-dir ${bridgeData}`,
      url: `${BRIDGE_URL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
