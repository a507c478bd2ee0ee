// Connections against the real core: a connection saved in SQLite with its secret in the real
// keyring (the bridge runs in a private D-Bus session with an unlocked GNOME keyring), tested
// against the sandbox's Open edX with that secret, and deleted with it. The secret is never on the
// page, in the database file or in the logs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { AppInfo, ProfileView } from '../../../src/bindings';
import { bridgeData, core, realCore } from '../realCore';
import { expect, test } from '../test';

/** The sandbox's staff API client (crates/sandbox/src/openedx/clients.rs). */
const CLIENT_ID = 'crosswalk-demo-staff';
const SECRET = 'crosswalk-demo-staff-secret';
const NAME = 'Sandbox LMS (own connection)';

function card(page: Page, name: string) {
  return page.locator(`[data-testid="connection-card"][data-connection-name="${name}"]`);
}

/** Every byte the core keeps on disk: the database (and its journal) and the logs. */
function everythingOnDisk(): string {
  const root = join(bridgeData(), 'crosswalk');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(root);
  return files.map((f) => readFileSync(f).toString('latin1')).join('\n');
}

test('a connection of our own: saved, its secret in the keyring, tested against the LMS, deleted with its secret', async ({
  page,
  saveScreenshot,
}) => {
  test.setTimeout(60_000);
  const sandbox = (await core<AppInfo>('app_info')).sandbox_url;
  expect(sandbox).toBeTruthy();

  await realCore(page);
  await page.goto('./#/connections');
  await expect(card(page, 'Demo LMS (staff application)')).toBeVisible();

  await page.getByTestId('add-connection').click();
  const form = page.getByTestId('connection-form');
  await form.getByTestId('kind-openedx').click();
  await expect(form.getByTestId('field-secret')).toHaveAttribute('type', 'password');
  await form.getByTestId('field-name').fill(`  ${NAME} `);
  await form.getByTestId('field-base-url').fill(`${sandbox}/openedx`);
  await form.getByTestId('field-client-id').fill(CLIENT_ID);
  await form.getByTestId('field-providers').fill('saml-demo-univ');
  await form.getByTestId('field-providers').press('Enter');
  await form.getByTestId('field-secret').fill(SECRET);
  await form.getByTestId('save-connection').click();
  await expect(page.getByText('Connection added')).toBeVisible();

  const own = card(page, NAME);
  await expect(own.getByTestId('secret-badge')).toHaveText('Client secret: set in OS keyring');
  // What the core saved: the name trimmed, the provider, the default network settings.
  const saved = (await core<ProfileView[]>('list_connections')).find((v) => v.profile.name === NAME);
  expect(saved?.profile.settings).toMatchObject({ kind: 'openedx', client_id: CLIENT_ID, providers: ['saml-demo-univ'] });
  expect(saved?.profile.network).toEqual({ proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 });

  // The core fetches a token with the secret from the keyring and reads the provider.
  await own.getByTestId('test-connection').click();
  const result = own.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await expect(result).toContainText(`"${NAME}" works.`);
  await expect(result.getByTestId('check-step').last()).toContainText('Provider "saml-demo-univ" can be read');

  // After a reload the page knows only that a secret is set; the disk never had it.
  await page.reload();
  await expect(card(page, NAME).getByTestId('secret-badge')).toHaveText('Client secret: set in OS keyring');
  expect(await page.content()).not.toContain(SECRET);
  expect(everythingOnDisk()).not.toContain(SECRET);

  // Deleted after asking (the core removes its keyring entry with it; crates/core tests prove that).
  await card(page, NAME).getByTestId('delete-connection').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Delete “${NAME}”?`);
  await expect(dialog).toContainText("deletes its client secret from your operating system's keyring");
  await saveScreenshot('connection-delete-confirm');
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByText('Connection deleted')).toBeVisible();
  await expect(card(page, NAME)).toHaveCount(0);
  expect((await core<ProfileView[]>('list_connections')).map((v) => v.profile.name)).not.toContain(NAME);
});
