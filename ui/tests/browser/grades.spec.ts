import type { Page } from '@playwright/test';
import type { ExportOptions, ReconcileRequest } from '../../src/bindings';
import { appInfo, type MockConfig } from './fixtures';
import {
  AMBIGUOUS_USERNAME,
  DEMO_PATH,
  demoCounts,
  EXPORT_DIR,
  PROBLEM_REPORT_PATH,
  VISITORS,
  withGrades,
  type GradesMockConfig,
} from './gradesFixtures';
import { mockBackend, recordedCalls } from './mockBackend';
import { expect, test } from './test';

async function openGrades(page: Page, grades: Partial<GradesMockConfig> = {}, overrides: Partial<MockConfig> = {}) {
  await mockBackend(page, withGrades(grades, overrides));
  await page.goto('./#/grades');
  await expect(page.getByTestId('screen-title')).toHaveText('Grades');
}

/** Picks an option of a Mantine select. */
async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function loadDemo(page: Page) {
  await page.getByTestId('grades-demo-report').click();
  await expect(page.getByTestId('grades-file-kind')).toHaveText('Course grade report');
}

async function matchDemo(page: Page) {
  await loadDemo(page);
  await page.getByTestId('grades-match').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 10_000 });
}

const counts: [string, number][] = [
  ['all', demoCounts.rows],
  ['matched', demoCounts.matched],
  ['not_linked', demoCounts.not_linked],
  ['ambiguous', demoCounts.ambiguous],
  ['unenrolled', demoCounts.unenrolled],
  ['problem', demoCounts.problems],
];

test('the demo report: what was recognised, the columns, a match with progress, the counts and the rows', async ({
  page,
  saveScreenshot,
}) => {
  // Slow live lookups, so the progress can be seen.
  await openGrades(page, { lookupChunkMs: 700 });
  await expect(page.getByTestId('grades-drop-zone')).toContainText('Drop a grade report here');
  await saveScreenshot('grades-load');

  await loadDemo(page);
  await expect(page.getByTestId('grades-file-name')).toHaveText('demo_course_grade_report.csv');
  await expect(page.getByTestId('grades-file-encoding')).toHaveText('UTF-8');
  await expect(page.getByTestId('grades-file-delimiter')).toHaveText('comma (,)');
  await expect(page.getByTestId('grades-file-columns')).toHaveText('13');
  await expect(page.getByTestId('grades-sample').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('grades-sample')).toContainText('learner0001');

  // The columns Crosswalk recognised are filled in; the grade to export is changed to the exam.
  await expect(page.getByTestId('grades-map-username')).toHaveValue('Username (column C)');
  await expect(page.getByTestId('grades-map-student_id')).toHaveValue('Student ID (column A)');
  await expect(page.getByTestId('grades-map-enrollment_status')).toHaveValue('Enrollment Status (column M)');
  await expect(page.getByTestId('grades-map-grade')).toHaveValue('Grade (column D)');
  await pick(page, 'grades-map-grade', 'Exam (column G)');
  await expect(page.getByTestId('grades-map-grade')).toHaveValue('Exam (column G)');
  await expect(page.getByTestId('grades-connection')).toHaveValue('Demo LMS (staff application) (demo)');
  await expect(page.getByTestId('grades-provider')).toHaveValue('saml-demo-univ');
  await expect(page.getByTestId('grades-live')).toBeChecked();
  await saveScreenshot('grades-check');

  await page.getByTestId('grades-match').click();
  await expect(page.getByTestId('grades-progress-text')).toContainText(
    'Looking up learners the mirror does not know: 50 of 60 usernames',
    { timeout: 10_000 },
  );
  await expect(page.getByTestId('grades-cancel')).toBeVisible();
  await saveScreenshot('grades-matching');

  const summary = page.getByTestId('grades-summary');
  await expect(summary).toBeVisible({ timeout: 10_000 });
  for (const [status, n] of counts) {
    await expect(page.getByTestId(`grades-count-${status}`)).toHaveAttribute('data-count', String(n));
  }
  await expect(page.getByTestId('grades-count-not_linked').getByTestId('grades-count-value')).toHaveText(String(VISITORS));
  await expect(page.getByTestId('grades-mirror-age')).toContainText('Matched with the local mirror of saml-demo-univ, synced 3 h ago.');
  await expect(page.getByTestId('grades-mirror-age')).toContainText('60 usernames the mirror did not know were looked up live');
  await expect(page.getByTestId('grades-problems')).toContainText('Line 212 has no username');
  await expect(page.getByTestId('grades-problems')).toContainText('Line 213 has 9 fields but the header has 13');

  const [call] = await recordedCalls(page, 'grades_reconcile');
  const request: ReconcileRequest = {
    path: DEMO_PATH,
    profile_id: 'demo-staff',
    provider_id: 'saml-demo-univ',
    columns: { username: 2, student_id: 0, email: 1, grade: 6, enrollment_status: 12 },
    live: true,
  };
  expect(call?.args.request).toEqual(request);
  expect(call?.args.taskId).toMatch(/^[0-9a-f-]{36}$/);
  expect(call?.args.onProgress).toMatch(/^__CHANNEL__:\d+$/);

  // Every row first, then only the ones not linked, with what to do about them.
  await expect(page.getByTestId('grades-rows-count')).toHaveText(`${demoCounts.rows} rows`);
  await page.getByTestId('grades-count-not_linked').click();
  await expect(page.getByTestId('grades-count-not_linked')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('grades-rows-count')).toHaveText(`${VISITORS} not linked rows`);
  await expect(page.getByTestId('grades-status-explanation')).toContainText('has no link to this provider');
  const rows = page.getByTestId('grade-row');
  await expect(rows.first()).toHaveAttribute('data-username', 'visitor001');
  for (const status of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))) {
    expect(status).toBe('not_linked');
  }
  await expect(rows.first()).toContainText('Not linked to saml-demo-univ');
  expect((await recordedCalls(page, 'grades_rows')).at(-1)?.args).toMatchObject({ status: 'not_linked', offset: 0 });
  await saveScreenshot('grades-not-linked');

  // The cards work from the keyboard too.
  await page.getByTestId('grades-count-ambiguous').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('grades-rows-count')).toHaveText('1 ambiguous row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-username', AMBIGUOUS_USERNAME);
  await expect(rows.first()).toContainText('demo-univ-2000042, demo-univ-7000042');
});

