import type { Page } from '@playwright/test';
import type { ProfileDraft } from '../../src/bindings';
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

test('adding an Open edX connection saves it, then puts its secret in the keyring', async ({ page, saveScreenshot }) => {
  await mockBackend(page);
  await page.goto('./#/connections');
  await expect(page.getByTestId('connection-card')).toHaveCount(2);

  await page.getByTestId('add-connection').click();
  const form = page.getByTestId('connection-form');
  await expect(form).toBeVisible();
  await expect(form.getByTestId('field-name')).toHaveCount(0);
  await form.getByTestId('kind-openedx').click();

  await form.getByTestId('field-name').fill('  Courses LMS (production) ');
  await form.getByTestId('field-base-url').fill('https://courses.example.edu');
  await form.getByTestId('field-client-id').fill('crosswalk-dot');
  await form.getByTestId('field-providers').fill('saml-university');
  await form.getByTestId('field-providers').press('Enter');
  await form.getByTestId('field-providers').fill('oa2-google-oauth2');
  await form.getByTestId('field-providers').press('Enter');
  await expect(form.getByTestId('field-secret')).toHaveAttribute('type', 'password');
  await expect(form).toContainText("Kept in your operating system's keyring");
  await form.getByTestId('field-secret').fill(SECRET);
  await screenshotForm(page, saveScreenshot, 'connection-form-add');

  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection added')).toBeVisible();
  await expect(form).toBeHidden();

  expect(await writes(page)).toEqual(['create_connection', 'set_secret']);
  const [create] = await recordedCalls(page, 'create_connection');
  const draft: ProfileDraft = {
    name: 'Courses LMS (production)',
    settings: {
      kind: 'openedx',
      base_url: 'https://courses.example.edu',
      client_id: 'crosswalk-dot',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-university', 'oa2-google-oauth2'],
    },
    network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
    secret_env: null,
  };
  expect(create?.args).toEqual({ draft });
  const [secret] = await recordedCalls(page, 'set_secret');
  expect(secret?.args).toEqual({ id: 'saved-1', field: 'client_secret', value: SECRET });

  const added = card(page, 'Courses LMS (production)');
  await expect(added).toHaveAttribute('data-connection-id', 'saved-1');
  await expect(added.getByTestId('secret-badge')).toHaveText('Client secret: set in OS keyring');
  await expect(added).toContainText('saml-university');
  // The secret went to the keyring and nowhere else on the page.
  expect(await page.content()).not.toContain(SECRET);
});

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
  await mockBackend(page, saved);
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

test('editing shows the settings but never the secret, and saves the changes', async ({ page, saveScreenshot }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await card(page, 'OpenLearning').getByTestId('edit-connection').click();
  const form = page.getByTestId('connection-form');
  await expect(form.getByTestId('field-name')).toHaveValue('OpenLearning');
  await expect(form.getByTestId('field-base-url')).toHaveValue('https://api.openlearning.example/v2.1/');
  await expect(form.getByTestId('field-secret')).toHaveValue('');
  await expect(form.getByTestId('field-secret')).toHaveAttribute('placeholder', 'Set — type to replace');
  await expect(form.getByTestId('kind-openedx')).toBeDisabled();

  // The network section is collapsed until opened, and keeps the saved proxy.
  await expect(form.getByTestId('field-proxy-url')).toBeHidden();
  await form.getByTestId('network-section').click();
  await expect(form.getByTestId('field-proxy-url')).toHaveValue('http://proxy.example.edu:3128');
  await screenshotForm(page, saveScreenshot, 'connection-form-edit');

  await form.getByTestId('field-name').fill('OpenLearning (staff)');
  await form.getByTestId('field-institution-id').fill(' inst-4712 ');
  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection saved')).toBeVisible();

  expect(await writes(page)).toEqual(['update_connection']);
  const [update] = await recordedCalls(page, 'update_connection');
  expect(update?.args).toEqual({
    id: 'openlearning',
    draft: {
      name: 'OpenLearning (staff)',
      settings: {
        kind: 'openlearning',
        base_url: 'https://api.openlearning.example/v2.1/',
        institution_id: 'inst-4712',
        api_key_style: 'header',
      },
      network: {
        proxy: { mode: 'manual', url: 'http://proxy.example.edu:3128', bypass: '' },
        extra_ca_file: null,
        connect_timeout_secs: 10,
        total_timeout_secs: 60,
      },
      secret_env: null,
    },
  });
  await expect(card(page, 'OpenLearning (staff)')).toContainText('inst-4712');
});

