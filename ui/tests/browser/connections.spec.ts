// The Connections screen against the mocked back end, for what the core cannot be made to do on
// demand: a refusal at a given call, canned test results, closed dialogs, an unreadable file.
// Saving, editing, copying, deleting, secrets and import are tested against the real core in
// real/connections.spec.ts and real/connections_manage.spec.ts.
import type { Page } from '@playwright/test';
import { appInfo, EXPORT_PATH, everyKind, restrictedDenial } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

const SECRET = 'dot-client-s3cret-4711';

/** An installation with saved connections of every kind, out of demo mode. */
const saved = { connections: everyKind, appInfo: { ...appInfo, demo: false, sandbox_url: null } };

function card(page: Page, name: string) {
  return page.locator(`[data-testid="connection-card"][data-connection-name="${name}"]`);
}

/** The commands the page sent, leaving out the reads every screen makes. */
async function writes(page: Page): Promise<string[]> {
  const calls = await recordedCalls(page);
  // Reads and event subscriptions (the shell listens for the core's `job` and `open-file` events)
  // change nothing.
  return calls
    .map((c) => c.cmd)
    .filter((c) => !['list_connections', 'app_info', 'take_opened_file'].includes(c) && !c.startsWith('plugin:event|'));
}

/**
 * A screenshot of the whole Add/Edit form: the dialog is as tall as the window and scrolls inside,
 * so the window is made tall enough for all of it first.
 */
async function screenshotForm(page: Page, save: (name: string) => Promise<void>, name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  const form = page.getByTestId('connection-form');
  await page.waitForTimeout(400); // let the network section finish opening
  const height = await form.evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height + 260) });
  await form.evaluate((el) => el.closest('.mantine-Modal-content')?.scrollTo(0, 0));
  await save(name);
  await page.setViewportSize(size);
}

/** Screenshots start at the top of the page, wherever the test scrolled to. */
async function screenshotTop(page: Page, save: (name: string) => Promise<void>, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(name);
}

test('the form checks addresses and required fields before saving', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./#/connections');
  await page.getByTestId('add-connection').click();
  const form = page.getByTestId('connection-form');
  await form.getByTestId('kind-openedx').click();
  await form.getByTestId('field-base-url').fill('http://courses.example.edu');
  await form.getByTestId('save-connection').click();
  await expect(form).toContainText('must use https');
  await expect(form).toContainText('Give the connection a name');
  await expect(form).toContainText('The client ID is required.');
  expect(await writes(page)).toEqual([]);

  // Plain http is fine for this computer (the sandbox, local tests).
  await form.getByTestId('field-base-url').fill('http://127.0.0.1:8000');
  await expect(form).not.toContainText('must use https');
});

test('the back end’s refusal is shown under the form, which stays open', async ({ page, saveScreenshot }) => {
  // The core's own refusals (a name already taken, …) are tested in real/connections_manage.spec.ts.
  await mockBackend(page, {
    ...saved,
    failures: {
      create_connection: {
        times: 1,
        error: { code: 'invalid', message: 'A connection named "OpenLearning" already exists. Choose another name.' },
      },
    },
  });
  await page.goto('./#/connections');
  await page.getByTestId('add-connection').click();
  const form = page.getByTestId('connection-form');
  await form.getByTestId('kind-openlearning').click();
  await form.getByTestId('field-name').fill('OpenLearning');
  await form.getByTestId('field-base-url').fill('https://api.openlearning.com/v2.1/');
  await form.getByTestId('field-institution-id').fill('inst-1');
  await form.getByTestId('field-secret').fill(SECRET);
  await form.getByTestId('save-connection').click();

  await expect(form.getByTestId('form-error')).toContainText(
    'A connection named "OpenLearning" already exists. Choose another name.',
  );
  await expect(form).toBeVisible();
  // Nothing was saved, so the secret was not sent anywhere.
  expect(await writes(page)).toEqual(['create_connection']);
  await screenshotForm(page, saveScreenshot, 'connection-form-error');
});

