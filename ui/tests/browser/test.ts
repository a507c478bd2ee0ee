// The `test` every browser spec uses: it fails a test whose page logged an error or broke the
// content security policy, and gives a helper to save a screenshot for people to look at.
import { test as base, expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import { screenshotDir } from './paths';

interface Fixtures {
  /** Errors the page logged; checked after each test. */
  pageProblems: string[];
  saveScreenshot: (name: string) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
      });
      await use(problems);
      expect(problems, 'the page logged errors (or broke the CSP)').toEqual([]);
    },
    { auto: true },
  ],
  saveScreenshot: async ({ page }, use) => {
    await use(async (name: string) => {
      await settle(page);
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    });
  },
});

/** Waits for transitions (Mantine's are short) so screenshots do not catch things half-drawn. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 250))),
  );
}

export { expect };
