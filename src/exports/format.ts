// Export formats: CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote,
// CR or LF, quotes doubled; lists joined with ';') and NDJSON (one JSON object per line).
import type { Writable } from 'node:stream';

export type ExportFormat = 'csv' | 'ndjson';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'ndjson'];

export type ExportRow = Record<string, unknown>;

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field. null and undefined are empty; lists are joined with ';'. */
export function csvField(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) text = value.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))).join(';');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Turns rows into text in one format; the header (CSV only) comes from the column list. */
export interface RowFormatter {
  header(): string;
  row(row: ExportRow): string;
}

export function formatter(format: ExportFormat, columns: readonly string[]): RowFormatter {
  if (format === 'csv') {
    return {
      header: () => csvLine(columns),
      row: (row) => csvLine(columns.map((c) => row[c])),
    };
  }
  return {
    header: () => '',
    row: (row) => {
      const ordered: ExportRow = {};
      for (const c of columns) ordered[c] = row[c] ?? null;
      return `${JSON.stringify(ordered)}\n`;
    },
  };
}

/**
 * Writes chunks to a stream with backpressure: when write() says the buffer is full, waits for
 * 'drain' before taking the next chunk, so memory holds at most about one buffer and one page.
 * Resolves false when the stream was closed or destroyed (the client went away).
 */
export async function writeAll(out: Writable, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<boolean> {
  for await (const chunk of chunks) {
    if (out.destroyed || out.writableEnded) return false;
    if (chunk.length === 0) continue;
    if (!out.write(chunk)) {
      const open = await drained(out);
      if (!open) return false;
    }
  }
  return !out.destroyed;
}

/** Resolves true on 'drain', false on 'close' or 'error'. */
export function drained(out: Writable): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
      resolve(open);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onClose);
  });
}
