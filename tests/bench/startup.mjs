// Start-up and memory of the release app against a minimal Tauri 2 app (bench/minimal-app: one
// window, one static page) built with the same Tauri and profile, measured in the same run
// (`make bench`, under Xvfb and a private keyring session).
//
// Start-up: from asking tauri-driver for a session (which starts the app) until the first paint
// of real data — for Crosswalk, the demo connection's providers that the core sent to the
// Learners screen (first drawn by ui/src/boot.ts, before React); for the minimal app, its one
// heading. Then until the screen is ready for input (the React screen drawn, the first frame
// gone). Both sides pay the same WebDriver cost.
// Memory: the proportional set size (PSS) of the app and every process it started (WebKit's web
// and network processes), 3 s after the screen was ready, with a fresh data folder each run.
// RUNS (default 5; 0 skips this part) alternating runs per side; the medians and their ratios are printed.
//
// Then the 100,000-row mirror (BROWSE_RUNS, default 2): the app with a connection of its own to a
// sandbox of 111,200 learners (99,810 of them on saml-demo-univ), its secret in the keyring;
// PSS after start, then after the Mirror tab's "Sync now" has copied the whole provider into SQLite
// (progress shown all along) and a search has read it back. Target: within 50 MB of the start.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const { remote } = require('webdriverio');
const runs = Number(process.env.RUNS ?? 5);

