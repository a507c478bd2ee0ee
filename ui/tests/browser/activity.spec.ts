import type { ActivityQuery } from '../../src/bindings';
import { activity } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

async function lastQuery(page: Parameters<typeof recordedCalls>[0]): Promise<ActivityQuery> {
  const calls = await recordedCalls(page, 'list_activity');
  const last = calls.at(-1);
  if (!last) throw new Error('list_activity was never called');
  return last.args.query as ActivityQuery;
}

test.beforeEach(async ({ page }) => {
  await mockBackend(page);
});

test('Activity lists every entry, newest first, with its details', async ({ page }) => {
  await page.goto('./#/activity');
  const rows = page.getByTestId('activity-row');
  await expect(rows.first()).toContainText('browse_mappings');
  await expect(rows.first()).toContainText('jsmith');
  await expect(rows.first()).toContainText('2 minutes ago');
  await expect(rows.first()).toContainText('App');
  await expect(page.getByTestId('activity-count')).toHaveText(`${activity.length} of ${activity.length} entries`);
  await expect(page.getByTestId('screen-explanation')).toContainText('never contain passwords');
  expect(await lastQuery(page)).toEqual({ text: null, action: null, outcome: null, since: null, limit: 500 });
});

test('the filters send the right query', async ({ page }) => {
  await page.goto('./#/activity');
  await expect(page.getByTestId('activity-row').first()).toBeVisible();

  // Search waits until typing stops, then asks once.
  const before = (await recordedCalls(page, 'list_activity')).length;
  await page.getByTestId('activity-search').pressSequentially('token', { delay: 30 });
  await expect.poll(async () => (await lastQuery(page)).text).toBe('token');
  const typed = (await recordedCalls(page, 'list_activity')).slice(before);
  expect(typed.filter((c) => (c.args.query as ActivityQuery).text !== 'token')).toHaveLength(0);
  await expect(page.getByTestId('activity-count')).toHaveText('5 of 5 entries matching your filters');

  await page.getByTestId('activity-search').fill('');
  await page.getByTestId('activity-action').click();
  await page.getByRole('option', { name: 'fetch_token' }).click();
  await expect.poll(async () => (await lastQuery(page)).action).toBe('fetch_token');
  await expect(page.getByTestId('activity-count')).toHaveText('5 of 5 entries matching your filters');

  await page.getByTestId('activity-outcome').getByText('Errors').click();
  await expect.poll(async () => (await lastQuery(page)).outcome).toBe('error');
  await expect(page.getByTestId('activity-count')).toHaveText('2 of 2 entries matching your filters');
  await expect(page.getByTestId('outcome-badge').first()).toHaveText('Error');

  await page.getByTestId('activity-since').click();
  await page.getByRole('option', { name: 'Last hour' }).click();
  await expect.poll(async () => (await lastQuery(page)).since).not.toBeNull();
  const query = await lastQuery(page);
  expect(query).toMatchObject({ text: null, action: 'fetch_token', outcome: 'error', limit: 500 });
  const hourAgo = Date.now() - 3_600_000;
  expect(Math.abs(Date.parse(query.since ?? '') - hourAgo)).toBeLessThan(60_000);
  await expect(page.getByTestId('activity-count')).toHaveText('0 of 0 entries matching your filters');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
});

test('Activity refreshes by itself while it is on screen', async ({ page }) => {
  await page.goto('./#/activity');
  await expect(page.getByTestId('activity-row').first()).toBeVisible();
  const first = (await recordedCalls(page, 'list_activity')).length;
  await expect
    .poll(async () => (await recordedCalls(page, 'list_activity')).length, { timeout: 12_000 })
    .toBeGreaterThan(first);
});

test('Open logs folder asks the back end and confirms', async ({ page }) => {
  await page.goto('./#/activity');
  await page.getByTestId('open-logs').click();
  await expect(page.getByText('Logs folder opened')).toBeVisible();
  expect(await recordedCalls(page, 'open_logs_folder')).toHaveLength(1);
});

test('when opening the logs folder fails, the message says why', async ({ page }) => {
  await mockBackend(page, {
    failures: {
      open_logs_folder: {
        times: 1,
        error: { code: 'io', message: 'No file manager is installed. The logs are in /home/staff/.local/share/crosswalk/logs.' },
      },
    },
  });
  await page.goto('./#/activity');
  await page.getByTestId('open-logs').click();
  await expect(page.getByText('Could not open the logs folder')).toBeVisible();
  await expect(page.getByText('No file manager is installed.')).toBeVisible();
});
