import type { Page } from '@playwright/test';
import type { LaunchRequest } from '../../src/bindings';
import type { MockConfig } from './fixtures';
import {
  ADA,
  ALAN,
  ROSTER_FILE,
  SAVE_PATH,
  SIGNING_SECRET,
  STRANGER,
  withLaunch,
  type LaunchMock,
} from './launchFixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

async function openLaunch(page: Page, launch: Partial<LaunchMock> = {}, overrides: Partial<MockConfig> = {}) {
  await mockBackend(page, withLaunch(launch, overrides));
  await page.goto('./#/launch');
  await expect(page.getByTestId('screen-title')).toHaveText('Launch');
}

/** Where the mock sent each signed launch: 'browser', 'clipboard' or a saved file's path. */
async function launchDestinations(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      (window as unknown as { __CROSSWALK_MOCK__: { launchDestinations?: string[] } }).__CROSSWALK_MOCK__
        .launchDestinations ?? [],
  );
}

/** The signature the mock signs with never reaches the page: not its DOM, inputs or storage. */
async function expectNoSignatureInPage(page: Page) {
  expect(await page.content()).not.toContain(SIGNING_SECRET);
  const kept = await page.evaluate(() =>
    JSON.stringify({
      text: document.body.innerText,
      inputs: [...document.querySelectorAll('input, textarea')].map((el) => (el as HTMLInputElement).value),
      local: { ...localStorage },
      session: { ...sessionStorage },
    }),
  );
  expect(kept).not.toContain(SIGNING_SECRET);
}

async function findLearner(page: Page, externalId: string) {
  await page.getByTestId('launch-external-id').fill(externalId);
  await page.getByTestId('launch-find').click();
}

function requestFor(patch: Partial<LaunchRequest>): LaunchRequest {
  return {
    profile_id: 'demo-openlearning',
    user: { by: 'external_id', id: ADA.external_id },
    class_id: null,
    context_id: null,
    email: null,
    full_name: null,
    ...patch,
  };
}

test('finds a learner by external id, remembers them, and picks learners found before', async ({
  page,
  saveScreenshot,
}) => {
  await openLaunch(page);
  await expect(page.getByTestId('launch-connection')).toHaveValue('Demo OpenLearning (demo)');
  await expect(page.getByTestId('launch-security')).toContainText('expires after 60 seconds');
  await expect(page.getByTestId('launch-known-user')).toHaveCount(1);
  await expect(page.getByTestId('launch-known-user')).toContainText(ALAN.full_name);
  // No learner yet: nothing can be launched.
  await expect(page.getByTestId('launch-open')).toBeDisabled();
  await expect(page.getByTestId('launch-buttons-hint')).toHaveText("Type the learner's external id first.");

  await findLearner(page, ADA.external_id);
  const found = page.getByTestId('launch-found-user');
  await expect(found).toContainText(ADA.full_name);
  await expect(page.getByTestId('launch-found-user-id')).toHaveText(ADA.user_id);
  await expect(page.getByTestId('launch-found-email')).toHaveText(ADA.email);
  expect((await recordedCalls(page, 'openlearning_find_user')).map((c) => c.args)).toEqual([
    { connectionId: 'demo-openlearning', externalId: ADA.external_id, taskId: expect.any(String) },
  ]);
  // Found learners are remembered, newest first.
  await expect(page.getByTestId('launch-known-user')).toHaveCount(2);
  await expect(page.getByTestId('launch-known-user').first()).toHaveAttribute('data-external-id', ADA.external_id);
  await expect(page.getByTestId('launch-known-user').first()).toHaveAttribute('data-active', 'true');
  await saveScreenshot('launch-found');

  // Another id hides what was found for the first; Enter finds too; an unknown id says why.
  await page.getByTestId('launch-external-id').fill(STRANGER);
  await expect(found).toHaveCount(0);
  await page.getByTestId('launch-external-id').press('Enter');
  await expect(page.getByTestId('launch-find-error')).toContainText(
    `No OpenLearning user has external id "${STRANGER}" in institution "demo-institution".`,
  );

  // A learner found before is picked from the keyboard.
  await page.getByTestId('launch-known-user').filter({ hasText: ALAN.external_id }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('launch-external-id')).toHaveValue(ALAN.external_id);
  await expect(found).toContainText(ALAN.full_name);
  await expect(page.getByTestId('launch-find-error')).toHaveCount(0);
  // Finding makes no launch.
  expect(await launchDestinations(page)).toEqual([]);
});

