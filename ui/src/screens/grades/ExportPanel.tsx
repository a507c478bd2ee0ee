import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileExport } from '@tabler/icons-react';
import { useState } from 'react';
import type { ExportResult, NotAttempted, OutputFormat, Reconciliation } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { countOf } from '../../lib/format';
import { columnLabel } from '../../lib/gradesColumns';
import {
  DEFAULT_POINTS,
  MAX_DECIMALS,
  exportWarnings,
  letterPresets,
  notAttemptedExplanations,
  notAttemptedLabels,
  presetOf,
  scaleExplanations,
  scaleLabels,
  templates,
  toExportOptions,
  withTemplate,
  type ExportForm,
  type LetterPreset,
  type ScaleKind,
} from '../../lib/gradesExport';
import { useExportGrades } from '../../lib/gradesQueries';
import { changeExportForm } from '../../lib/gradesSession';
import { notifyInfo, notifySuccess } from '../../lib/notify';
import { CustomColumnsEditor } from './CustomColumnsEditor';
import { ExportPreviewBox } from './ExportPreviewBox';
import { ExportResultNote } from './ExportResultNote';
import { LetterTable } from './LetterTable';
import { TemplatePicker } from './TemplatePicker';

/** How long the preview waits for typing to settle. */
const PREVIEW_DELAY_MS = 300;

const scaleKinds: ScaleKind[] = ['as_is', 'percent', 'points'];
const notAttemptedChoices: NotAttempted[] = ['blank', 'zero', 'skip'];

interface ExportPanelProps {
  reconciliation: Reconciliation;
  form: ExportForm | null;
}

/** Step 3's second half: how to write the file, a live preview, and Export. */
export function ExportPanel({ reconciliation, form }: ExportPanelProps) {
  return (
    <Stack gap="sm">
      <Title order={4}>Export</Title>
      <Text size="sm" c="dimmed" maw={820}>
        Write the matched grades in the layout your LMS or SIS imports. The preview below follows every change. The
        report itself is never changed, and nothing is sent anywhere: you import the file yourself.
      </Text>
      {form ? <ExportSettings reconciliation={reconciliation} form={form} /> : <Skeleton height={420} data-testid="grades-export-loading" />}
    </Stack>
  );
}

