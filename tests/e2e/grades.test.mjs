// The real app in demo mode: load the demo grade report, match it, see the summary, and export a
// Canvas upload. Native file dialogs cannot be driven by WebDriver, so CROSSWALK_TEST_DIALOG_DIR
// (honoured by debug builds only) answers the save dialog with a file in a temporary folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
const dialogDir = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-dialogs-'));
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
/** The element's text content (WebKitWebDriver's getText misses some styled text). */
const textOf = async (el) => (await browser.execute((node) => node.textContent ?? '', el)).trim();
const text = async (id) => textOf(await byTestId(id));

before(async () => {
  process.env.CROSSWALK_TEST_DIALOG_DIR = dialogDir;
  session = await start(['--demo']);
  browser = session.browser;
});

after(async () => {
  await session?.stop();
  delete process.env.CROSSWALK_TEST_DIALOG_DIR;
  rmSync(dialogDir, { recursive: true, force: true });
});

test('the demo grade report is recognised and matched, with a summary per status', async () => {
  await clickWhenReady(browser, await byTestId('nav-grades'));
  await clickWhenReady(browser, await byTestId('grades-demo-report'));
  const kind = await byTestId('grades-file-kind');
  await kind.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'the demo report was not loaded' });
  assert.equal(await kind.getAttribute('data-kind'), 'course_grades');

  await clickWhenReady(browser, await byTestId('grades-match'));
  const summary = await byTestId('grades-summary');
  await summary.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no match summary' });
  // The demo report: 240 learners of saml-demo-univ (6 unenrolled), 12 who signed in another way
  // (1 unenrolled), 3 exchange students of the demo home institution (not linked: they signed in
  // with their home account), a row without a username and a row with broken quoting.
  const count = async (status) => textOf(await browser.$(`[data-testid="grades-count-${status}"] [data-testid="grades-count-value"]`));
  assert.equal(await count('matched'), '234');
  assert.equal(await count('not_linked'), '14');
  assert.equal(await count('unenrolled'), '7');
  await screenshot(browser, 'grades-summary');
});

test('a Canvas upload is previewed and exported, with the unmatched rows in the error file', async () => {
  await clickWhenReady(browser, await byTestId('grades-template-canvas'));
  await browser.waitUntil(async () => /SIS User ID/.test(await text('grades-preview-header')), {
    timeout: 15_000,
    timeoutMsg: 'the preview did not switch to the Canvas columns',
  });
  await screenshot(browser, 'grades-preview-canvas');
  await clickWhenReady(browser, await byTestId('grades-export'));
  await (await byTestId('grades-export-result')).waitForDisplayed({ timeout: 30_000, timeoutMsg: 'no export result' });

  const out = path.join(dialogDir, 'demo_course_grade_report-canvas.csv');
  assert.ok(existsSync(out), `the export was not written to ${out}`);
  const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.match(lines[0], /^Student,ID,SIS User ID,SIS Login ID,Section,/);
  assert.equal(lines.length - 1, 234, 'one row per matched learner');
  const errors = readFileSync(path.join(dialogDir, 'demo_course_grade_report-canvas.errors.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(errors[0], 'Student ID,Username,Error');
  assert.equal(errors.length - 1, 16, '14 not linked + 2 broken lines');
  await screenshot(browser, 'grades-exported');
});
