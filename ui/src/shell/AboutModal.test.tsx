import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../bindings';
import { renderWithProviders } from '../test/render';
import { AboutModal } from './AboutModal';

const info: AppInfo = {
  version: '0.1.0',
  commit: '0123456789',
  build_date: '2026-12-05',
  demo: false,
  data_dir: '/data',
  log_dir: '/data/logs',
  database: '/data/crosswalk.sqlite3',
  sandbox_url: null,
};

describe('AboutModal', () => {
  afterEach(() => clearMocks());

  it('shows the version and commit, copies the problem report from the back end and shows it, and saves the bundle', async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      if (cmd === 'copy_problem_report') return 'Crosswalk 0.1.0 (commit 0123456789, built 2026-12-05)\nOS: linux';
      if (cmd === 'save_diagnostics') return { path: '/tmp/crosswalk-diagnostics.zip', files: ['about.json', 'logs/x.log'] };
      return null;
    });
    renderWithProviders(<AboutModal opened onClose={() => {}} info={info} />);
    expect((await screen.findByTestId('about-version')).textContent).toBe('0.1.0');
    expect(screen.getByTestId('about-commit').textContent).toBe('0123456789');
    fireEvent.click(screen.getByTestId('about-copy-report'));
    expect((await screen.findByTestId('about-report')).textContent).toContain('OS: linux');
    fireEvent.click(screen.getByTestId('about-save-diagnostics'));
    await waitFor(() => expect(asked).toContain('save_diagnostics'));
    expect(await screen.findByText(/send this file to your IT team/)).toBeTruthy();
  });
});
