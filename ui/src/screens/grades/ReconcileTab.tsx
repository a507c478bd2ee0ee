import { Stack, Stepper } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { goToStep, useGradesSession, type GradesStep } from '../../lib/gradesSession';
import { CheckStep } from './CheckStep';
import { LoadStep } from './LoadStep';
import { ReviewStep } from './ReviewStep';
import type { LoadReport } from './useLoadReport';

const steps: GradesStep[] = ['load', 'check', 'review'];

interface ReconcileTabProps {
  load: LoadReport;
  dragging: boolean;
}

/** Load a report, check it and match it, then review and export: one step after the other. */
export function ReconcileTab({ load, dragging }: ReconcileTabProps) {
  const { step, file, draft, run, error, reconciliation, exportForm } = useGradesSession();
  const busy = run !== null;

  // A new step starts at its top, not wherever the last one was scrolled to.
  const top = useRef<HTMLDivElement>(null);
  const shown = useRef(step);
  useEffect(() => {
    if (shown.current === step) return;
    shown.current = step;
    top.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [step]);

  return (
    <Stack gap="lg" ref={top} style={{ scrollMarginTop: 72 }}>
      <Stepper
        active={steps.indexOf(step)}
        onStepClick={(index) => {
          const target = steps[index];
          if (target) goToStep(target);
        }}
        size="sm"
        data-testid="grades-steps"
        data-step={step}
      >
        <Stepper.Step label="Load a report" description="CSV or Excel from Open edX" allowStepSelect={!busy} />
        <Stepper.Step label="Check and match" description="Columns, connection, provider" allowStepSelect={file !== null && !busy} />
        <Stepper.Step label="Review and export" description="Counts, rows, the file to import" allowStepSelect={reconciliation !== null} />
      </Stepper>

      {load.isError && step !== 'load' && <ErrorAlert title="Could not read the report" error={load.error} />}

      {step === 'load' && <LoadStep load={load} dragging={dragging} busy={busy} />}
      {step === 'check' && file && draft && <CheckStep file={file} draft={draft} run={run} error={error} />}
      {step === 'review' && reconciliation && <ReviewStep reconciliation={reconciliation} exportForm={exportForm} busy={busy} />}
    </Stack>
  );
}
