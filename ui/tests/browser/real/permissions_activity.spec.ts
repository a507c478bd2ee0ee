// The permission matrix and the Activity log against the real core: the matrix is what the sandbox's
// LMS answers for each demo application and provider, and Activity lists what the core recorded.
import { realCore } from '../realCore';
import { expect, test } from '../test';

test('the permission matrix shows what the LMS lets each demo application read, with the fix', async ({ page }) => {
  await realCore(page);
  await page.goto('./');
  await page.getByTestId('tab-permissions').click();
  await page.getByTestId('permissions-run').click();
  const denied = page.locator('[data-testid="permission-cell"][data-access="not_permitted"]');
  await expect(denied.first()).toBeVisible({ timeout: 30_000 });
  // Staff: all five providers; restricted (filters saml-demo-univ and oa2-google-oauth2): two.
  await expect(page.getByTestId('permission-cell')).toHaveCount(10);
  await expect(page.locator('[data-testid="permission-cell"][data-access="granted"]')).toHaveCount(7);
  await expect(denied).toHaveCount(3);
  await denied.first().click();
  const fix = page.getByTestId('permission-fix');
  await expect(fix).toContainText('create_dot_application');
  await expect(fix).toContainText('tpa_provider:');
});

test('Activity lists what the core recorded, and its search filters it', async ({ page }) => {
  await realCore(page);
  // Something to record: a permission check of both demo applications.
  await page.goto('./');
  await page.getByTestId('tab-permissions').click();
  await page.getByTestId('permissions-run').click();
  await expect(page.locator('[data-testid="permission-cell"][data-access="not_permitted"]').first()).toBeVisible({
    timeout: 30_000,
  });

  await page.goto('./#/activity');
  const rows = page.getByTestId('activity-row');
  await expect(rows.first()).toContainText('openedx.permissions.check', { timeout: 15_000 });
  await page.getByTestId('activity-search').pressSequentially('2 of 5 providers readable', { delay: 10 });
  await expect(page.getByTestId('activity-count')).toContainText('matching your filters');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(0);
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain('Demo LMS (restricted application)');
    expect(text).toContain('2 of 5 providers readable');
  }
});
