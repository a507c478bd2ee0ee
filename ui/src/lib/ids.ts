// Identifiers typed or pasted into the Look up box. The back end splits them the same way
// (`parse_ids` in crates/core/src/lookup.rs); the count shown under the box must agree with it.

/** What Rust's `char::is_whitespace` accepts (Unicode White_Space), plus commas and semicolons. */
const SEPARATORS = /[,;\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const QUOTES_AT_ENDS = /^["']+|["']+$/g;

/**
 * Splits pasted text (a spreadsheet column, or ids separated by commas, semicolons, tabs, spaces or
 * new lines) into distinct ids, without quotes, in the order they first appear.
 */
export function parseIds(text: string): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const part of text.split(SEPARATORS)) {
    const id = part.replace(QUOTES_AT_ENDS, '').trim();
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

/** Above this many identifiers a lookup is a bulk lookup: it shows its progress and can be cancelled. */
export const BULK_THRESHOLD = 200;

export function isBulk(count: number): boolean {
  return count > BULK_THRESHOLD;
}
