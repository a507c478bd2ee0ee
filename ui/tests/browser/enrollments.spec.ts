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

test('the create form starts from the last offering used, saves a template without sending, and deletes one after asking', async ({
  page,
}) => {
  await mockBackend(page, { connections: everyKind });
  await page.goto('./#/enrollments');
  await page.getByTestId('enrollments-new').click();
  const form = page.getByTestId('new-association');
  // The saved template is picked and its JSON is in the offering field.
  await expect(form.getByTestId('new-template')).toHaveValue('DS-101-2027 — Introduction to Data Science (2027-02-01 to 2027-06-30)');
  await expect(form.getByTestId('new-offering')).toHaveValue(/"offeringId": "ds-101-2027"/);

  // The example instead; saving it as a template sends nothing and picks the new template.
  await form.getByTestId('new-template').click();
  await page.getByRole('option', { name: 'Example offering (edit it into yours)' }).click();
  await expect(form.getByTestId('new-offering')).toHaveValue(/"offeringId": "example-offering"/);
  await expect(form.getByTestId('delete-template')).toBeDisabled();
  await form.getByTestId('save-template').click();
  await expect(page.getByText('Template saved')).toBeVisible();
  expect((await recordedCalls(page, 'enrollments_save_template'))[0]?.args).toMatchObject({
    connectionId: 'partner',
    template: { offering: { offeringId: 'example-offering' } },
  });
  expect(await recordedCalls(page, 'enrollments_create')).toHaveLength(0);
  await expect(form.getByTestId('new-template')).toHaveValue('EX-1');

  // Deleting asks first, then the form is back on the example.
  await form.getByTestId('delete-template').click();
  await page.getByTestId('confirm-delete-template').click();
  await expect.poll(async () => (await recordedCalls(page, 'enrollments_delete_template'))[0]?.args).toMatchObject({
    connectionId: 'partner',
    offeringId: 'example-offering',
  });
  await expect(form.getByTestId('new-template')).toHaveValue('Example offering (edit it into yours)');
});

test('a pasted student token is sent to the core, never shown again, and offered as the student in the create form', async ({ page }) => {
  await mockBackend(page, { connections: everyKind });
  await page.goto('./#/enrollments');
  await page.getByTestId('student-token-paste').click();
  const secret = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ6b2UifQ.c2VjcmV0LXNpZ25hdHVyZQ';
  await page.getByTestId('student-token-input').fill(`Bearer ${secret}`);
  await page.getByTestId('student-token-save').click();
  await expect(page.getByTestId('student-token')).toContainText('Acting for Zoë de Vries');
  expect((await recordedCalls(page, 'enrollments_paste_student_token'))[0]?.args).toMatchObject({ connectionId: 'partner' });
  // Nothing on the page holds the token once it is kept.
  expect(await page.content()).not.toContain(secret);

  await page.getByTestId('enrollments-new').click();
  await page.getByTestId('new-use-student').getByRole('button', { name: 'Use this student' }).click();
  await expect(page.getByTestId('new-person-id')).toHaveValue('p-zoe');
  await page.keyboard.press('Escape');

  await page.getByTestId('student-token-remove').click();
  await expect(page.getByTestId('student-token-paste')).toBeVisible();
  expect(await recordedCalls(page, 'enrollments_forget_student_token')).toHaveLength(1);
});
