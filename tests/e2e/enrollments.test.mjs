// The real app in demo mode: the Enrollments dashboard filled by the core's own scheduled check
// against the sandbox's home institution, a stuck association flagged, a state change seen after
// the home side decides (virtual clock moved through the sandbox's admin API), and our side's
// change sent and confirmed; then grade return from the demo grade report to the timeline.
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

test('grade return: the demo grade report, matched, previewed for the course offering, sent, and seen in a timeline', async () => {
  // Close the detail drawer and match the demo grade report on the Grades screen.
  await browser.keys('Escape');
  await clickWhenReady(browser, await byTestId('nav-grades'));
  await clickWhenReady(browser, await byTestId('grades-demo-report'));
  await (await byTestId('grades-file-kind')).waitForDisplayed({ timeout: 15_000, timeoutMsg: 'the demo report was not loaded' });
  await clickWhenReady(browser, await byTestId('grades-match'));
  await (await byTestId('grades-summary')).waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no match summary' });

  await clickWhenReady(browser, await byTestId('nav-enrollments'));
  await clickWhenReady(browser, await byTestId('enrollments-results'));
  await clickWhenReady(browser, await byTestId('results-reconciliation'));
  await clickWhenReady(browser, await browser.$('//*[@role="option"][contains(., "demo_course_grade_report")]'));
  await (await byTestId('results-study-load')).setValue('5');
  await clickWhenReady(browser, await byTestId('results-preview'));
  const table = await byTestId('results-table');
  await table.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no results preview' });
  // The exchange students follow several offerings: choose the course (the one most rows match).
  await browser.waitUntil(async () => (await browser.$$('[data-testid="results-row"]')).length > 0, { timeout: 30_000 });
  await screenshot(browser, 'results-first-preview');
  await clickWhenReady(browser, await byTestId('results-offering'));
  await clickWhenReady(browser, await browser.$('//*[@role="option"][contains(., " rows")]'));
  await clickWhenReady(browser, await byTestId('results-preview'));
  // The preview for the one offering: nothing ambiguous left, some rows ready.
  await browser.waitUntil(
    async () =>
      (await browser.$$('[data-testid="results-row"][data-status="ambiguous"]')).length === 0 &&
      (await browser.$$('[data-testid="results-row"][data-status="ready"]')).length > 0,
    { timeout: 30_000, timeoutMsg: 'no row is ready to send for the chosen offering' },
  );
  const ready = (await browser.$$('[data-testid="results-row"][data-status="ready"]')).length;
  // The report's other learners are listed apart, without a match, never guessed.
  await clickWhenReady(browser, await browser.$('//label[contains(., "Without a match")]'));
  await browser.waitUntil(async () => (await browser.$$('[data-testid="results-row"][data-status="unmatched"]')).length > 200, {
    timeout: 10_000,
    timeoutMsg: 'the rows without a match are not listed',
  });
  await clickWhenReady(browser, await browser.$('//label[contains(., "Matched to an association")]'));
  await screenshot(browser, 'results-preview');

  await clickWhenReady(browser, await byTestId('results-send'));
  await (await byTestId('results-outcome')).waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no send outcome' });
  const sentRows = await browser.$$('[data-testid="results-row"][data-outcome="sent"]');
  assert.equal(sentRows.length, ready, `every ready row was sent: ${await (await byTestId('results-outcome')).getText()}`);
  await screenshot(browser, 'results-sent');
  const student = await (await sentRows[0].$$('td'))[3].getText();

  // The association's timeline keeps the result sent.
  await browser.keys('Escape');
  await (await byTestId('return-results')).waitForDisplayed({ reverse: true, timeout: 10_000 }).catch(() => {});
  const search = await byTestId('enrollments-search');
  await search.setValue(student);
  // Wait for the search to apply: every row shown is the student's.
  await browser.waitUntil(
    async () => {
      const texts = await rows().map((r) => r.getText());
      return texts.length > 0 && texts.every((t) => t.includes(student));
    },
    { timeout: 15_000, timeoutMsg: `no association for ${student} alone` },
  );
  let found = false;
  const seen = [];
  const n = (await rows()).length;
  for (let i = 0; i < n; i++) {
    // Re-read the rows each time: the table re-renders when the drawer closes.
    const row = (await rows())[i];
    if (!row) break;
    await clickWhenReady(browser, await row.$('[data-testid="association-open"]'));
    await (await byTestId('association-detail-body')).waitForDisplayed({ timeout: 10_000 });
    const texts = await browser.$$('[data-testid="timeline-event"]').map((e) => e.getText());
    seen.push(...texts);
    if (texts.some((t) => t.startsWith('Us: result') && (t.includes('passed') || t.includes('failed')))) {
      found = true;
      break;
    }
    await browser.keys('Escape');
    await (await byTestId('association-detail-body')).waitForDisplayed({ reverse: true, timeout: 10_000 }).catch(() => {});
  }
  assert.ok(found, `a timeline of ${student} shows the result sent (${n} rows): ${seen.join(' | ')}`);
  await screenshot(browser, 'results-timeline');
});
