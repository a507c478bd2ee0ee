// The app-wide keyboard shortcuts, as the shortcuts overlay lists them.
import { screens } from './screens';

export interface Shortcut {
  keys: string[];
  what: string;
}

/** Every app-wide shortcut; `mod` is Ctrl, or ⌘ on a Mac. */
export function shortcuts(mod: string): Shortcut[] {
  return [
    { keys: [mod, 'K'], what: 'Jump to a screen or run an action (the command palette)' },
    ...screens.map((s, i) => ({ keys: [mod, String(i + 1)], what: `Go to ${s.label}` })),
    { keys: ['?'], what: 'Show these shortcuts' },
    { keys: ['Esc'], what: 'Close a dialog, drawer or the palette' },
  ];
}
