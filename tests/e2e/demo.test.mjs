// The real app in demo mode: the shell, every screen, and demo mappings that travelled from the
// built-in sandbox through the real token flow and mapping client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, screenshot } from './harness.mjs';

let session;
let browser;

before(async () => {
  session = await start(['--demo']);
  browser = session.browser;
  await browser.setWindowSize(1280, 820).catch(() => {});
});

after(async () => {
  await session?.stop();
});

const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

test('the window opens in demo mode with the banner', async () => {
  const banner = await byTestId('demo-banner');
  await banner.waitForDisplayed({ timeout: 30_000 });
  assert.match(await banner.getText(), /demo/i);
});

test('the first frame (drawn before React) gives way to the real screen', async () => {
  await (await byTestId('lookup-providers')).waitForExist({ timeout: 30_000 });
  await browser.waitUntil(() => browser.execute(() => document.getElementById('boot') === null), {
    timeout: 15_000,
    timeoutMsg: 'the first frame (ui/src/boot.ts) stayed over the Learners screen',
  });
});

test('Learners shows demo mappings fetched through the real core', async () => {
  await (await byTestId('nav-learners')).click();
  await (await byTestId('tab-browse')).click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid="mapping-row"]')).length > 0, {
    timeout: 30_000,
    timeoutMsg: 'no mapping rows appeared on the Learners screen',
  });
  const rows = await browser.$$('[data-testid="mapping-row"]');
  const text = await rows[0].getText();
  assert.ok(text.trim().length > 0, 'the first mapping row is empty');
  await screenshot(browser, 'learners');
});

for (const screen of ['grades', 'launch', 'enrollments', 'connections', 'activity']) {
  test(`the ${screen} screen opens`, async () => {
    await (await byTestId(`nav-${screen}`)).click();
    await browser.waitUntil(async () => (await (await byTestId('screen-title')).getText()).toLowerCase().includes(screen.slice(0, 5)), {
      timeout: 10_000,
      timeoutMsg: `the ${screen} screen's title did not appear`,
    });
    await screenshot(browser, screen);
  });
}

test('Activity lists the remote calls the Learners screen made', async () => {
  await (await byTestId('nav-activity')).click();
  await browser.waitUntil(async () => (await browser.$('body').getText()).includes('openedx.mappings.page'), {
    timeout: 15_000,
    timeoutMsg: 'the mapping page fetch was not recorded in Activity',
  });
  await screenshot(browser, 'activity');
});

test('Ctrl+K opens the command palette and jumps to Connections', async () => {
  await browser.keys(['Control', 'k']);
  const input = await browser.$('input[placeholder*="Jump"], .mantine-Spotlight-search');
  await input.waitForDisplayed({ timeout: 5_000 });
  await input.setValue('Connections');
  await browser.keys('Enter');
  // The title element is replaced when the screen changes: look it up afresh each time.
  await browser.waitUntil(async () => /connections/i.test(await (await byTestId('screen-title')).getText()), { timeout: 5_000 });
});
