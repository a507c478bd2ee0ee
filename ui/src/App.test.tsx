import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import type { AppInfo } from './bindings';
import { createQueryClient } from './lib/queries';
import { demoAppInfo as info } from './test/fixtures';

afterEach(() => {
  clearMocks();
  window.location.hash = '';
});

function answer(appInfo: AppInfo) {
  mockIPC((cmd) => {
    if (cmd === 'app_info') return appInfo;
    if (cmd === 'list_connections') return [];
    throw `unexpected ${cmd}`;
  });
}

describe('App', () => {
  it('opens on Learners with the version and the demo banner', async () => {
    answer(info);
    render(<App queryClient={createQueryClient()} />);
    expect((await screen.findByTestId('app-version')).textContent).toBe('v1.2.3');
    expect((await screen.findByTestId('demo-banner')).textContent).toContain('Demo mode');
    // The first screen is loaded lazily: allow for a busy machine.
    expect((await screen.findByTestId('screen-title', {}, { timeout: 5000 })).textContent).toBe('Learners');
    expect(window.location.hash).toBe('#/learners');
    for (const key of ['learners', 'grades', 'launch', 'enrollments', 'connections', 'activity']) {
      expect(screen.getByTestId(`nav-${key}`)).toBeTruthy();
    }
  });

  it('jumps to a screen with Ctrl+2 and lists the shortcuts on ?', async () => {
    answer(info);
    render(<App queryClient={createQueryClient()} />);
    // The first screen is loaded lazily: allow for a busy machine.
    expect((await screen.findByTestId('screen-title', {}, { timeout: 5000 })).textContent).toBe('Learners');
    fireEvent.keyDown(document.documentElement, { key: '2', code: 'Digit2', ctrlKey: true });
    await waitFor(() => expect(window.location.hash).toBe('#/grades'));
    fireEvent.keyDown(document.documentElement, { key: '?', code: 'Slash', shiftKey: true });
    const rows = await screen.findAllByTestId('shortcut');
    expect(rows.map((r) => r.textContent)).toEqual(expect.arrayContaining(['CtrlKJump to a screen or run an action (the command palette)', 'Ctrl2Go to Grades']));
  });

  it('shows no demo banner outside demo mode', async () => {
    answer({ ...info, demo: false, sandbox_url: null });
    render(<App queryClient={createQueryClient()} />);
    await screen.findByTestId('app-version');
    expect(screen.queryByTestId('demo-banner')).toBeNull();
  });

  it('starts from what the first frame was told, and takes that frame away once a screen is drawn', async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      throw `unexpected ${cmd}`;
    });
    const frame = document.createElement('div');
    frame.id = 'boot';
    document.body.append(frame);
    render(<App boot={Promise.resolve({ appInfo: info, connections: [] })} />);
    expect((await screen.findByTestId('app-version')).textContent).toBe('v1.2.3');
    expect((await screen.findByTestId('screen-title', {}, { timeout: 5000 })).textContent).toBe('Learners');
    // It goes with the screen drawn. The core was not asked again.
    await waitFor(() => expect(document.getElementById('boot')).toBeNull());
    expect(await screen.findByText('No Open edX connection yet')).toBeTruthy();
    expect(asked).not.toContain('app_info');
    expect(asked).not.toContain('list_connections');
  });

  it('asks the core itself for what the first frame could not get', async () => {
    answer(info);
    render(<App boot={Promise.resolve({})} />);
    expect((await screen.findByTestId('app-version')).textContent).toBe('v1.2.3');
  });
});
