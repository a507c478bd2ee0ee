// Return results: the grades of a course (a Grades reconciliation or a file) sent back to each
// exchange student's home institution. Three steps — choose the source and settings, review the
// preview (every row's match, score as sent and warnings; select or deselect), send with progress
// and cancel — then every row's outcome. The back end matches, converts and validates; this screen
// only shows what it says and sends the rows the person chose.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ResultRow, ResultRowStatus, ResultSettings, ResultsPreview, ResultsProgress, ResultsRequest, ResultsSent } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { backend } from '../../lib/backend';
import { notifyInfo, notifySuccess, notifyWarning } from '../../lib/notify';
import { newTaskId } from '../../lib/taskId';

const VALUE_TYPES = ['0-100', '1-10', 'US letter', 'UK letter', 'pass-or-fail'];
const UNITS = ['ects', 'contacttime', 'sbu', 'sp', 'hour'];

const STATUS_WORDS: Record<ResultRowStatus, { label: string; color: string }> = {
  ready: { label: 'Ready', color: 'green' },
  already_sent: { label: 'Already sent', color: 'blue' },
  not_associated: { label: 'Not associated', color: 'yellow' },
  incomplete: { label: 'Incomplete', color: 'orange' },
  unmatched: { label: 'No match', color: 'red' },
  ambiguous: { label: 'Ambiguous', color: 'red' },
};

function sendable(r: ResultRow): boolean {
  return (r.status === 'ready' || r.status === 'already_sent' || r.status === 'not_associated') && r.body !== null;
}