test('Test shows each step and the token’s scopes and filters', async ({ page, saveScreenshot }) => {
  await mockBackend(page);
  await page.goto('./#/connections');
  const staff = card(page, 'Demo LMS (staff application)');
  await staff.getByTestId('test-connection').click();
  const result = staff.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toContainText('"Demo LMS (staff application)" works.');
  const steps = result.getByTestId('check-step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('✔');
  await expect(steps.nth(1)).toContainText('Provider "saml-demo-univ" can be read');
  await expect(result.getByTestId('check-claims')).toContainText('read');
  await expect(result.getByTestId('check-claims')).toContainText('demo-staff-service');
  await expect(page.getByText('Connection works')).toBeVisible();
  const [call] = await recordedCalls(page, 'test_connection');
  expect(call?.args).toEqual({ id: 'demo-staff' });
  await screenshotTop(page, saveScreenshot, 'connection-test-ok');
});

test('a failed test says which step failed and what the token may read', async ({ page, saveScreenshot }) => {
  await mockBackend(page);
  await page.goto('./#/connections');
  const restricted = card(page, 'Demo LMS (restricted application)');
  await restricted.getByTestId('test-connection').click();
  const result = restricted.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-ok', 'false');
  const failed = result.locator('[data-testid="check-step"][data-ok="false"]');
  await expect(failed).toContainText('✘');
  await expect(failed).toContainText('Mapping API');
  await expect(failed).toContainText(restrictedDenial);
  const claims = result.getByTestId('check-claims');
  await expect(claims).toContainText('tpa:read');
  await expect(claims).toContainText('tpa_provider:oa2-google-oauth2');
  await expect(claims.locator('[data-readable="false"]').first()).toContainText('saml-demo-univ: may not read');
  await expect(claims.locator('[data-readable="true"]')).toHaveCount(1);
  await expect(claims.locator('[data-readable="true"]')).toContainText('oa2-google-oauth2: may read');
  await expect(page.getByText('Connection does not work yet')).toBeVisible();
  await screenshotTop(page, saveScreenshot, 'connection-test-failed');

  // The result can be put away.
  await result.getByRole('button', { name: 'Hide the test result' }).click();
  await expect(result).toHaveCount(0);
});

test('export writes every saved connection and says where', async ({ page }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await page.getByTestId('export-connections').click();
  await expect(page.getByText('Connections exported')).toBeVisible();
  await expect(page.getByText(`2 connections written to ${EXPORT_PATH}`)).toBeVisible();
  const [exported] = await recordedCalls(page, 'export_connections');
  expect(exported?.args).toEqual({ ids: [] });
});

test('export says nothing was written when the save dialog is closed', async ({ page }) => {
  await mockBackend(page, { ...saved, exportPath: null });
  await page.goto('./#/connections');
  await page.getByTestId('export-connections').click();
  await expect(page.getByText('Nothing exported')).toBeVisible();
});

test('export is not offered when only demo connections exist', async ({ page }) => {
  await mockBackend(page);
  await page.goto('./#/connections');
  await expect(page.getByTestId('connection-card')).toHaveCount(2);
  await expect(page.getByTestId('export-connections')).toBeDisabled();
});

test('import failures and a closed dialog are reported', async ({ page }) => {
  await mockBackend(page, {
    ...saved,
    failures: {
      import_connections: {
        times: 1,
        error: {
          code: 'invalid',
          message: 'This file is not a Crosswalk connections export (expected value at line 1). Export one from Connections → Export.',
        },
      },
    },
  });
  await page.goto('./#/connections');
  await page.getByTestId('import-connections').click();
  await expect(page.getByText('Could not import connections')).toBeVisible();
  await expect(page.getByText('This file is not a Crosswalk connections export')).toBeVisible();
  await page.getByTestId('import-connections').click();
  await expect(page.getByText('Nothing imported')).toBeVisible();
});
