// TanStack Query hooks over the Grades commands. A reconciliation's rows and previews are keyed by
// its id and the time it was matched, so reopening it (same id, matched again) reads them afresh.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExportOptions, Reconciliation, RowStatus } from '../bindings';
import { backend } from './backend';

/** How many reconciliations History lists. */
export const HISTORY_LIMIT = 50;

/** Rows per page of the rows table (the back end gives at most 1,000). */
export const ROWS_PAGE_SIZE = 500;

export const gradesKeys = {
  all: ['grades'] as const,
  history: ['grades', 'history'] as const,
  /** Everything read about one reconciliation. */
  reconciliation: (id: number) => ['grades', id] as const,
  rows: (r: Reconciliation, status: RowStatus | null, page: number) =>
    ['grades', r.id, r.created_at, 'rows', status, page] as const,
  preview: (r: Reconciliation, options: ExportOptions) => ['grades', r.id, r.created_at, 'preview', options] as const,
};

export function useGradesHistory() {
  return useQuery({
    queryKey: gradesKeys.history,
    queryFn: () => backend.gradesHistory(HISTORY_LIMIT),
    staleTime: 0,
  });
}

/** One page (1-based) of the reconciliation's rows, all of them or those with `status`. */
export function useGradeRows(r: Reconciliation, status: RowStatus | null, page: number) {
  return useQuery({
    queryKey: gradesKeys.rows(r, status, page),
    queryFn: () => backend.gradesRows(r.id, status, (page - 1) * ROWS_PAGE_SIZE, ROWS_PAGE_SIZE),
    placeholderData: keepPreviousData,
    // A reconciliation's rows do not change until it is matched again (which changes the key).
    staleTime: Infinity,
  });
}

/** The export's header, first rows and counts; nothing is asked while `options` is null (the form has problems). */
export function useExportPreview(r: Reconciliation, options: ExportOptions | null) {
  return useQuery({
    queryKey: options ? gradesKeys.preview(r, options) : ['grades', r.id, 'preview', 'none'],
    queryFn: () => {
      if (!options) throw new Error('The export settings have problems');
      return backend.gradesPreview(r.id, options);
    },
    enabled: options !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

/** Asks where to save, writes the export (and error file); History shows the export afterwards. */
export function useExportGrades() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, options }: { id: number; options: ExportOptions }) => backend.gradesExport(id, options),
    onSettled: () => client.invalidateQueries({ queryKey: gradesKeys.history }),
  });
}

export function useRevealPath() {
  return useMutation({ mutationFn: (path: string) => backend.revealPath(path) });
}