test('Open in browser makes a fresh launch on every press and says when its link expires', async ({
  page,
  saveScreenshot,
}) => {
  await openLaunch(page);
  await findLearner(page, ADA.external_id);
  await expect(page.getByTestId('launch-found-user')).toContainText(ADA.full_name);

  await page.getByTestId('launch-class-id').fill('class-101');
  await expect(page.getByTestId('launch-context-wins')).toHaveCount(0);
  await page.getByTestId('launch-context-id').fill(' BIO101-2025-S1 ');
  await expect(page.getByTestId('launch-context-wins')).toContainText(
    'The context id wins: OpenLearning ignores the class id',
  );

  await page.getByTestId('launch-open').click();
  const result = page.getByTestId('launch-result');
  await expect(result).toHaveAttribute('data-action', 'open');
  await expect(result).toContainText('Opened in your browser');
  await expect(page.getByTestId('launch-expiry')).toHaveText(/^The link works once and expires at \d{1,2}:\d{2}:\d{2}/);
  await expect(page.getByTestId('launch-result-who')).toHaveText(
    `OpenLearning user ${ADA.user_id}, into context BIO101-2025-S1.`,
  );
  await expect(page.getByTestId('launch-notes')).toContainText('OpenLearning uses the context id and ignores the class id');
  await saveScreenshot('launch-opened');

  expect((await recordedCalls(page, 'launch_open')).map((c) => c.args)).toEqual([
    { request: requestFor({ class_id: 'class-101', context_id: 'BIO101-2025-S1' }), taskId: expect.any(String) },
  ]);

  // Nothing is reused: every press is a new launch, straight to the browser.
  await page.getByTestId('launch-open').click();
  await expect.poll(async () => (await recordedCalls(page, 'launch_open')).length).toBe(2);
  await expect(result).toContainText('Opened in your browser');
  expect(await launchDestinations(page)).toEqual(['browser', 'browser']);
  await expectNoSignatureInPage(page);
});

test('Show parameters masks the signature and nonce, and the signature never reaches the page', async ({
  page,
  saveScreenshot,
}) => {
  await openLaunch(page);
  await page.getByTestId('launch-id-mode').getByText('OpenLearning user id').click();
  await page.getByTestId('launch-user-id').fill(ALAN.user_id);
  await page.getByTestId('launch-email').fill('alan.turing@student.example.edu');
  await page.getByTestId('launch-full-name').fill('Alan Turing');
  await page.getByTestId('launch-show-params').click();

  const params = page.getByTestId('launch-params');
  await expect(params).toBeVisible();
  const signature = params.locator('[data-name="oauth_signature"]');
  await expect(signature).toHaveAttribute('data-masked', 'true');
  await expect(signature.getByTestId('launch-param-value')).toHaveText('••••••');
  await expect(signature.getByTestId('launch-param-hidden')).toHaveText('hidden');
  await expect(params.locator('[data-name="oauth_nonce"] [data-testid="launch-param-value"]')).toHaveText('••••••');
  // Masked values have nothing to copy; the others do.
  // Which names are masked is the core's rule (`is_secret_param`), checked against the core itself in
  // real/launch.spec.ts; here, that masked values show as dots and offer nothing to copy.
  await expect(params.locator('[data-masked="true"]')).toHaveCount(2);
  await expect(params.locator('[data-masked="true"] [data-testid="launch-param-copy"]')).toHaveCount(0);
  await expect(params.locator('[data-name="user_id"] [data-testid="launch-param-value"]')).toHaveText(ALAN.user_id);
  await expect(params.locator('[data-name="lis_person_name_full"]')).toContainText('Alan Turing');
  await expect(page.getByTestId('launch-action-url')).toHaveText('https://www.openlearning.example/lti/launch/');
  expect((await recordedCalls(page, 'launch_show'))[0]?.args).toEqual({
    request: requestFor({
      user: { by: 'user_id', id: ALAN.user_id },
      email: 'alan.turing@student.example.edu',
      full_name: 'Alan Turing',
    }),
    taskId: expect.any(String),
  });
  // A launch made only to be shown goes nowhere.
  expect(await launchDestinations(page)).toEqual([]);
  await expectNoSignatureInPage(page);
  await saveScreenshot('launch-parameters');

  // Copy HTML and Save HTML… hand the launch to the clipboard and a file, never to the page.
  await page.getByTestId('launch-copy-html').click();
  await expect(page.getByTestId('launch-result')).toHaveAttribute('data-action', 'copy');
  await expect(page.getByTestId('launch-result')).toContainText('Launch HTML copied to the clipboard');
  await expect(page.getByTestId('launch-result')).toContainText('It works once, for whoever posts it first');
  await expect(page.getByTestId('launch-params')).toHaveCount(0);

  await page.getByTestId('launch-save-html').click();
  await expect(page.getByTestId('launch-result')).toHaveAttribute('data-action', 'save');
  await expect(page.getByTestId('launch-saved-path')).toHaveText(SAVE_PATH);
  expect(await launchDestinations(page)).toEqual(['clipboard', SAVE_PATH]);
  await expectNoSignatureInPage(page);
});

