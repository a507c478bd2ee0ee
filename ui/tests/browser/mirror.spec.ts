// The Mirror tab against the mocked back end, for what the core cannot be made to do on demand:
// a slow sync to watch, a cancel at a given page, a refused provider. What a sync finds and what a
// search matches are canned (fixtures.ts); the core's own are tested in real/learners.spec.ts.
import type { Page } from '@playwright/test';
import { deniedError, remoteIdAt, usernameAt } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

async function openMirror(page: Page) {
  await page.goto('./');
  await page.getByTestId('tab-mirror').click();
}

function provider(page: Page, id: string) {
  return page.locator(`[data-testid="mirror-provider"][data-provider="${id}"]`);
}

test('the mirror tab shows every watched provider’s copy and explains itself', async ({ page, saveScreenshot }) => {
  await mockBackend(page);
  await openMirror(page);
  await expect(page.getByTestId('mirror-provider')).toHaveCount(4);
  await expect(page.getByTestId('tab-explanation').filter({ visible: true })).toContainText(
    'a sync that fails or is cancelled leaves the previous copy untouched',
  );
  const univ = provider(page, 'saml-demo-univ');
  await expect(univ.getByTestId('mirror-size')).toContainText('3,000 learners in the mirror');
  await expect(univ.getByTestId('mirror-last-sync')).toHaveText('last synced 3 h ago');
  await expect(provider(page, 'oa2-google-oauth2').getByTestId('mirror-last-sync')).toContainText('never synced');
  // The history of the first provider, newest first.
  const history = page.getByTestId('sync-history-row');
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toHaveAttribute('data-status', 'done');
  await expect(history.nth(1)).toHaveAttribute('data-status', 'failed');
  await expect(history.nth(1)).toContainText('The mirror before this sync was kept.');
  await saveScreenshot('mirror');
});

test('Sync now shows its progress, then the new copy, its history entry and what it changed', async ({
  page,
  saveScreenshot,
}) => {
  await mockBackend(page, { syncPageMs: 70 });
  await openMirror(page);
  const univ = provider(page, 'saml-demo-univ');
  await univ.getByTestId('sync-now').click();

  const progress = univ.getByTestId('sync-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByTestId('sync-progress-text')).toContainText(/Syncing: Page \d+ of 31 · [\d,]+ of 3,003 learners/);
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await saveScreenshot('mirror-sync-progress');

  const outcome = univ.getByTestId('sync-outcome');
  await expect(outcome).toHaveAttribute('data-kind', 'done', { timeout: 10_000 });
  await expect(outcome).toContainText('3,003 learners copied: 3 added, 0 removed, 1 changed.');
  await expect(univ.getByTestId('mirror-size')).toContainText('3,003 learners in the mirror');
  await expect(univ.getByTestId('mirror-last-sync')).toHaveText('last synced just now');

  const history = page.getByTestId('sync-history-row');
  await expect(history).toHaveCount(4);
  await history.first().click();
  const diff = page.getByTestId('sync-diff');
  await expect(diff).toBeVisible();
  await expect(diff.getByTestId('sync-change-count')).toHaveText('4 changes');
  await expect(diff.getByTestId('sync-change-row')).toHaveCount(4);
  const changed = diff.getByTestId('sync-change-row').filter({ hasText: 'changed' });
  await expect(changed).toContainText('learner0002');
  await expect(changed).toContainText(remoteIdAt('saml-demo-univ', 1));
  await saveScreenshot('mirror-sync-diff');

  const [sync] = await recordedCalls(page, 'sync_provider');
  expect(sync?.args).toMatchObject({ connectionId: 'demo-staff', providerId: 'saml-demo-univ' });
  expect(sync?.args.taskId).toMatch(/^[0-9a-f-]{36}$/);
  expect(sync?.args.onProgress).toMatch(/^__CHANNEL__:\d+$/);
});

test('a cancelled sync says the previous copy is kept', async ({ page }) => {
  await mockBackend(page, { syncPageMs: 250 });
  await openMirror(page);
  const univ = provider(page, 'saml-demo-univ');
  await univ.getByTestId('sync-now').click();
  await expect(univ.getByTestId('sync-progress-text')).toContainText('Page 1 of 31');
  await univ.getByTestId('sync-cancel').click();
  const outcome = univ.getByTestId('sync-outcome');
  await expect(outcome).toHaveAttribute('data-kind', 'cancelled');
  await expect(outcome).toContainText('The previous copy of the mirror is kept as it was.');
  await expect(univ.getByTestId('mirror-size')).toContainText('3,000 learners in the mirror');
  await expect(page.getByTestId('sync-history-row').first()).toHaveAttribute('data-status', 'cancelled');
  const [sync] = await recordedCalls(page, 'sync_provider');
  expect((await recordedCalls(page, 'cancel_task'))[0]?.args).toEqual({ taskId: sync?.args.taskId });
});

test('a failed sync shows the back end’s message', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./');
  await page.getByTestId('tab-mirror').click();
  await page.getByTestId('mirror-connection').click();
  await page.getByRole('option', { name: 'Demo LMS (restricted application) (demo)' }).click();
  const partner = provider(page, 'saml-partner');
  await expect(partner.getByTestId('mirror-last-sync')).toContainText('never synced');
  await partner.getByTestId('sync-now').click();
  const outcome = partner.getByTestId('sync-outcome');
  await expect(outcome).toHaveAttribute('data-kind', 'failed');
  await expect(outcome).toContainText(deniedError.message);
  await expect(outcome).toContainText('The previous copy of the mirror is kept as it was.');
});

