import { appInfo, everyKind } from './fixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

const screens = [
  { key: 'learners', title: 'Learners' },
  { key: 'grades', title: 'Grades' },
  { key: 'launch', title: 'Launch' },
  { key: 'enrollments', title: 'Enrollments' },
  { key: 'connections', title: 'Connections' },
  { key: 'activity', title: 'Activity' },
] as const;

test.beforeEach(async ({ page }) => {
  await mockBackend(page);
});

test('the shell shows the app name, version and the demo banner', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('app-name')).toHaveText('Crosswalk');
  await expect(page.getByTestId('app-version')).toHaveText(`v${appInfo.version}`);
  await expect(page.getByTestId('demo-banner')).toContainText(
    "Demo mode: you are looking at made-up data from Crosswalk's built-in sandbox.",
  );
  await expect(page.getByTestId('demo-banner')).toContainText('Add a connection in Connections to use your own systems.');
  // Learners is the first screen.
  await expect(page).toHaveURL(/#\/learners$/);
  await expect(page.getByTestId('screen-title')).toHaveText('Learners');
});

test('there is no demo banner when the app is not in demo mode', async ({ page }) => {
  await mockBackend(page, { appInfo: { ...appInfo, demo: false, sandbox_url: null } });
  await page.goto('./');
  await expect(page.getByTestId('app-version')).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveCount(0);
});

test('every nav link opens its screen, which explains itself', async ({ page, saveScreenshot }) => {
  await page.goto('./');
  for (const screen of screens) {
    await page.getByTestId(`nav-${screen.key}`).click();
    await expect(page).toHaveURL(new RegExp(`#/${screen.key}$`));
    await expect(page.getByTestId('screen-title')).toHaveText(screen.title);
    await expect(page.getByTestId('screen-explanation')).not.toBeEmpty();
    await expect(page.getByTestId(`nav-${screen.key}`)).toHaveAttribute('data-active', 'true');
    await expect(page).toHaveTitle(`${screen.title} · Crosswalk`);
    if (screen.key === 'learners') await expect(page.getByTestId('lookup-input')).toBeVisible();
    if (screen.key === 'activity') await expect(page.getByTestId('activity-row').first()).toBeVisible();
    if (screen.key === 'connections') await expect(page.getByTestId('connection-card').first()).toBeVisible();
    await saveScreenshot(screen.key);
  }
});

test('Ctrl+K opens the command palette and jumps to Activity', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('screen-title')).toHaveText('Learners');
  await page.keyboard.press('Control+K');
  const search = page.getByPlaceholder('Jump to a screen or run an action…');
  await expect(search).toBeFocused();
  await search.fill('activ');
  await page.getByRole('button', { name: /^Activity/ }).click();
  await expect(page).toHaveURL(/#\/activity$/);
  await expect(page.getByTestId('screen-title')).toHaveText('Activity');
  await expect(search).toBeHidden();
});

test('the palette opens from the header button, works from the keyboard, and opens the logs folder', async ({
  page,
  saveScreenshot,
}) => {
  await page.goto('./#/grades');
  await page.getByTestId('open-palette').click();
  const search = page.getByPlaceholder('Jump to a screen or run an action…');
  await expect(search).toBeVisible();
  await saveScreenshot('command-palette');
  await search.fill('connections');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('screen-title')).toHaveText('Connections');

  await page.keyboard.press('Control+K');
  await search.fill('logs');
  await page.getByRole('button', { name: /Open logs folder/ }).click();
  await expect(page.getByText('Logs folder opened')).toBeVisible();
  expect(await recordedCalls(page, 'open_logs_folder')).toHaveLength(1);
});

test('Connections lists every connection with its details and where its secrets are kept', async ({
  page,
  saveScreenshot,
}) => {
  await mockBackend(page, { connections: everyKind, appInfo: { ...appInfo, demo: false, sandbox_url: null } });
  await page.goto('./#/connections');
  const cards = page.getByTestId('connection-card');
  await expect(cards).toHaveCount(3);
  await expect(page.getByTestId('connections-secrets-note')).toContainText("operating system's keyring");
  await expect(page.getByText('not available yet')).toHaveCount(0);

  const lms = cards.nth(0);
  await expect(lms).toContainText('Demo LMS (staff application)');
  await expect(lms.getByTestId('kind-badge')).toHaveText('Open edX');
  await expect(lms.getByTestId('demo-badge')).toBeVisible();
  await expect(lms).toContainText('demo-staff-client');
  await expect(lms).toContainText('JWT');
  await expect(lms).toContainText('saml-demo-univ');
  await expect(lms.getByTestId('secret-badge')).toHaveText('Client secret: demo credential');
  await expect(lms.getByTestId('demo-note')).toContainText('cannot be edited');
  await expect(lms.getByTestId('edit-connection')).toHaveCount(0);
  await expect(lms.getByTestId('delete-connection')).toHaveCount(0);
  await expect(lms.getByTestId('test-connection')).toBeVisible();

  const openLearning = cards.nth(1);
  await expect(openLearning.getByTestId('kind-badge')).toHaveText('OpenLearning');
  await expect(openLearning.getByTestId('demo-badge')).toHaveCount(0);
  await expect(openLearning).toContainText('inst-4711');
  await expect(openLearning.getByTestId('secret-badge')).toHaveText('API key: set in OS keyring');
  await expect(openLearning.getByTestId('edit-connection')).toBeVisible();
  await expect(openLearning).toContainText('http://proxy.example.edu:3128');

  const partner = cards.nth(2);
  await expect(partner.getByTestId('kind-badge')).toHaveText('OOAPI');
  await expect(partner).toContainText('partner.example.nl');
  await expect(partner.getByTestId('secret-badge')).toHaveText('Client secret: not set');
  await expect(partner.getByTestId('secret-badge')).toHaveAttribute('data-secret-source', 'not_set');
  await saveScreenshot('connections-every-kind');
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the app follows the operating system', async ({ page, saveScreenshot }) => {
    await page.goto('./');
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.getByTestId('tab-browse').click();
    await expect(page.getByTestId('mapping-row').first()).toBeVisible();
    await saveScreenshot('learners-dark');
  });
});

test.describe('in light mode', () => {
  test.use({ colorScheme: 'light' });

  test('switches live when the operating system switches, without a reload', async ({ page }) => {
    await page.goto('./');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
    await page.evaluate(() => ((window as unknown as { __loaded: boolean }).__loaded = true));
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(html).toHaveAttribute('data-mantine-color-scheme', 'light');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(background);
    expect(await page.evaluate(() => (window as unknown as { __loaded?: boolean }).__loaded)).toBe(true);
  });

  test('the app follows the operating system', async ({ page }) => {
    await page.goto('./');
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  });
});