const sides = {
  minimal: {
    // MINIMAL_APP: the minimal app built another way (e.g. with the release profile under test).
    app: process.env.MINIMAL_APP ?? path.join(root, 'target/release/minimal-tauri-app'),
    args: () => [],
    ready: () => document.getElementById('ready') !== null,
    // One static page: drawn is ready.
    interactive: () => document.getElementById('ready') !== null,
  },
  crosswalk: {
    // CROSSWALK_APP: another build of the app to measure (e.g. to compare two changes).
    app: process.env.CROSSWALK_APP ?? path.join(root, 'target/release/crosswalk-desktop'),
    args: (dataDir) => ['--data-dir', dataDir],
    ready: () => document.body.innerText.includes('saml-demo-univ'),
    // The real screen (React and Mantine) drawn and the first frame (ui/src/boot.ts) gone: the
    // providers in the Look up tab's picker, which takes input.
    interactive: () =>
      document.getElementById('boot') === null &&
      document.querySelector('[data-testid="lookup-providers"]') !== null &&
      document.body.innerText.includes('saml-demo-univ'),
  },
};
// CROSSWALK_BEFORE: an earlier build of the app, measured as a third side in the same alternating
// runs, so a change's effect is read against the same minutes of the same machine.
if (process.env.CROSSWALK_BEFORE) sides.before = { ...sides.crosswalk, app: process.env.CROSSWALK_BEFORE };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function descendants(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const tasks = `/proc/${all[i]}/task`;
    if (!existsSync(tasks)) continue;
    for (const t of readdirSync(tasks)) {
      try {
        for (const c of readFileSync(`${tasks}/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) all.push(Number(c));
      } catch { /* gone */ }
    }
  }
  return all;
}

function pssKiB(pid) {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function appPid(binary) {
  const out = execFileSync('pgrep', ['-n', '-f', `^${binary}`], { encoding: 'utf8' }).trim();
  return Number(out);
}

/** Waits until `url` answers at all (up to `tries` × 100 ms). */
async function answering(url, tries) {
  for (let i = 0; i < tries; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(100);
    }
  }
}

/** Starts tauri-driver on free ports and waits for it: its port, the process and its exit. */
async function startDriver() {
  const [port, nativePort] = [await freePort(), await freePort()];
  const home = path.join(process.env.HOME, '.cargo/bin/tauri-driver');
  const driver = spawn(existsSync(home) ? home : 'tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], { stdio: 'ignore' });
  const exited = new Promise((r) => driver.once('exit', r));
  await answering(`http://127.0.0.1:${port}/status`, 150);
  return { port, driver, exited };
}

async function once(name) {
  const side = sides[name];
  const dataDir = mkdtempSync(path.join(tmpdir(), `crosswalk-bench-${name}-`));
  const { port, driver, exited } = await startDriver();
  try {
    const started = performance.now();
    const wallStart = Date.now();
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: 'silent',
      capabilities: { browserName: 'wry', 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: side.app, args: side.args(dataDir) } },
    });
    await browser.waitUntil(() => browser.execute(side.ready), { timeout: 60_000, interval: 20 });
    const startupMs = performance.now() - started;
    const readyAt = Date.now();
    await browser.waitUntil(() => browser.execute(side.interactive), { timeout: 60_000, interval: 20 });
    const interactiveMs = performance.now() - started;
    const pid = appPid(side.app);
    const phases = await startPhases(browser, pid, readyAt, wallStart);
    await sleep(3_000);
    const memMiB = descendants(pid).reduce((sum, p) => sum + pssKiB(p), 0) / 1024;
    const appMiB = pssKiB(pid) / 1024;
    await browser.deleteSession().catch(() => {});
    return { startupMs, interactiveMs, memMiB, appMiB, ...phases };
  } finally {
    driver.kill();
    await exited;
    for (let i = 0; i < 100 && (() => { try { execFileSync('pgrep', ['-f', dataDir], { stdio: 'ignore' }); return true; } catch { return false; } })(); i++) await sleep(100);
    try { execFileSync('pkill', ['-f', `^${side.app}`], { stdio: 'ignore' }); } catch { /* none left */ }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The clock time (ms since the epoch) at which process `pid` started, to 10 ms. */
function processStartMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[19]); // field 22, starttime, in clock ticks since boot
  // The boot time from the uptime (10 ms steps), not /proc/stat's btime (whole seconds).
  const boot = Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
  return boot + (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * Where a start-up's time went: asking the driver until the process exists, the process until its
 * page starts loading (Rust, GTK and WebKit set-up), the page's own load (its scripts parsed and
 * run: DOMContentLoaded), and from there to the first real data painted.
 */
async function startPhases(browser, pid, readyAt, wallStart) {
  const page = await browser.execute(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return {
      origin: performance.timeOrigin,
      dcl: nav ? nav.domContentLoadedEventEnd : 0,
      drawn: at('crosswalk:boot-drawn'),
      answered: at('crosswalk:boot-answered'),
    };
  });
  const exec = processStartMs(pid);
  return {
    driverMs: exec - wallStart,
    nativeMs: page.origin - exec,
    pageMs: page.dcl,
    dataMs: readyAt - (page.origin + page.dcl),
    // Crosswalk's first frame (ui/src/boot.ts): drawn, then the core's answers in, after the page began.
    drawnMs: page.drawn ?? NaN,
    answeredMs: page.answered ?? NaN,
  };
}

/** PSS of the app `binary` and every process it started, MiB. */
function appMemMiB(binary) {
  return descendants(appPid(binary)).reduce((sum, p) => sum + pssKiB(p), 0) / 1024;
}

const BROWSE_PROVIDER = 'saml-demo-univ';

/** One run of the 100,000-row mirror: memory after start, then after a sync and a search. */
async function browseOnce() {
  const app = sides.crosswalk.app;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crosswalk-bench-browse-'));
  const lmsPort = await freePort();
  const lms = spawn(path.join(root, 'target/release/crosswalk-sandbox'), ['--port', String(lmsPort), '--learners', '111200'], { stdio: 'ignore' });
  let driving;
  try {
    await answering(`http://127.0.0.1:${lmsPort}/`, 600);
    execFileSync(path.join(root, 'target/release/crosswalk'), [
      '--data-dir', dataDir, 'profile', 'add', '--kind', 'openedx', '--name', 'Bench LMS',
      '--base-url', `http://127.0.0.1:${lmsPort}/openedx`, '--client-id', 'crosswalk-demo-staff',
      '--provider', BROWSE_PROVIDER,
    ], { stdio: 'ignore' });
    // The secret goes where a person's would: the OS keyring (this run's private one), from stdin.
    execFileSync(path.join(root, 'target/release/crosswalk'), ['--data-dir', dataDir, 'secret', 'set', 'Bench LMS'], {
      input: 'crosswalk-demo-staff-secret\n',
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    driving = await startDriver();
    const browser = await remote({
      hostname: '127.0.0.1',
      port: driving.port,
      logLevel: 'silent',
      capabilities: { browserName: 'wry', 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--data-dir', dataDir] } },
    });
    const tid = (id) => browser.$(`[data-testid="${id}"]`);
    await (await tid('tab-mirror')).waitForClickable({ timeout: 60_000 });
    await sleep(3_000);
    const startMiB = appMemMiB(app);
    const startAppMiB = pssKiB(appPid(app)) / 1024;
    await (await tid('tab-mirror')).click();
    const provider = await browser.$(`[data-testid="mirror-provider"][data-provider="${BROWSE_PROVIDER}"]`);
    await provider.waitForExist({ timeout: 30_000 });
    await (await provider.$('[data-testid="sync-now"]')).click();
    const outcome = await provider.$('[data-testid="sync-outcome"]');
    await outcome.waitForExist({ timeout: 600_000, interval: 500, timeoutMsg: 'the 100,000-row sync did not finish' });
    if ((await outcome.getAttribute('data-kind')) !== 'done') {
      await browser.saveScreenshot(path.join(tmpdir(), 'crosswalk-bench-browse.png')).catch(() => {});
      throw new Error(`the 100,000-row sync did not end well: ${await outcome.getText()}`);
    }
    const size = await (await provider.$('[data-testid="mirror-size"]')).getText();
    await (await tid('mirror-search')).setValue('smi');
    await (await tid('mirror-search-count')).waitForExist({ timeout: 30_000 });
    const found = await (await tid('mirror-search-count')).getText();
    await sleep(3_000);
    const afterMiB = appMemMiB(app);
    const afterAppMiB = pssKiB(appPid(app)) / 1024;
    await browser.deleteSession().catch(() => {});
    return { startMiB, afterMiB, startAppMiB, afterAppMiB, size, found };
  } finally {
    if (driving) {
      driving.driver.kill();
      await driving.exited;
    }
    lms.kill();
    try { execFileSync('pkill', ['-f', `^${app}`], { stdio: 'ignore' }); } catch { /* none left */ }
    await sleep(500);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const s of Object.values(sides)) {
  if (!existsSync(s.app)) {
    console.error(`${s.app} is missing: make bench builds it (make bench-startup).`);
    process.exit(1);
  }
}
if (runs > 0) {
  const names = Object.keys(sides);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await once(name); // warm the page cache for every binary and WebKit
  for (let i = 0; i < runs; i++) {
    for (const name of names) results[name].push(await once(name));
  }
  const m = (name, key) => median(results[name].map((r) => r[key]));
  const line = (label, a, b, unit) => console.log(`${label.padEnd(34)} ${a.toFixed(0).padStart(6)} ${unit}   minimal app ${b.toFixed(0).padStart(6)} ${unit}   ratio ${(a / b).toFixed(2)}×`);
  console.log(`\nStart-up and memory, median of ${runs} runs each (release builds, Xvfb):`);
  line('Start to first data (Crosswalk)', m('crosswalk', 'startupMs'), m('minimal', 'startupMs'), 'ms');
  line('Start to screen ready for input', m('crosswalk', 'interactiveMs'), m('minimal', 'interactiveMs'), 'ms');
  line('Memory (PSS) after start', m('crosswalk', 'memMiB'), m('minimal', 'memMiB'), 'MiB');
  line('  of which the app process', m('crosswalk', 'appMiB'), m('minimal', 'appMiB'), 'MiB');
  line('  of which WebKit processes', m('crosswalk', 'memMiB') - m('crosswalk', 'appMiB'), m('minimal', 'memMiB') - m('minimal', 'appMiB'), 'MiB');
  console.log('\nWhere the start-up went (medians, ms; clock times to ~10 ms):');
  console.log(`${''.padEnd(34)} ${'Crosswalk'.padStart(9)} ${'minimal'.padStart(9)}`);
  for (const [key, label] of [
    ['driverMs', 'driver asked → process started'],
    ['nativeMs', 'process → page starts loading'],
    ['pageMs', 'page loading → scripts ran (DCL)'],
    ['dataMs', 'scripts ran → first data painted'],
    ['drawnMs', '  page began → first frame drawn'],
    ['answeredMs', '  page began → core answered it'],
  ]) {
    const ms = (v) => (Number.isFinite(v) ? v.toFixed(0) : '–');
    console.log(`${label.padEnd(34)} ${ms(m('crosswalk', key)).padStart(9)} ${ms(m('minimal', key)).padStart(9)}`);
  }
  if (results.before) {
    console.log(`\nThe earlier build (${sides.before.app}), in the same runs:`);
    line('Start to first data (earlier)', m('before', 'startupMs'), m('minimal', 'startupMs'), 'ms');
    line('Start to ready for input (earlier)', m('before', 'interactiveMs'), m('minimal', 'interactiveMs'), 'ms');
    line('Memory (PSS) after start (earlier)', m('before', 'memMiB'), m('minimal', 'memMiB'), 'MiB');
  }
}

const browseRuns = Number(process.env.BROWSE_RUNS ?? 2);
if (browseRuns > 0) {
  const browsed = [];
  for (let i = 0; i < browseRuns; i++) browsed.push(await browseOnce());
  const b = (key) => median(browsed.map((r) => r[key]));
  const growth = b('afterMiB') - b('startMiB');
  console.log(`\nA 100,000-row mirror (${browsed[0].size}; search "smi": ${browsed[0].found}), median of ${browseRuns} runs:`);
  console.log(`${'Memory (PSS) after start'.padEnd(34)} ${b('startMiB').toFixed(0).padStart(6)} MiB`);
  console.log(`${'  after the sync and a search'.padEnd(34)} ${b('afterMiB').toFixed(0).padStart(6)} MiB   growth ${growth.toFixed(0)} MiB (target ≤ 50 MB: ${growth * 1.048576 <= 50 ? 'met' : 'NOT met'})`);
  const appGrowth = b('afterAppMiB') - b('startAppMiB');
  console.log(`${'  of which the app process'.padEnd(34)} ${b('startAppMiB').toFixed(0).padStart(6)} → ${b('afterAppMiB').toFixed(0)} MiB (+${appGrowth.toFixed(0)}); WebKit processes +${(growth - appGrowth).toFixed(0)} MiB`);
}
