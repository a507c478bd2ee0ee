// Opening a report, however it comes: the open dialog, a drop on the window, or the demo report.
import { useMutation } from '@tanstack/react-query';
import type { GradeFile } from '../../bindings';
import { backend } from '../../lib/backend';
import { loadFile } from '../../lib/gradesSession';

export type ReportSource = { kind: 'dialog' } | { kind: 'drop'; path: string } | { kind: 'demo' };

function read(source: ReportSource): Promise<GradeFile | null> {
  switch (source.kind) {
    case 'dialog':
      return backend.gradesOpenReport();
    case 'drop':
      return backend.gradesInspect(source.path);
    case 'demo':
      return backend.gradesDemoReport();
  }
}

/** Reads the report and, when there is one (the dialog may have been closed), goes on to check it. */
export function useLoadReport() {
  return useMutation({
    mutationFn: read,
    onSuccess: (file) => {
      if (file) loadFile(file);
    },
  });
}

export type LoadReport = ReturnType<typeof useLoadReport>;
