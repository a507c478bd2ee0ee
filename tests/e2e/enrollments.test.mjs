// The real app in demo mode: the Enrollments dashboard filled by the core's own scheduled check
// against the sandbox's home institution, a stuck association flagged, a state change seen after
// the home side decides (virtual clock moved through the sandbox's admin API), and our side's
// change sent and confirmed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
let sandbox;

before(async () => {
  session = await start(['--demo']);
  browser = session.browser;
  await browser.setWindowSize(1280, 820).catch(() => {});
});

after(async () => {
  await session?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const rows = (extra = '') => browser.$$(`[data-testid="association-row"]${extra}`);

test('the demo home institution is on the Connections screen', async () => {
  await (await byTestId('demo-banner')).waitForDisplayed({ timeout: 30_000 });
  await (await byTestId('nav-connections')).click();
  const card = await browser.$('[data-testid="connection-card"][data-connection-id="demo-ooapi"]');
  await card.waitForDisplayed({ timeout: 20_000 });
  sandbox = (await card.getText()).match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
  assert.ok(sandbox, 'the demo OOAPI card shows the sandbox URL');
});

test('the dashboard shows the associations the scheduled check read, with a stuck one flagged', async () => {
  await (await byTestId('nav-enrollments')).click();
  // The core's scheduler reads every demo association at start (no webview timer involved).
  await browser.waitUntil(async () => (await rows('[data-state="associated"]')).length > 0, {
    timeout: 45_000,
    timeoutMsg: 'no association was read from the home institution',
  });
  await browser.waitUntil(async () => (await rows('[data-state="stuck"]')).length > 0, {
    timeout: 10_000,
    timeoutMsg: 'no association was flagged as stuck',
  });
  const stuckChip = await byTestId('chip-stuck');
  assert.ok(Number(await stuckChip.getAttribute('data-count')) > 0, 'the Stuck chip counts them');
  await screenshot(browser, 'enrollments');
});

test('after the home side decides, "Check pending now" shows the change and the timeline keeps it', async () => {
  const res = await fetch(`${sandbox}/_sandbox/ooapi/advance?secs=700`, { method: 'POST' });
  assert.ok(res.ok, `the sandbox clock moved (${res.status})`);
  await clickWhenReady(browser, await byTestId('enrollments-poll'));
  const summary = await byTestId('poll-summary');
  await summary.waitForDisplayed({ timeout: 30_000 });
  await browser.waitUntil(async () => (await summary.getText()).includes('→'), {
    timeout: 30_000,
    timeoutMsg: `no change in the summary: ${await summary.getText()}`,
  });
  const text = await summary.getText();
  const changed = text.match(/state pending → (associated|denied)|state queued → associated/);
  assert.ok(changed, `a decision was seen: ${text}`);
  // Open the first approved association and find the change in its timeline.
  await (await byTestId('chip-associated')).$('label').click();
  await browser.waitUntil(async () => (await rows()).length > 0, { timeout: 10_000 });
  await (await (await rows())[0].$('[data-testid="association-open"]')).click();
  const detail = await byTestId('association-detail-body');
  await detail.waitForDisplayed({ timeout: 10_000 });
  const texts = await browser.$$('[data-testid="timeline-event"]').map((e) => e.getText());
  assert.ok(texts.some((t) => t.includes('→ associated')), `the timeline shows the approval: ${texts.join(' | ')}`);
});

test('cancelling on our side asks first, is sent, and is confirmed', async () => {
  await clickWhenReady(browser, await byTestId('association-cancel'));
  const explanation = await byTestId('confirm-remote-state-text');
  await explanation.waitForDisplayed({ timeout: 10_000 });
  assert.match(await explanation.getText(), /cancelled on our side/);
  await clickWhenReady(browser, await byTestId('confirm-remote-state'));
  try {
    await browser.waitUntil(async () => (await (await byTestId('detail-remote-state')).getAttribute('data-value')) === 'canceled', {
      timeout: 20_000,
    });
  } catch {
    await screenshot(browser, 'enrollments-cancel-failed');
    assert.fail(`our side did not become "canceled": ${await (await browser.$('body')).getText()}`);
  }
  const texts = await browser.$$('[data-testid="timeline-event"]').map((e) => e.getText());
  assert.ok(texts.some((t) => t.startsWith('Us: remoteState') && t.includes('canceled')), `the timeline keeps our change: ${texts.join(' | ')}`);
  await screenshot(browser, 'enrollments-detail');
});
