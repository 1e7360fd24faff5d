// What every mutation service does to a row, in the mutation's transaction (ctx.exec): read it
// locked, check its version, write the declared columns, record before and after for the
// ledger. Columns come from the projection's declarations, so a write names exactly the
// fields a read would show.
import type { Row } from '../anonymisation/present';
import { DateScalar, MoneyScalar, parseMoney } from '../graphql/scalars';
import { projectionOf } from '../graphql/projection';
import { Role, Tier } from '../permissions/tier';
import type { DeclaredField } from '../permissions/tier-field';
import type { Context } from '../server/context';
import { ident, join, raw, sql, TRUE, type Sql } from '../db/sql';
import { writeError } from './errors';

const COLUMN_RE = /^\{t\}\."([a-z_0-9]+)"$/;

/** The stored column of a declared field (undefined for computed and resolved fields). */
export function columnOf(f: DeclaredField): string | undefined {
  return f.info.sql ? COLUMN_RE.exec(f.info.sql)?.[1] : undefined;
}

/**
 * Declared fields kept in the ledger: stored columns, never a SENSITIVE one, and never the raw
 * form of a value that is generalised for readers (birth date, street address, a pseudonymised id).
 */
function auditedFields(cls: Function): DeclaredField[] {
  return projectionOf(cls).fields.filter((f) => f.info.tier !== Tier.SENSITIVE && f.info.transform === 'none' && columnOf(f) !== undefined);
}

export function requireWriteScope(ctx: Context): NonNullable<Context['write']> {
  if (!ctx.write) throw new Error('a mutation service ran outside a mutation transaction');
  return ctx.write;
}

/** Rows a caller may write: a partner only its own; operators and admins any. */
export function ownedBy(ctx: Context): Sql {
  return ctx.principal.role === Role.PARTNER ? sql`t.partner_id = ${ctx.principal.partnerId ?? -1}` : TRUE;
}

export interface Snapshot extends Row {
  id: number;
  version: number;
  partner_id?: number | null;
}

/**
 * The row as its declared fields (raw values, as stored), locked for this transaction; null
 * when absent or not the caller's to write.
 */
export async function lockRow(cls: Function, id: number | null, ctx: Context, extraColumns: string[] = []): Promise<Snapshot | null> {
  requireWriteScope(ctx);
  if (id === null) return null;
  const meta = projectionOf(cls);
  // Dates as "YYYY-MM-DD" (pg would make them local-midnight Date objects).
  const cols = auditedFields(cls).map((f) => sql`t.${ident(columnOf(f)!)}${raw(f.typeFn() === DateScalar ? '::text' : '')} as ${ident(f.name)}`);
  // The real id always (a customer's declared id is pseudonymised, so not among the audited fields).
  for (const c of ['id', 'version', ...extraColumns]) cols.push(sql`t.${ident(c)}`);
  const hasPartner = meta.keys?.includes('partner_id') ?? false;
  if (hasPartner) cols.push(raw('t.partner_id'));
  const scope = hasPartner ? ownedBy(ctx) : TRUE;
  const rows = await ctx.exec.rows<Snapshot>(
    sql`select ${join(cols, ', ')} from ${ident(meta.table)} t where t.id = ${id} and ${scope} for update`,
  );
  const row = rows[0];
  if (!row) return null;
  return { ...row, id: Number(row.id), version: Number(row.version) };
}

/** CONFLICT when the caller's expected version is not the row's. */
export function checkVersion(row: Snapshot, expected: number | null | undefined): void {
  if (expected === null || expected === undefined) return;
  if (row.version !== expected) {
    throw writeError('CONFLICT', `The row was changed since you read it (version ${row.version}, you expected ${expected}): read it again and retry`, {
      field: 'input.expectedVersion',
      currentVersion: row.version,
    });
  }
}

/** Input values of declared writable fields -> column values (money to minor units). */
export function columnsFrom(cls: Function, input: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of projectionOf(cls).fields) {
    if (!f.info.write || !(f.name in input) || input[f.name] === undefined) continue;
    const column = columnOf(f);
    if (!column) continue;
    const v = input[f.name];
    out.set(column, v !== null && f.typeFn() === MoneyScalar ? parseMoney(String(v)).toString() : v);
  }
  return out;
}

export async function insertRow(ctx: Context, table: string, values: Map<string, unknown>): Promise<number> {
  const cols = [...values.keys()].map((c) => ident(c));
  const vals = [...values.values()].map((v) => sql`${v}`);
  const rows = await ctx.exec.rows<{ id: number }>(sql`insert into ${ident(table)} (${join(cols, ', ')}) values (${join(vals, ', ')}) returning id`);
  return Number(rows[0]!.id);
}

export async function updateRow(ctx: Context, table: string, id: number, values: Map<string, unknown>): Promise<void> {
  if (values.size === 0) return;
  const sets = [...values.entries()].map(([c, v]) => sql`${ident(c)} = ${v}`);
  await ctx.exec.rows(sql`update ${ident(table)} set ${join(sets, ', ')} where id = ${id}`);
}

function declaredValues(cls: Function, row: Snapshot | null): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const f of auditedFields(cls)) out[f.name] = row[f.name] instanceof Date ? (row[f.name] as Date).toISOString() : row[f.name];
  out.version = row.version;
  return out;
}

/**
 * Records a written row for the ledger: re-reads it after the write, in the transaction. A
 * created row is recorded whole; an updated one by the fields that changed (and its version).
 */
export async function recordChange(cls: Function, ctx: Context, id: number, before: Snapshot | null): Promise<void> {
  const after = declaredValues(cls, await lockRow(cls, id, ctx));
  const old = declaredValues(cls, before);
  const write = requireWriteScope(ctx);
  if (old && after) {
    for (const k of Object.keys(after)) {
      if (k !== 'version' && JSON.stringify(old[k]) === JSON.stringify(after[k])) {
        delete old[k];
        delete after[k];
      }
    }
  }
  write.changes.push({ type: projectionOf(cls).name, id, op: before ? 'UPDATE' : 'CREATE', before: old, after });
}

/** A unique value taken (SQLSTATE 23505) as ALREADY_EXISTS on the input field at fault. */
export async function unique<T>(field: string, message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: unknown }).code === '23505') throw writeError('ALREADY_EXISTS', message, { field });
    throw err;
  }
}
