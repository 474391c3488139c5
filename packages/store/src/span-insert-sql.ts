/** SQL of the span write paths, built once from `SPAN_COLUMNS`. */
import { SPAN_COLUMNS, type SpanTextRow } from './span-row.ts';

const names = SPAN_COLUMNS.map(([name]) => `"${name}"`).join(', ');
const casts = (source: string) =>
  SPAN_COLUMNS.map(([name, type]) =>
    type === 'text' ? `${source}."${name}"` : `${source}."${name}"::${type}`,
  ).join(', ');

/** `INSERT … SELECT … FROM unnest($1::text[], …) … ON CONFLICT DO NOTHING`: one array per column. */
export const UNNEST_INSERT_SQL = `INSERT INTO spans (${names}) SELECT ${casts('u')} FROM unnest(${SPAN_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${names}) ON CONFLICT DO NOTHING`;

/** Column-major arrays of `rows`, the parameters of `UNNEST_INSERT_SQL`. */
export function unnestParams(rows: SpanTextRow[]): (string | null)[][] {
  return SPAN_COLUMNS.map((_, column) => rows.map((row) => row[column] ?? null));
}

/**
 * A session-local staging table where every column is text, so a COPY into it cannot fail on a
 * value (a failed COPY may never settle in postgres.js); the casts happen in the INSERT.
 */
export const CREATE_STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS spans_stage (${SPAN_COLUMNS.map(([name]) => `"${name}" text`).join(', ')}) ON COMMIT DELETE ROWS`;

/** COPY of encoded rows straight into `spans` (fails on a span already stored). */
export const COPY_SPANS_SQL = `COPY spans (${names}) FROM STDIN`;

/** COPY of encoded rows into the staging table. */
export const COPY_STAGE_SQL = `COPY spans_stage (${names}) FROM STDIN`;

/** Moves the staged rows into `spans`, skipping spans already stored. */
export const INSERT_FROM_STAGE_SQL = `INSERT INTO spans (${names}) SELECT ${casts('s')} FROM spans_stage s ON CONFLICT DO NOTHING`;

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_ALL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value)
    ? value.replace(COPY_SPECIAL_ALL, (char) => COPY_ESCAPES[char] ?? char)
    : value;
}

/** JSON text has no raw control characters (JSON.stringify escapes them): only `\` to double. */
function copyJsonField(value: string | null): string {
  if (value === null) return '\\N';
  return value.includes('\\') ? value.replaceAll('\\', '\\\\') : value;
}

/** Numbers as `toSpanTextRow` writes them, and enum names: nothing in them needs escaping. */
function copyPlainField(value: string | null): string {
  return value === null ? '\\N' : value;
}

const ENUM_COLUMNS = new Set(['kind', 'status_code', 'source']);

const fieldEncoders = SPAN_COLUMNS.map(([name, type]) => {
  if (type === 'jsonb') return copyJsonField;
  if (type !== 'text' || ENUM_COLUMNS.has(name)) return copyPlainField;
  return copyField;
});

/** Rows in COPY text format (tab-separated, `\N` for null, one line per row). */
export function copyText(rows: SpanTextRow[]): string {
  let out = '';
  for (const row of rows) {
    for (let column = 0; column < fieldEncoders.length; column++) {
      const encode = fieldEncoders[column] ?? copyField;
      out += column === 0 ? encode(row[column] ?? null) : `\t${encode(row[column] ?? null)}`;
    }
    out += '\n';
  }
  return out;
}
