// Every screen in the sidebar, in order. Plain data: the shell adds icons, the router adds components.

export type ScreenKey = 'learners' | 'grades' | 'launch' | 'enrollments' | 'connections' | 'activity';

export interface Screen {
  key: ScreenKey;
  path: string;
  label: string;
  /** One line for the command palette. */
  summary: string;
  /** Extra words people might type to find it. */
  keywords: string[];
  /** Built in this version, or only described. */
  built: boolean;
}

export const screens: readonly Screen[] = [
  {
    key: 'learners',
    path: '/learners',
    label: 'Learners',
    summary: "Look up who learners are in the university's identity provider: one or thousands, even offline",
    keywords: [
      'mapping',
      'username',
      'remote id',
      'saml',
      'identity',
      'provider',
      'students',
      'lookup',
      'bulk',
      'mirror',
      'sync',
      'permissions',
      'export',
    ],
    built: true,
  },
  {
    key: 'grades',
    path: '/grades',
    label: 'Grades',
    summary: 'Turn Open edX grade reports into files your LMS or SIS can import',
    keywords: ['grade report', 'reconcile', 'export', 'lms', 'sis', 'csv'],
    built: true,
  },
  {
    key: 'launch',
    path: '/launch',
    label: 'Launch',
    summary: 'OpenLearning single sign-on launch links',
    keywords: ['openlearning', 'sso', 'single sign-on', 'link'],
    built: true,
  },
  {
    key: 'enrollments',
    path: '/enrollments',
    label: 'Enrollments',
    summary: 'OOAPI enrollments of students from partner institutions: follow them, step in when one is stuck',
    keywords: ['ooapi', 'enrolment', 'association', 'institution', 'exchange', 'eduxchange', 'euroteq', 'stuck'],
    built: true,
  },
  {
    key: 'connections',
    path: '/connections',
    label: 'Connections',
    summary: 'The Open edX, OpenLearning and OOAPI systems Crosswalk talks to',
    keywords: ['settings', 'servers', 'oauth', 'client id', 'keyring'],
    built: true,
  },
  {
    key: 'activity',
    path: '/activity',
    label: 'Activity',
    summary: 'The audit trail: everything Crosswalk did on a remote system',
    keywords: ['audit', 'log', 'history', 'trail', 'errors'],
    built: true,
  },
];

export const defaultScreen: Screen = screens[0]!;

export function screenByKey(key: ScreenKey): Screen {
  const found = screens.find((s) => s.key === key);
  if (!found) throw new Error(`No screen called ${key}`);
  return found;
}

// Words the first frame (boot.ts, drawn before React) shares with the screens it stands in for, so
// the real screen replaces it without the text moving.

/** The Learners screen's explanation under its title. */
export const LEARNERS_EXPLANATION =
  "Open edX grade exports name learners only by their Open edX username. This screen tells you who each of those " +
  "usernames is in your university's identity provider (the \"remote ID\", for example a student number), and the " +
  'other way round: look up one learner or ten thousand, keep a local mirror for instant and offline answers, see ' +
  "every link of one learner, check which connection may read which provider, or browse a provider's whole list.";

export type LearnersTab = 'lookup' | 'mirror' | 'learner' | 'permissions' | 'browse';

/** The Learners screen's tabs, in order. */
export const LEARNERS_TABS: readonly { key: LearnersTab; label: string }[] = [
  { key: 'lookup', label: 'Look up' },
  { key: 'mirror', label: 'Mirror' },
  { key: 'learner', label: 'One learner' },
  { key: 'permissions', label: 'Permissions' },
  { key: 'browse', label: 'Browse' },
];

/** The demo banner above every screen while no connection of one's own is set up. */
export const DEMO_BANNER_TEXT =
  "Demo mode: you are looking at made-up data from Crosswalk's built-in sandbox. Add a connection in Connections " +
  'to use your own systems.';