function ExportSettings({ reconciliation: r, form }: { reconciliation: Reconciliation; form: ExportForm }) {
  const file = r.file;
  const mappedGrade = r.request.columns.grade;
  const context = { mappedGrade };
  const [debounced] = useDebouncedValue(form, PREVIEW_DELAY_MS);
  const exportGrades = useExportGrades();
  const [done, setDone] = useState<{ key: string; result: ExportResult } | null>(null);
  const resultKey = `${r.id}/${r.created_at}`;

  const set = (change: Partial<ExportForm>) => changeExportForm((f) => ({ ...f, ...change }));
  const letters = form.letters.length > 0;
  const preset = presetOf(form.letters);
  const warnings = exportWarnings(form);
  const now = toExportOptions(form, context);

  const gradeChoices = [...new Set([...(mappedGrade === null ? [] : [mappedGrade]), ...file.grade_columns])].map((i) => ({
    value: String(i),
    label: i === mappedGrade ? `${columnLabel(file.headers, i)} · chosen when matching` : columnLabel(file.headers, i),
  }));
  const gradeValue = form.gradeColumn ?? mappedGrade;

  const doExport = () => {
    if (!now.ok) return;
    exportGrades.mutate(
      { id: r.id, options: now.options },
      {
        onSuccess: (result) => {
          if (!result) {
            notifyInfo('Nothing exported', 'You closed the save dialog, so no file was written.');
            return;
          }
          setDone({ key: resultKey, result });
          notifySuccess('Grades exported', `${countOf(result.rows_written, 'row')} written to ${result.out_path}`);
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <TemplatePicker value={form.template} onChange={(template) => changeExportForm((f) => withTemplate(f, template))} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="md">
        <Stack gap="sm">
          {templates[form.template].usesItemName && (
            <TextInput
              label="Assignment or grade item name"
              description={`The column header ${templates[form.template].label} shows; use the name the item has there.`}
              value={form.itemName}
              onChange={(event) => set({ itemName: event.currentTarget.value })}
              placeholder="Open edX grade"
              data-testid="grades-item-name"
            />
          )}
          <Select
            label="Grade column"
            description="Which grade of the report to export: the overall grade, or one assignment type"
            data={gradeChoices}
            value={gradeValue === null ? null : String(gradeValue)}
            onChange={(value) => {
              if (value === null) return;
              const index = Number(value);
              set({ gradeColumn: index === mappedGrade ? null : index });
            }}
            placeholder={gradeChoices.length === 0 ? 'The report has no grade column' : 'Choose the grade column'}
            allowDeselect={false}
            data-testid="grades-grade-column"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Write the grade as
            </Text>
            <Select
              aria-label="Letters or a number"
              data={[
                ...(Object.keys(letterPresets) as LetterPreset[]).map((key) => ({ value: key, label: letterPresets[key].label })),
                ...(preset === 'custom' ? [{ value: 'custom', label: 'Your own letter table' }] : []),
              ]}
              value={preset}
              onChange={(value) => {
                if (value && value !== 'custom') set({ letters: letterPresets[value as LetterPreset].bands.map((b) => ({ ...b })) });
              }}
              allowDeselect={false}
              data-testid="grades-letter-preset"
            />
            {letters && <LetterTable bands={form.letters} onChange={(bands) => set({ letters: bands })} />}
          </Stack>
          {!letters && (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Scale
              </Text>
              <Group gap="sm" align="center">
                <SegmentedControl
                  value={form.scale}
                  onChange={(value) => set({ scale: value as ScaleKind })}
                  data={scaleKinds.map((s) => ({ value: s, label: scaleLabels[s] }))}
                  data-testid="grades-scale"
                />
                {form.scale === 'points' && (
                  <NumberInput
                    aria-label="Maximum points of the item"
                    value={form.pointsMax ?? ''}
                    onChange={(value) => set({ pointsMax: typeof value === 'number' ? value : null })}
                    min={0}
                    placeholder={String(DEFAULT_POINTS)}
                    suffix=" points"
                    w={130}
                    data-testid="grades-points-max"
                  />
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {scaleExplanations[form.scale]}
              </Text>
            </Stack>
          )}
          <NumberInput
            label="Decimal places"
            description={letters ? 'Grades are rounded to this before the letter is picked' : 'Grades are rounded to this'}
            value={form.decimals}
            onChange={(value) => set({ decimals: typeof value === 'number' ? value : 0 })}
            min={0}
            max={MAX_DECIMALS}
            allowDecimal={false}
            clampBehavior="strict"
            w={200}
            data-testid="grades-decimals"
          />
        </Stack>

        <Stack gap="sm">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              “Not Attempted” and empty grades
            </Text>
            <SegmentedControl
              value={form.notAttempted}
              onChange={(value) => set({ notAttempted: value as NotAttempted })}
              data={notAttemptedChoices.map((n) => ({ value: n, label: notAttemptedLabels[n] }))}
              data-testid="grades-not-attempted"
            />
            <Text size="xs" c="dimmed">
              {notAttemptedExplanations[form.notAttempted]}
            </Text>
          </Stack>
          <Checkbox
            checked={form.includeUnenrolled}
            onChange={(event) => set({ includeUnenrolled: event.currentTarget.checked })}
            label="Include unenrolled learners"
            description="Learners who left the course are left out unless this is ticked (they still need a match)."
            data-testid="grades-include-unenrolled"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              File type
            </Text>
            <SegmentedControl
              value={form.format}
              onChange={(value) => set({ format: value as OutputFormat })}
              data={[
                { value: 'csv', label: 'CSV' },
                { value: 'xlsx', label: 'Excel (.xlsx)' },
              ]}
              w="fit-content"
              data-testid="grades-format"
            />
            {form.format === 'csv' ? (
              <Checkbox
                checked={form.bom}
                onChange={(event) => set({ bom: event.currentTarget.checked })}
                label="Add a byte-order mark for Excel"
                description="Lets Excel show accented names correctly when it opens the CSV. Leave it off for imports into your LMS unless they ask for it."
                data-testid="grades-bom"
              />
            ) : (
              <Text size="xs" c="dimmed">
                Grades are written as numbers, everything else as text (never as formulas).
              </Text>
            )}
          </Stack>
        </Stack>
      </SimpleGrid>

      {form.template === 'custom' && (
        <CustomColumnsEditor columns={form.columns} headers={file.headers} onChange={(columns) => set({ columns })} />
      )}

      {warnings.map((warning) => (
        <Text key={warning} size="sm" c="orange" data-testid="grades-export-warning">
          {warning}
        </Text>
      ))}

      <ExportPreviewBox reconciliation={r} check={toExportOptions(debounced, context)} />

      <Group gap="md">
        <Button
          size="md"
          leftSection={<IconFileExport size={18} />}
          onClick={doExport}
          disabled={!now.ok}
          loading={exportGrades.isPending}
          data-testid="grades-export"
        >
          Export…
        </Button>
        <Text size="sm" c="dimmed" maw={640}>
          You choose where to save it. If some rows cannot be exported, an error file with the same name and
          “.errors.csv” at the end is written beside it.
        </Text>
      </Group>

      {exportGrades.isError && <ErrorAlert title="Could not export the grades" error={exportGrades.error} onRetry={doExport} />}
      {done?.key === resultKey && <ExportResultNote result={done.result} />}
    </Stack>
  );
}
