import { describe, expect, it } from 'vitest';
import type { PermissionCell, PermissionRow } from '../bindings';
import { cellView, permissionMatrix, rowSummary, tooLongToGrant } from './permissionMatrix';

function cell(provider: string, access: PermissionCell['access'], extra: Partial<PermissionCell> = {}): PermissionCell {
  return { provider_id: provider, access, status: 200, detail: '', fix: null, token_allows: null, ...extra };
}

function row(id: string, cells: PermissionCell[], extra: Partial<PermissionRow> = {}): PermissionRow {
  return { profile_id: id, profile_name: id, client_id: `${id}-client`, token_type: 'jwt', claims: null, problem: '', cells, ...extra };
}

describe('a permission cell', () => {
  it('is a green "Granted" with what the LMS said', () => {
    const view = cellView(cell('saml-a', 'granted', { detail: '3003 learners linked' }));
    expect(view).toMatchObject({ label: 'Granted', color: 'teal', fix: null, tokenAllows: null });
    expect(view.tooltip).toBe('Granted (HTTP 200): 3003 learners linked');
  });

  it('offers the fix when the client is not permitted, and says the token lacks the filter', () => {
    const view = cellView(
      cell('saml-b', 'not_permitted', { status: 403, detail: 'The application is restricted.', fix: 'steps', token_allows: false }),
    );
    expect(view).toMatchObject({ access: 'not_permitted', label: 'Not permitted', color: 'red', fix: 'steps', tokenAllows: false });
    expect(view.answer).toBe('Not permitted (HTTP 403): The application is restricted.');
    expect(view.tooltip).toContain('tpa_provider:saml-b');
    expect(view.tooltip).toContain('Click to see how to grant it.');
  });

  it('names the other outcomes plainly', () => {
    expect(cellView(cell('x', 'unknown_provider', { status: 404 })).label).toBe('Unknown provider');
    const error = cellView(cell('x', 'error', { status: null, detail: 'Timed out.' }));
    expect(error.label).toBe('Error');
    expect(error.answer).toBe('Error: Timed out.');
  });
});

describe('the matrix', () => {
  it('has a column for every provider any connection watches, and marks the ones a row does not', () => {
    const matrix = permissionMatrix([
      row('staff', [cell('saml-a', 'granted'), cell('saml-b', 'granted')]),
      row('restricted', [cell('saml-a', 'granted'), cell('saml-c', 'not_permitted', { fix: 'f' })]),
    ]);
    expect(matrix.providers).toEqual(['saml-a', 'saml-b', 'saml-c']);
    expect(matrix.rows[0]?.cells.map((c) => c.access)).toEqual(['granted', 'granted', 'not_watched']);
    expect(matrix.rows[1]?.cells.map((c) => c.access)).toEqual(['granted', 'not_watched', 'not_permitted']);
    expect(matrix.rows[1]?.cells[1]?.label).toBe('Not watched');
  });

  it('sums a row up', () => {
    expect(rowSummary(row('r', [cell('a', 'granted'), cell('b', 'not_permitted')]))).toBe('1 of 2 providers readable');
    expect(rowSummary(row('r', [], { problem: 'No token.' }))).toBe('Not checked');
  });

  it('knows which provider ids are too long for a tpa_provider filter', () => {
    expect(tooLongToGrant(['saml-demo-univ', 'saml-very-long-provider-name', 'x'.repeat(19), 'y'.repeat(20)])).toEqual([
      'saml-very-long-provider-name',
      'y'.repeat(20),
    ]);
  });
});
