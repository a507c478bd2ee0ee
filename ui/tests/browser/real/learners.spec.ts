// Learners against the real core and the sandbox's Open edX: browse, look up (found, not found,
// not checked), the permission diagnosis, and a sync into the local mirror that search then reads.
// The mocked specs (../learners.spec.ts, ../lookup.spec.ts, ../mirror.spec.ts) cover what the
// sandbox cannot produce on demand: slow pages, failures at a given call, cancelled syncs.
import type { Page } from '@playwright/test';
import { realCore } from '../realCore';
import { expect, test } from '../test';

/** The demo LMS's first learner on saml-demo-univ (the sandbox's data is seeded, so fixed). */
const FIRST = { username: 'mark.wright+cs', remoteId: 's9502754' };

async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function lookUp(page: Page, ids: string) {
  await page.getByTestId('lookup-input').fill(ids);
  await page.getByTestId('lookup-run').click();
}

test.beforeEach(async ({ page }) => {
  await realCore(page);
  await page.goto('./');
});

test('Browse pages through what the LMS returns, and explains a provider the client may not read', async ({ page }) => {
  await page.getByTestId('tab-browse').click();
  const rows = page.getByTestId('mapping-row');
  await expect(rows.first()).toContainText(FIRST.username, { timeout: 20_000 });
  await expect(rows.first()).toContainText(FIRST.remoteId);
  await expect(page.getByTestId('mapping-count')).toHaveText(`4,458 learners linked to saml-demo-univ`);
  await expect(page.getByTestId('page-summary')).toHaveText('Page 1 of 45, showing learners 1–100');

  await pick(page, 'connection-select', 'Demo LMS (restricted application) (demo)');
  await pick(page, 'provider-select', 'saml-partner');
  const alert = page.getByTestId('error-alert');
  await expect(alert).toContainText('The Open edX LMS answered 403: this API client may not read provider "saml-partner".');
  await expect(alert).toContainText('tpa_provider:saml-partner');
  await expect(alert).toHaveAttribute('data-error-code', 'remote');
});

test('Look up: a learner found live, an unknown one not found, and a refused provider never shown as "not found"', async ({
  page,
}) => {
  await lookUp(page, `${FIRST.username}\nnobody-anywhere-real`);
  const found = page
    .locator(`[data-testid="lookup-row"][data-username="${FIRST.username}"][data-source="live"]`)
    .filter({ hasText: 'saml-demo-univ' });
  await expect(found).toContainText(FIRST.remoteId, { timeout: 30_000 });
  await expect(page.getByTestId('not-found')).toContainText('nobody-anywhere-real');
  await expect(page.getByTestId('not-checked')).toHaveCount(0);

  // The restricted application may read two providers: the LMS answers 403 for the others.
  await pick(page, 'lookup-connection', 'Demo LMS (restricted application) (demo)');
  await lookUp(page, 'nobody-anywhere-real');
  const notChecked = page.getByTestId('not-checked');
  await expect(notChecked).toContainText('nobody-anywhere-real', { timeout: 30_000 });
  await expect(notChecked).toContainText('403');
  await expect(page.getByTestId('not-found')).toHaveCount(0);
  await expect(page.getByTestId('lookup-summary')).toContainText('1 not checked');
});

// saml-partner, so the Grades spec still finds saml-demo-univ without a mirror (one bridge serves
// every spec of a run).
test('Sync now copies the provider into the mirror; history and search read the copy', async ({ page }) => {
  await page.getByTestId('tab-mirror').click();
  const partner = page.locator('[data-testid="mirror-provider"][data-provider="saml-partner"]');
  await expect(partner.getByTestId('mirror-size')).toContainText('0 learners in the mirror');
  await partner.getByTestId('sync-now').click();
  const outcome = partner.getByTestId('sync-outcome');
  await expect(outcome).toHaveAttribute('data-kind', 'done', { timeout: 60_000 });
  await expect(outcome).toContainText('494 learners copied: 494 added, 0 removed, 0 changed.');
  await expect(partner.getByTestId('mirror-size')).toContainText('494 learners in the mirror');
  await expect(partner.getByTestId('mirror-last-sync')).toHaveText('last synced just now');
  await pick(page, 'mirror-provider-select', 'saml-partner');
  await expect(page.getByTestId('sync-history-row').first()).toHaveAttribute('data-status', 'done');
  await page.getByTestId('mirror-search').pressSequentially(FIRST.username, { delay: 30 });
  await expect(page.getByTestId('mirror-search-count')).toHaveText('1 match in the mirror');
  await expect(page.getByTestId('mirror-search-row').first()).toContainText('mark.wright+cs@partner.example.org');

  // A lookup now answers from the mirror first, then live.
  await page.getByTestId('tab-lookup').click();
  await lookUp(page, FIRST.username);
  const row = page.locator(`[data-testid="lookup-row"][data-username="${FIRST.username}"]`).filter({ hasText: 'saml-partner' });
  await expect(row).toContainText('mark.wright+cs@partner.example.org');
});
