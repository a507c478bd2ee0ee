// Starts the real Crosswalk binary under tauri-driver (which drives WebKitWebDriver) and hands the
// tests a WebdriverIO session. Free ports are picked for both drivers; everything started here is
// stopped in `stop()`. Each session gets its own data folder.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(root, 'artifacts', 'e2e');
export const app = process.env.CROSSWALK_APP ?? path.join(root, 'target', 'debug', 'crosswalk-desktop');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${ms} ms`);
}

function tauriDriverPath() {
  const local = path.join(homedir(), '.cargo', 'bin', 'tauri-driver');
  return existsSync(local) ? local : 'tauri-driver';
}

/** Whether an app process with this data folder is still running. */
function appRunning(dataDir) {
  try {
    execFileSync('pgrep', ['-f', dataDir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the app process with this data folder, if there is one. */
function signalApp(dataDir, signal) {
  try {
    execFileSync('pkill', [`-${signal}`, '-f', dataDir], { stdio: 'ignore' });
  } catch {
    /* none left */
  }
}

/** Waits up to `ms` for the app with this data folder to exit. */
async function gone(dataDir, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && appRunning(dataDir)) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Starts the app with `args` and returns `{ browser, dataDir, stop }`. Options: `prepare(dataDir)`
 * runs before the app starts (to leave files a previous run would have left); `env` adds
 * environment variables for the app.
 */
export async function start(args = [], { prepare, env } = {}) {
  if (!existsSync(app)) throw new Error(`The app binary ${app} does not exist: build it first (make app).`);
  mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crosswalk-e2e-'));
  if (prepare) await prepare(dataDir);
  const [port, nativePort] = [await freePort(), await freePort()];
  const driver = spawn(tauriDriverPath(), ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...(env ?? {}) },
  });
  const driverExited = new Promise((resolve) => driver.once('exit', resolve));
  let browser;
  try {
    await waitForPort(port, 15_000);
    browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'silent',
      connectionRetryTimeout: 60_000,
      capabilities: {
        browserName: 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: app, args: ['--data-dir', dataDir, ...args] },
      },
    });
  } catch (e) {
    driver.kill();
    throw e;
  }
  async function stop() {
    try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
    driver.kill();
    await driverExited;
    // Crosswalk is single-instance: the next session's app must not find this one still running
    // (it would hand its arguments over and exit, and that session would never start). When
    // WebKitWebDriver went before it could close the window, the app is left without a parent:
    // it is stopped here, and killed if it does not stop.
    await gone(dataDir, 10_000);
    if (appRunning(dataDir)) {
      console.error(`The app of ${dataDir} was still running after its session ended: stopping it.`);
      signalApp(dataDir, 'TERM');
      await gone(dataDir, 5_000);
      signalApp(dataDir, 'KILL');
      await gone(dataDir, 5_000);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { browser, dataDir, stop };
}

/**
 * Saves a screenshot of the app window as artifacts/e2e/<name>.png. It is taken from the X
 * server (ImageMagick's `import`) rather than through WebDriver: WebKitWebDriver's screenshot
 * command hangs after the first one under Xvfb. The page is given a moment to paint first.
 */
export async function screenshot(browser, name) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  execFileSync('import', ['-window', 'root', path.join(artifacts, `${name}.png`)], { stdio: 'inherit' });
}

/**
 * Clicks `el` once it can take the click: waits while a toast or a closing modal still covers
 * it (WebDriver answers "element click intercepted" then), as a person would.
 */
export async function clickWhenReady(browser, el, timeout = 15_000) {
  await el.waitForDisplayed({ timeout });
  await browser.waitUntil(
    async () => {
      try {
        await el.click();
        return true;
      } catch (e) {
        if (/intercepted|not interactable/i.test(String(e))) return false;
        throw e;
      }
    },
    { timeout, interval: 250, timeoutMsg: 'the element stayed covered' },
  );
}
