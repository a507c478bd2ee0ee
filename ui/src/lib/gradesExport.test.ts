import { describe, expect, it } from 'vitest';
import type { ExportOptions } from '../bindings';
import {
  defaultExportForm,
  exportWarnings,
  fromExportOptions,
  letterPresets,
  presetOf,
  previewCountsText,
  sourceFromKey,
  sourceKey,
  starterColumns,
  toExportOptions,
  withTemplate,
  type ExportContext,
  type ExportForm,
} from './gradesExport';

const mapped: ExportContext = { mappedGrade: 3 };

function problemsOf(form: ExportForm, context: ExportContext = mapped): string[] {
  const check = toExportOptions(form, context);
  return check.ok ? [] : check.problems;
}

describe('toExportOptions', () => {
  it('turns the default form into the back end’s own defaults', () => {
    const check = toExportOptions(defaultExportForm(), mapped);
    const expected: ExportOptions = {
      template: 'generic',
      format: 'csv',
      bom: false,
      grade_column: null,
      item_name: 'Open edX grade',
      scale: { kind: 'percent' },
      decimals: 2,
      letters: [],
      not_attempted: 'blank',
      include_unenrolled: false,
      columns: [],
    };
    expect(check).toEqual({ ok: true, options: expected });
  });

  it('trims the item name, falls back to the default one, and sends points with their maximum', () => {
    const form = { ...defaultExportForm(), template: 'canvas' as const, itemName: '  Final exam ', scale: 'points' as const, pointsMax: 20 };
    const check = toExportOptions(form, mapped);
    expect(check.ok && check.options.item_name).toBe('Final exam');
    expect(check.ok && check.options.scale).toEqual({ kind: 'points', max: 20 });
    const blank = toExportOptions({ ...form, itemName: '   ' }, mapped);
    expect(blank.ok && blank.options.item_name).toBe('Open edX grade');
  });

  it('sends letter bands highest first with trimmed labels, and a byte-order mark only for CSV', () => {
    const form: ExportForm = {
      ...defaultExportForm(),
      letters: [
        { min: 0, label: 'Fail ' },
        { min: 50, label: ' Pass' },
      ],
      bom: true,
      format: 'xlsx',
    };
    const check = toExportOptions(form, mapped);
    expect(check.ok && check.options.letters).toEqual([
      { min_percent: 50, label: 'Pass' },
      { min_percent: 0, label: 'Fail' },
    ]);
    expect(check.ok && check.options.bom).toBe(false);
    const csv = toExportOptions({ ...form, format: 'csv' }, mapped);
    expect(csv.ok && csv.options.bom).toBe(true);
  });

  it('sends custom columns only for the custom template', () => {
    const columns = [{ header: ' Student ', source: { kind: 'remote_id' as const } }];
    const generic = toExportOptions({ ...defaultExportForm(), columns }, mapped);
    expect(generic.ok && generic.options.columns).toEqual([]);
    const custom = toExportOptions({ ...defaultExportForm(), template: 'custom', columns }, mapped);
    expect(custom.ok && custom.options.columns).toEqual([{ header: 'Student', source: { kind: 'remote_id' } }]);
  });

  it('says what to fix, in words, before anything is sent', () => {
    const base = defaultExportForm();
    expect(problemsOf({ ...base, scale: 'points', pointsMax: 0 })).toEqual(['Give the item’s maximum points (more than 0).']);
    expect(problemsOf({ ...base, scale: 'points', pointsMax: null })).toHaveLength(1);
    // Letters make the scale irrelevant.
    expect(problemsOf({ ...base, scale: 'points', pointsMax: null, letters: letterPresets.pass_fail.bands })).toEqual([]);
    expect(problemsOf({ ...base, decimals: 5 })).toEqual(['Decimal places must be a whole number from 0 to 4.']);
    expect(problemsOf({ ...base, letters: [{ min: 50, label: ' ' }] })).toEqual(['Give every band of the letter table a label.']);
    expect(problemsOf({ ...base, letters: [{ min: null, label: 'A' }] })).toEqual(['Every band needs a lowest percentage from 0 to 100.']);
    expect(problemsOf({ ...base, letters: [{ min: 120, label: 'A' }] })).toEqual(['Every band needs a lowest percentage from 0 to 100.']);
    expect(
      problemsOf({
        ...base,
        letters: [
          { min: 50, label: 'A' },
          { min: 50, label: 'B' },
        ],
      }),
    ).toEqual(['Two bands of the letter table start at the same percentage.']);
    expect(problemsOf({ ...base, template: 'brightspace', scale: 'as_is' })).toEqual([
      'Brightspace imports points: choose “Points” (the item’s maximum) or “Percent” as the scale.',
    ]);
    expect(problemsOf({ ...base, template: 'brightspace', scale: 'as_is', letters: letterPresets.a_f.bands })).toEqual([]);
    expect(problemsOf({ ...base, template: 'custom', columns: [] })).toEqual([
      'A custom export needs at least one column: add the columns to write.',
    ]);
    expect(problemsOf({ ...base, template: 'custom', columns: [{ header: '', source: { kind: 'username' } }] })).toEqual([
      'Give every custom column a header.',
    ]);
  });

  it('needs a grade column when none was chosen when matching, unless the export writes no grade', () => {
    const none: ExportContext = { mappedGrade: null };
    expect(problemsOf(defaultExportForm(), none)).toEqual([
      'Choose the grade column to export: no grade column was chosen when matching.',
    ]);
    expect(problemsOf({ ...defaultExportForm(), gradeColumn: 4 }, none)).toEqual([]);
    expect(
      problemsOf({ ...defaultExportForm(), template: 'custom', columns: [{ header: 'id', source: { kind: 'remote_id' } }] }, none),
    ).toEqual([]);
  });
});

