import type { Page } from '@playwright/test';
// The Look up and One learner tabs against the mocked back end, for what the core cannot be made to
// do on demand: a slow live answer behind the mirror's, progress and Cancel, an unreachable LMS. The
// core's answers are canned per test (lookupFixtures.ts); which ids match and what counts as "not
// found" are the core's rules, tested in Rust and in real/learners.spec.ts.
import type { LearnerLinks, LookupRequest, LookupRowInput } from '../../src/bindings';
import {
  deniedError,
  DRIFTED_USERNAME,
  driftedRemoteId,
  idFile,
  remoteIdAt,
  unreachable,
  usernameAt,
  type LookupAnswers,
} from './fixtures';
import { FOUR_PROVIDERS, hoursAgo, liveRows, refused, result, row } from './lookupFixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function clipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

async function lookUp(page: Page, ids: string) {
  await page.getByTestId('lookup-input').fill(ids);
  await page.getByTestId('lookup-run').click();
}

function rows(page: Page) {
  return page.getByTestId('lookup-row');
}

/** Canned answers: nothing in the mirrors unless `cached` is given. */
function answers(live: LookupAnswers['live'], fields: Partial<LookupAnswers> = {}): LookupAnswers {
  return { cached: result([], { requests: 0 }), live, cancelled: null, progress: { rounds: 1, total: 1 }, ...fields };
}

test('Learners opens on Look up, which counts what is pasted and explains the modes', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./');
  await expect(page.getByTestId('tab-lookup')).toHaveAttribute('aria-selected', 'true');
  const input = page.getByTestId('lookup-input');
  await input.fill('learner0001, learner0002\n"learner0003"\tlearner0001;  learner0004');
  await expect(page.getByTestId('lookup-count')).toHaveText('4 identifiers');
  await expect(page.getByTestId('lookup-providers')).toBeVisible();

  await page.getByTestId('lookup-mode').getByText('Auto').click();
  await expect(page.getByTestId('lookup-mode-explanation')).toContainText(
    'Each identifier is tried both as a username and as a remote ID',
  );
  // Nothing is asked before Look up is pressed.
  expect(await recordedCalls(page, 'lookup_cached')).toHaveLength(0);
  expect(await recordedCalls(page, 'browse_mappings')).toHaveLength(0);
});

test('one learner: the mirror answers at once, then the live answer replaces it', async ({ page, saveScreenshot }) => {
  // Slow live answers, so the mirror's rows can be seen first.
  const fromMirror = [
    row(DRIFTED_USERNAME, driftedRemoteId('saml-demo-univ'), 'saml-demo-univ', 'cache', hoursAgo(3)),
    row(DRIFTED_USERNAME, driftedRemoteId('saml-partner'), 'saml-partner', 'cache', hoursAgo(26)),
  ];
  await mockBackend(page, {
    liveRoundMs: 1500,
    lookup: answers(result(liveRows([1]), { requests: 4 }), { cached: result(fromMirror, { requests: 0 }) }),
  });
  await page.goto('./');
  await lookUp(page, DRIFTED_USERNAME);

  // From the mirror: the two providers that were synced, with the old remote ID.
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'cache');
  await expect(rows(page).first()).toContainText(driftedRemoteId('saml-demo-univ'));
  await expect(rows(page).first()).toContainText('synced 3 h ago');
  await expect(page.getByTestId('lookup-summary')).toContainText('asking Open edX for the live answer');
  await expect(page.getByTestId('lookup-live-pending')).toBeVisible();
  await saveScreenshot('lookup-from-mirror');

  // Live: every watched provider, the current remote ID, and the mirror's rows are gone.
  await expect(rows(page)).toHaveCount(4, { timeout: 10_000 });
  for (const source of await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-source')))) {
    expect(source).toBe('live');
  }
  await expect(rows(page).filter({ hasText: 'saml-demo-univ' })).toContainText(remoteIdAt('saml-demo-univ', 1));
  await expect(rows(page).filter({ hasText: 'saml-demo-univ' })).toContainText('fetched just now');
  await expect(page.getByTestId('lookup-summary')).toHaveText(
    '1 identifier: 4 rows found, 0 not found · live answer from Open edX (4 requests)',
  );
  await expect(page.getByTestId('not-found')).toHaveCount(0);
  await saveScreenshot('lookup-live');

  const [cached] = await recordedCalls(page, 'lookup_cached');
  const [live] = await recordedCalls(page, 'lookup_live');
  const request: LookupRequest = {
    profile_id: 'demo-staff',
    providers: FOUR_PROVIDERS,
    ids: [DRIFTED_USERNAME],
    mode: 'username',
    chunk_size: null,
    concurrency: null,
  };
  expect(cached?.args).toEqual({ request });
  expect(live?.args.request).toEqual(request);
  expect(live?.args.onProgress).toMatch(/^__CHANNEL__:\d+$/);
  expect(live?.args.taskId).toMatch(/^[0-9a-f-]{36}$/);
});

