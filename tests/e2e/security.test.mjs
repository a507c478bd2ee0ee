// The webview's Content-Security-Policy, in the real window: an injected inline script does not
// run, and a fetch to any server (here one on this machine that counts what reaches it) is
// refused before a request leaves the webview. The policy is the app's own (tauri.conf.json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { start } from './harness.mjs';

let session;
let browser;
let server;
let hits = 0;
let url;

before(async () => {
  server = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
    res.end('reached');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/probe`;
  session = await start(['--demo']);
  browser = session.browser;
  await (await browser.$('[data-testid="app-version"]')).waitForDisplayed({ timeout: 30_000 });
});

after(async () => {
  await session?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

test('an injected inline script is blocked and reported as a CSP violation', async () => {
  const outcome = await browser.executeAsync((done) => {
    let violation = null;
    document.addEventListener('securitypolicyviolation', (e) => {
      violation = e.effectiveDirective || e.violatedDirective;
    });
    const s = document.createElement('script');
    s.textContent = 'window.__crosswalkInjected = true;';
    document.head.appendChild(s);
    setTimeout(() => done({ ran: window.__crosswalkInjected === true, violation }), 300);
  });
  assert.equal(outcome.ran, false, 'the inline script did not run');
  assert.match(String(outcome.violation), /script-src/);
});

test('a fetch to another server is refused and nothing reaches it', async () => {
  // The server is reachable from this machine (Node's own request arrives)…
  const direct = await fetch(url);
  assert.equal(await direct.text(), 'reached');
  const before = hits;
  // …but not from the webview.
  const outcome = await browser.executeAsync((target, done) => {
    fetch(target).then(
      (r) => done(`loaded ${r.status}`),
      (e) => done(`refused: ${e}`),
    );
  }, url);
  assert.match(outcome, /^refused/, outcome);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(hits, before, 'no request left the webview');
});