export function ReturnResultsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<'reconciliation' | 'file'>('reconciliation');
  const [reconciliation, setReconciliation] = useState<string | null>(null);
  const [file, setFile] = useState<string | null>(null);
  const [offering, setOffering] = useState<string | null>(null);
  const [valueType, setValueType] = useState<string | null>(null);
  const [studyLoad, setStudyLoad] = useState<number | string>('');
  const [unit, setUnit] = useState<string>('ects');
  const [threshold, setThreshold] = useState<number | string>('');
  const [resultDate, setResultDate] = useState('');
  const [teachers, setTeachers] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [letters, setLetters] = useState('');
  const [preview, setPreview] = useState<ResultsPreview | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [taskId, setTaskId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ResultsProgress | null>(null);
  const [sent, setSent] = useState<ResultsSent | null>(null);
  const [shown, setShown] = useState<'matched' | 'unmatched' | 'all'>('matched');

  const history = useQuery({ queryKey: ['grades', 'history'], queryFn: () => backend.gradesHistory(50), enabled: opened });

  const request = (): ResultsRequest | null => {
    const source =
      kind === 'reconciliation'
        ? reconciliation === null
          ? null
          : { kind: 'reconciliation' as const, id: Number(reconciliation) }
        : file === null
          ? null
          : { kind: 'file' as const, path: file };
    if (source === null) return null;
    const settings: ResultSettings = {
      result_value_type: valueType,
      pass_threshold: threshold === '' ? null : Number(threshold),
      study_load: studyLoad === '' ? null : Number(studyLoad),
      study_load_unit: unit,
      result_date: resultDate.trim() || null,
      state: null,
      comment: comment.trim() || null,
      teachers,
      // Read (and checked) by the back end: a malformed table is refused with what to fix.
      letters: letters.trim() || null,
    };
    return { source, profile_id: null, offering, settings, resend: false };
  };

  const [previewTask, setPreviewTask] = useState<string | null>(null);
  const makePreview = useMutation({
    mutationFn: () => {
      const r = request();
      if (r === null) throw new Error('Choose a reconciliation or a file first.');
      const id = newTaskId();
      setPreviewTask(id);
      return backend.enrollmentsResultsPreview(r, id);
    },
    onSettled: () => setPreviewTask(null),
    onSuccess: (p) => {
      setPreview(p);
      setSent(null);
      setSelected(new Set(p.rows.filter((r) => r.selected).map((r) => r.line)));
    },
  });

  const send = useMutation({
    mutationFn: () => {
      const r = request();
      if (r === null) throw new Error('Choose a reconciliation or a file first.');
      const id = newTaskId();
      setTaskId(id);
      setProgress(null);
      return backend.enrollmentsResultsSend(r, [...selected], id, setProgress);
    },
    onSuccess: (out) => {
      setSent(out);
      setTaskId(null);
      // What was sent is now "already sent": sending more starts from a fresh preview.
      setSelected(new Set());
      void client.invalidateQueries({ queryKey: ['enrollments'] });
      const words = `${out.sent} sent, ${out.refused} refused, ${out.failed} failed, ${out.skipped} skipped.`;
      if (out.cancelled) notifyInfo('Sending cancelled', `${words} What was sent is kept.`);
      else if (out.refused + out.failed > 0) notifyWarning('Some results were not accepted', words);
      else notifySuccess('Results returned', words);
    },
    onError: () => setTaskId(null),
  });

  const pickFile = async () => {
    const path = await backend.enrollmentsResultsFile();
    if (path !== null) {
      setFile(path);
      setPreview(null);
    }
  };

  const toggle = (line: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(line)) next.delete(line);
      else next.add(line);
      return next;
    });

  const outcomeOf = (line: number) => sent?.rows.find((r) => r.line === line);
  const reconciliations = (history.data ?? []).map((h) => ({
    value: String(h.id),
    label: `${h.file_name} — ${h.created_at.slice(0, 16).replace('T', ' ')} (#${h.id})`,
  }));
  const offeringChoices = (preview?.matched_offerings ?? []).map((o) => ({ value: o.offering, label: `${o.name} (${o.offering}) — ${o.rows} rows` }));

  return (
    <Modal opened={opened} onClose={onClose} title="Return results to home institutions" size="95%" data-testid="return-results">
      <Stack>
        <Text size="sm" c="dimmed">
          Sends each exchange student&apos;s course result to their home institution. Crosswalk matches every row to one association
          (by association id, email, personId or the Open edX username&apos;s remote id), converts the Open edX grade (0–1) to the
          offering&apos;s scale, and checks each result against OOAPI v5. Nothing is sent until you press Send.
        </Text>
        <Group align="flex-end">
          <SegmentedControl
            value={kind}
            onChange={(v) => {
              setKind(v as 'reconciliation' | 'file');
              setPreview(null);
            }}
            data={[
              { value: 'reconciliation', label: 'From a Grades reconciliation' },
              { value: 'file', label: 'From a file' },
            ]}
          />
          {kind === 'reconciliation' ? (
            <Select
              label="Reconciliation"
              placeholder={reconciliations.length === 0 ? 'None yet: match a grade report on the Grades screen' : 'Choose one'}
              data={reconciliations}
              value={reconciliation}
              onChange={(v) => {
                setReconciliation(v);
                setPreview(null);
              }}
              w={420}
              data-testid="results-reconciliation"
            />
          ) : (
            <Group>
              <Button variant="default" onClick={() => void pickFile()} data-testid="results-file">
                Choose file…
              </Button>
              <Text size="sm">{file ?? 'CSV or Excel with associationId, email, personId or remoteId, and grade (0–1) or score.'}</Text>
            </Group>
          )}
        </Group>
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Offering"
            description="Needed when students follow several"
            placeholder="Every offering"
            clearable
            data={offeringChoices.length > 0 ? offeringChoices : offering ? [{ value: offering, label: offering }] : []}
            value={offering}
            onChange={setOffering}
            w={300}
            data-testid="results-offering"
          />
          <Select
            label="Result value type"
            description="Empty: the offering's own"
            placeholder="From the offering"
            clearable
            data={VALUE_TYPES}
            value={valueType}
            onChange={setValueType}
            w={180}
            data-testid="results-value-type"
          />
          <NumberInput
            label="Study load"
            description="Required for a course"
            min={0}
            value={studyLoad}
            onChange={setStudyLoad}
            w={120}
            data-testid="results-study-load"
          />
          <Select label="Unit" data={UNITS} value={unit} onChange={(v) => setUnit(v ?? 'ects')} w={130} allowDeselect={false} />
          <NumberInput
            label="Pass from"
            description="Open edX grade, 0–1"
            placeholder="0.5"
            min={0}
            max={1}
            step={0.05}
            decimalScale={3}
            value={threshold}
            onChange={setThreshold}
            w={130}
          />
          <TextInput label="Result date" description="YYYY-MM-DD" placeholder="today" value={resultDate} onChange={(e) => setResultDate(e.currentTarget.value)} w={130} />
          {(valueType === 'US letter' || valueType === 'UK letter') && (
            <TextInput
              label="Letter cutoffs"
              description="Lowest grade (0–1) per letter"
              placeholder={valueType === 'US letter' ? 'A=0.9, B=0.8, C=0.7, D=0.6, F=0' : 'A=0.7, B=0.6, C=0.5, D=0.4, E=0.3, F=0'}
              value={letters}
              onChange={(e) => setLetters(e.currentTarget.value)}
              w={260}
              data-testid="results-letters"
            />
          )}
          <TagsInput label="Responsible teachers" placeholder="Type a name, Enter" value={teachers} onChange={setTeachers} w={260} />
          <TextInput label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} w={200} />
          <Button onClick={() => makePreview.mutate()} loading={makePreview.isPending} data-testid="results-preview">
            Preview
          </Button>
          {previewTask !== null && (
            // Reading a reconciliation again can take a while (the file, then live look-ups).
            <Button variant="default" onClick={() => void backend.cancelTask(previewTask)} data-testid="results-preview-cancel">
              Cancel
            </Button>
          )}
        </Group>
        {makePreview.error && <ErrorAlert error={makePreview.error} title="The results could not be prepared" />}
        {preview && (
          <>
            <Group gap="xs" data-testid="results-counts">
              <Text size="sm">{preview.source}:</Text>
              <Badge color="green">{preview.counts.ready} ready</Badge>
              <Badge color="blue">{preview.counts.already_sent} already sent</Badge>
              <Badge color="yellow">{preview.counts.not_associated} not associated</Badge>
              <Badge color="orange">{preview.counts.incomplete} incomplete</Badge>
              <Badge color="red">{preview.counts.unmatched} without a match</Badge>
              <Badge color="red">{preview.counts.ambiguous} ambiguous</Badge>
            </Group>
            {preview.counts.ambiguous > 0 && preview.matched_offerings.length > 1 && offering === null && (
              <Alert color="yellow" title="Students follow several offerings">
                Some rows match more than one association. Choose the course&apos;s offering above and preview again; Crosswalk never
                guesses.
              </Alert>
            )}
            {preview.offerings.map((o) => (
              <Text size="sm" key={o.offering} data-testid="results-conversion">
                <b>{o.offering}</b>: {o.settings.result_value_type ?? 'no result value type'} (from {o.value_type_from}) — {o.conversion.join('; ')}
              </Text>
            ))}
            <SegmentedControl
              value={shown}
              onChange={(v) => setShown(v as 'matched' | 'unmatched' | 'all')}
              data={[
                { value: 'matched', label: `Matched to an association (${preview.rows.filter((r) => r.association !== null).length})` },
                { value: 'unmatched', label: `Without a match (${preview.rows.filter((r) => r.association === null).length})` },
                { value: 'all', label: `All rows (${preview.rows.length})` },
              ]}
              data-testid="results-shown"
            />
            <ScrollArea h={360} type="auto">
              <Table striped stickyHeader miw={1400} data-testid="results-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Send</Table.Th>
                    <Table.Th>Line</Table.Th>
                    <Table.Th>Row</Table.Th>
                    <Table.Th>Student</Table.Th>
                    <Table.Th>Home</Table.Th>
                    <Table.Th>Offering</Table.Th>
                    <Table.Th>Home state</Table.Th>
                    <Table.Th>Grade</Table.Th>
                    <Table.Th>Score sent</Table.Th>
                    <Table.Th>Pass</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th miw={320}>Notes</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rows.filter((r) => shown === 'all' || (shown === 'matched') === (r.association !== null)).map((r) => {
                    const outcome = outcomeOf(r.line);
                    return (
                      <Table.Tr key={r.line} data-testid="results-row" data-status={r.status} data-outcome={outcome?.outcome ?? ''}>
                        <Table.Td>
                          <Checkbox
                            aria-label={`Send line ${r.line}`}
                            checked={selected.has(r.line)}
                            disabled={!sendable(r) || send.isPending}
                            onChange={() => toggle(r.line)}
                          />
                        </Table.Td>
                        <Table.Td>{r.line}</Table.Td>
                        <Table.Td>
                          {r.source}
                          {r.rule && (
                            <Text size="xs" c="dimmed">
                              by {r.rule}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{r.student ?? '—'}</Table.Td>
                        <Table.Td>{r.home ?? '—'}</Table.Td>
                        <Table.Td>{r.offering ?? '—'}</Table.Td>
                        <Table.Td>{r.state ?? '—'}</Table.Td>
                        <Table.Td>{r.grade ?? '—'}</Table.Td>
                        <Table.Td data-testid="results-score">{r.score ?? '—'}</Table.Td>
                        <Table.Td>{r.pass ?? '—'}</Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_WORDS[r.status].color} variant="light">
                            {STATUS_WORDS[r.status].label}
                          </Badge>
                          {outcome && (
                            <Text size="xs" fw={600} c={outcome.outcome === 'sent' ? 'green' : outcome.outcome === 'skipped' ? 'dimmed' : 'red'}>
                              {outcome.outcome}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          {r.previous && <Text size="xs">Previously sent: {r.previous}</Text>}
                          {r.warnings.map((w) => (
                            <Text size="xs" key={w}>
                              {w}
                            </Text>
                          ))}
                          {r.candidates.map((c) => (
                            <Text size="xs" c="dimmed" key={c}>
                              could be: {c}
                            </Text>
                          ))}
                          {outcome && outcome.outcome !== 'skipped' && (
                            <Text size="xs" c={outcome.outcome === 'sent' ? 'green' : 'red'}>
                              {outcome.message}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            {send.error && <ErrorAlert error={send.error} title="The results could not be sent" />}
            {taskId !== null && progress && <Progress value={progress.total === 0 ? 0 : (100 * progress.done) / progress.total} />}
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {sent ? 'Sent. Press Preview again to see every row as the home institutions now have it. ' : ''}Results already sent are not selected: tick them to send again (the home side keeps the last one). Rows without a match or
                with several are never sent.
              </Text>
              <Group>
                {taskId !== null && (
                  <Button variant="default" onClick={() => void backend.cancelTask(taskId)} data-testid="results-cancel">
                    Cancel
                  </Button>
                )}
                <Button onClick={() => send.mutate()} loading={send.isPending} disabled={selected.size === 0} data-testid="results-send">
                  Send {selected.size} result{selected.size === 1 ? '' : 's'}
                </Button>
              </Group>
            </Group>
            {sent && (
              <Alert color={sent.refused + sent.failed > 0 ? 'yellow' : 'green'} data-testid="results-outcome">
                {sent.sent} sent, {sent.refused} refused, {sent.failed} failed, {sent.skipped} skipped{sent.cancelled ? ' (cancelled)' : ''}.
                Each sent result is in its association&apos;s timeline.
              </Alert>
            )}
          </>
        )}
      </Stack>
    </Modal>
  );
}
