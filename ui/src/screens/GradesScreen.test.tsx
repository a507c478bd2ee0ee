import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AppInfo,
  ExportPreview,
  GradeFile,
  GradeRowPage,
  ProfileView,
  ReconcileProgress,
  ReconcileRequest,
  Reconciliation,
} from '../bindings';
import { resetGradesSession } from '../lib/gradesSession';
import { demoAppInfo as info } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import GradesScreen from './GradesScreen';

const connection: ProfileView = {
  profile: {
    id: 'demo-staff',
    name: 'Demo LMS (staff application)',
    settings: {
      kind: 'openedx',
      base_url: 'http://127.0.0.1:47801/openedx',
      client_id: 'demo-staff-client',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-demo-univ', 'saml-partner'],
    },
    network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
    secret_env: null,
    demo: true,
    created_at: '',
    updated_at: '',
  },
  secrets: [{ field: 'client_secret', label: 'client secret', source: 'demo' }],
};

const demoFile: GradeFile = {
  path: '/data/demo/demo_course_grade_report.csv',
  file_name: 'demo_course_grade_report.csv',
  kind: 'course_grades',
  format: 'csv',
  encoding: 'UTF-8',
  delimiter: ',',
  headers: ['Student ID', 'Email', 'Username', 'Grade', 'Enrollment Status'],
  columns: { student_id: 0, email: 1, username: 2, grade: 3, enrollment_status: 4 },
  grade_columns: [3],
  sample: [
    ['1001', 'ann@example.edu', 'ann', '0.91', 'enrolled'],
    ['1002', 'bob@example.edu', 'bob', '0.42', 'enrolled'],
  ],
  size_bytes: 2048,
};

const customFile: GradeFile = {
  ...demoFile,
  path: '/home/staff/marks.csv',
  file_name: 'marks.csv',
  kind: 'custom',
  headers: ['Login', 'Mark'],
  columns: { student_id: null, email: null, username: null, grade: 1, enrollment_status: null },
  grade_columns: [1],
  sample: [['ann', '91']],
};

function reconciliationOf(request: ReconcileRequest): Reconciliation {
  return {
    id: 11,
    file: demoFile,
    request,
    checksum: 'abc',
    counts: { rows: 4, matched: 1, not_linked: 1, not_checked: 0, ambiguous: 1, unenrolled: 0, problems: 1 },
    problems: [{ line: 5, message: 'has no username' }],
    live_looked_up: 1,
    live_errors: [],
    cancelled: false,
    mirror_synced_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    created_at: new Date().toISOString(),
  };
}

const rows: GradeRowPage = {
  rows: [
    { line: 2, student_id: '1001', username: 'ann', email: '', grade: '0.91', remote_id: 'S-1', candidates: [], status: 'matched', message: '' },
    {
      line: 3,
      student_id: '1002',
      username: 'bob',
      email: '',
      grade: '0.42',
      remote_id: null,
      candidates: [],
      status: 'not_linked',
      message: 'Not linked to saml-demo-univ',
    },
  ],
  total: 4,
};

const preview: ExportPreview = {
  header: ['remote_id', 'username', 'grade'],
  rows: [['S-1', 'ann', '91.00']],
  rows_to_write: 1,
  skipped: 0,
  errors: 3,
};

afterEach(() => {
  clearMocks();
  resetGradesSession();
});

interface Answers {
  appInfo?: AppInfo;
  reconcile?: (request: ReconcileRequest, onProgress: Channel<ReconcileProgress>) => Reconciliation;
  openReport?: GradeFile | null;
}

function answer({ appInfo = info, reconcile, openReport = null }: Answers = {}) {
  const asked: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    asked.push([cmd, args]);
    switch (cmd) {
      case 'app_info':
        return appInfo;
      case 'list_connections':
        return [connection];
      case 'grades_history':
        return [];
      case 'grades_demo_report':
        return demoFile;
      case 'grades_open_report':
        return openReport;
      case 'grades_reconcile': {
        const { request, onProgress } = args as { request: ReconcileRequest; onProgress: Channel<ReconcileProgress> };
        if (!reconcile) throw `unexpected ${cmd}`;
        return reconcile(request, onProgress);
      }
      case 'grades_last_options':
        return null;
      case 'grades_rows':
        return rows;
      case 'grades_preview':
        return preview;
      default:
        throw `unexpected ${cmd}`;
    }
  });
  return asked;
}

