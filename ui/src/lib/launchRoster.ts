// An imported roster on screen: what each row's Launch did, and how the file should look.
import type { Roster } from '../bindings';
import { countOf, formatClockTime } from './format';

/** What happened to a roster row's latest launch. Never the launch itself. */
export type RosterLaunch =
  /** Waiting for OpenLearning; `cancelTask(taskId)` stops it. */
  | { state: 'opening'; taskId: string }
  | { state: 'opened'; at: string; expiresAt: string | null; notes: string[] }
  | { state: 'failed'; code: string; message: string };

/** The row's status line: "Opening…", "Opened at 14:41:07", or the back end's message. */
export function rosterLaunchText(launch: RosterLaunch | undefined, locale?: string, timeZone?: string): string {
  if (!launch) return '';
  switch (launch.state) {
    case 'opening':
      return 'Opening…';
    case 'opened':
      return `Opened at ${formatClockTime(launch.at, locale, timeZone)}`;
    case 'failed':
      return launch.message;
  }
}

/** "12 learners from roster.csv; 2 lines could not be read". */
export function rosterSummary(roster: Roster): string {
  const rows = `${countOf(roster.rows.length, 'learner')} from ${roster.file_name}`;
  if (roster.problems.length === 0) return rows;
  return `${rows}; ${countOf(roster.problems.length, 'line')} could not be read`;
}

export interface RosterColumn {
  name: string;
  required: boolean;
  meaning: string;
}

/** The columns a roster file may have; the back end finds them by their header (crates/core/src/openlearning/roster.rs). */
export const rosterColumns: RosterColumn[] = [
  {
    name: 'external_id',
    required: true,
    meaning: 'The learner\'s institution external id. "student id" or "student number" work as headers too.',
  },
  { name: 'class_id', required: false, meaning: 'The OpenLearning class to enrol the learner into.' },
  { name: 'context_id', required: false, meaning: "Your system's id for the class delivery; wins over class_id." },
  { name: 'email', required: false, meaning: 'Pre-fills sign-up, or offers to link an existing account.' },
  { name: 'full_name', required: false, meaning: 'Pre-fills sign-up.' },
];

export const rosterExample = [
  'external_id,class_id,context_id,email,full_name',
  's1234567,class-101,,ada.lovelace@student.example.edu,Ada Lovelace',
  's7654321,,BIO101-2025-S1,,',
].join('\n');
