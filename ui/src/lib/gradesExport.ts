// The export settings as the form holds them, and the `ExportOptions` the back end takes. Checked
// here first, so the person reads what to fix beside the field instead of a failed preview.
import type {
  ColumnSource,
  CustomColumn,
  ExportOptions,
  ExportPreview,
  NotAttempted,
  OutputFormat,
  Template,
} from '../bindings';
import { countOf, formatCount } from './format';

export type ScaleKind = 'as_is' | 'percent' | 'points';

/** A letter band as typed: the percentage may be empty for a moment. */
export interface LetterRow {
  min: number | null;
  label: string;
}

export interface ExportForm {
  template: Template;
  itemName: string;
  /** Null: the grade column chosen when matching. */
  gradeColumn: number | null;
  scale: ScaleKind;
  /** For the points scale: the item's maximum. */
  pointsMax: number | null;
  decimals: number;
  /** Empty: write a number. */
  letters: LetterRow[];
  notAttempted: NotAttempted;
  includeUnenrolled: boolean;
  format: OutputFormat;
  bom: boolean;
  columns: CustomColumn[];
}

export const DEFAULT_ITEM_NAME = 'Open edX grade';
export const DEFAULT_POINTS = 100;
export const MAX_DECIMALS = 4;

/** The back end's own defaults (`ExportOptions::default`). */
export function defaultExportForm(): ExportForm {
  return {
    template: 'generic',
    itemName: DEFAULT_ITEM_NAME,
    gradeColumn: null,
    scale: 'percent',
    pointsMax: DEFAULT_POINTS,
    decimals: 2,
    letters: [],
    notAttempted: 'blank',
    includeUnenrolled: false,
    format: 'csv',
    bom: false,
    columns: [],
  };
}

export interface TemplateInfo {
  label: string;
  /** One line: what the receiving system imports. */
  imports: string;
  /** The template writes the item name into its header. */
  usesItemName: boolean;
}

export const templates: Record<Template, TemplateInfo> = {
  generic: {
    label: 'Generic',
    imports: 'Three columns, remote_id, username and grade: for a SIS or any import you set up yourself.',
    usesItemName: false,
  },
  canvas: {
    label: 'Canvas',
    imports: 'Canvas Gradebook → Import: finds each student by SIS User ID and fills one assignment column.',
    usesItemName: true,
  },
  moodle: {
    label: 'Moodle',
    imports: 'Moodle Grades → Import → CSV file: finds each user by ID number and fills one grade item.',
    usesItemName: true,
  },
  brightspace: {
    label: 'Brightspace',
    imports: 'Brightspace Grades → Import: finds each user by OrgDefinedId and fills one grade item’s points or symbol.',
    usesItemName: true,
  },
  custom: {
    label: 'Custom',
    imports: 'The columns you choose, in your order: for a system with its own import layout.',
    usesItemName: false,
  },
};

export const templateOrder: readonly Template[] = ['generic', 'canvas', 'moodle', 'brightspace', 'custom'];

export const scaleLabels: Record<ScaleKind, string> = {
  as_is: 'As in the report',
  percent: 'Percent',
  points: 'Points',
};

export const scaleExplanations: Record<ScaleKind, string> = {
  as_is: 'Written as the report has it: Open edX grades are fractions from 0 to 1 (0.85).',
  percent: 'Multiplied by 100: 0.85 becomes 85.',
  points: 'Multiplied by the item’s maximum: 0.85 of 20 points becomes 17.',
};

export const notAttemptedLabels: Record<NotAttempted, string> = {
  blank: 'Leave blank',
  zero: 'Write 0',
  skip: 'Leave the row out',
};

export const notAttemptedExplanations: Record<NotAttempted, string> = {
  blank: 'An empty grade: most gradebooks then leave the student’s grade as it is.',
  zero: 'A grade of 0, as if the learner had scored nothing.',
  skip: 'The learner is not in the file at all.',
};

export type LetterPreset = 'none' | 'pass_fail' | 'a_f';

export const letterPresets: Record<LetterPreset, { label: string; bands: LetterRow[] }> = {
  none: { label: 'None: write the number', bands: [] },
  pass_fail: {
    label: 'Pass/Fail at 50 %',
    bands: [
      { min: 50, label: 'Pass' },
      { min: 0, label: 'Fail' },
    ],
  },
  a_f: {
    label: 'A–F (90, 80, 70, 60 %)',
    bands: [
      { min: 90, label: 'A' },
      { min: 80, label: 'B' },
      { min: 70, label: 'C' },
      { min: 60, label: 'D' },
      { min: 0, label: 'F' },
    ],
  },
};

function sameBands(a: LetterRow[], b: LetterRow[]): boolean {
  return a.length === b.length && a.every((row, i) => row.min === b[i]?.min && row.label.trim() === b[i]?.label);
}

/** Which preset the letter table is, or `custom` once it was edited. */
export function presetOf(letters: LetterRow[]): LetterPreset | 'custom' {
  for (const key of Object.keys(letterPresets) as LetterPreset[]) {
    if (sameBands(letters, letterPresets[key].bands)) return key;
  }
  return 'custom';
}

export const columnSourceLabels: Record<Exclude<ColumnSource['kind'], 'column'>, string> = {
  remote_id: 'Remote ID (from the identity provider)',
  username: 'Open edX username',
  email: 'Email',
  student_id: 'Open edX student ID',
  grade: 'Grade (converted as set above)',
  text: 'The same text on every row',
};

/** A custom column's source as one select value: `grade`, `column:4`, `text`. */
export function sourceKey(source: ColumnSource): string {
  return source.kind === 'column' ? `column:${source.index}` : source.kind;
}

