// Persisted operations: a partner registers documents (one by one, or graphql-codegen's
// persisted-documents manifest), each under the SHA-256 of its text, then executes them by id
// (persisted-documents.middleware.ts). A document must parse and validate against the caller's
// own schema when it is registered; registering an id again is a no-op (the id fixes the text).
import crypto from 'node:crypto';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type pg from 'pg';
import { sql } from '../db/sql';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { aliasLimitRule, depthLimitRule } from '../server/limits';
import { invalid, writeError } from '../writes/errors';
import { requireWriteScope } from '../writes/rows';

/** The id of a document: GraphQL-over-HTTP's SHA-256 document identifier of its exact text. */
export function documentIdOf(document: string): string {
  return `sha256:${crypto.createHash('sha256').update(document, 'utf8').digest('hex')}`;
}

const SHA256 = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** "sha256:<hex>" or the bare hex (Apollo's sha256Hash, graphql-codegen's keys) -> "sha256:<hex>"; else undefined. */
export function normaliseId(id: string): string | undefined {
  const m = SHA256.exec(id.trim());
  return m ? `sha256:${m[1]!.toLowerCase()}` : undefined;
}

export interface PersistedOperation {
  id: string;
  operationName: string | null;
  document: string;
  createdAt: Date;
}

interface Row {
  id: string;
  operation_name: string | null;
  document: string;
  created_at: Date;
}

const fromRow = (r: Row): PersistedOperation => ({ id: r.id, operationName: r.operation_name, document: r.document, createdAt: r.created_at });

/** The document registered under `id` by this partner (`id` normalised), if any. */
export async function findOperation(pool: Pick<pg.Pool, 'query'>, partnerId: number, id: string): Promise<{ document: string } | undefined> {
  const res = await pool.query<{ document: string }>({
    name: 'ecograph-persisted-operation',
    text: 'select document from persisted_operation where partner_id = $1 and id = $2',
    values: [partnerId, id],
  });
  return res.rows[0];
}

export async function listOperations(ctx: Context): Promise<PersistedOperation[]> {
  const partnerId = ctx.principal.partnerId ?? -1;
  const rows = await ctx.exec.rows<Row>(
    sql`select id, operation_name, document, created_at from persisted_operation where partner_id = ${partnerId} order by created_at, id`,
  );
  ctx.rows += rows.length;
  return rows.map(fromRow);
}

export interface OperationInput {
  id?: string | null;
  document: string;
}

export interface Registration {
  operations?: OperationInput[] | null;
  /** graphql-codegen's persisted-documents.json: { "<sha256 hex>": "<document>" }. */
  manifest?: unknown;
}

/** A mutation or subscription the caller's schema has no root type for. */
const operationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const schema = context.getSchema();
    const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (!root) context.reportError(new GraphQLError(`This API has no ${node.operation} operations`, { nodes: node }));
  },
});

const SUGGESTION = /\s*Did you mean .*\?$/s;

function graphqlErrors(errors: readonly GraphQLError[]): { message: string; locations?: { line: number; column: number }[] }[] {
  return errors.slice(0, 20).map((e) => ({ message: e.message.replace(SUGGESTION, ''), ...(e.locations ? { locations: [...e.locations] } : {}) }));
}

interface Candidate {
  field: string;
  id: string;
  document: string;
  operationName: string | null;
}

