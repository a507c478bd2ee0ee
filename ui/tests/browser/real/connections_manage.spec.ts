// Managing saved connections against the real core: the names it refuses and picks, what it keeps
// and trims, its keyring entries set, replaced and cleared, copies without secrets, and an export
// file read back by an import. The mocked suite keeps only what the core cannot be made to do on
// demand (a closed dialog, an unreadable import file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { AppInfo, ProfileDraft, ProfileView } from '../../../src/bindings';
import { bridgeData, core, realCore } from '../realCore';
import { expect, test } from '../test';

const PREFIX = 'Manage: ';
const network = { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 } as const;

const saved = async () => (await core<ProfileView[]>('list_connections')).filter((v) => !v.profile.demo);
const named = async (name: string) => (await saved()).find((v) => v.profile.name === name);

/** Deletes every connection these tests made (their keyring entries go with them). */
async function cleanUp() {
  for (const v of await saved()) if (v.profile.name.startsWith(PREFIX)) await core('delete_connection', { id: v.profile.id });
}

function card(page: Page, name: string) {
  return page.locator(`[data-testid="connection-card"][data-connection-name="${name}"]`);
}

test.beforeEach(cleanUp);
test.afterEach(cleanUp);

test('editing a saved connection: a taken name is refused, the rest is saved trimmed, and its key is cleared and set again', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const openlearning: ProfileDraft = {
    name: `${PREFIX}OpenLearning`,
    settings: { kind: 'openlearning', base_url: 'https://api.openlearning.example/v2.1/', institution_id: 'inst-1', api_key_style: 'header' },
    network: { ...network, proxy: { mode: 'manual', url: 'http://proxy.example.edu:3128', bypass: '' } },
    secret_env: null,
  };
  const created = await core<ProfileView>('create_connection', { draft: openlearning });
  await core('set_secret', { id: created.profile.id, field: 'api_key', value: 'ol-key-first' });
  await core('create_connection', {
    draft: { ...openlearning, name: `${PREFIX}Faculty`, network },
  });

  await realCore(page);
  await page.goto('./#/connections');
  const own = card(page, `${PREFIX}OpenLearning`);
  await expect(own.getByTestId('secret-badge')).toHaveText('API key: set in OS keyring');
  await own.getByTestId('edit-connection').click();
  const form = page.getByTestId('connection-form');
  await expect(form.getByTestId('field-institution-id')).toHaveValue('inst-1');
  await expect(form.getByTestId('field-secret')).toHaveValue('');
  await expect(form.getByTestId('field-secret')).toHaveAttribute('placeholder', 'Set — type to replace');
  await form.getByTestId('network-section').click();
  await expect(form.getByTestId('field-proxy-url')).toHaveValue('http://proxy.example.edu:3128');

  // The core keeps names unique (the page cannot know every saved name).
  await form.getByTestId('field-name').fill(`${PREFIX}Faculty`);
  await form.getByTestId('save-connection').click();
  await expect(form.getByTestId('form-error')).toContainText(`A connection named "${PREFIX}Faculty" already exists. Choose another name.`);
  await expect(form).toBeVisible();

  await form.getByTestId('field-name').fill(`${PREFIX}OpenLearning (staff)`);
  await form.getByTestId('field-institution-id').fill(' inst-4712 ');
  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection saved')).toBeVisible();
  const edited = await named(`${PREFIX}OpenLearning (staff)`);
  expect(edited?.profile.id).toBe(created.profile.id);
  expect(edited?.profile.settings).toMatchObject({ kind: 'openlearning', institution_id: 'inst-4712' });
  expect(edited?.profile.network.proxy).toEqual({ mode: 'manual', url: 'http://proxy.example.edu:3128', bypass: '' });
  expect(edited?.secrets).toEqual([expect.objectContaining({ field: 'api_key', source: 'keyring' })]);

  // Clear asks first, then the keyring entry is gone; a typed key is saved there again.
  const renamed = card(page, `${PREFIX}OpenLearning (staff)`);
  await renamed.getByTestId('edit-connection').click();
  await form.getByTestId('clear-secret').click();
  await form.getByTestId('confirm-clear-secret').click();
  await expect(form.getByTestId('secret-outcome')).toContainText('API key cleared');
  await expect(form.getByTestId('field-secret')).toHaveAttribute('placeholder', 'Not set');
  expect((await named(`${PREFIX}OpenLearning (staff)`))?.secrets[0]?.source).toBe('not_set');
  await form.getByTestId('field-secret').fill('ol-key-second');
  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection saved')).toBeVisible();
  await expect(renamed.getByTestId('secret-badge')).toHaveText('API key: set in OS keyring');
  expect(await page.content()).not.toContain('ol-key-');
});

test('a copy has no secret and its test says how to set one; an export read back by an import is renamed, not doubled', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const info = await core<AppInfo>('app_info');
  const lms: ProfileDraft = {
    name: `${PREFIX}Faculty LMS`,
    settings: {
      kind: 'openedx',
      base_url: `${info.sandbox_url}/openedx`,
      client_id: 'crosswalk-demo-staff',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-demo-univ'],
    },
    network,
    secret_env: null,
  };
  const created = await core<ProfileView>('create_connection', { draft: lms });
  await core('set_secret', { id: created.profile.id, field: 'client_secret', value: 'crosswalk-demo-staff-secret' });

  await realCore(page);
  await page.goto('./#/connections');
  await card(page, `${PREFIX}Faculty LMS`).getByTestId('duplicate-connection').click();
  await expect(page.getByText('Connection copied')).toBeVisible();
  const copy = card(page, `${PREFIX}Faculty LMS (copy)`);
  await expect(copy.getByTestId('secret-badge')).toHaveText('Client secret: not set');

  await copy.getByTestId('test-connection').click();
  await expect(page.getByText(`Could not test “${PREFIX}Faculty LMS (copy)”`)).toBeVisible();
  await expect(page.getByText(`The client secret of "${PREFIX}Faculty LMS (copy)" is not set.`)).toBeVisible();

  // Export: the bridge's save dialog "chooses" chosen/<suggested name>; the file has no secret.
  const count = (await saved()).length;
  await page.getByTestId('export-connections').click();
  const file = join(bridgeData(), 'chosen', 'crosswalk-connections.json');
  await expect(page.getByText(`${count} connections written to ${file}`)).toBeVisible();
  const written = readFileSync(file, 'utf8');
  expect(written).toContain(`${PREFIX}Faculty LMS (copy)`);
  expect(written).not.toContain('crosswalk-demo-staff-secret');

  // Import of the same file: every name is taken, so the core gives each the next free one.
  await page.getByTestId('import-connections').click();
  await expect(page.getByText('Connections imported')).toBeVisible();
  await expect(page.getByText(`“${PREFIX}Faculty LMS” became “${PREFIX}Faculty LMS 2”`)).toBeVisible();
  await expect(card(page, `${PREFIX}Faculty LMS 2`).getByTestId('secret-badge')).toHaveText('Client secret: not set');
  expect((await saved()).length).toBe(count * 2);
});
