// Desktop notifications from the real app: a scheduled job that fails while the window is open is
// told to the desktop through the freedesktop notification service (a Notify call to
// org.freedesktop.Notifications on the session bus, seen here by dbus-monitor on the test's own
// bus), with what failed and what to do, and never the connection's secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { app, start } from './harness.mjs';

const cli = path.join(path.dirname(app), 'crosswalk');
// Kept in the keyring only; it must appear in no notification.
const SECRET = 'e2e-notify-secret-5f1c9a';

let session;
let monitor;
let seen = '';

before(async () => {
  monitor = spawn('dbus-monitor', ['--session', "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  monitor.stdout.on('data', (chunk) => {
    seen += chunk;
  });
  // It names itself on the bus once it listens.
  const listening = Date.now();
  while (!seen.includes('NameAcquired') && Date.now() - listening < 10_000) await new Promise((r) => setTimeout(r, 50));
  assert.ok(seen.includes('NameAcquired'), 'dbus-monitor listens on the session bus');

  // A connection to an LMS where nothing listens, its secret in the keyring, and its mirror sync
  // scheduled: the app's first round of due jobs (2 s after start) runs it, and it fails.
  const prepare = (dataDir) => {
    const run = (args, input) => execFileSync(cli, ['--data-dir', dataDir, ...args], { input, stdio: ['pipe', 'ignore', 'inherit'] });
    run(['profile', 'add', '--kind', 'openedx', '--name', 'Closed LMS', '--base-url', 'http://127.0.0.1:9/', '--client-id', 'e2e-client', '--provider', 'saml-x']);
    run(['secret', 'set', 'Closed LMS'], `${SECRET}\n`);
    run(['jobs', 'set', '--profile', 'Closed LMS', 'mirror-sync', '--every', '15']);
  };
  session = await start([], { prepare });
});

after(async () => {
  await session?.stop();
  monitor?.kill();
});

test('a scheduled mirror sync that fails is told to the desktop, with what to do and without the secret', async () => {
  const deadline = Date.now() + 45_000;
  while (!seen.includes('A mirror sync failed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const call = seen.slice(seen.lastIndexOf('member=Notify'));
  assert.match(call, /string "A mirror sync failed"/, `no notification was sent; the bus saw:\n${seen}`);
  assert.match(call, /saml-x/, 'it names the provider');
  assert.match(call, /could not be reached at http:\/\/127\.0\.0\.1:9\//, 'it says what went wrong');
  assert.match(call, /Check the address/, 'and what to do');
  assert.ok(!seen.includes(SECRET), 'the secret is in no notification');
  // The window is still there and usable.
  const version = await session.browser.$('[data-testid="app-version"]');
  await version.waitForDisplayed({ timeout: 10_000 });
});
