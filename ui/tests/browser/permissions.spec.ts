import type { Page } from '@playwright/test';
import { appInfo, connections, deniedError, savedLms } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

function cell(page: Page, connection: string, provider: string) {
  return page.locator(
    `[data-testid="permission-cell"][data-connection="${connection}"][data-provider="${provider}"]`,
  );
}

async function openPermissions(page: Page) {
  await page.goto('./');
  await page.getByTestId('tab-permissions').click();
}

test('the matrix shows which connection may read which provider, and how to grant what is missing', async ({
  page,
  saveScreenshot,
}) => {
  await mockBackend(page);
  await openPermissions(page);
  await expect(page.getByTestId('permission-cell')).toHaveCount(8);
  expect((await recordedCalls(page, 'check_permissions'))[0]?.args).toEqual({ connectionIds: [] });

  await expect(cell(page, 'demo-staff', 'saml-partner')).toHaveAttribute('data-access', 'granted');
  const denied = cell(page, 'demo-restricted', 'saml-partner');
  await expect(denied).toHaveAttribute('data-access', 'not_permitted');
  await expect(denied).toHaveText('Not permitted');
  // The restricted token has no filter for it either; the one provider it names is allowed.
  await expect(denied).toHaveAttribute('data-token-allows', 'false');
  await expect(cell(page, 'demo-restricted', 'oa2-google-oauth2')).toHaveAttribute('data-token-allows', 'true');
  const claims = page.locator('[data-testid="permission-claims"][data-connection="demo-restricted"]');
  await expect(claims).toContainText('read, write, tpa:read');
  await expect(claims).toContainText('tpa_provider:oa2-google-oauth2');
  await expect(claims).toContainText('a restricted application');

  await denied.hover();
  await expect(page.getByRole('tooltip')).toContainText(deniedError.message);
  await saveScreenshot('permissions');

  await denied.click();
  const fix = page.getByTestId('permission-fix');
  await expect(fix).toContainText(
    './manage.py lms create_dot_application demo-restricted-client <service-username> --grant-type client-credentials --scopes tpa:read',
  );
  await expect(fix).toContainText('tpa_provider:saml-partner');
  await saveScreenshot('permissions-fix');
  await page.getByTestId('copy-fix').click();
  await expect(page.getByTestId('copy-fix')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('create_dot_application demo-restricted-client');
  expect(copied).toContain('tpa_provider:saml-partner');
  await page.keyboard.press('Escape');

  // A provider id too long for a filter: the fix says so first.
  await cell(page, 'demo-restricted', 'saml-very-long-provider-name').click();
  await expect(page.getByTestId('permission-fix')).toContainText('is 28 characters long');
  await expect(page.getByTestId('permission-fix')).toContainText('only provider ids of up to 19 characters');
  await page.keyboard.press('Escape');

  // Granted cells have nothing to fix.
  await expect(cell(page, 'demo-staff', 'saml-demo-univ').locator('xpath=self::button')).toHaveCount(0);

  await page.getByTestId('permissions-run').click();
  await expect.poll(async () => (await recordedCalls(page, 'check_permissions')).length).toBe(2);
});

test('a failed check shows the back end’s message and can be tried again', async ({ page }) => {
  await mockBackend(page, {
    failures: {
      check_permissions: { times: 1, error: { code: 'invalid', message: 'There is no Open edX connection to check. Add one in Connections.' } },
    },
  });
  await openPermissions(page);
  const alert = page.getByTestId('error-alert').filter({ visible: true });
  await expect(alert).toContainText('There is no Open edX connection to check.');
  await alert.getByTestId('retry').click();
  await expect(page.getByTestId('permission-cell').first()).toBeVisible();
});

test('the watched providers of a saved connection can be changed; demo ones cannot', async ({ page, saveScreenshot }) => {
  await mockBackend(page, {
    connections: [...connections, savedLms],
    appInfo: { ...appInfo, demo: false, sandbox_url: null },
  });
  await openPermissions(page);
  const demo = page.locator('[data-testid="watched-connection"][data-connection="demo-staff"]');
  await expect(demo.getByTestId('watched-providers')).toBeDisabled();
  await expect(demo).toContainText('Demo connections cannot be changed.');
  await expect(demo.getByTestId('watched-too-long')).toContainText('saml-very-long-provider-name is longer than 19 characters');

  const saved = page.locator('[data-testid="watched-connection"][data-connection="faculty-lms"]');
  await expect(saved.getByTestId('save-watched')).toBeDisabled();
  const input = saved.getByTestId('watched-providers');
  await input.fill('saml-partner');
  await input.press('Enter');
  await input.fill('oa2-google-oauth2');
  await input.press('Enter');
  await saveScreenshot('permissions-watched');
  await saved.getByTestId('save-watched').click();
  await expect(page.getByText('Watched providers saved')).toBeVisible();
  await expect(page.getByText('Faculty LMS now watches saml-demo-univ, saml-partner, oa2-google-oauth2.')).toBeVisible();
  expect((await recordedCalls(page, 'set_watched_providers'))[0]?.args).toEqual({
    connectionId: 'faculty-lms',
    providers: ['saml-demo-univ', 'saml-partner', 'oa2-google-oauth2'],
  });
  await expect(saved.getByTestId('save-watched')).toBeDisabled();
  // The matrix is checked again, with the new columns for the connection.
  await expect(cell(page, 'faculty-lms', 'oa2-google-oauth2')).toHaveAttribute('data-access', 'granted');
});