test('searching the mirror waits for three characters and for typing to stop', async ({ page, saveScreenshot }) => {
  // The core's answers, canned: what matches is its search (tested in Rust and real/learners.spec.ts).
  const nine = (provider: string) =>
    Array.from({ length: 9 }, (_, i) => ({ username: usernameAt(i), remote_id: remoteIdAt(provider, i) }));
  await mockBackend(page, {
    mirrorSearch: {
      'saml-demo-univ:learner000': nine('saml-demo-univ'),
      'saml-partner:learner000': nine('saml-partner'),
      'saml-partner:partner-2000007': [],
    },
  });
  await openMirror(page);
  const search = page.getByTestId('mirror-search');
  await search.pressSequentially('le', { delay: 40 });
  await page.waitForTimeout(500);
  expect(await recordedCalls(page, 'search_mirror')).toHaveLength(0);

  await search.pressSequentially('arner000', { delay: 40 });
  await expect(page.getByTestId('mirror-search-count')).toHaveText('9 matches in the mirror');
  await expect(page.getByTestId('mirror-search-row')).toHaveCount(9);
  const calls = await recordedCalls(page, 'search_mirror');
  expect(calls.map((c) => c.args.text)).toEqual(['learner000']);
  expect(calls[0]?.args).toMatchObject({ connectionId: 'demo-staff', providerId: 'saml-demo-univ' });
  await saveScreenshot('mirror-search');

  // Another provider's mirror.
  await page.getByTestId('mirror-provider-select').click();
  await page.getByRole('option', { name: 'saml-partner', exact: true }).click();
  await expect(page.getByTestId('mirror-search-count')).toHaveText('9 matches in the mirror');
  expect((await recordedCalls(page, 'search_mirror')).at(-1)?.args).toMatchObject({ providerId: 'saml-partner' });
  await page.getByTestId('mirror-search').fill('partner-2000007');
  await expect(page.getByTestId('mirror-search-count')).toHaveText('0 matches in the mirror');
});

test('the periodic sync is a schedule the core keeps: switching it on saves it there', async ({ page }) => {
  await mockBackend(page);
  await openMirror(page);
  const toggle = page.getByTestId('mirror-schedule');
  await expect(toggle).not.toBeChecked();

  await toggle.click(); // the switch follows the saved schedule, once the core has it
  await expect.poll(async () => (await recordedCalls(page, 'jobs_set')).at(-1)?.args).toMatchObject({
    kind: 'mirror_sync',
    connectionId: 'demo-staff',
    everyMinutes: 360,
    enabled: true,
  });
  await expect(toggle).toBeChecked();
  await expect(page.getByTestId('mirror-schedule-note')).toContainText('Next run');
  // The webview syncs nothing by itself: the core runs the schedule.
  expect(await recordedCalls(page, 'sync_provider')).toHaveLength(0);
});

test('a schedule an older version kept in the browser moves to the core once', async ({ page }) => {
  await page.addInitScript(() =>
    window.localStorage.setItem('crosswalk.mirrorSchedules', JSON.stringify({ 'demo-staff': { enabled: true, hours: 12 } })),
  );
  await mockBackend(page);
  await openMirror(page);
  await expect.poll(async () => (await recordedCalls(page, 'jobs_set')).at(-1)?.args).toMatchObject({
    kind: 'mirror_sync',
    connectionId: 'demo-staff',
    everyMinutes: 720,
    enabled: true,
  });
  await expect(page.getByTestId('mirror-schedule')).toBeChecked();
});
