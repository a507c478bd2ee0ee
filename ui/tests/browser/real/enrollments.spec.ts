// Enrollments against the real core and the sandbox's home institution (OOAPI v5): the demo
// ledger's associations are read from the home side, counted and filtered by the core, and a
// change on our side is sent as a PATCH and recorded in the timeline.
import { realCore } from '../realCore';
import { expect, test } from '../test';

test('check pending now reads every association; a cancel on our side reaches the home institution', async ({ page }) => {
  test.setTimeout(90_000);
  await realCore(page);
  await page.goto('./#/enrollments');
  await expect(page.getByTestId('chip-all')).toContainText('All 36');

  await page.getByTestId('enrollments-poll').click();
  await expect(page.getByTestId('poll-summary')).toHaveText('36 associations checked, 0 changes', { timeout: 60_000 });
  const chips: [string, string][] = [
    ['pending', 'Pending 11'],
    ['queued', 'Queued 3'],
    ['denied', 'Denied 3'],
    ['stuck', 'Stuck 3'],
  ];
  for (const [chip, text] of chips) {
    await expect(page.getByTestId(`chip-${chip}`)).toContainText(text);
  }

  // The core's filter: only the stuck ones.
  await page.getByTestId('chip-stuck').locator('label').click();
  await expect(page.getByTestId('association-row')).toHaveCount(3);
  for (const state of await page.getByTestId('association-state').allInnerTexts()) expect(state).toBe('STUCK');

  // An approved one, cancelled on our side.
  await page.getByTestId('chip-all').locator('label').click();
  await expect(page.locator('[data-testid="association-row"][data-state="stuck"]')).toHaveCount(3);
  await expect(page.getByTestId('association-row')).not.toHaveCount(3);
  const approved = page.locator('[data-testid="association-row"][data-state="associated"]').first();
  await approved.getByTestId('association-open').click();
  const detail = page.getByTestId('association-detail-body');
  await expect(detail).toBeVisible();
  await expect(detail).toContainText('The home institution approved: the student is enrolled.');
  const before = await detail.getByTestId('timeline-event').count();
  await detail.getByTestId('association-cancel').click();
  await expect(page.getByTestId('confirm-remote-state-text')).toHaveText(
    'The home institution will see that the enrollment is cancelled on our side: the student is no longer enrolled.',
  );
  await page.getByTestId('confirm-remote-state').click();
  // The change and the home institution's answer to it, in the timeline.
  await expect(detail.getByTestId('timeline-event')).toHaveCount(before + 1, { timeout: 20_000 });
  const event = detail.getByTestId('timeline-event').last();
  await expect(event).toContainText('Us: remoteState associated → canceled');
  await expect(event).toContainText('“Your home institution has recorded the change.”');
  await expect(detail.getByTestId('detail-remote-state')).toContainText(/canceled/i);
  await expect(detail.getByRole('button', { name: 'Cancel on our side' })).toBeDisabled();
});
