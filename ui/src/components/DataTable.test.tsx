import { screen } from '@testing-library/react';
import type { ColumnDef } from '@tanstack/react-table';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../bindings';
import { renderWithProviders } from '../test/render';
import { DataTable } from './DataTable';

const columns: ColumnDef<Mapping>[] = [
  { accessorKey: 'username', header: 'Username' },
  { accessorKey: 'remote_id', header: 'Remote ID' },
];

function mappings(n: number): Mapping[] {
  return Array.from({ length: n }, (_, i) => ({ username: `learner${i + 1}`, remote_id: `id-${i + 1}` }));
}

describe('DataTable', () => {
  it('shows headers and rows with their test ids', () => {
    renderWithProviders(<DataTable data={mappings(3)} columns={columns} label="Learners" rowTestId="mapping-row" />);
    expect(screen.getByRole('table', { name: 'Learners' })).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Username', 'Remote ID']);
    const rows = screen.getAllByTestId('mapping-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toBe('learner1id-1');
  });

  it('draws only the rows in view when there are thousands', () => {
    renderWithProviders(
      <DataTable data={mappings(5000)} columns={columns} label="Learners" rowTestId="mapping-row" height={400} />,
    );
    const drawn = screen.getAllByTestId('mapping-row').length;
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(60);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
  });

  it('says so when there is nothing to show', () => {
    renderWithProviders(
      <DataTable data={[]} columns={columns} label="Learners" rowTestId="mapping-row" empty="No learners yet." />,
    );
    expect(screen.queryAllByTestId('mapping-row')).toHaveLength(0);
    expect(screen.getByText('No learners yet.')).toBeTruthy();
  });
});
