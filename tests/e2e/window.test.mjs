// The window as a desktop app keeps it: it comes back at the size and place it was left (read
// from the X server, not from the page), it writes down where it is, and it follows the
// system's dark mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, screenshot } from './harness.mjs';

/** The Crosswalk window's geometry as the X server has it. */
function geometry() {
  const out = execFileSync('xwininfo', ['-name', 'Crosswalk'], { encoding: 'utf8' });
  const n = (label) => Number(new RegExp(`${label}:\\s+(-?\\d+)`).exec(out)?.[1]);
  return { x: n('Absolute upper-left X'), y: n('Absolute upper-left Y'), width: n('Width'), height: n('Height') };
}

async function shown(browser) {
  await browser.$('[data-testid="nav-learners"]').waitForDisplayed({ timeout: 30_000 });
}

test('the window comes back at the size and place it was left', async () => {
  const left = { x: 60, y: 40, width: 1000, height: 700, maximized: false };
  const { browser, stop } = await start(['--demo'], {
    prepare: (dataDir) => writeFileSync(path.join(dataDir, 'window.json'), JSON.stringify(left)),
  });
  try {
    await shown(browser);
    await browser.waitUntil(async () => geometry().width === left.width, { timeout: 10_000, timeoutMsg: `the window is ${JSON.stringify(geometry())}` });
    assert.deepEqual(geometry(), { x: left.x, y: left.y, width: left.width, height: left.height });
    await screenshot(browser, 'window-restored');
  } finally {
    await stop();
  }
});

test('a position off every screen is not restored, the size is', async () => {
  const left = { x: 5000, y: 4000, width: 1100, height: 720, maximized: false };
  const { browser, stop } = await start(['--demo'], {
    prepare: (dataDir) => writeFileSync(path.join(dataDir, 'window.json'), JSON.stringify(left)),
  });
  try {
    await shown(browser);
    await browser.waitUntil(async () => geometry().width === left.width, { timeout: 10_000, timeoutMsg: `the window is ${JSON.stringify(geometry())}` });
    const g = geometry();
    assert.ok(g.x < 1280 && g.y < 820, `the window is on the screen: ${JSON.stringify(g)}`);
  } finally {
    await stop();
  }
});

test('the window writes down its size and place', async () => {
  const { browser, dataDir, stop } = await start(['--demo']);
  try {
    await shown(browser);
    const file = path.join(dataDir, 'window.json');
    await browser.waitUntil(async () => existsSync(file), { timeout: 10_000, timeoutMsg: 'window.json was not written' });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    const g = geometry();
    assert.equal(saved.width, g.width);
    assert.equal(saved.height, g.height);
  } finally {
    await stop();
  }
});

test('the app follows the system dark mode in the real window', async () => {
  // The desktop's "prefer dark" setting, as GNOME's settings write it for GTK applications.
  const config = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-gtk-'));
  mkdirSync(path.join(config, 'gtk-3.0'));
  writeFileSync(path.join(config, 'gtk-3.0', 'settings.ini'), '[Settings]\ngtk-application-prefer-dark-theme=1\n');
  const { browser, stop } = await start(['--demo'], { env: { XDG_CONFIG_HOME: config } });
  try {
    await shown(browser);
    const scheme = await browser.execute(() => ({
      media: window.matchMedia('(prefers-color-scheme: dark)').matches,
      attr: document.documentElement.getAttribute('data-mantine-color-scheme'),
    }));
    assert.deepEqual(scheme, { media: true, attr: 'dark' });
    await screenshot(browser, 'window-dark');
  } finally {
    await stop();
    rmSync(config, { recursive: true, force: true });
  }
});