test('not found identifiers are listed and copied; cells and rows copy too', async ({ page }) => {
  const notFound = { not_found: ['nobody', 'ghost-42'] };
  await mockBackend(page, { lookup: answers(result(liveRows([0, 4], ['saml-demo-univ']), notFound)) });
  await page.goto('./');
  // Only the first provider: Backspace takes off the last of the others, one at a time.
  const providers = page.getByTestId('lookup-providers');
  await providers.focus();
  for (let i = 0; i < 3; i++) await providers.press('Backspace');
  await page.keyboard.press('Escape');
  await lookUp(page, 'learner0001 nobody learner0005 ghost-42');

  await expect(page.getByTestId('lookup-summary')).toHaveText(
    '4 identifiers: 2 rows found, 2 not found · live answer from Open edX (1 request)',
  );
  const list = page.getByTestId('not-found');
  await expect(list).toContainText('Not found (2)');
  await expect(list.getByTestId('not-found-list')).toHaveText('nobody, ghost-42');
  await list.getByTestId('not-found-copy').click();
  await expect(list.getByTestId('not-found-copy')).toHaveText('Copied');
  expect(await clipboard(page)).toBe('nobody\nghost-42');

  const first = rows(page).first();
  await first.getByTestId('copy-cell').nth(1).click();
  expect(await clipboard(page)).toBe(remoteIdAt('saml-demo-univ', 0));
  await first.getByTestId('copy-row').click();
  expect(await clipboard(page)).toMatch(new RegExp(`^learner0001\\t${remoteIdAt('saml-demo-univ', 0)}\\tsaml-demo-univ\\tusername\\tlive\\t`));
});

test('the results export to CSV and Excel', async ({ page }) => {
  await mockBackend(page, { lookup: answers(result(liveRows([0, 1]), { requests: 4 })) });
  await page.goto('./');
  await lookUp(page, 'learner0001 learner0002');
  await expect(page.getByTestId('lookup-summary')).toContainText('live answer');

  await page.getByTestId('lookup-export-csv').click();
  await expect(page.getByText('Results exported')).toBeVisible();
  await expect(page.getByText('8 rows written to /home/staff/Documents/crosswalk-learners.csv')).toBeVisible();
  await page.getByTestId('lookup-export-xlsx').click();
  await expect(page.getByText('8 rows written to /home/staff/Documents/crosswalk-learners.xlsx')).toBeVisible();

  const calls = await recordedCalls(page, 'export_lookup');
  expect(calls.map((c) => c.args.format)).toEqual(['csv', 'xlsx']);
  const exported = calls[0]?.args.rows as LookupRowInput[];
  expect(exported).toHaveLength(8);
  expect(exported[0]).toMatchObject({
    username: 'learner0001',
    remote_id: remoteIdAt('oa2-google-oauth2', 0),
    provider_id: 'oa2-google-oauth2',
    matched_by: 'username',
    source: 'live',
  });
});

