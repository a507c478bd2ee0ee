// Desktop habits in the real window: Crosswalk runs once. A second launch with a file hands the
// file to the running window, which comes forward on the right screen — a grade report in Grades
// (checked next), a list of identifiers in the Learners lookup — and the second process exits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app, start, screenshot } from './harness.mjs';

let session;
let browser;
const files = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-files-'));
const other = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-second-'));
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

before(async () => {
  session = await start(['--demo']);
  browser = session.browser;
  await (await byTestId('app-version')).waitForDisplayed({ timeout: 30_000 });
});

after(async () => {
  await session?.stop();
  rmSync(files, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

/** Launches the app a second time with `file`; resolves with its exit code. */
function secondLaunch(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(app, ['--data-dir', other, file], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the second launch kept running: it should hand its file over and exit'));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

test('a second launch with a grade report exits and the running window opens it in Grades', async () => {
  const report = path.join(files, 'grade_report.csv');
  writeFileSync(report, 'Student ID,Email,Username,Grade,Enrollment Status\n1,ann@example.org,ann,0.9,enrolled\n');
  assert.equal(await secondLaunch(report), 0);
  const kind = await byTestId('grades-file-kind');
  await kind.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'the report did not open in the running window' });
  assert.equal(await kind.getAttribute('data-kind'), 'course_grades');
  assert.match(await browser.execute(() => window.location.hash), /#\/grades/);
  await screenshot(browser, 'opened-grade-report');
});

test('a second launch with a list of identifiers fills the Learners lookup', async () => {
  const ids = path.join(files, 'ids.csv');
  writeFileSync(ids, 'username\nann\nbob\ncarla\n');
  assert.equal(await secondLaunch(ids), 0);
  const input = await byTestId('lookup-input');
  await browser.waitUntil(async () => (await input.getValue()) === 'ann\nbob\ncarla', {
    timeout: 15_000,
    timeoutMsg: 'the identifiers did not reach the lookup',
  });
  assert.match(await browser.execute(() => window.location.hash), /#\/learners/);
});
