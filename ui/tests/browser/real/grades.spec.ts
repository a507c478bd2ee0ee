// Grades against the real core: the demo report the core writes is recognised, matched against the
// sandbox's provider (live lookups, as there is no mirror yet), previewed in the core's export
// layouts and written to a real file. The mocked specs (../grades.spec.ts) cover what the sandbox
// cannot produce on demand: slow lookups, a cancelled match, dialogs closed.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { bridgeData, realCore } from '../realCore';
import { expect, test } from '../test';

/** Picks an option of a Mantine select. */
async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const cells = (page: Page) => page.getByTestId('grades-preview').getByTestId('grades-preview-row').first().locator('td');

test('the demo report: recognised, matched, its rows explained, previewed and exported by the core', async ({ page }) => {
  test.setTimeout(90_000);
  await realCore(page);
  await page.goto('./#/grades');
  await expect(page.getByTestId('screen-title')).toHaveText('Grades');
  await page.getByTestId('grades-demo-report').click();

  // What the core recognised in the file it wrote.
  await expect(page.getByTestId('grades-file-kind')).toHaveText('Course grade report');
  await expect(page.getByTestId('grades-file-name')).toHaveText('demo_course_grade_report.csv');
  await expect(page.getByTestId('grades-file-encoding')).toHaveText('UTF-8');
  await expect(page.getByTestId('grades-file-delimiter')).toHaveText('comma (,)');
  await expect(page.getByTestId('grades-file-columns')).toHaveText('14');
  await expect(page.getByTestId('grades-map-username')).toHaveValue('Username (column C)');
  await expect(page.getByTestId('grades-map-student_id')).toHaveValue('Student ID (column A)');
  await expect(page.getByTestId('grades-map-enrollment_status')).toHaveValue('Enrollment Status (column N)');
  await expect(page.getByTestId('grades-map-grade')).toHaveValue('Grade (column D)');
  await expect(page.getByTestId('grades-connection')).toHaveValue('Demo LMS (staff application) (demo)');
  await expect(page.getByTestId('grades-provider')).toHaveValue('saml-demo-univ');

  // The match: no mirror yet, so every username is asked live.
  await page.getByTestId('grades-match').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 60_000 });
  const counts: [string, number][] = [
    ['all', 257],
    ['matched', 234],
    ['not_linked', 14],
    ['ambiguous', 0],
    ['unenrolled', 7],
    ['problem', 2],
  ];
  for (const [status, n] of counts) {
    await expect(page.getByTestId(`grades-count-${status}`)).toHaveAttribute('data-count', String(n));
  }
  await expect(page.getByTestId('grades-mirror-age')).toContainText(
    'There is no local mirror of saml-demo-univ yet. 255 usernames the mirror did not know were looked up live in Open edX.',
  );
  await expect(page.getByTestId('grades-problems')).toContainText('Line 257 has no username');
  await expect(page.getByTestId('grades-problems')).toContainText(
    'Line 258 has 2 fields but the header has 14; check its quoting and delimiters',
  );

  // The rows the core could not match, with what the core says about them.
  await page.getByTestId('grades-count-not_linked').click();
  await expect(page.getByTestId('grades-rows-count')).toHaveText('14 not linked rows');
  const rows = page.getByTestId('grade-row');
  for (const status of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))) {
    expect(status).toBe('not_linked');
  }
  await expect(rows.first()).toContainText(
    'Not linked to saml-demo-univ: the learner has not signed in through it, or the link was removed',
  );

  // The core's export layouts.
  await expect(page.getByTestId('grades-preview-counts')).toHaveText(
    '234 rows will be written, 7 skipped, 16 go to the error file.',
  );
  const header = page.getByTestId('grades-preview-header').locator('th');
  await expect(header).toHaveText(['remote_id', 'username', 'grade']);
  await expect(cells(page)).toHaveText(['s9502754', 'mark.wright+cs', '85.00']);
  await page.getByTestId('grades-template-canvas').click();
  await page.getByTestId('grades-item-name').fill('Final grade');
  await expect(header).toHaveText(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Final grade']);
  await expect(cells(page)).toHaveText(['mark.wright+cs', '', 's9502754', '', '', '85.00']);
  await pick(page, 'grades-letter-preset', 'Pass/Fail at 50 %');
  await expect(cells(page).last()).toHaveText('Pass');
  await pick(page, 'grades-letter-preset', 'None: write the number');
  await expect(cells(page).last()).toHaveText('85.00');

  // Written by the core where the (test) save dialog chose.
  await page.getByTestId('grades-export').click();
  const result = page.getByTestId('grades-export-result');
  const written = `${bridgeData()}/chosen/demo_course_grade_report-canvas.csv`;
  await expect(result.getByTestId('grades-export-file-path')).toHaveText(written, { timeout: 15_000 });
  const lines = readFileSync(written, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('Student,ID,SIS User ID,SIS Login ID,Section,Final grade');
  expect(lines[1]).toBe('mark.wright+cs,,s9502754,,,85.00');
  expect(lines).toHaveLength(1 + 234);
  const errors = readFileSync(await result.getByTestId('grades-errors-file-path').innerText(), 'utf8');
  expect(errors).toContain('Line 257 has no username');
  expect(errors).toContain('Not linked to saml-demo-univ');
});