test('closing the save dialog makes no launch', async ({ page }) => {
  await openLaunch(page, { savePath: null });
  await page.getByTestId('launch-external-id').fill(ADA.external_id);
  await page.getByTestId('launch-save-html').click();
  await expect(page.getByText('You closed the save dialog, so no launch was made.')).toBeVisible();
  await expect(page.getByTestId('launch-result')).toHaveCount(0);
  expect(await launchDestinations(page)).toEqual([]);
});

test('a refused launch shows OpenLearning’s message, and the next press tries afresh', async ({
  page,
  saveScreenshot,
}) => {
  const refused = {
    code: 'remote',
    message:
      "OpenLearning answered 401: OpenLearning refused the API key (401). Set the institution administrator's current API key in Connections.",
  };
  await openLaunch(page, {}, { failures: { launch_open: { times: 1, error: refused } } });
  await page.getByTestId('launch-external-id').fill(ADA.external_id);
  await page.getByTestId('launch-open').click();

  const error = page.getByTestId('launch-error');
  await expect(error.getByTestId('error-message')).toHaveText(refused.message);
  await expect(error.getByTestId('error-alert')).toHaveAttribute('data-error-code', 'remote');
  await expect(error).toContainText('Could not open the launch');
  await expect(page.getByTestId('launch-result')).toHaveCount(0);
  await saveScreenshot('launch-refused');

  await page.getByTestId('launch-open').click();
  await expect(page.getByTestId('launch-result')).toContainText('Opened in your browser');
  await expect(error).toHaveCount(0);
  expect(await recordedCalls(page, 'launch_open')).toHaveLength(2);
});

test('a roster is imported and each row launches on demand', async ({ page, saveScreenshot }) => {
  await openLaunch(page);
  await page.getByTestId('tab-roster').click();
  await expect(page.getByTestId('launch-roster-format')).toContainText('external_id');
  await expect(page.getByTestId('launch-roster-example')).toContainText('external_id,class_id,context_id,email,full_name');

  await page.getByTestId('launch-import-roster').click();
  await expect(page.getByTestId('launch-roster-summary')).toHaveText(
    `4 learners from ${ROSTER_FILE}; 1 line could not be read`,
  );
  await expect(page.getByTestId('launch-roster-problem')).toHaveText(['Line 4 has no external id']);
  const rows = page.getByTestId('launch-roster').getByTestId('launch-roster-row');
  await expect(rows).toHaveCount(4);
  const alan = rows.and(page.locator('[data-line="3"]'));
  await expect(alan).toContainText(ALAN.external_id);
  await expect(alan.getByTestId('launch-roster-class-ignored')).toHaveText('class-101');
  // Nothing is made ahead of time.
  expect(await recordedCalls(page, 'launch_open')).toHaveLength(0);

  await alan.getByTestId('launch-roster-launch').click();
  await expect(alan.getByTestId('launch-roster-status')).toHaveText(/^Opened at \d{1,2}:\d{2}:\d{2}/);
  await expect(alan.getByTestId('launch-roster-status')).toHaveAttribute('data-state', 'opened');
  expect((await recordedCalls(page, 'launch_open')).map((c) => c.args)).toEqual([
    {
      request: requestFor({
        user: { by: 'external_id', id: ALAN.external_id },
        class_id: 'class-101',
        context_id: 'BIO101-2025-S1',
      }),
      taskId: expect.any(String),
    },
  ]);

  const stranger = rows.and(page.locator('[data-line="5"]'));
  await stranger.getByRole('button', { name: `Launch ${STRANGER} (line 5) in your browser` }).click();
  await expect(stranger.getByTestId('launch-roster-status')).toHaveAttribute('data-state', 'failed');
  await expect(stranger.getByTestId('launch-roster-status')).toContainText(`No OpenLearning user has external id "${STRANGER}"`);
  await expect(rows.and(page.locator('[data-line="2"]')).getByTestId('launch-roster-status')).toHaveText('');
  expect(await launchDestinations(page)).toEqual(['browser']);
  await expectNoSignatureInPage(page);
  await saveScreenshot('launch-roster');
});

test('closing the roster dialog imports nothing', async ({ page }) => {
  await openLaunch(page, { roster: null });
  await page.getByTestId('tab-roster').click();
  await page.getByTestId('launch-import-roster').click();
  await expect(page.getByText('You closed the file dialog without choosing a roster.')).toBeVisible();
  await expect(page.getByTestId('launch-roster')).toHaveCount(0);
  await expect(page.getByTestId('launch-roster-format')).toBeVisible();
});

test('without an OpenLearning connection the screen says how to add one', async ({ page, saveScreenshot }) => {
  await mockBackend(page);
  await page.goto('./#/launch');
  await expect(page.getByTestId('launch-no-connection')).toContainText('No OpenLearning connection yet');
  await expect(page.locator('main input, main textarea, main select')).toHaveCount(0);
  await saveScreenshot('launch-no-connection');
  await page.getByTestId('launch-add-connection').click();
  await expect(page).toHaveURL(/#\/connections$/);
});
