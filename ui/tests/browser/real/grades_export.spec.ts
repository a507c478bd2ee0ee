// Grades export settings against the real core: a custom layout and Moodle's, as the core previews
// and writes them, then History, which records the export and reopens the reconciliation with its
// last settings. (The Canvas, default and pass/fail layouts are in grades.spec.ts.) The mocked
// specs keep what the sandbox cannot produce: a closed save dialog, the file manager.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { bridgeData, realCore } from '../realCore';
import { expect, test } from '../test';

const header = (page: Page) => page.getByTestId('grades-preview-header').locator('th');
const cells = (page: Page) => page.getByTestId('grades-preview').getByTestId('grades-preview-row').first().locator('td');

test('a custom and a Moodle export previewed and written by the core, then reopened from History with their settings', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await realCore(page);
  await page.goto('./#/grades');
  await page.getByTestId('grades-demo-report').click();
  await expect(page.getByTestId('grades-file-kind')).toHaveText('Course grade report');
  await page.getByTestId('grades-match').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('grades-count-matched')).toHaveAttribute('data-count', '234');

  // Custom: the two columns it starts with, plus a text column; an empty header waits for a name.
  await page.getByTestId('grades-template-custom').click();
  await expect(page.getByTestId('grades-custom-column')).toHaveCount(2);
  await expect(header(page)).toHaveText(['remote_id', 'grade']);
  await expect(cells(page)).toHaveText(['s9502754', '85.00']);
  await page.getByTestId('grades-custom-add').click();
  await page.getByLabel('Column 3: header').fill('Course');
  await page.getByRole('textbox', { name: 'Column 3: values' }).click();
  await page.getByRole('option', { name: 'The same text on every row' }).click();
  await page.getByLabel('Column 3: text').fill('BIO-101');
  await expect(header(page)).toHaveText(['remote_id', 'grade', 'Course']);
  await expect(cells(page)).toHaveText(['s9502754', '85.00', 'BIO-101']);
  await page.getByLabel('Column 3: header').fill('');
  await expect(page.getByTestId('grades-export-problems')).toContainText('Give every custom column a header.');
  await expect(page.getByTestId('grades-export')).toBeDisabled();
  await page.getByLabel('Column 3: header').fill('Course');

  // Moodle: its own header, the grade item named as asked.
  await page.getByTestId('grades-template-moodle').click();
  await page.getByTestId('grades-item-name').fill('Week 6 problems');
  await expect(header(page)).toHaveText(['ID number', 'Email address', 'Week 6 problems']);
  await expect(cells(page).first()).toHaveText('s9502754');
  await expect(cells(page).last()).toHaveText('85.00');

  await page.getByTestId('grades-export').click();
  const result = page.getByTestId('grades-export-result');
  const written = `${bridgeData()}/chosen/demo_course_grade_report-moodle.csv`;
  await expect(result.getByTestId('grades-export-file-path')).toHaveText(written, { timeout: 15_000 });
  const lines = readFileSync(written, 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe('ID number,Email address,Week 6 problems');
  expect(lines[1]).toMatch(/^s9502754,[^,]+@[^,]+,85\.00$/);
  expect(lines).toHaveLength(1 + 234);

  // History: the export is recorded; reopening brings the report and its last settings back.
  await page.getByTestId('grades-tab-history').click();
  const newest = page.getByTestId('grades-history-row').first();
  await expect(newest).toContainText('demo_course_grade_report.csv');
  await expect(newest).toContainText('Moodle');
  await expect(newest.getByTestId('grades-history-export-path')).toHaveText(written);
  await newest.getByTestId('grades-reopen').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('grades-review-title')).toHaveText('demo_course_grade_report.csv');
  await expect(page.getByTestId('grades-count-matched')).toHaveAttribute('data-count', '234');
  await expect(page.getByTestId('grades-template')).toHaveAttribute('data-value', 'moodle');
  await expect(page.getByTestId('grades-item-name')).toHaveValue('Week 6 problems');
  await expect(header(page)).toHaveText(['ID number', 'Email address', 'Week 6 problems']);
});
