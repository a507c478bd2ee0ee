// The Enrollments screen against the mocked back end: chips with the back end's counts, the filter
// sent, the detail with its timeline, and our side's change confirmed with what the home side sees.
import { expect } from '@playwright/test';
import { everyKind } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { test } from './test';

test('without an OOAPI connection the screen says how to add one', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./#/enrollments');
  await expect(page.getByTestId('enrollments-no-connection')).toContainText('Add one in Connections');
});

test('chips, the filter, the detail and a confirmed change on our side', async ({ page, saveScreenshot }) => {
  await mockBackend(page, { connections: everyKind });
  await page.goto('./#/enrollments');
  await expect(page.getByTestId('association-row')).toHaveCount(4);
  await expect(page.getByTestId('chip-stuck')).toContainText('Stuck 1');
  await expect(page.getByTestId('chip-all')).toContainText('All 4');
  await expect(page.locator('[data-testid="association-row"][data-state="stuck"]')).toContainText('Stuck');
  await expect(page.locator('[data-testid="association-row"][data-status="unknown"]')).toContainText('Unknown — check');
  await saveScreenshot('enrollments');

  await page.getByTestId('chip-stuck').locator('label').click();
  await expect.poll(async () => (await recordedCalls(page, 'enrollments_list')).at(-1)?.args).toMatchObject({ query: { filter: 'stuck' } });

  await page.getByTestId('association-open').first().click();
  const detail = page.getByTestId('association-detail-body');
  await expect(detail.getByTestId('timeline-event')).toHaveCount(2);
  await expect(detail.getByTestId('detail-advice')).toContainText('Contact the home institution');
  await detail.getByTestId('association-cancel').click();
  await expect(page.getByTestId('confirm-remote-state-text')).toHaveText(
    'The home institution will see that the enrollment is cancelled on our side: the student is no longer enrolled.',
  );
  await page.getByTestId('confirm-remote-state').click();
  await expect(page.getByText('The home institution has been told.')).toBeVisible();
  expect((await recordedCalls(page, 'enrollments_set_state'))[0]?.args).toMatchObject({ id: 1, remoteState: 'canceled' });
});
