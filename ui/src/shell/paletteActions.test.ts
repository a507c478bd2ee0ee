import { describe, expect, it, vi } from 'vitest';
import { buildPaletteActions } from './paletteActions';
import { screens } from './screens';

describe('command palette actions', () => {
  const navigate = vi.fn<(path: string) => void>();
  const openLogsFolder = vi.fn<() => void>();
  const openAbout = vi.fn<() => void>();
  const actions = buildPaletteActions({ navigate, openLogsFolder, openAbout });

  it('offers a jump to every screen, in sidebar order, then the actions', () => {
    expect(actions.map((a) => a.id)).toEqual([
      'go-learners',
      'go-grades',
      'go-launch',
      'go-enrollments',
      'go-connections',
      'go-activity',
      'open-logs-folder',
      'report-problem',
    ]);
    expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length);
    expect(actions.filter((a) => a.group === 'Go to')).toHaveLength(screens.length);
  });

  it('jumps to the screen’s path', () => {
    for (const screen of screens) {
      navigate.mockClear();
      actions.find((a) => a.id === `go-${screen.key}`)?.run();
      expect(navigate).toHaveBeenCalledExactlyOnceWith(screen.path);
    }
  });

  it('opens the logs folder', () => {
    actions.find((a) => a.id === 'open-logs-folder')?.run();
    expect(openLogsFolder).toHaveBeenCalledOnce();
    expect(navigate).not.toHaveBeenCalledWith(expect.stringContaining('logs'));
  });

  it('opens About to report a problem', () => {
    actions.find((a) => a.id === 'report-problem')?.run();
    expect(openAbout).toHaveBeenCalledOnce();
  });

  it('describes every entry in plain words and says which screens are not built', () => {
    for (const action of actions) {
      expect(action.label).not.toBe('');
      expect(action.description.length).toBeGreaterThan(10);
      expect(action.keywords.length).toBeGreaterThan(0);
    }
    for (const screen of screens.filter((s) => !s.built)) {
      expect(actions.find((a) => a.screen === screen.key)?.description).toContain('not built yet');
    }
  });
});
