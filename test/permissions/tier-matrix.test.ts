// Walks the generated schema: for every role and every declared field, every way of asking
// for it (direct, alias, fragment, inline fragment, through each relation path, filter, sort,
// introspection) is allowed, denied or transformed exactly as the declaration says.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { samplePrincipal, type SchemaKey } from '../../src/auth/principal';
import { projectionByName, type ProjectionMeta } from '../../src/graphql/projection';
import { fullSchema } from '../../src/graphql/schema';
import { filterableBy, readable, sortableBy } from '../../src/permissions/policy';
import { isCustomerRows } from '../../src/permissions/role-schema';
import { rootAccessOf } from '../../src/graphql/root-field';
import { tierInfoOf } from '../../src/permissions/tier-field';
import type { Visibility } from '../../src/permissions/tier';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

const schema = fullSchema();
const ROLES: SchemaKey[] = ['ADMIN', 'OPERATOR', 'ANALYST', 'DASHBOARD', 'PARTNER_PUBLIC', 'PARTNER_ANONYMIZED'];

let server: TestServer;
let keys: Record<SchemaKey, string>;
beforeAll(async () => {
  // One alias per field of a type (the aliased variant below): more than the default limit for the widest types.
  server = await startTestServer({ MAX_ALIASES: '100' });
  const a: Actors = await createActors(server.pool);
  keys = { ADMIN: a.admin, OPERATOR: a.operator, ANALYST: a.analyst, DASHBOARD: a.dashboard, PARTNER_PUBLIC: a.partnerPublic, PARTNER_ANONYMIZED: a.partnerA };
});

type AnyField = GraphQLField<unknown, unknown>;
interface Path {
  hops: AnyField[];
  target: GraphQLObjectType;
}

function nodeType(f: AnyField): GraphQLObjectType | undefined {
  const named = getNamedType(f.type);
  if (!isObjectType(named)) return undefined;
  if (named.name.endsWith('Connection')) {
    const node = schema.getType(named.name.slice(0, -'Connection'.length));
    return isObjectType(node) ? node : undefined;
  }
  return projectionByName(named.name) ? named : undefined;
}

/** Up to `perType` shortest paths from the root to each projection type, 3 hops at most. */
function pathsByType(perType = 3): Map<string, Path[]> {
  const out = new Map<string, Path[]>();
  let frontier: Path[] = [];
  for (const f of Object.values(schema.getQueryType()!.getFields())) {
    const t = nodeType(f);
    if (t && f.args.every((a) => a.type.toString().endsWith('!') === false)) frontier.push({ hops: [f], target: t });
  }
  for (let depth = 1; depth <= 3 && frontier.length > 0; depth++) {
    const next: Path[] = [];
    for (const p of frontier) {
      const list = out.get(p.target.name) ?? [];
      if (list.length < perType) list.push(p);
      out.set(p.target.name, list);
      for (const f of Object.values(p.target.getFields())) {
        const t = nodeType(f);
        if (t) next.push({ hops: [...p.hops, f], target: t });
      }
    }
    frontier = next;
  }
  return out;
}

function wrap(hops: AnyField[], inner: string): string {
  return hops.reduceRight((body, f) => {
    const named = getNamedType(f.type).name;
    return named.endsWith('Connection') ? `${f.name}(first: 2) { nodes { ${body} } }` : `${f.name} { ${body} }`;
  }, inner);
}

function fieldVisible(f: AnyField, owner: GraphQLObjectType, v: Visibility): boolean {
  const info = tierInfoOf(f.extensions);
  if (!info || !readable(info, v)) return false;
  if (!v.customerRows && (isCustomerRows(getNamedType(f.type), schema) || isCustomerRows(owner, schema))) return false;
  return true;
}

function pathVisible(p: Path, role: SchemaKey): boolean {
  const v = samplePrincipal(role).visibility;
  const [root, ...rest] = p.hops;
  if (!rootAccessOf(root.extensions)?.roles.includes(samplePrincipal(role).role)) return false;
  if (!v.customerRows && isCustomerRows(getNamedType(root.type), schema)) return false;
  let owner = nodeType(root)!;
  for (const hop of rest) {
    if (!fieldVisible(hop, owner, v)) return false;
    owner = nodeType(hop)!;
  }
  // A type none of whose fields the caller may read does not exist for it.
  return Object.values(p.target.getFields()).some((f) => fieldVisible(f, p.target, v));
}

function scalarSelection(f: AnyField): string {
  return isObjectType(getNamedType(f.type)) ? `${f.name} { __typename }` : f.name;
}

const paths = pathsByType();
const targets = [...paths.keys()].sort();

async function run(role: SchemaKey, query: string) {
  const res = await server.gql(query, undefined, keys[role]);
  return res.body;
}

function expectDenied(body: Awaited<ReturnType<typeof run>>, what: string) {
  expect(body.data ?? null, what).toBeNull();
  expect(body.errors?.[0]?.extensions?.code, what).toBe('GRAPHQL_VALIDATION_FAILED');
  for (const e of body.errors ?? []) expect(e.message, what).not.toMatch(/Did you mean/);
}

function checkTransformed(meta: ProjectionMeta, nodes: Record<string, unknown>[], role: SchemaKey) {
  const v = samplePrincipal(role).visibility;
  for (const f of meta.fields) {
    const t = f.info.transform;
    for (const n of nodes) {
      const value = n[f.name];
      if (value === undefined || value === null) continue;
      if (!v.anonymise) continue;
      if (t === 'pseudonym') expect(value, `${meta.name}.${f.name}`).toMatch(/^cus_[\w-]{22}$/);
      if (t === 'ageBand') expect(value, `${meta.name}.${f.name}`).toMatch(/^\d+-\d+$/);
      if (t === 'district') expect(value, `${meta.name}.${f.name}`).toBe(n.district);
      if (t === 'drop') expect(value, `${meta.name}.${f.name}`).toBeNull();
    }
  }
}

