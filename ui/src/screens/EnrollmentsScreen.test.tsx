import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Association, EnrollmentCounts, ProfileView, StudentToken } from '../bindings';
import { renderWithProviders } from '../test/render';
import EnrollmentsScreen from './EnrollmentsScreen';

const network = { proxy: { mode: 'system' as const }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 };

function ooapi(id: string, transport: 'direct' | 'receiver'): ProfileView {
  return {
    profile: {
      id,
      name: transport === 'direct' ? 'Partner (direct)' : 'Partner (receiver)',
      settings: {
        kind: 'ooapi',
        schac_home: 'partner.example.nl',
        persons_url: 'https://ooapi.partner.example.nl/persons',
        associations_url: 'https://ooapi.partner.example.nl/associations',
        token_url: 'https://auth.partner.example.nl/token',
        client_id: 'crosswalk',
        scopes: [],
        audience: null,
        introspection_url: null,
        introspection_client_id: null,
        transport,
      },
      network,
      secret_env: null,
      demo: false,
      created_at: '',
      updated_at: '',
    },
    secrets: [{ field: 'client_secret', label: 'client secret', source: 'keyring' }],
  };
}

function row(id: number, state: string | null, extra: Partial<Association> = {}): Association {
  return {
    id,
    profile_id: 'direct',
    home: 'partner.example.nl',
    association_id: `a${id}`,
    person_id: `p${id}`,
    person_name: `Student ${id}`,
    person_email: null,
    offering_id: null,
    offering_code: 'DS-101',
    offering_name: null,
    offering_start: null,
    offering_end: null,
    role: 'student',
    state,
    remote_state: 'associated',
    result: null,
    status: 'ok',
    warning: null,
    first_seen: '2026-11-01T09:00:00Z',
    state_since: '2026-11-01T09:00:00Z',
    last_checked: null,
    next_check: null,
    last_error: null,
    offering_result_type: null,
    stuck: false,
    ...extra,
  };
}

const counts: EnrollmentCounts = { total: 3, pending: 1, queued: 0, associated: 1, denied: 0, canceled: 0, finished: 0, stuck: 1, error: 1 };

afterEach(() => clearMocks());

describe('Enrollments screen', () => {
  it('shows the back end’s counts as chips, flags the stuck row, and keeps a pasted student token as the back end says', async () => {
    const asked: [string, unknown][] = [];
    let kept: StudentToken | null = null;
    mockIPC((cmd, args) => {
      asked.push([cmd, args]);
      switch (cmd) {
        case 'list_connections':
          return [ooapi('direct', 'direct')];
        case 'enrollments_list':
          return { rows: [row(1, 'pending', { stuck: true }), row(2, 'associated'), row(3, null, { status: 'unknown', association_id: null })], counts };
        case 'jobs_list':
          return [];
        case 'enrollments_student_token':
          return kept;
        case 'enrollments_paste_student_token': {
          const { token } = args as { token: string };
          if (token === 'refused') throw { code: 'remote', message: 'The home institution does not accept this token.' };
          kept = { profile_id: 'direct', person_id: 'p1', name: 'Zoë de Vries', email: null, expires_at: null, pasted_at: '' };
          return kept;
        }
        default:
          return null;
      }
    });
    renderWithProviders(<EnrollmentsScreen />);

    await waitFor(() => expect(screen.getByTestId('chip-stuck').getAttribute('data-count')).toBe('1'));
    expect(screen.getByTestId('chip-all').getAttribute('data-count')).toBe('3');
    expect(screen.getByTestId('enrollments-transport').textContent).toContain('Reached directly');

    // A refused token: the back end's words, nothing kept.
    fireEvent.click(await screen.findByTestId('student-token-paste'));
    fireEvent.change(await screen.findByTestId('student-token-input'), { target: { value: 'refused' } });
    fireEvent.click(screen.getByTestId('student-token-save'));
    expect((await screen.findByTestId('student-token-problem')).textContent).toContain('does not accept this token');

    // A good one: whose it is, shown once the back end kept it.
    fireEvent.change(screen.getByTestId('student-token-input'), { target: { value: 'good-token' } });
    fireEvent.click(screen.getByTestId('student-token-save'));
    expect((await screen.findByTestId('student-token')).textContent).toContain('Acting for Zoë de Vries');
    expect(asked).toContainEqual(['enrollments_paste_student_token', { connectionId: 'direct', token: 'good-token' }]);
    expect(document.body.textContent).not.toContain('good-token');
  });

  it('offers no student token for a connection through the enrollment receiver', async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case 'list_connections':
          return [ooapi('receiver', 'receiver')];
        case 'enrollments_list':
          return { rows: [], counts: { ...counts, total: 0, pending: 0, associated: 0, stuck: 0, error: 0 } };
        default:
          return cmd === 'jobs_list' ? [] : null;
      }
    });
    renderWithProviders(<EnrollmentsScreen />);
    expect((await screen.findByTestId('enrollments-transport')).textContent).toContain('enrollment receiver');
    expect(screen.queryByTestId('student-token-paste')).toBeNull();
  });
});
