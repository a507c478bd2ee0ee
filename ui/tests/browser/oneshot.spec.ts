// The real one-shot launch page in a real browser, nothing mocked: the built `crosswalk-sandbox`
// plays OpenLearning, the built `crosswalk` CLI makes a launch with `--open` (in a debug build,
// CROSSWALK_TEST_OPEN_URL_DIR receives the address instead of a browser being started), and
// Chromium opens it: the page submits its signed form to the sandbox, which signs the learner in.
// The same address then answers 410. Needs `cargo build --workspace --bins` first; this spec
// does not use the app, so the Vite server the config starts is simply not visited.
import { test, expect, type ConsoleMessage } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { screenshotDir } from './paths';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repo, 'target');
const sandboxBin = join(targetDir, 'debug', 'crosswalk-sandbox');
const cliBin = join(targetDir, 'debug', 'crosswalk');
const KEY_ENV = 'CW_ONESHOT_SPEC_KEY';
const CLASS = 'class-intro-data';

interface SandboxInfo {
  openlearning_url: string;
  openlearning_launch_url: string;
  openlearning_institution_id: string;
  openlearning_api_key: string;
}

let sandbox: ChildProcess | undefined;
let launcher: ChildProcess | undefined;
let work = '';
let launchUrl = '';
let launchOrigin = '';

/** Starts the sandbox on a free port and reads the one JSON line it prints. */
async function startSandbox(): Promise<SandboxInfo> {
  const child = spawn(sandboxBin, ['--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  sandbox = child;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`crosswalk-sandbox exited (${code}) before printing its URLs: ${stderr}`)));
  });
  lines.close();
  return JSON.parse(first) as SandboxInfo;
}

function cli(dataDir: string, args: string[], env: Record<string, string>): string {
  return execFileSync(cliBin, ['--data-dir', dataDir, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

async function waitForFile(path: string, child: ChildProcess, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (child.exitCode !== null) throw new Error(`crosswalk launch --open exited (${child.exitCode}) without an address`);
    if (Date.now() > until) throw new Error(`crosswalk launch --open wrote no address to ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readFileSync(path, 'utf8').trim();
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // Both stop cleanly on Ctrl-C.
    child.kill('SIGINT');
  });
}

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const missing = [sandboxBin, cliBin].filter((bin) => !existsSync(bin));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(' and ')} not built. Build them first: \`cargo build --workspace --bins\` (in ${repo}).`,
    );
  }
  const info = await startSandbox();
  launchOrigin = new URL(info.openlearning_launch_url).origin;
  const env = { [KEY_ENV]: info.openlearning_api_key };

  // A demo learner's external id, as the institution's API lists it.
  const users = await fetch(
    `${info.openlearning_url}/institutions/${info.openlearning_institution_id}/managed-users/`,
    { headers: { Authorization: `Bearer ${info.openlearning_api_key}` } },
  );
  expect(users.status).toBe(200);
  const listed = (await users.json()) as { data: { external_institution_id: string | null }[] };
  const externalId = listed.data.find((u) => u.external_institution_id)?.external_institution_id;
  if (!externalId) throw new Error('the sandbox lists no managed user with an external id');

  work = mkdtempSync(join(tmpdir(), 'crosswalk-oneshot-'));
  const dataDir = join(work, 'data');
  const handoff = join(work, 'handoff');
  mkdirSync(handoff);
  cli(
    dataDir,
    [
      'profile',
      'add',
      '--kind',
      'openlearning',
      '--name',
      'OpenLearning',
      '--base-url',
      info.openlearning_url,
      '--institution-id',
      info.openlearning_institution_id,
      '--secret-env',
      KEY_ENV,
    ],
    env,
  );
  launcher = spawn(
    cliBin,
    ['--data-dir', dataDir, 'launch', '--profile', 'OpenLearning', '--external-id', externalId, '--class', CLASS, '--open'],
    { env: { ...process.env, ...env, CROSSWALK_TEST_OPEN_URL_DIR: handoff }, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  launchUrl = await waitForFile(join(handoff, 'launch-url.txt'), launcher, 20_000);
});

test.afterAll(async () => {
  await stop(launcher);
  await stop(sandbox);
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the one-shot page signs the learner in once, then answers 410', async ({ page }) => {
  const problems: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    // The browser's own favicon request is not the page's doing.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} (${m.location().url})`);
  };
  page.on('console', onConsole);

  await test.step('first visit: the form submits itself to OpenLearning', async () => {
    expect(launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/launch\/[A-Za-z0-9_-]{43}$/);
    const served = await page.goto(launchUrl);
    expect(served?.status()).toBe(200);
    await expect(page.getByText(/Signed in as /)).toBeVisible();
    await expect(page.getByText(/enrolled in/)).toBeVisible();
    expect(new URL(page.url()).origin, 'the browser ended on the launch page').toBe(launchOrigin);
    expect(problems, 'no script or CSP error on the one-shot page').toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'oneshot-signed-in.png'), fullPage: true });
  });

  await test.step('second visit: the address is spent', async () => {
    page.off('console', onConsole);
    const again = await page.goto(launchUrl);
    expect(again?.status()).toBe(410);
    await expect(page.getByText(/already used/)).toBeVisible();
    await expect(page.locator('form')).toHaveCount(0);
  });
});
