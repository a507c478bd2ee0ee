// The real app in demo mode: find a demo learner by external id and launch them into a demo
// class. The system browser cannot be watched from WebDriver, so CROSSWALK_TEST_OPEN_URL_DIR
// (honoured by debug builds only) makes the app write the one-shot address to a file instead of
// opening it; the test then plays the browser: one GET of the page, the form posted to the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
const openDir = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-open-'));
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

before(async () => {
  process.env.CROSSWALK_TEST_OPEN_URL_DIR = openDir;
  session = await start(['--demo']);
  browser = session.browser;
});

after(async () => {
  await session?.stop();
  delete process.env.CROSSWALK_TEST_OPEN_URL_DIR;
  rmSync(openDir, { recursive: true, force: true });
});

/** The hidden inputs of the one-shot page's form, decoded. */
function formOf(html) {
  const action = html.match(/<form[^>]*action="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const unescape = (s) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const params = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) params.append(unescape(m[1]), unescape(m[2]));
  return { action, params };
}

test('a demo learner found by external id is launched into a demo class', async () => {
  await clickWhenReady(browser, await byTestId('nav-launch'));
  const external = await byTestId('launch-external-id');
  await external.waitForDisplayed({ timeout: 15_000 });
  // The first managed user of the demo OpenLearning institution (seeded from the demo LMS).
  await external.setValue('s9502754');
  await clickWhenReady(browser, await byTestId('launch-find'));
  const found = await byTestId('launch-found-user');
  await found.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'the learner was not found' });
  assert.match(await found.getText(), /ol-u-000001/);

  await (await byTestId('launch-class-id')).setValue('class-intro-data');
  await clickWhenReady(browser, await byTestId('launch-open'));
  await (await byTestId('launch-result')).waitForDisplayed({ timeout: 15_000, timeoutMsg: 'no launch result' });
  await screenshot(browser, 'launch-opened');

  const file = path.join(openDir, 'launch-url.txt');
  await browser.waitUntil(async () => existsSync(file), { timeout: 5_000, timeoutMsg: 'the app did not open a launch page' });
  const url = readFileSync(file, 'utf8').trim();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/launch\/[A-Za-z0-9_-]{40,}$/);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const { action, params } = formOf(await page.text());
  assert.equal((await fetch(url)).status, 410, 'the page answers once');

  const landed = await fetch(action, { method: 'POST', body: params });
  const html = await landed.text();
  assert.equal(landed.status, 200, html);
  assert.match(html, /Signed in as/);
  assert.match(html, /enrolled in/);
  const replay = await fetch(action, { method: 'POST', body: params });
  assert.equal(replay.status, 409, 'a launch works once');
});
