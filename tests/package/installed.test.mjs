// The installed package (`make test-package`): /usr/bin/crosswalk-desktop from the .deb, started
// with a fresh profile and no connection, opens on the built-in sandbox's demo data on the
// Learners screen through the real window; the packaged command line answers too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { start, screenshot, app } from '../e2e/harness.mjs';

test('the installed app starts in demo mode and shows demo learners', async () => {
  assert.equal(app, '/usr/bin/crosswalk-desktop', 'CROSSWALK_APP points at the installed binary');
  const { browser, stop } = await start();
  try {
    const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
    await (await byTestId('demo-banner')).waitForDisplayed({ timeout: 60_000 });
    await (await byTestId('nav-learners')).click();
    await (await byTestId('tab-browse')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="mapping-row"]')).length > 0, {
      timeout: 60_000,
      timeoutMsg: 'no demo mapping rows appeared on the Learners screen of the installed app',
    });
    await screenshot(browser, 'installed-learners');
  } finally {
    await stop();
  }
});

test('the installed command line reports its version and build', () => {
  const out = execFileSync('/usr/bin/crosswalk', ['--version'], { encoding: 'utf8' });
  assert.match(out, /^crosswalk \d+\.\d+\.\d+/);
  assert.match(out, /commit/);
});
