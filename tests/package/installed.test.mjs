// The installed package (`make test-package`): /usr/bin/crosswalk-desktop from the .deb, started
// with a fresh profile and no connection, opens on the built-in sandbox's demo data on the
// Learners screen through the real window; the packaged command line answers too, from the same
// build as the app (the same commit as the app's About dialog shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { start, screenshot, app } from '../e2e/harness.mjs';

/** The commit the installed app's About dialog shows (read by the first test). */
let appCommit;

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
    await (await byTestId('open-about')).click();
    const commit = await byTestId('about-commit');
    await commit.waitForDisplayed({ timeout: 10_000 });
    appCommit = (await commit.getText()).trim();
  } finally {
    await stop();
  }
});

test('the installed command line reports its version and the app’s build', () => {
  const out = execFileSync('/usr/bin/crosswalk', ['--version'], { encoding: 'utf8' });
  assert.match(out, /^crosswalk \d+\.\d+\.\d+ \(commit \S+, built \d{4}-\d{2}-\d{2}\)/);
  assert.ok(appCommit, "the app's About dialog was not read (see the first test)");
  assert.ok(
    out.includes(`(commit ${appCommit},`),
    `the packaged command line (${out.trim()}) is not from the app's build (commit ${appCommit})`,
  );
});
