// Browser tests of the built UI with the back end mocked in the page (tests/browser/mockBackend.ts).
// Run `npm run build` first: these tests serve ui/dist exactly as Tauri would load it.
import { defineConfig } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { screenshotDir } from './tests/browser/paths';

const dist = fileURLToPath(new URL('./dist/index.html', import.meta.url));
if (!existsSync(dist)) {
  throw new Error(
    'ui/dist is missing, so there is nothing to test. Run `npm run build` in ui/ first, then `npm run test:browser`.',
  );
}

mkdirSync(screenshotDir, { recursive: true });

const PORT = 41731;

export default defineConfig({
  testDir: './tests/browser',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 7_000 },
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    headless: true,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1280, height: 860 },
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser downloads are not available on these machines.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
