// The real app in demo mode: look a learner up, run a bulk lookup with its progress bar, and see
// a denied provider in the permission matrix with the fix for the LMS operator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

/** Sets a textarea's value the way React notices (typing 20,000 ids key by key is too slow). */
async function fill(testId, value) {
  const el = await byTestId(testId);
  await el.waitForDisplayed({ timeout: 15_000 });
  await browser.execute(
    (node, v) => {
      const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(node), 'value').set;
      setter.call(node, v);
      node.dispatchEvent(new Event('input', { bubbles: true }));
    },
    el,
    value,
  );
}

before(async () => {
  session = await start(['--demo']);
  browser = session.browser;
});

after(async () => {
  await session?.stop();
});

let knownUsername;

test('browse shows demo mappings; a username from it is looked up live', async () => {
  await clickWhenReady(browser, await byTestId('nav-learners'));
  await clickWhenReady(browser, await byTestId('tab-browse'));
  await browser.waitUntil(async () => (await browser.$$('[data-testid="mapping-row"]')).length > 0, { timeout: 30_000 });
  const first = await browser.$('[data-testid="mapping-row"]');
  knownUsername = (await browser.execute((row) => row.firstElementChild?.textContent ?? '', first)).trim();
  assert.ok(knownUsername);

  await clickWhenReady(browser, await byTestId('tab-lookup'));
  await fill('lookup-input', knownUsername);
  await clickWhenReady(browser, await byTestId('lookup-run'));
  const row = await browser.$(`[data-testid="lookup-row"][data-username="${knownUsername}"][data-source="live"]`);
  await row.waitForDisplayed({ timeout: 30_000, timeoutMsg: `no live result row for ${knownUsername}` });
  await screenshot(browser, 'learners-lookup');
});

test('a bulk lookup shows its progress and ends with a summary', async () => {
  const ids = [knownUsername];
  for (let i = 0; i < 20_000; i++) ids.push(`not-a-learner-${i}`);
  await fill('lookup-input', ids.join('\n'));
  await clickWhenReady(browser, await byTestId('lookup-run'));
  const progress = await byTestId('lookup-progress');
  await progress.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'no progress bar for a bulk lookup' });
  await screenshot(browser, 'learners-bulk-progress');
  await browser.waitUntil(async () => (await (await byTestId('not-found')).isDisplayed()), { timeout: 120_000, timeoutMsg: 'the bulk lookup did not finish' });
  const notFound = await (await byTestId('not-found')).getText();
  assert.match(notFound, /20,?000/);
  await screenshot(browser, 'learners-bulk-done');
});

test('the permission matrix shows a denied provider and the fix', async () => {
  await clickWhenReady(browser, await byTestId('tab-permissions'));
  await clickWhenReady(browser, await byTestId('permissions-run'));
  const denied = await browser.$('[data-testid="permission-cell"][data-access="not_permitted"]');
  await denied.waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no denied cell in the matrix' });
  await clickWhenReady(browser, denied);
  const fix = await byTestId('permission-fix');
  await fix.waitForDisplayed({ timeout: 10_000 });
  const text = await fix.getText();
  assert.match(text, /create_dot_application/);
  assert.match(text, /tpa_provider:/);
  await screenshot(browser, 'learners-permissions');
});

test('identifiers a refusing provider could not check are never shown as "not found"', async () => {
  // The permission test leaves the fix open: close it.
  await browser.keys('Escape');
  await clickWhenReady(browser, await byTestId('tab-lookup'));
  // The restricted demo application watches every provider but may read only two: the LMS
  // answers 403 for the others.
  await clickWhenReady(browser, await byTestId('lookup-connection'));
  await clickWhenReady(browser, await browser.$('//*[@role="option"][contains(., "restricted application")]'));
  await fill('lookup-input', 'nobody-anywhere-e2e');
  await clickWhenReady(browser, await byTestId('lookup-run'));
  const notChecked = await byTestId('not-checked');
  await notChecked.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no "Not checked" list for a refused provider' });
  const text = await notChecked.getText();
  assert.match(text, /nobody-anywhere-e2e/);
  assert.match(text, /403/);
  assert.equal(await (await byTestId('not-found')).isExisting(), false, 'a refused lookup is not "not found"');
  assert.match(await (await byTestId('lookup-summary')).getText(), /1 not checked/);
  await screenshot(browser, 'learners-not-checked');
});