function check(field: string, givenId: string | null | undefined, document: unknown, schema: GraphQLSchema, ctx: Context): Candidate {
  const limits = ctx.services.config.persisted;
  if (typeof document !== 'string' || document.trim() === '') throw invalid(`${field}.document`, 'The document must be the text of a GraphQL operation');
  if (Buffer.byteLength(document, 'utf8') > limits.maxDocumentBytes) {
    throw invalid(`${field}.document`, `The document is larger than ${limits.maxDocumentBytes} bytes (PERSISTED_DOCUMENT_MAX_BYTES)`);
  }
  const id = documentIdOf(document);
  if (givenId !== undefined && givenId !== null) {
    const given = normaliseId(givenId);
    if (!given) {
      const sha1 = /^(?:sha1:)?[0-9a-fA-F]{40}$/.test(givenId.trim());
      throw invalid(
        `${field}.id`,
        sha1
          ? 'The id looks like a SHA-1: ids are SHA-256 (graphql-codegen: set persistedDocuments.hashAlgorithm to "sha256")'
          : 'The id must be "sha256:<64 hex digits>" or the 64 hex digits',
      );
    }
    if (given !== id) {
      throw writeError('INVALID_VALUE', 'The id is not the SHA-256 of the document text (hash the exact text you send, byte for byte)', { field: `${field}.id`, expectedId: id });
    }
  }
  let doc: DocumentNode;
  try {
    doc = parse(document);
  } catch (err) {
    const errors = err instanceof GraphQLError ? graphqlErrors([err]) : [{ message: 'The document could not be parsed' }];
    throw writeError('INVALID_VALUE', 'The document does not parse', { field: `${field}.document`, graphqlErrors: errors });
  }
  const rules = [...specifiedRules, operationTypeRule, depthLimitRule(ctx.services.config.limits.maxDepth), aliasLimitRule(ctx.services.config.limits.maxAliases)];
  const errors = validate(schema, doc, rules);
  if (errors.length > 0) {
    throw writeError('INVALID_VALUE', 'The document is not valid against your schema', { field: `${field}.document`, graphqlErrors: graphqlErrors(errors) });
  }
  const operations = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operationName = operations.length === 1 && operations[0]!.kind === Kind.OPERATION_DEFINITION ? (operations[0]!.name?.value ?? null) : null;
  return { field, id, document, operationName };
}

/** Two ints for pg_advisory_xact_lock: registrations of one partner take turns (the count limit). */
const LOCK_CLASS = 0x50455253; // "PERS"

/**
 * Registers the operations (and/or the manifest's) for the calling partner, validated against
 * `schema`, the caller's own; returns them in the order given, duplicates once.
 */
export async function registerOperations(input: Registration, ctx: Context, schema: GraphQLSchema): Promise<PersistedOperation[]> {
  requireWriteScope(ctx);
  const p = ctx.principal;
  if (p.role !== Role.PARTNER || p.partnerId === undefined) throw writeError('INVALID_STATE', 'Operations are registered with a partner key, for its own partner');
  const given: { field: string; id?: string | null; document: unknown }[] = (input.operations ?? []).map((o, i) => ({ field: `input.operations[${i}]`, id: o.id, document: o.document }));
  if (input.manifest !== undefined && input.manifest !== null) {
    const m = input.manifest;
    if (typeof m !== 'object' || Array.isArray(m)) {
      throw invalid('input.manifest', 'The manifest must be a JSON object { "<sha256 hex>": "<document>" }, as graphql-codegen writes persisted-documents.json');
    }
    for (const [key, document] of Object.entries(m as Record<string, unknown>)) given.push({ field: `input.manifest["${key.slice(0, 80)}"]`, id: key, document });
  }
  if (given.length === 0) throw invalid('input', 'Give operations or a manifest');
  const max = ctx.services.config.persisted.maxOperations;
  if (given.length > max) throw invalid('input', `At most ${max} operations per partner (PERSISTED_OPERATIONS_MAX)`);
  const checked = new Map<string, Candidate>();
  for (const g of given) {
    const c = check(g.field, g.id, g.document, schema, ctx);
    if (!checked.has(c.id)) checked.set(c.id, c);
  }
  const candidates = [...checked.values()];
  await ctx.exec.rows(sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int, ${p.partnerId}::int)`);
  const records = JSON.stringify(candidates.map((c) => ({ id: c.id, document: c.document, operation_name: c.operationName })));
  await ctx.exec.rows(sql`insert into persisted_operation (partner_id, id, document, operation_name, created_at)
    select ${p.partnerId}::int, x.id, x.document, x.operation_name, now()
      from jsonb_to_recordset(${records}::jsonb) as x(id text, document text, operation_name text)
    on conflict (partner_id, id) do nothing`);
  const [{ n }] = await ctx.exec.rows<{ n: number }>(sql`select count(*)::int as n from persisted_operation where partner_id = ${p.partnerId}`);
  if (n > max) throw writeError('INVALID_STATE', `A partner keeps at most ${max} operations (PERSISTED_OPERATIONS_MAX): this would make ${n}`, { field: 'input' });
  const rows = await ctx.exec.rows<Row>(
    sql`select id, operation_name, document, created_at from persisted_operation where partner_id = ${p.partnerId} and id = any(${candidates.map((c) => c.id)}::text[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, fromRow(r)]));
  return candidates.map((c) => byId.get(c.id)!);
}