describe('Grades screen', () => {
  it('reads the demo report, shows what it recognised, matches it and sums it up', async () => {
    const asked = answer({
      reconcile: (request, onProgress) => {
        onProgress.onmessage({ phase: 'looking_up', rows_read: 4, ids_done: 1, ids_total: 1, eta_ms: 0 });
        return reconciliationOf(request);
      },
    });
    renderWithProviders(<GradesScreen />);
    expect(screen.getByTestId('screen-title').textContent).toBe('Grades');
    fireEvent.click(await screen.findByTestId('grades-demo-report'));

    expect((await screen.findByTestId('grades-file-kind')).textContent).toBe('Course grade report');
    expect(screen.getByTestId('grades-file-delimiter').textContent).toBe('comma (,)');
    expect(screen.getByTestId('grades-sample').textContent).toContain('ann@example.edu');
    expect(screen.getByTestId<HTMLInputElement>('grades-map-username').value).toBe('Username (column C)');
    expect(screen.getByTestId<HTMLInputElement>('grades-map-grade').value).toBe('Grade (column D)');
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('grades-provider').value).toBe('saml-demo-univ'));

    fireEvent.click(screen.getByTestId('grades-match'));
    const summary = await screen.findByTestId('grades-summary');
    expect(summary).toBeTruthy();
    expect(screen.getByTestId('grades-count-all').getAttribute('data-count')).toBe('4');
    expect(screen.getByTestId('grades-count-matched').getAttribute('data-count')).toBe('1');
    expect(screen.getByTestId('grades-count-problem').getAttribute('data-count')).toBe('1');
    expect(screen.getByTestId('grades-problems').textContent).toContain('Line 5 has no username');
    expect(screen.getByTestId('grades-mirror-age').textContent).toContain('synced 2 h ago');
    expect((await screen.findAllByTestId('grade-row')).map((r) => r.getAttribute('data-status'))).toEqual(['matched', 'not_linked']);
    expect((await screen.findByTestId('grades-preview-counts')).textContent).toBe(
      '1 row will be written, 0 skipped, 3 go to the error file.',
    );

    const reconcile = asked.find(([cmd]) => cmd === 'grades_reconcile')?.[1] as { request: ReconcileRequest; taskId: string };
    expect(reconcile.request).toEqual({
      path: demoFile.path,
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      columns: demoFile.columns,
      live: true,
    });
    expect(reconcile.taskId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('filters the rows by the status clicked and says what it means', async () => {
    const asked = answer({ reconcile: (request) => reconciliationOf(request) });
    renderWithProviders(<GradesScreen />);
    fireEvent.click(await screen.findByTestId('grades-demo-report'));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('grades-provider').value).toBe('saml-demo-univ'));
    fireEvent.click(await screen.findByTestId('grades-match'));
    fireEvent.click(await screen.findByTestId('grades-count-ambiguous'));
    expect(screen.getByTestId('grades-count-ambiguous').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('grades-status-explanation').textContent).toContain('more than one remote ID');
    await waitFor(() =>
      expect(asked.filter(([cmd]) => cmd === 'grades_rows').map(([, a]) => (a as { status: string | null }).status)).toEqual([
        null,
        'ambiguous',
      ]),
    );
  });

  it('asks for the username column of a file it does not know before it matches', async () => {
    answer({ appInfo: { ...info, demo: false, sandbox_url: null }, openReport: customFile });
    renderWithProviders(<GradesScreen />);
    const choose = await screen.findByTestId('grades-choose-file');
    await waitFor(() => expect(screen.queryByTestId('grades-demo-report')).toBeNull());
    fireEvent.click(choose);

    expect((await screen.findByTestId('grades-file-kind')).textContent).toBe('Custom file');
    expect(screen.getByTestId('grades-custom-note').textContent).toContain('Open edX usernames');
    await waitFor(() => expect(screen.getByTestId('grades-match-hint').textContent).toBe('Choose the column that holds the Open edX usernames.'));
    expect(screen.getByTestId<HTMLButtonElement>('grades-match').disabled).toBe(true);
  });

  it('says why a match failed and keeps the report loaded', async () => {
    const message = 'The report changed while it was read. Download it again from Open edX, then load it here.';
    answer({
      reconcile: () => {
        throw { code: 'invalid', message };
      },
    });
    renderWithProviders(<GradesScreen />);
    fireEvent.click(await screen.findByTestId('grades-demo-report'));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('grades-provider').value).toBe('saml-demo-univ'));
    fireEvent.click(screen.getByTestId('grades-match'));
    const error = await screen.findByTestId('grades-match-error');
    expect(error.textContent).toContain('Could not match the report');
    expect(error.textContent).toContain(message);
    expect(screen.getByTestId('grades-file-kind')).toBeTruthy();
    expect(screen.queryByTestId('grades-summary')).toBeNull();
  });
});
