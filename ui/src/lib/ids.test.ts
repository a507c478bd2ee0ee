import { describe, expect, it } from 'vitest';
import { BULK_THRESHOLD, isBulk, parseIds } from './ids';

// The same cases as `parse_ids` in crates/core/src/lookup.rs: the count under the box must match
// what the back end will look up.
describe('parseIds', () => {
  it('splits a pasted column, commas, semicolons, tabs and spaces alike', () => {
    expect(parseIds('ann, bob\ncarl\tdora  ann\r\n"eve";fay')).toEqual(['ann', 'bob', 'carl', 'dora', 'eve', 'fay']);
  });

  it('finds nothing in separators only', () => {
    expect(parseIds(' , \n\t')).toEqual([]);
    expect(parseIds('')).toEqual([]);
    expect(parseIds('"" \'\' ;;')).toEqual([]);
  });

  it('takes the quotes off both ends, as a spreadsheet export puts them', () => {
    expect(parseIds(`"20231234","20231235"\n'jdoe'`)).toEqual(['20231234', '20231235', 'jdoe']);
    expect(parseIds(`"'quoted'"`)).toEqual(['quoted']);
    // Quotes inside an id stay: only the ends are trimmed.
    expect(parseIds(`o'brien`)).toEqual([`o'brien`]);
  });

  it('keeps the first of repeated ids, in the order typed', () => {
    expect(parseIds('b a b c a')).toEqual(['b', 'a', 'c']);
    // A quoted and an unquoted spelling are the same id.
    expect(parseIds('"a" a')).toEqual(['a']);
  });

  it('treats Unicode spaces (as pasted from a web page or Word) as separators', () => {
    expect(parseIds('ann\u00a0bob\u2003carl\u3000dora\u2028eve')).toEqual(['ann', 'bob', 'carl', 'dora', 'eve']);
  });

  it('is case-sensitive, like the LMS', () => {
    expect(parseIds('JDoe jdoe')).toEqual(['JDoe', 'jdoe']);
  });

  it('copes with ten thousand ids from a spreadsheet column', () => {
    const column = Array.from({ length: 10_000 }, (_, i) => `learner${i}`).join('\r\n');
    const ids = parseIds(`username\r\n${column}\r\n`);
    expect(ids).toHaveLength(10_001);
    expect(ids[1]).toBe('learner0');
  });
});

describe('bulk lookups', () => {
  it('start above the threshold', () => {
    expect(isBulk(1)).toBe(false);
    expect(isBulk(BULK_THRESHOLD)).toBe(false);
    expect(isBulk(BULK_THRESHOLD + 1)).toBe(true);
  });
});