/** The source a select value stands for; `text` keeps the text typed so far. */
export function sourceFromKey(key: string, text = ''): ColumnSource {
  if (key.startsWith('column:')) return { kind: 'column', index: Number(key.slice('column:'.length)) };
  switch (key) {
    case 'remote_id':
    case 'username':
    case 'email':
    case 'student_id':
    case 'grade':
      return { kind: key };
    default:
      return { kind: 'text', value: text };
  }
}

/** What a new custom export starts with: the two columns every import needs. */
export function starterColumns(): CustomColumn[] {
  return [
    { header: 'remote_id', source: { kind: 'remote_id' } },
    { header: 'grade', source: { kind: 'grade' } },
  ];
}

export type ExportCheck = { ok: true; options: ExportOptions } | { ok: false; problems: string[] };

/** What the export form knows about the reconciliation it exports. */
export interface ExportContext {
  /** The grade column chosen when matching, if any. */
  mappedGrade: number | null;
}

function writesGrade(form: ExportForm): boolean {
  return form.template !== 'custom' || form.columns.some((c) => c.source.kind === 'grade');
}

/** The options to send, or what to fix first. */
export function toExportOptions(form: ExportForm, context: ExportContext): ExportCheck {
  const problems: string[] = [];
  const letters = form.letters.length > 0;

  if (form.gradeColumn === null && context.mappedGrade === null && writesGrade(form)) {
    problems.push('Choose the grade column to export: no grade column was chosen when matching.');
  }

  if (form.scale === 'points' && !letters && (form.pointsMax === null || !(form.pointsMax > 0))) {
    problems.push('Give the item’s maximum points (more than 0).');
  }
  if (!Number.isInteger(form.decimals) || form.decimals < 0 || form.decimals > MAX_DECIMALS) {
    problems.push(`Decimal places must be a whole number from 0 to ${MAX_DECIMALS}.`);
  }
  if (letters) {
    if (form.letters.some((b) => b.label.trim() === '')) problems.push('Give every band of the letter table a label.');
    if (form.letters.some((b) => b.min === null || b.min < 0 || b.min > 100)) {
      problems.push('Every band needs a lowest percentage from 0 to 100.');
    }
    const mins = form.letters.map((b) => b.min).filter((m): m is number => m !== null);
    if (new Set(mins).size !== mins.length) problems.push('Two bands of the letter table start at the same percentage.');
  }
  if (form.template === 'brightspace' && !letters && form.scale === 'as_is') {
    problems.push('Brightspace imports points: choose “Points” (the item’s maximum) or “Percent” as the scale.');
  }
  if (form.template === 'custom') {
    if (form.columns.length === 0) problems.push('A custom export needs at least one column: add the columns to write.');
    if (form.columns.some((c) => c.header.trim() === '')) problems.push('Give every custom column a header.');
  }
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    options: {
      template: form.template,
      format: form.format,
      bom: form.format === 'csv' && form.bom,
      grade_column: form.gradeColumn,
      item_name: form.itemName.trim() === '' ? DEFAULT_ITEM_NAME : form.itemName.trim(),
      scale:
        form.scale === 'points'
          ? { kind: 'points', max: form.pointsMax ?? DEFAULT_POINTS }
          : { kind: form.scale },
      decimals: form.decimals,
      letters: [...form.letters]
        .map((b) => ({ min_percent: b.min ?? 0, label: b.label.trim() }))
        .sort((a, b) => b.min_percent - a.min_percent),
      not_attempted: form.notAttempted,
      include_unenrolled: form.includeUnenrolled,
      columns: form.template === 'custom' ? form.columns.map((c) => ({ ...c, header: c.header.trim() })) : [],
    },
  };
}

/** Things worth knowing that do not stop the export. */
export function exportWarnings(form: ExportForm): string[] {
  const warnings: string[] = [];
  const mins = form.letters.map((b) => b.min).filter((m): m is number => m !== null);
  if (form.letters.length > 0 && mins.length > 0 && Math.min(...mins) > 0) {
    warnings.push(
      `Grades below ${formatCount(Math.min(...mins))} % get no letter and go to the error file. Add a band from 0 % to give them one.`,
    );
  }
  return warnings;
}

/** The form that gives back `options` (the last export of a reconciliation). */
export function fromExportOptions(options: ExportOptions): ExportForm {
  return {
    template: options.template,
    itemName: options.item_name,
    gradeColumn: options.grade_column,
    scale: options.scale.kind,
    pointsMax: options.scale.kind === 'points' ? options.scale.max : DEFAULT_POINTS,
    decimals: options.decimals,
    letters: options.letters.map((b) => ({ min: b.min_percent, label: b.label })),
    notAttempted: options.not_attempted,
    includeUnenrolled: options.include_unenrolled,
    format: options.format,
    bom: options.bom,
    columns: options.columns.map((c) => ({ ...c })),
  };
}

/** The form after choosing a template: a custom export starts with the columns every import needs. */
export function withTemplate(form: ExportForm, template: Template): ExportForm {
  const columns = template === 'custom' && form.columns.length === 0 ? starterColumns() : form.columns;
  return { ...form, template, columns };
}

/** "150 rows will be written, 2 skipped, 60 go to the error file." */
export function previewCountsText(preview: ExportPreview): string {
  const written = `${countOf(preview.rows_to_write, 'row')} will be written`;
  const errors =
    preview.errors === 0
      ? 'none go to the error file'
      : `${formatCount(preview.errors)} ${preview.errors === 1 ? 'goes' : 'go'} to the error file`;
  return `${written}, ${formatCount(preview.skipped)} skipped, ${errors}.`;
}