test('a bulk lookup shows its progress, and Cancel keeps what arrived', async ({ page, saveScreenshot }) => {
  // 80 chunks, four per round: at 400 ms a round the run lasts ~8 s, so a busy machine still
  // reaches Cancel before the lookup ends on its own.
  const ids = Array.from({ length: 1000 }, (_, i) => usernameAt(i));
  const first = Array.from({ length: 50 }, (_, i) => i);
  await mockBackend(page, {
    liveRoundMs: 400,
    lookup: answers(result([]), {
      cached: result(liveRows(first, ['saml-demo-univ']).map((r) => ({ ...r, source: 'cache', as_of: hoursAgo(3) })), { requests: 0 }),
      cancelled: result(liveRows(first, ['saml-partner']), {
        cancelled: true,
        requests: 4,
        not_checked: FOUR_PROVIDERS.map((p) => ({ provider_id: p, reason: 'not asked: the lookup was cancelled first', ids: ids.slice(50) })),
      }),
      progress: { rounds: 20, total: 4000 },
    }),
  });
  await page.goto('./');
  await page.getByTestId('lookup-input').fill(ids.join('\n'));
  await expect(page.getByTestId('lookup-count')).toContainText('1,000 identifiers · a bulk lookup');
  await page.getByTestId('lookup-run').click();

  const progress = page.getByTestId('lookup-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(/[\d,]+ of 4,000 identifiers \(1,000 on each of 4 providers\) · \d+ requests · /);
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await expect(progress).toContainText(/about \d+ s left|almost done/);
  await saveScreenshot('lookup-bulk-progress');

  await progress.getByTestId('lookup-cancel').click();
  await expect(page.getByTestId('lookup-cancelled')).toContainText('You cancelled the lookup');
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('lookup-summary')).toContainText('1,000 identifiers: cancelled');
  await expect(rows(page).first()).toBeVisible();
  await saveScreenshot('lookup-bulk-cancelled');

  const [live] = await recordedCalls(page, 'lookup_live');
  const [cancel] = await recordedCalls(page, 'cancel_task');
  expect(cancel?.args).toEqual({ taskId: live?.args.taskId });
  // Some live rows arrived before the cancel, and the mirror fills in the rest.
  const sources = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="lookup-row"]')].map((el) => el.getAttribute('data-source')),
  );
  expect(sources).toContain('live');
});

test('offline, the mirror’s rows stay and the notice says how old they are', async ({ page, saveScreenshot }) => {
  const fromMirror = [
    row('learner0001', remoteIdAt('saml-demo-univ', 0), 'saml-demo-univ', 'cache', hoursAgo(3)),
    row('learner0001', remoteIdAt('saml-partner', 0), 'saml-partner', 'cache', hoursAgo(26)),
  ];
  await mockBackend(page, {
    failures: { lookup_live: { times: 1, error: unreachable } },
    lookup: answers(result([]), { cached: result(fromMirror, { requests: 0 }) }),
  });
  await page.goto('./');
  await lookUp(page, 'learner0001');
  await expect(page.getByTestId('lookup-offline')).toContainText(
    `Showing the local mirror from 1 d ago: the LMS could not be reached — ${unreachable.message}`,
  );
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'cache');
  await expect(page.getByTestId('lookup-summary')).toContainText('no live answer from Open edX');
  await saveScreenshot('lookup-offline');
});

test('requests a client may not make are reported, and the rest is kept', async ({ page }) => {
  const live = liveRows([0], ['saml-demo-univ', 'oa2-google-oauth2']);
  await mockBackend(page, {
    lookup: answers(result(live, { requests: 4, ...refused(['saml-partner', 'saml-very-long-provider-name'], ['learner0001']) })),
  });
  await page.goto('./');
  await page.getByTestId('lookup-connection').click();
  await page.getByRole('option', { name: 'Demo LMS (restricted application) (demo)' }).click();
  await lookUp(page, 'learner0001');
  const errors = page.getByTestId('lookup-errors');
  await expect(errors).toContainText('Some requests to Open edX failed');
  await expect(errors).toContainText(`saml-partner: ${deniedError.message}`);
  await expect(errors).toContainText(`saml-very-long-provider-name: ${deniedError.message}`);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('lookup-summary')).toContainText('some requests failed');
});