function collectNodes(data: unknown, depth: number): Record<string, unknown>[] {
  let level: unknown[] = [data];
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    for (const x of level) {
      if (!x || typeof x !== 'object') continue;
      for (const v of Object.values(x as Record<string, unknown>)) {
        const unwrapped = v && typeof v === 'object' && 'nodes' in (v as object) ? (v as { nodes: unknown[] }).nodes : v;
        if (Array.isArray(unwrapped)) next.push(...unwrapped);
        else if (unwrapped) next.push(unwrapped);
      }
    }
    level = next;
  }
  return level as Record<string, unknown>[];
}

describe.each(ROLES)('%s', (role) => {
  const v = samplePrincipal(role).visibility;

  it.each(targets)('%s: introspection lists exactly the fields, filters and sort keys it may use', async (typeName) => {
    const t = schema.getType(typeName) as GraphQLObjectType;
    const meta = projectionByName(typeName)!;
    const body = await run(role, `{ t: __type(name: "${typeName}") { fields { name } } w: __type(name: "${typeName}Where") { inputFields { name } } o: __type(name: "${typeName}OrderBy") { inputFields { name } } }`);
    const reachable = (paths.get(typeName) ?? []).some((p) => pathVisible(p, role));
    const expectFields = reachable ? Object.values(t.getFields()).filter((f) => fieldVisible(f, t, v)).map((f) => f.name).sort() : [];
    const d = body.data as any;
    expect((d.t?.fields ?? []).map((f: { name: string }) => f.name).sort()).toEqual(expectFields);
    if (d.w) {
      const filters = meta.fields.filter((f) => filterableBy(f.info, v)).map((f) => f.name);
      expect(d.w.inputFields.map((f: { name: string }) => f.name).filter((n: string) => !['and', 'or', 'not'].includes(n)).sort()).toEqual(filters.sort());
    }
    if (d.o) expect(d.o.inputFields.map((f: { name: string }) => f.name).sort()).toEqual(meta.fields.filter((f) => sortableBy(f.info, v)).map((f) => f.name).sort());
  });

  it.each(targets)('%s: every path, field and way of selecting obeys the declaration', async (typeName) => {
    const t = schema.getType(typeName) as GraphQLObjectType;
    const meta = projectionByName(typeName)!;
    for (const p of paths.get(typeName) ?? []) {
      const where = `${role} ${p.hops.map((h) => h.name).join('.')}`;
      if (!pathVisible(p, role)) {
        expectDenied(await run(role, `{ ${wrap(p.hops, '__typename')} }`), where);
        continue;
      }
      const fields = Object.values(t.getFields());
      const allowed = fields.filter((f) => fieldVisible(f, t, v));
      const denied = fields.filter((f) => !fieldVisible(f, t, v));
      const selection = allowed.map(scalarSelection).join(' ');
      const direct = await run(role, `{ ${wrap(p.hops, selection)} }`);
      expect(direct.errors, where).toBeUndefined();
      checkTransformed(meta, collectNodes(direct.data, p.hops.length), role);
      const variants = [
        `{ ${wrap(p.hops, allowed.map((f) => `a_${f.name}: ${scalarSelection(f)}`).join(' '))} }`,
        `{ ${wrap(p.hops, '...F')} } fragment F on ${typeName} { ${selection} }`,
        `{ ${wrap(p.hops, `... on ${typeName} { ${selection} }`)} }`,
      ];
      for (const q of variants) {
        const body = await run(role, q);
        expect(body.errors, `${where}: ${q}`).toBeUndefined();
      }
      for (const f of denied) {
        const sel = scalarSelection(f);
        for (const q of [
          `{ ${wrap(p.hops, sel)} }`,
          `{ ${wrap(p.hops, `x: ${sel}`)} }`,
          `{ ${wrap(p.hops, '...F')} } fragment F on ${typeName} { ${sel} }`,
          `{ ${wrap(p.hops, `... on ${typeName} { ${sel} }`)} }`,
        ]) {
          expectDenied(await run(role, q), `${where}.${f.name}: ${q}`);
        }
      }
    }
  });

  it.each(targets)('%s: filters and sorts only on what it may use', async (typeName) => {
    const meta = projectionByName(typeName)!;
    const p = (paths.get(typeName) ?? []).find((x) => getNamedType(x.hops[x.hops.length - 1].type).name.endsWith('Connection'));
    if (!p) return;
    const last = p.hops[p.hops.length - 1];
    const prefix = p.hops.slice(0, -1);
    for (const f of meta.fields) {
      const list = (args: string) => `{ ${wrap(prefix, `${last.name}(first: 1, ${args}) { totalCount }`)} }`;
      if (f.info.filter !== undefined) {
        const body = await run(role, list(`where: { ${f.name}: {} }`));
        if (pathVisible(p, role) && filterableBy(f.info, v)) expect(body.errors, `${role} filter ${typeName}.${f.name}`).toBeUndefined();
        else expectDenied(body, `${role} filter ${typeName}.${f.name}`);
      }
      if (f.info.sortable) {
        const body = await run(role, list(`orderBy: [{ ${f.name}: ASC }]`));
        if (pathVisible(p, role) && sortableBy(f.info, v)) expect(body.errors, `${role} sort ${typeName}.${f.name}`).toBeUndefined();
        else expectDenied(body, `${role} sort ${typeName}.${f.name}`);
      }
    }
  });
});