// What an export writes (layouts, grades, the error file) is tested against the real core in
// real/grades.spec.ts and real/grades_export.spec.ts; the mock's preview and export answers are
// canned. These specs keep what the bridge cannot do: the file manager, a closed save dialog.
test('export: the files written are shown in their folder, and the export is in History', async ({ page, saveScreenshot }) => {
  await openGrades(page);
  await matchDemo(page);
  await expect(page.getByTestId('grades-preview-counts')).toHaveText(
    '150 rows will be written, 2 skipped, 60 go to the error file.',
  );

  await page.getByTestId('grades-template-canvas').click();
  await page.getByTestId('grades-item-name').fill('Final grade');
  await page.getByTestId('grades-export').click();
  const result = page.getByTestId('grades-export-result');
  await expect(result).toContainText('150 rows written, 2 left out on purpose, 60 in the error file');
  await expect(result.getByTestId('grades-export-file-path')).toHaveText(`${EXPORT_DIR}/demo_course_grade_report-canvas.csv`);
  await expect(result.getByTestId('grades-errors-file-path')).toHaveText(
    `${EXPORT_DIR}/demo_course_grade_report-canvas.errors.csv`,
  );
  // The settings on screen are what the export was asked for.
  const options: ExportOptions = {
    template: 'canvas',
    format: 'csv',
    bom: false,
    grade_column: null,
    item_name: 'Final grade',
    scale: { kind: 'percent' },
    decimals: 2,
    letters: [],
    not_attempted: 'blank',
    include_unenrolled: false,
    columns: [],
  };
  const [exported] = await recordedCalls(page, 'grades_export');
  expect(exported?.args).toEqual({ id: 3, options });

  await result.getByTestId('grades-export-file-reveal').click();
  await result.getByTestId('grades-errors-file-reveal').click();
  await expect
    .poll(async () => (await recordedCalls(page, 'reveal_path')).map((c) => c.args.path))
    .toEqual([`${EXPORT_DIR}/demo_course_grade_report-canvas.csv`, `${EXPORT_DIR}/demo_course_grade_report-canvas.errors.csv`]);
  await saveScreenshot('grades-exported');

  await page.getByTestId('grades-tab-history').click();
  const newest = page.getByTestId('grades-history-row').first();
  await expect(newest).toContainText('demo_course_grade_report.csv');
  await expect(newest).toContainText('Canvas');
  await expect(newest.getByTestId('grades-history-export-path')).toHaveText(`${EXPORT_DIR}/demo_course_grade_report-canvas.csv`);
});

test('closing the save dialog exports nothing', async ({ page }) => {
  await openGrades(page, { exportDir: null });
  await matchDemo(page);
  await page.getByTestId('grades-export').click();
  await expect(page.getByText('You closed the save dialog, so no file was written.')).toBeVisible();
  await expect(page.getByTestId('grades-export-result')).toHaveCount(0);
  expect(await recordedCalls(page, 'grades_export')).toHaveLength(1);
});

test('a match that fails says why and what to do, and Retry matches again', async ({ page }) => {
  const message =
    'The username column (3) is not in the file, which has 2 columns. Choose the username column again, then press Match.';
  await openGrades(page, {}, { failures: { grades_reconcile: { times: 1, error: { code: 'invalid', message } } } });
  await loadDemo(page);
  await page.getByTestId('grades-match').click();

  const error = page.getByTestId('grades-match-error');
  await expect(error.getByTestId('error-message')).toHaveText(message);
  await expect(error.getByTestId('error-alert')).toHaveAttribute('data-error-code', 'invalid');
  await expect(page.getByTestId('grades-summary')).toHaveCount(0);
  await expect(page.getByTestId('grades-match')).toBeEnabled();

  await error.getByTestId('retry').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('grades-match-error')).toHaveCount(0);
  expect(await recordedCalls(page, 'grades_reconcile')).toHaveLength(2);
});

