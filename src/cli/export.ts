// `npm run cli -- export <list> --format csv|ndjson [--where '<json>'] [--key <key>] [--url <url>]`:
// streams every row of one list the key may see to stdout. It asks the server's streaming
// endpoint GET /export/<list>.<format>; a server without that endpoint is exported page by page
// through /graphql instead (same rows, same columns). Either way the server applies the key's
// tiers, anonymisation and row scopes, and records every page in the access ledger.
import type { Writable } from 'node:stream';
import { ExportError, exportPages, introspectSchema, parseWhere, planExport, type Execute } from '../exports/export.service';
import { EXPORT_FORMATS, formatter, writeAll, type ExportFormat } from '../exports/format';
import { flagString, UsageError, type ParsedArgs } from './args';

export const EXPORT_USAGE = `  export <list> --format csv|ndjson [--where '<json>'] [--key <api key>] [--url <server>]
                                        stream every row of a list the key may see (e.g. serviceOrders) to stdout;
                                        key default: ECOGRAPH_ADMIN_KEY; server default: http://localhost:<PORT or 4000>`;

export interface ExportCommand {
  entity: string;
  format: ExportFormat;
  where?: string;
  key: string;
  url: string;
  out: Writable;
  fetch?: typeof fetch;
}

export interface ExportSummary {
  /** 'endpoint': streamed from GET /export; 'graphql': paged through /graphql by this process. */
  via: 'endpoint' | 'graphql';
  bytes: number;
  /** Known when paged here. */
  rows?: number;
}

function errorOf(body: unknown, status: number): ExportError {
  const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors?.[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : `HTTP_${status}`;
  const message = typeof first?.message === 'string' ? first.message : `the server answered ${status}`;
  return new ExportError(status, code, message);
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/** Streams the export to `cmd.out`; rejects with an ExportError when the server refuses it. */
export async function runExport(cmd: ExportCommand): Promise<ExportSummary> {
  const doFetch = cmd.fetch ?? fetch;
  const base = cmd.url.replace(/\/+$/, '');
  const where = parseWhere(cmd.where); // fails early on bad JSON
  const authorization = `Bearer ${cmd.key}`;
  const qs = where ? `?where=${encodeURIComponent(JSON.stringify(where))}` : '';
  const res = await doFetch(`${base}/export/${encodeURIComponent(cmd.entity)}.${cmd.format}${qs}`, { headers: { authorization } });

  if (res.ok && res.body) {
    let bytes = 0;
    async function* counted(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of body) {
        bytes += chunk.length;
        yield chunk;
      }
    }
    await writeAll(cmd.out, counted(res.body as unknown as AsyncIterable<Uint8Array>));
    return { via: 'endpoint', bytes };
  }
  const body = await readJson(res);
  const refused = errorOf(body, res.status);
  // Our router answers 404 "No list ..." for an unknown list; any other 404 means the server has
  // no export endpoint: page through /graphql from here.
  if (res.status !== 404 || refused.message.startsWith('No list')) throw refused;

  const execute: Execute = async (query, variables) => {
    const answer = await doFetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables, operationName: query.startsWith('query Export') ? 'Export' : undefined }),
    });
    const json = (await readJson(answer)) as object | null;
    return { status: answer.status, ...(json ?? { errors: [{ message: `the server answered ${answer.status}` }] }) };
  };
  const plan = planExport(await introspectSchema(execute), cmd.entity);
  const fmt = formatter(cmd.format, plan.columns.map((c) => c.name));
  let rows = 0;
  let bytes = 0;
  async function* lines(): AsyncGenerator<string> {
    yield fmt.header();
    for await (const page of exportPages(execute, plan, where)) {
      rows += page.length;
      const text = page.map((row) => fmt.row(row)).join('');
      bytes += Buffer.byteLength(text);
      yield text;
    }
  }
  await writeAll(cmd.out, lines());
  return { via: 'graphql', rows, bytes };
}

/** The `export` command of src/cli/main.ts. */
export async function exportCommand(args: ParsedArgs, defaults: { adminKey?: string; port: number }, out: Writable = process.stdout, err: Writable = process.stderr): Promise<void> {
  const entity = args.positionals[1];
  if (!entity) throw new UsageError('export needs the list to export, e.g. export serviceOrders --format csv');
  const format = (flagString(args, 'format') ?? 'csv').toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError('--format must be csv or ndjson');
  const key = flagString(args, 'key') ?? defaults.adminKey;
  if (!key) throw new UsageError('export needs --key <api key> (or ECOGRAPH_ADMIN_KEY in the environment)');
  const url = flagString(args, 'url') ?? `http://localhost:${defaults.port || 4000}`;
  let where: string | undefined;
  try {
    where = flagString(args, 'where');
    parseWhere(where);
  } catch (e) {
    throw e instanceof ExportError ? new UsageError(`--where: ${e.message}`) : e;
  }
  out.on('error', () => undefined); // a closed pipe (| head) just ends the export
  const summary = await runExport({ entity, format: format as ExportFormat, where, key, url, out });
  err.write(`exported ${entity} as ${format}${summary.rows !== undefined ? `: ${summary.rows} rows` : ''} (${summary.bytes} bytes)\n`);
}
