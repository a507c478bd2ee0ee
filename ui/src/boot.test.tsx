import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { MantineProvider } from '@mantine/core';
import type { ProfileView } from './bindings';
import { bootFailed, endBoot, paintBoot } from './boot';
import { DemoBanner } from './shell/DemoBanner';
import { DEMO_BANNER_TEXT } from './shell/screens';
import { theme } from './theme';
import { demoAppInfo as info } from './test/fixtures';

function openEdx(name: string, providers: string[]): ProfileView {
  return {
    profile: {
      id: name,
      name,
      settings: {
        kind: 'openedx',
        base_url: 'https://lms.example.edu',
        client_id: 'client',
        token_type: 'jwt',
        client_auth: 'basic',
        scopes: [],
        providers,
      },
      network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
      secret_env: null,
      demo: false,
      created_at: '',
      updated_at: '',
    },
    secrets: [],
  };
}

const boot = () => document.getElementById('boot');

afterEach(() => {
  clearMocks();
  endBoot();
  window.location.hash = '';
});

describe('the first frame', () => {
  it('draws the shell at once, then the connection and providers the core sent', async () => {
    let answer: (value: ProfileView[]) => void = () => undefined;
    mockIPC((cmd) => {
      if (cmd === 'app_info') return info;
      if (cmd === 'list_connections') return new Promise<ProfileView[]>((resolve) => (answer = resolve));
      throw `unexpected ${cmd}`;
    });
    const painted = paintBoot();
    // Before the core has answered: the shell and the screen's name, nothing made up.
    expect(boot()?.querySelector('.boot-name')?.textContent).toBe('Crosswalk');
    expect([...boot()!.querySelectorAll('.boot-link')].map((l) => l.textContent)).toEqual(
      expect.arrayContaining(['Learners', 'Grades', 'Enrollments']),
    );
    expect(boot()?.querySelector('.boot-active')?.textContent).toBe('Learners');
    expect(boot()?.querySelector('.boot-title')?.textContent).toBe('Learners');
    expect(boot()?.textContent).not.toContain('saml-demo-univ');

    await waitFor(() => expect(answer).not.toBe(undefined));
    answer([openEdx('Main LMS', ['saml-demo-univ', 'saml-other'])]);
    const data = await painted;
    expect(data.appInfo?.version).toBe('1.2.3');
    expect(data.connections).toHaveLength(1);
    const text = boot()?.textContent ?? '';
    expect(text).toContain('Main LMS');
    expect(text).toContain('saml-demo-univ');
    expect(text).toContain('saml-other');
    expect(boot()?.querySelector('.boot-badge')?.textContent).toBe('v1.2.3');
    expect((boot()?.querySelector('.boot-banner') as HTMLElement).hidden).toBe(false);
    expect(boot()?.getAttribute('aria-hidden')).toBe('true');
  });

  it('shows names from outside systems as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.hacked=1">';
    mockIPC((cmd) => (cmd === 'app_info' ? { ...info, demo: false } : [openEdx(hostile, [hostile])]));
    await paintBoot();
    expect(boot()?.querySelector('img')).toBeNull();
    expect(boot()?.textContent).toContain(hostile);
    expect((boot()?.querySelector('.boot-banner') as HTMLElement).hidden).toBe(true);
  });

  it('opens on the screen in the address', async () => {
    window.location.hash = '#/grades';
    mockIPC((cmd) => (cmd === 'app_info' ? info : [openEdx('Main LMS', ['saml-demo-univ'])]));
    await paintBoot();
    expect(boot()?.querySelector('.boot-title')?.textContent).toBe('Grades');
    expect(boot()?.querySelector('.boot-active')?.textContent).toBe('Grades');
    // The providers belong to the Learners screen only.
    expect(boot()?.textContent).not.toContain('saml-demo-univ');
  });

  it('still draws when the core fails, and leaves saying what went wrong to the screens', async () => {
    mockIPC(() => {
      throw { code: 'internal', message: 'settings unreadable' };
    });
    const data = await paintBoot();
    expect(data).toEqual({ appInfo: undefined, connections: undefined });
    expect(boot()?.querySelector('.boot-title')?.textContent).toBe('Learners');
    expect(boot()?.textContent).not.toContain('settings unreadable');
  });

  it('says what to do when the screens cannot be loaded, and goes when the app is drawn', async () => {
    mockIPC((cmd) => (cmd === 'app_info' ? info : []));
    await paintBoot();
    bootFailed(new Error('Importing a module script failed.'));
    expect(boot()?.querySelector('.boot-error')?.textContent).toMatch(
      /^Crosswalk could not load its screens \(Importing a module script failed\.\)\. Close the app and open it again/,
    );
    endBoot();
    expect(boot()).toBeNull();
  });

  it('says what the demo banner says', () => {
    render(
      <MantineProvider theme={theme}>
        <MemoryRouter>
          <DemoBanner />
        </MemoryRouter>
      </MantineProvider>,
    );
    expect(screen.getByTestId('demo-banner').textContent).toBe(DEMO_BANNER_TEXT);
  });
});
