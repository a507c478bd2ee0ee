// The real app in demo mode: Enrollments → "Check our endpoints" against the demo home (the
// built-in sandbox plays our own home, its authorization server and our SIS backend). The check
// passes with no failure, a cell of the matrix opens what was sent and what came back, and the
// report is saved as HTML (CROSSWALK_TEST_DIALOG_DIR answers the save dialog) without any token.
// Then About → Save diagnostics writes the bundle for the IT team, again without a secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, screenshot, clickWhenReady } from './harness.mjs';

let session;
let browser;
const dialogDir = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-dialogs-'));
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
const textOf = async (el) => (await browser.execute((node) => node.textContent ?? '', el)).trim();

before(async () => {
  process.env.CROSSWALK_TEST_DIALOG_DIR = dialogDir;
  session = await start(['--demo']);
  browser = session.browser;
  await browser.setWindowSize(1280, 820).catch(() => {});
});

after(async () => {
  await session?.stop();
  delete process.env.CROSSWALK_TEST_DIALOG_DIR;
  rmSync(dialogDir, { recursive: true, force: true });
});

test('the endpoint check against the demo home passes with no failure', async () => {
  await (await byTestId('demo-banner')).waitForDisplayed({ timeout: 30_000 });
  await clickWhenReady(browser, await byTestId('nav-enrollments'));
  await clickWhenReady(browser, await byTestId('enrollments-endpoint-check'));
  const never = await byTestId('endpoint-check-never');
  await never.waitForDisplayed({ timeout: 15_000, timeoutMsg: 'a first check should say there was none before' });
  // A demo connection offers the sandbox's test student, chosen already.
  const source = await byTestId('endpoint-check-token-source');
  assert.match(await textOf(source), /Demo test student/);
  await clickWhenReady(browser, await byTestId('endpoint-check-run'));
  const summary = await byTestId('endpoint-check-summary');
  await summary.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'the check did not finish' });
  assert.equal(await summary.getAttribute('data-failed'), '0', await textOf(summary));
  const facts = await textOf(await byTestId('endpoint-check-token-facts'));
  assert.match(facts, /demo test student.*: active/);
  assert.doesNotMatch(facts, /missing/);
  const cells = await browser.$$('[data-testid="matrix-cell"]');
  assert.ok(cells.length >= 25, `the matrix has a cell per check and endpoint (${cells.length})`);
  const failed = await browser.$$('[data-testid="matrix-cell"][data-verdict="fail"]');
  assert.equal(failed.length, 0);
  await screenshot(browser, 'endpoint-check');
});

test('a cell opens what was sent and what came back, with the token blanked out', async () => {
  const cell = await browser.$('[data-testid="matrix-cell"][data-check="get.unknown_id"]');
  await clickWhenReady(browser, cell);
  const detail = await byTestId('endpoint-check-detail');
  await detail.waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(detail), /404 for an id that does not exist/);
  const exchange = await textOf(await byTestId('endpoint-check-exchange'));
  assert.match(exchange, /Authorization: Bearer \[token\]/);
  assert.match(exchange, /application\/problem\+json/);
  assert.doesNotMatch(exchange, /ooapi-[0-9a-f]{32}/, 'no sandbox token in the webview');
});

test('the report is saved as HTML, self-contained and without a token', async () => {
  await clickWhenReady(browser, await byTestId('endpoint-check-save-html'));
  const file = path.join(dialogDir, 'endpoint-check.html');
  await browser.waitUntil(async () => existsSync(file), { timeout: 15_000, timeoutMsg: 'the report was not written' });
  const html = readFileSync(file, 'utf8');
  assert.match(html, /<h1>Endpoint check: Demo home institution/);
  assert.match(html, /Nothing failed/);
  assert.doesNotMatch(html, /ooapi-[0-9a-f]{32}/, 'no token in the report');
  assert.doesNotMatch(html, /<script/i);
});

test('a second run shows what changed since the first', async () => {
  await clickWhenReady(browser, await byTestId('endpoint-check-run'));
  const diff = await byTestId('endpoint-check-diff');
  await diff.waitForDisplayed({ timeout: 60_000, timeoutMsg: 'no comparison with the previous run' });
  assert.match(await textOf(diff), /Since the previous run/);
});

test('About → Save diagnostics writes a bundle with the logs and no secret or token', async () => {
  await browser.keys('Escape');
  await clickWhenReady(browser, await byTestId('open-about'));
  await (await byTestId('about-modal')).waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf(await byTestId('about-commit')), /^[0-9a-f]{10}$|^unknown$/);
  await clickWhenReady(browser, await byTestId('about-save-diagnostics'));
  let zip;
  await browser.waitUntil(
    async () => {
      zip = readdirSync(dialogDir).find((f) => f.startsWith('crosswalk-diagnostics-') && f.endsWith('.zip'));
      return zip !== undefined;
    },
    { timeout: 15_000, timeoutMsg: 'no diagnostics bundle was written' },
  );
  // Every file of the zip, as text (Python's zipfile: no unzip tool needed).
  const text = execFileSync('python3', [
    '-c',
    'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("\\n".join(n + "\\n" + z.read(n).decode("utf-8", "replace") for n in z.namelist()))',
    path.join(dialogDir, zip),
  ]).toString();
  assert.match(text, /about\.json/);
  assert.match(text, /"kind": "ooapi"/);
  assert.match(text, /logs\/crosswalk/);
  assert.doesNotMatch(text, /ooapi-[0-9a-f]{32}/, 'no token in the bundle');
  assert.doesNotMatch(text, /demo-secret/, 'no demo secret in the bundle');
});