describe('fromExportOptions', () => {
  it('gives back the form the options came from', () => {
    const form: ExportForm = {
      template: 'custom',
      itemName: 'Midterm',
      gradeColumn: 5,
      scale: 'points',
      pointsMax: 40,
      decimals: 1,
      letters: [],
      notAttempted: 'skip',
      includeUnenrolled: true,
      format: 'csv',
      bom: true,
      columns: [
        { header: 'Login', source: { kind: 'column', index: 2 } },
        { header: 'Course', source: { kind: 'text', value: 'BIO-101' } },
        { header: 'Score', source: { kind: 'grade' } },
      ],
    };
    const check = toExportOptions(form, mapped);
    expect(check.ok).toBe(true);
    if (check.ok) expect(fromExportOptions(check.options)).toEqual(form);
  });

  it('keeps a sensible points maximum when the saved scale was not points', () => {
    const check = toExportOptions(defaultExportForm(), mapped);
    if (!check.ok) throw new Error('the defaults are valid');
    expect(fromExportOptions(check.options).pointsMax).toBe(100);
  });
});

describe('letter presets', () => {
  it('recognises the presets and calls anything else the person’s own table', () => {
    expect(presetOf([])).toBe('none');
    expect(presetOf(letterPresets.pass_fail.bands.map((b) => ({ ...b })))).toBe('pass_fail');
    expect(presetOf(letterPresets.a_f.bands.map((b) => ({ ...b })))).toBe('a_f');
    expect(presetOf([{ min: 55, label: 'Pass' }, { min: 0, label: 'Fail' }])).toBe('custom');
  });

  it('every preset is a valid letter table that gives every grade a letter', () => {
    for (const preset of Object.values(letterPresets)) {
      const form = { ...defaultExportForm(), letters: preset.bands };
      expect(problemsOf(form)).toEqual([]);
      expect(exportWarnings(form)).toEqual([]);
    }
  });

  it('warns when low grades would get no letter', () => {
    expect(exportWarnings({ ...defaultExportForm(), letters: [{ min: 50, label: 'Pass' }] })).toEqual([
      'Grades below 50 % get no letter and go to the error file. Add a band from 0 % to give them one.',
    ]);
  });
});

describe('custom columns', () => {
  it('encodes every source as one select value and back', () => {
    for (const source of [
      { kind: 'remote_id' },
      { kind: 'username' },
      { kind: 'email' },
      { kind: 'student_id' },
      { kind: 'grade' },
      { kind: 'column', index: 12 },
    ] as const) {
      expect(sourceFromKey(sourceKey(source))).toEqual(source);
    }
    expect(sourceKey({ kind: 'text', value: 'x' })).toBe('text');
    expect(sourceFromKey('text', 'BIO-101')).toEqual({ kind: 'text', value: 'BIO-101' });
  });

  it('a custom export starts with the columns every import needs, and keeps the person’s own', () => {
    expect(withTemplate(defaultExportForm(), 'custom').columns).toEqual(starterColumns());
    const own = [{ header: 'x', source: { kind: 'email' as const } }];
    expect(withTemplate({ ...defaultExportForm(), columns: own }, 'custom').columns).toBe(own);
    expect(withTemplate(defaultExportForm(), 'canvas').columns).toEqual([]);
  });
});

describe('previewCountsText', () => {
  it('says where the rows go, singular and plural', () => {
    expect(previewCountsText({ header: [], rows: [], rows_to_write: 1500, skipped: 2, errors: 60 })).toBe(
      '1,500 rows will be written, 2 skipped, 60 go to the error file.',
    );
    expect(previewCountsText({ header: [], rows: [], rows_to_write: 1, skipped: 0, errors: 1 })).toBe(
      '1 row will be written, 0 skipped, 1 goes to the error file.',
    );
    expect(previewCountsText({ header: [], rows: [], rows_to_write: 3, skipped: 0, errors: 0 })).toBe(
      '3 rows will be written, 0 skipped, none go to the error file.',
    );
  });
});
