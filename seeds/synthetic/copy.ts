// COPY ... FROM STDIN in PostgreSQL's text format, fed from a generator of rows so that memory
// stays flat however many rows there are (pg-copy-streams, with backpressure).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The text-format NULL marker. */
export const NULL = '\\N';

const NEEDS_ESCAPE = /[\\\t\n\r\b\f\v]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

/** A text value for the COPY text format: backslash, tab, newline (and the other controls) escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r\b\f\v]/g, (c) => ESCAPES[c]!) : value;
}

/** Any scalar: null/undefined -> \N, booleans -> t/f, numbers and bigints as decimal, text escaped. */
export function copyValue(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return NULL;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot COPY the number ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  return copyText(value);
}

/**
 * A text[] value: the array literal {"a","b \"c\""} (every element quoted, backslash and double
 * quote escaped inside the quotes, NULL elements unquoted), then escaped for COPY.
 */
export function copyArray(values: ReadonlyArray<string | null> | null | undefined): string {
  if (values === null || values === undefined) return NULL;
  const literal = `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
  return copyText(literal);
}

/** One row: values already converted with copyValue/copyArray, joined by tabs, ending in a newline. */
export function copyRow(fields: readonly string[]): string {
  return `${fields.join('\t')}\n`;
}

/** Groups short lines into chunks of about `size` characters (fewer, larger writes). */
export function* chunked(lines: Iterable<string>, size = 256 * 1024): Generator<string> {
  let buf = '';
  for (const line of lines) {
    buf += line;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

export interface CopyOptions {
  /** COPY ... WITH (FREEZE): only valid when the table was created or truncated in this transaction. */
  freeze?: boolean;
}

/**
 * Streams rows (text-format lines, each ending in \n) into `table (columns)`. Returns the number
 * of rows PostgreSQL reports. The client must not be used for anything else meanwhile.
 */
export async function copyInto(
  client: ClientBase,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
  opts: CopyOptions = {},
): Promise<number> {
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const sql = `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN${opts.freeze ? ' WITH (FREEZE)' : ''}`;
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from(chunked(lines), { objectMode: false }), stream);
  return stream.rowCount;
}
