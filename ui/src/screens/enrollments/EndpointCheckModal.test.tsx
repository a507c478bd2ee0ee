import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckItem, CheckReport, ProfileView } from '../../bindings';
import { renderWithProviders } from '../../test/render';
import { EndpointCheckModal } from './EndpointCheckModal';

const network = { proxy: { mode: 'system' as const }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 };

const ours: ProfileView = {
  profile: {
    id: 'ours',
    name: 'Our home endpoints',
    settings: {
      kind: 'ooapi',
      schac_home: 'uni.example.edu',
      persons_url: 'https://ooapi.uni.example.edu/persons',
      associations_url: 'https://ooapi.uni.example.edu/associations',
      token_url: 'https://auth.example.edu/token',
      client_id: 'crosswalk',
      scopes: [],
      audience: null,
      introspection_url: 'https://auth.example.edu/introspect',
      introspection_client_id: 'resource-server',
    },
    network,
    secret_env: null,
    demo: false,
    created_at: '',
    updated_at: '',
  },
  secrets: [],
};

function cell(check: string, endpoint: CheckItem['endpoint'], verdict: CheckItem['verdict'], detail: string, hint: string | null = null): CheckItem {
  return { check, endpoint, title: check, verdict, detail, hint, spec_defects: [], latency_ms: 12, exchange: 'GET …\nAuthorization: Bearer [token]' };
}

const report: CheckReport = {
  profile_id: 'ours',
  profile_name: 'Our home endpoints',
  schac_home: 'uni.example.edu',
  persons_url: ours.profile.settings.kind === 'ooapi' ? ours.profile.settings.persons_url : '',
  associations_url: '',
  sis_url: null,
  started_at: new Date().toISOString(),
  finished_at: new Date().toISOString(),
  token: {
    source: 'pasted',
    active: true,
    expires_at: null,
    expires_in_secs: 3000,
    scopes: ['email'],
    required_scopes: ['uni.example.edu/persons', 'uni.example.edu/results', 'email'],
    missing_scopes: ['uni.example.edu/persons', 'uni.example.edu/results'],
    email: 'ada@uni.example.edu',
    client_id: 'broker',
    audience: [],
  },
  items: [
    cell('auth.no_token', 'persons_me', 'pass', 'Refused with 401.'),
    cell('get.unknown_id', 'get_association', 'fail', 'Answered 200 for an association that does not exist.', 'Answer 404 problem+json.'),
    cell('latency', 'persons_me', 'warn', 'The slowest call took 16 s.', 'Make it faster.'),
  ],
  counts: { pass: 1, info: 0, skipped: 0, warn: 1, fail: 1 },
  problem_dialect: 'v5 (status a string)',
  created: ['c0ffee00-0000-4000-8000-000000000000'],
  diff: [{ check: 'get.unknown_id', endpoint: 'get_association', title: 'Unknown id → 404', before: 'pass', after: 'fail' }],
  previous_run_at: new Date(Date.now() - 86_400_000).toISOString(),
};

describe('EndpointCheckModal', () => {
  afterEach(() => clearMocks());

  it('sends the pasted token once, shows the matrix, opens the first failure and what changed, and forgets the token', async () => {
    const asked: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      asked.push([cmd, args]);
      switch (cmd) {
        case 'list_connections':
          return [ours];
        case 'endpoint_check_last':
          return null;
        case 'endpoint_check_run':
          return report;
        default:
          return null;
      }
    });
    renderWithProviders(<EndpointCheckModal opened connectionId="ours" onClose={() => {}} />);
    await screen.findByTestId('endpoint-check-never');
    const run = screen.getByTestId('endpoint-check-run');
    expect(run).toHaveProperty('disabled', true);
    const token = within(screen.getByTestId('endpoint-check-token').parentElement!.parentElement!).getByLabelText(/Access token/);
    fireEvent.change(token, { target: { value: 'eyJ.test-student.token' } });
    await waitFor(() => expect(screen.getByTestId('endpoint-check-run')).toHaveProperty('disabled', false));
    fireEvent.click(screen.getByTestId('endpoint-check-run'));

    const summary = await screen.findByTestId('endpoint-check-summary');
    expect(summary.getAttribute('data-failed')).toBe('1');
    expect(summary.textContent).toContain('1 check(s) failed');
    expect(screen.getByTestId('endpoint-check-token-facts').textContent).toContain('missing uni.example.edu/persons uni.example.edu/results');
    const runs = asked.filter(([c]) => c === 'endpoint_check_run');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.[1]).toMatchObject({ input: { profile_id: 'ours', token: { kind: 'pasted', token: 'eyJ.test-student.token' } } });
    // The first failure is opened, with what to do.
    const detail = screen.getByTestId('endpoint-check-detail');
    expect(detail.textContent).toContain('Answered 200 for an association that does not exist.');
    expect(screen.getByTestId('endpoint-check-hint').textContent).toContain('Answer 404 problem+json.');
    // Three cells, each with its verdict; another one opens on click.
    const cells = screen.getAllByTestId('matrix-cell');
    expect(cells.map((c) => c.getAttribute('data-verdict')).sort()).toEqual(['fail', 'pass', 'warn']);
    fireEvent.click(cells.find((c) => c.getAttribute('data-check') === 'latency')!);
    expect(screen.getByTestId('endpoint-check-detail').textContent).toContain('The slowest call took 16 s.');
    expect(screen.getByTestId('endpoint-check-diff').textContent).toContain('Pass → Fail');
    // The pasted token is not kept on screen.
    expect((token as HTMLInputElement).value).toBe('');
  });
});
