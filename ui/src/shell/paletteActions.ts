// What the command palette (Ctrl/Cmd+K) offers: a jump to every screen, then app-wide actions.
import { screens, type ScreenKey } from './screens';

export interface PaletteAction {
  id: string;
  label: string;
  description: string;
  keywords: string[];
  /** The screen it jumps to, if it is a jump (the palette shows that screen's icon). */
  screen?: ScreenKey;
  group: 'Go to' | 'Actions';
  run: () => void;
}

export interface PaletteHandlers {
  navigate: (path: string) => void;
  openLogsFolder: () => void;
  openAbout: () => void;
}

export function buildPaletteActions({ navigate, openLogsFolder, openAbout }: PaletteHandlers): PaletteAction[] {
  const jumps: PaletteAction[] = screens.map((screen) => ({
    id: `go-${screen.key}`,
    label: screen.label,
    description: screen.summary,
    keywords: [...screen.keywords, 'go', 'screen', 'open'],
    screen: screen.key,
    group: 'Go to',
    run: () => navigate(screen.path),
  }));

  const actions: PaletteAction[] = [
    {
      id: 'open-logs-folder',
      label: 'Open logs folder',
      description: "Show Crosswalk's log files in your file manager, for example to send them to support",
      keywords: ['logs', 'support', 'folder', 'files', 'debug', 'problem'],
      group: 'Actions',
      run: openLogsFolder,
    },
    {
      id: 'report-problem',
      label: 'Report a problem',
      description: 'Copy a problem report for a support ticket, or save a diagnostics bundle for the IT team (never a secret)',
      keywords: ['about', 'version', 'support', 'problem', 'bug', 'diagnostics', 'help'],
      group: 'Actions',
      run: openAbout,
    },
  ];

  return [...jumps, ...actions];
}
