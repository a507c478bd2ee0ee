import type { Page } from '@playwright/test';
import { browseFailure, deniedError, usernameAt } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

/** Opens Learners on its Browse tab, which pages through one provider live from Open edX. */
async function openBrowse(page: Page) {
  await page.goto('./');
  await page.getByTestId('tab-browse').click();
}

test('Browse shows the first provider of the first connection once opened', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./');
  await expect(page.getByTestId('lookup-input')).toBeVisible();
  // Browse asks Open edX only when it is opened.
  expect(await recordedCalls(page, 'browse_mappings')).toHaveLength(0);
  await page.getByTestId('tab-browse').click();
  const rows = page.getByTestId('mapping-row');
  await expect(rows.first()).toContainText(usernameAt(0));
  await expect(page.getByTestId('mapping-count')).toHaveText('3,003 learners linked to saml-demo-univ');
  await expect(page.getByTestId('fetched-at')).toContainText('fetched live at');
  await expect(page.getByTestId('page-summary')).toHaveText('Page 1 of 31, showing learners 1–100');

  const calls = await recordedCalls(page, 'browse_mappings');
  expect(calls[0]?.args).toEqual({
    connectionId: 'demo-staff',
    providerId: 'saml-demo-univ',
    page: 1,
    pageSize: 100,
  });
  // Virtualised: 100 rows on the page, only those in view (plus a few) are drawn.
  const drawn = await rows.count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(100);
});

test('the table scrolls through all hundred rows of a page', async ({ page }) => {
  await mockBackend(page);
  await openBrowse(page);
  await expect(page.getByTestId('mapping-row').first()).toBeVisible();
  await page.getByTestId('data-table').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.getByTestId('mapping-row').filter({ hasText: usernameAt(99) })).toBeVisible();
});

test('paging asks the back end for the next page', async ({ page }) => {
  await mockBackend(page);
  await openBrowse(page);
  await expect(page.getByTestId('mapping-row').first()).toContainText(usernameAt(0));

  await page.getByTestId('mapping-pagination').getByRole('button', { name: 'Page 2', exact: true }).click();
  await expect(page.getByTestId('mapping-row').first()).toContainText(usernameAt(100));
  await expect(page.getByTestId('page-summary')).toHaveText('Page 2 of 31, showing learners 101–200');
  const calls = await recordedCalls(page, 'browse_mappings');
  expect(calls.at(-1)?.args).toMatchObject({ page: 2, pageSize: 100, providerId: 'saml-demo-univ' });

  await page.getByTestId('mapping-pagination').getByRole('button', { name: 'next page' }).click();
  await expect(page.getByTestId('mapping-row').first()).toContainText(usernameAt(200));
  expect((await recordedCalls(page, 'browse_mappings')).at(-1)?.args).toMatchObject({ page: 3 });
});

test('choosing another provider starts again at its first page', async ({ page }) => {
  await mockBackend(page);
  await openBrowse(page);
  await page.getByTestId('mapping-pagination').getByRole('button', { name: 'Page 2', exact: true }).click();
  await expect(page.getByTestId('page-summary')).toContainText('Page 2');

  await page.getByTestId('provider-select').click();
  await page.getByRole('option', { name: 'saml-partner', exact: true }).click();
  await expect(page.getByTestId('mapping-count')).toHaveText('42 learners linked to saml-partner');
  await expect(page.getByTestId('page-summary')).toHaveText('Page 1 of 1, showing learners 1–42');
  await expect(page.getByTestId('mapping-pagination')).toHaveCount(0);
  expect((await recordedCalls(page, 'browse_mappings')).at(-1)?.args).toMatchObject({
    providerId: 'saml-partner',
    page: 1,
  });
});

test('a failed fetch shows the back end’s message, and Retry fetches again', async ({ page, saveScreenshot }) => {
  await mockBackend(page, { failures: { browse_mappings: { times: 1, error: browseFailure } } });
  await openBrowse(page);
  const alert = page.getByTestId('error-alert');
  await expect(alert).toContainText(browseFailure.message);
  await expect(alert).toHaveAttribute('data-error-code', browseFailure.code);
  await expect(page.getByTestId('mapping-row')).toHaveCount(0);
  await saveScreenshot('learners-error');

  await alert.getByTestId('retry').click();
  await expect(page.getByTestId('mapping-row').first()).toContainText(usernameAt(0));
  await expect(page.getByTestId('error-alert')).toHaveCount(0);
  expect(await recordedCalls(page, 'browse_mappings')).toHaveLength(2);
});

test('a failure that is not a proper {code, message} still says what to do next', async ({ page }) => {
  await mockBackend(page, { failures: { browse_mappings: { times: 1, error: 'invalid args `page` for command' } } });
  await openBrowse(page);
  const alert = page.getByTestId('error-alert');
  await expect(alert).toHaveAttribute('data-error-code', 'internal');
  await expect(alert).toContainText('invalid args `page` for command');
  await expect(alert).toContainText('Open logs folder');
});

test('with no Open edX connection the screen says so instead of showing an empty table', async ({ page }) => {
  await mockBackend(page, { connections: [] });
  await page.goto('./#/learners');
  await expect(page.getByText('No Open edX connection yet')).toBeVisible();
  await expect(page.getByTestId('tab-browse')).toHaveCount(0);
  await expect(page.getByTestId('data-table')).toHaveCount(0);
});

test('the restricted demo connection explains a provider its client may not read', async ({ page }) => {
  await mockBackend(page);
  await openBrowse(page);
  await expect(page.getByTestId('mapping-row').first()).toBeVisible();

  await page.getByTestId('connection-select').click();
  await page.getByRole('option', { name: 'Demo LMS (restricted application) (demo)' }).click();
  // Same provider, allowed for this client too.
  await expect(page.getByTestId('mapping-count')).toHaveText('3,003 learners linked to saml-demo-univ');
  expect((await recordedCalls(page, 'browse_mappings')).at(-1)?.args).toMatchObject({
    connectionId: 'demo-restricted',
    providerId: 'saml-demo-univ',
  });

  await page.getByTestId('provider-select').click();
  await page.getByRole('option', { name: 'saml-partner', exact: true }).click();
  const alert = page.getByTestId('error-alert');
  await expect(alert).toContainText(deniedError.message);
  await expect(alert).toHaveAttribute('data-error-code', 'remote');
});