test('Cancel stops the live lookups and the summary says so', async ({ page }) => {
  // Slow enough to cancel between the first and the second chunk of 50.
  await openGrades(page, { lookupChunkMs: 2500 });
  await loadDemo(page);
  await page.getByTestId('grades-match').click();
  await expect(page.getByTestId('grades-progress-text')).toContainText('50 of 60 usernames', { timeout: 15_000 });
  await page.getByTestId('grades-cancel').click();

  await expect(page.getByTestId('grades-cancelled')).toContainText('You cancelled the live lookups', { timeout: 10_000 });
  // The first chunk of 50 was answered (3 found, 47 visitors not linked); the last 10 visitors
  // were never asked, so they are "not checked", not "not linked".
  await expect(page.getByTestId('grades-count-not_linked')).toHaveAttribute('data-count', String(VISITORS - 10));
  await expect(page.getByTestId('grades-count-not_checked')).toHaveAttribute('data-count', '10');
  await page.getByTestId('grades-count-not_checked').click();
  await expect(page.getByTestId('grade-row').first()).toContainText(
    'Open edX could not be asked about it (not asked: the lookup was cancelled first); match again to check it',
  );
  const [cancel] = await recordedCalls(page, 'cancel_task');
  const [reconcile] = await recordedCalls(page, 'grades_reconcile');
  expect(cancel?.args.taskId).toBe(reconcile?.args.taskId);
});

test('History: a changed report cannot be reopened; another reopens with its last export settings', async ({
  page,
  saveScreenshot,
}) => {
  await openGrades(page);
  await page.getByTestId('grades-tab-history').click();
  const rows = page.getByTestId('grades-history-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('final_grade_report.xlsx');
  await expect(rows.nth(0)).toContainText('Not exported');
  await expect(rows.nth(1)).toContainText('week6_problem_grade_report.csv');
  await expect(rows.nth(1)).toContainText('Moodle');
  await saveScreenshot('grades-history');

  await rows.nth(0).getByTestId('grades-reopen').click();
  await expect(page.getByTestId('grades-reopen-error')).toContainText('Could not reopen final_grade_report.xlsx');
  await expect(page.getByTestId('grades-reopen-error')).toContainText(
    'has changed since it was matched, so this reconciliation cannot be reopened as it was. Load the file again',
  );

  await rows.nth(1).getByTestId('grades-reopen').click();
  await expect(page.getByTestId('grades-summary')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('grades-review-title')).toHaveText('week6_problem_grade_report.csv');
  await expect(page.getByTestId('grades-count-matched')).toHaveAttribute('data-count', '7');
  await expect(page.getByTestId('grades-count-ambiguous')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('grades-count-not_linked')).toHaveAttribute('data-count', '1');
  // The last export's settings are back.
  await expect(page.getByTestId('grades-template')).toHaveAttribute('data-value', 'moodle');
  await expect(page.getByTestId('grades-item-name')).toHaveValue('Week 6 problems');
  expect((await recordedCalls(page, 'grades_reopen')).map((c) => c.args.id)).toEqual([2, 1]);
  expect((await recordedCalls(page, 'grades_last_options')).map((c) => c.args)).toEqual([{ id: 1 }]);
});

const notDemo = { appInfo: { ...appInfo, demo: false, sandbox_url: null } };

test('outside demo mode there is no demo report, and closing the open dialog changes nothing', async ({ page }) => {
  await openGrades(page, { openPath: null }, notDemo);
  await expect(page.getByTestId('grades-choose-file')).toBeVisible();
  await expect(page.getByTestId('grades-demo-report')).toHaveCount(0);
  await page.getByTestId('grades-choose-file').click();
  await expect.poll(async () => (await recordedCalls(page, 'grades_open_report')).length).toBe(1);
  await expect(page.getByTestId('grades-choose-file')).toBeEnabled();
  await expect(page.getByTestId('grades-drop-zone')).toBeVisible();
  await expect(page.getByTestId('error-alert')).toHaveCount(0);
});

test('Choose file… reads a problem grade report and says how it is written', async ({ page }) => {
  await openGrades(page, { openPath: PROBLEM_REPORT_PATH }, notDemo);
  await page.getByTestId('grades-choose-file').click();
  await expect(page.getByTestId('grades-file-kind')).toHaveText('Problem grade report');
  await expect(page.getByTestId('grades-file-encoding')).toHaveText('UTF-8 with BOM');
  await expect(page.getByTestId('grades-file-delimiter')).toHaveText('semicolon (;)');
  await expect(page.getByTestId('grades-map-grade')).toHaveValue('Grade (column E)');
  await expect(page.getByTestId('grades-map-enrollment_status')).toHaveValue('Enrollment Status (column D)');
});
