// The real app: add an Open edX connection pointing at the built-in sandbox, store its secret in
// the (test session's) OS keyring, test it → success; replace the secret with a wrong one → the
// 401 invalid_client explanation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const card = (name) => browser.$(`[data-testid="connection-card"][data-connection-name="${name}"]`);

async function type(testId, value) {
  const el = await byTestId(testId);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.click();
  await el.clearValue();
  await el.setValue(value);
}

async function testConnection(name) {
  const c = await card(name);
  await clickWhenReady(browser, await c.$('[data-testid="test-connection"]'));
  const result = await c.$('[data-testid="check-result"]');
  await result.waitForDisplayed({ timeout: 30_000 });
  return result;
}

before(async () => {
  session = await start(['--demo']);
  browser = session.browser;
});

after(async () => {
  await session?.stop();
});

let lmsUrl;

test('the demo connection shows where the sandbox listens', async () => {
  await (await byTestId('nav-connections')).click();
  const demo = await browser.$('[data-testid="connection-card"][data-connection-id="demo-staff"]');
  await demo.waitForDisplayed({ timeout: 20_000 });
  lmsUrl = (await demo.getText()).match(/http:\/\/127\.0\.0\.1:\d+\/openedx/)?.[0];
  assert.ok(lmsUrl, 'the demo card shows the sandbox LMS URL');
});

test('add a connection with its secret, and test it: success', async () => {
  await (await byTestId('add-connection')).click();
  await (await byTestId('connection-form')).waitForDisplayed({ timeout: 10_000 });
  await (await byTestId('kind-openedx')).click();
  await type('field-name', 'E2E LMS');
  await type('field-base-url', lmsUrl);
  await type('field-client-id', 'crosswalk-demo-staff');
  await type('field-providers', 'saml-demo-univ');
  await browser.keys('Enter');
  await type('field-secret', 'crosswalk-demo-staff-secret');
  await screenshot(browser, 'connection-form');
  await clickWhenReady(browser, await byTestId('save-connection'));
  await (await card('E2E LMS')).waitForDisplayed({ timeout: 15_000 });
  const result = await testConnection('E2E LMS');
  await browser.waitUntil(async () => (await result.getAttribute('data-ok')) === 'true', {
    timeout: 20_000,
    timeoutMsg: `the connection test did not succeed: ${await result.getText()}`,
  });
  await screenshot(browser, 'connection-test-success');
});

test('with a wrong secret the test explains the 401', async () => {
  const c = await card('E2E LMS');
  await clickWhenReady(browser, await c.$('[data-testid="edit-connection"]'));
  await (await byTestId('connection-form')).waitForDisplayed({ timeout: 10_000 });
  await type('field-secret', 'definitely-not-the-secret');
  await clickWhenReady(browser, await byTestId('save-connection'));
  await (await byTestId('connection-form')).waitForDisplayed({ reverse: true, timeout: 10_000 });
  const result = await testConnection('E2E LMS');
  await browser.waitUntil(async () => (await result.getAttribute('data-ok')) === 'false', { timeout: 20_000 });
  const text = await result.getText();
  assert.match(text, /invalid_client/);
  assert.doesNotMatch(text, /definitely-not-the-secret/);
  await screenshot(browser, 'connection-test-401');
});