test('a typed secret replaces the saved one; Clear removes it after asking', async ({ page }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await card(page, 'OpenLearning').getByTestId('edit-connection').click();
  const form = page.getByTestId('connection-form');
  await form.getByTestId('clear-secret').click();
  await form.getByTestId('confirm-clear-secret').click();
  await expect(form.getByTestId('secret-outcome')).toContainText('API key cleared');
  await expect(form.getByTestId('field-secret')).toHaveAttribute('placeholder', 'Not set');
  const [clear] = await recordedCalls(page, 'clear_secret');
  expect(clear?.args).toEqual({ id: 'openlearning', field: 'api_key' });

  await form.getByTestId('field-secret').fill(SECRET);
  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection saved')).toBeVisible();
  expect(await writes(page)).toEqual(['clear_secret', 'update_connection', 'set_secret']);
  const [set] = await recordedCalls(page, 'set_secret');
  expect(set?.args).toEqual({ id: 'openlearning', field: 'api_key', value: SECRET });
  await expect(card(page, 'OpenLearning').getByTestId('secret-badge')).toHaveText('API key: set in OS keyring');
});

test('duplicate makes a copy without its secrets and says so', async ({ page }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await card(page, 'OpenLearning').getByTestId('duplicate-connection').click();
  await expect(page.getByText('Connection copied')).toBeVisible();
  await expect(page.getByText('Secrets are not copied')).toBeVisible();
  const copy = card(page, 'OpenLearning (copy)');
  await expect(copy.getByTestId('secret-badge')).toHaveText('API key: not set');
  const [duplicate] = await recordedCalls(page, 'duplicate_connection');
  expect(duplicate?.args).toEqual({ id: 'openlearning' });
});

test('delete asks first, says the keyring secret goes too, and removes the card', async ({ page, saveScreenshot }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await expect(page.getByTestId('connection-card')).toHaveCount(3);
  await card(page, 'Partner university').getByTestId('delete-connection').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Delete “Partner university”?');
  await expect(dialog).toContainText("deletes its client secret from your operating system's keyring");
  await saveScreenshot('connection-delete-confirm');
  expect(await writes(page)).toEqual([]);

  await page.getByTestId('confirm-delete').click();
  await expect(page.getByText('Connection deleted')).toBeVisible();
  await expect(card(page, 'Partner university')).toHaveCount(0);
  await expect(page.getByTestId('connection-card')).toHaveCount(2);
  const [remove] = await recordedCalls(page, 'delete_connection');
  expect(remove?.args).toEqual({ id: 'partner' });
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

test('a test the back end refuses shows its message', async ({ page }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await card(page, 'Partner university').getByTestId('test-connection').click();
  await expect(page.getByText('Could not test “Partner university”')).toBeVisible();
  await expect(page.getByText('The client secret of "Partner university" is not set.')).toBeVisible();
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

test('import adds the file’s connections, says which were renamed, and that secrets need setting', async ({ page }) => {
  await mockBackend(page, saved);
  await page.goto('./#/connections');
  await page.getByTestId('import-connections').click();
  await expect(page.getByText('Connections imported')).toBeVisible();
  await expect(page.getByText('“OpenLearning” became “OpenLearning (2)”')).toBeVisible();
  await expect(page.getByText('set each one with Edit')).toBeVisible();
  await expect(page.getByTestId('connection-card')).toHaveCount(5);
  await expect(card(page, 'Faculty LMS').getByTestId('secret-badge')).toHaveText('Client secret: not set');
});

test('import failures and a closed dialog are reported', async ({ page }) => {
  await mockBackend(page, {
    ...saved,
    importFile: null,
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