test('Import CSV/Excel fills the box and takes the mode from the column header', async ({ page }) => {
  const now = new Date().toISOString();
  const found = [
    row(usernameAt(0), idFile.ids[0] ?? '', 'saml-demo-univ', 'live', now, 'remote_id'),
    row(usernameAt(1), idFile.ids[1] ?? '', 'saml-demo-univ', 'live', now, 'remote_id'),
  ];
  await mockBackend(page, { lookup: answers(result(found, { not_found: [idFile.ids[2] ?? ''] })) });
  await page.goto('./');
  await page.getByTestId('lookup-import').click();
  await expect(page.getByTestId('lookup-input')).toHaveValue(idFile.ids.join('\n'));
  await expect(page.getByTestId('lookup-count')).toHaveText('3 identifiers');
  await expect(page.getByTestId('lookup-mode').getByRole('radio', { name: 'Remote ID' })).toBeChecked();
  await expect(page.getByText(`3 identifiers from ${idFile.file}`)).toBeVisible();

  await page.getByTestId('lookup-run').click();
  await expect(page.getByTestId('lookup-summary')).toContainText('3 identifiers: 2 rows found, 1 not found');
  await expect(rows(page).first()).toContainText('Remote ID');
  await expect(page.getByTestId('not-found-list')).toHaveText('demo-univ-9999999');
  expect((await recordedCalls(page, 'lookup_live'))[0]?.args.request).toMatchObject({ mode: 'remote_id' });
});

test('One learner lists every provider link, and says when the live answer is missing', async ({ page, saveScreenshot }) => {
  const username = usernameAt(0);
  const learnerLinks: Record<string, LearnerLinks> = {
    'demo-staff': {
      username,
      links: FOUR_PROVIDERS.map((p) => ({ provider_id: p, remote_id: remoteIdAt(p, 0), name: `Provider ${p}`, source: 'live' })),
      live_note: '',
    },
    'demo-restricted': {
      username,
      links: [{ provider_id: 'saml-demo-univ', remote_id: remoteIdAt('saml-demo-univ', 0), name: null, source: 'cache' }],
      live_note:
        "Only a privileged client (a staff application with Bearer tokens, or an API key) may ask the LMS for another user's links; showing the mirrors only.",
    },
  };
  await mockBackend(page, { learnerLinks });
  await page.goto('./');
  await page.getByTestId('tab-learner').click();
  await page.getByTestId('learner-input').fill(usernameAt(0));
  await page.getByTestId('learner-run').click();
  const links = page.getByTestId('learner-links-row');
  await expect(links).toHaveCount(4);
  await expect(links.first()).toHaveAttribute('data-source', 'live');
  await expect(page.getByTestId('learner-live-note')).toHaveCount(0);
  await saveScreenshot('learner-links');
  expect((await recordedCalls(page, 'learner_links'))[0]?.args).toEqual({
    connectionId: 'demo-staff',
    username: usernameAt(0),
  });

  await page.getByTestId('learner-connection').click();
  await page.getByRole('option', { name: 'Demo LMS (restricted application) (demo)' }).click();
  await page.getByTestId('learner-run').click();
  await expect(page.getByTestId('learner-live-note')).toContainText('Only a privileged client');
  await expect(links).toHaveCount(1);
  await expect(links.first()).toHaveAttribute('data-source', 'cache');
  await expect(links.first()).toContainText(remoteIdAt('saml-demo-univ', 0));
});

test('identifiers with markup are shown as text, never run as HTML', async ({ page }) => {
  // Identifiers split on spaces, so the markup uses none (`/` separates attributes in HTML).
  const hostile = '<img/src=x/onerror=window.__pwned=1>';
  await mockBackend(page, { lookup: answers(result([], { not_found: [hostile, '<b>bold</b>'] })) });
  await page.goto('./');
  await lookUp(page, `${hostile}\n<b>bold</b>`);
  const list = page.getByTestId('not-found-list');
  await expect(list).toHaveText(`${hostile}, <b>bold</b>`);
  await expect(page.getByTestId('not-found').locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
