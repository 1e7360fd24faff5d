// The write side of the tier matrix: for every mutation, every role and every input field,
// the per-role schema offers exactly what the declarations allow, the shield refuses the rest
// on its own (against the full schema), and the rules themselves are pinned in a reviewed
// table, so that removing a `write:` or an @Access fails here.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, parse, specifiedDirectives, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Arg, buildSchemaSync, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Projection } from '../../src/graphql/projection';
import { Access } from '../../src/graphql/root-field';
import { tierDirective } from '../../src/graphql/tier-directive';
import { WriteInput } from '../../src/graphql/write-input';
import { Role, Tier } from '../../src/permissions/tier';
import { TierField } from '../../src/permissions/tier-field';
import { samplePrincipal, SCHEMA_KEYS, type SchemaKey } from '../../src/auth/principal';
import { PROJECT_ROOT } from '../../src/config';
import { rootAccessOf } from '../../src/graphql/root-field';
import { fullSchema } from '../../src/graphql/schema';
import { writeInfoOf } from '../../src/graphql/write-input';
import { readable, writableBy } from '../../src/permissions/policy';
import { roleSchema } from '../../src/permissions/role-schema';
import { refusedWrites } from '../../src/permissions/write-guard';
import { createActors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

const full = fullSchema();
const mutations = Object.values(full.getMutationType()!.getFields());
const schemas = Object.fromEntries(SCHEMA_KEYS.map((k) => [k, k === 'ADMIN' ? full : roleSchema(full, k)])) as Record<SchemaKey, GraphQLSchema>;

function inputTypeOf(m: (typeof mutations)[number]) {
  const t = getNamedType(m.args.find((a) => a.name === 'input')!.type);
  if (!isInputObjectType(t)) throw new Error(`${m.name}: input is not an input object`);
  return t;
}

/** A literal of the field's type (the value does not matter: validation is what is tested). */
function literal(type: GraphQLInputType): string {
  const t = getNullableType(type);
  if (isListType(t)) return `[${literal(t.ofType as GraphQLInputType)}]`;
  if (isEnumType(t)) return t.getValues()[0]!.name;
  switch (getNamedType(t).name) {
    case 'Int':
      return '1';
    case 'Boolean':
      return 'true';
    case 'Date':
      return '"2030-01-01"';
    case 'DateTime':
      return '"2030-01-01T00:00:00Z"';
    case 'Money':
      return '"1.00"';
    default:
      return '"1"';
  }
}

/** The reviewed table: who may call each mutation and who may set each of its data fields. */
function rulesTable(): string {
  const lines: string[] = [];
  for (const m of mutations) {
    lines.push(`${m.name}: ${rootAccessOf(m.extensions)!.roles.join(' ')}`);
    for (const f of Object.values(inputTypeOf(m).getFields())) {
      const w = writeInfoOf(f.extensions);
      lines.push(`  ${f.name}${isNonNullType(f.type) ? '!' : ''}: ${w ? `${w.info.tier} ${w.info.write!.join(' ')}` : 'control'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('write rules', () => {
  it('are the reviewed table (test/permissions/write-rules.txt; ECOGRAPH_UPDATE_DOCS=1 rewrites it)', () => {
    const file = path.join(PROJECT_ROOT, 'test', 'permissions', 'write-rules.txt');
    const now = rulesTable();
    if (process.env.ECOGRAPH_UPDATE_DOCS === '1') fs.writeFileSync(file, now);
    expect(now).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('never let a role write a field it cannot read, nor a partner anything but PUBLIC', () => {
    for (const key of SCHEMA_KEYS) {
      const p = samplePrincipal(key);
      for (const m of mutations) {
        for (const f of Object.values(inputTypeOf(m).getFields())) {
          const w = writeInfoOf(f.extensions);
          if (!w || !writableBy(w.info, p)) continue;
          expect(readable(w.info, p.visibility), `${key} ${m.name}.${f.name}`).toBe(true);
          if (p.role === 'PARTNER') expect(w.info.tier, `${key} ${m.name}.${f.name}`).toBe('PUBLIC');
        }
      }
    }
  });

  it('give every data field of every mutation input the tier of the field it writes', () => {
    for (const m of mutations) {
      for (const f of Object.values(inputTypeOf(m).getFields())) {
        const w = writeInfoOf(f.extensions);
        if (!w) continue;
        const owner = full.getType(w.write.type);
        const field = owner && 'getFields' in owner ? (owner.getFields() as Record<string, { extensions: Record<string, unknown> }>)[w.write.field] : undefined;
        expect((field?.extensions.ecograph as { tier?: string } | undefined)?.tier, `${m.name}.${f.name}`).toBe(w.info.tier);
      }
    }
  });
});

describe.each(SCHEMA_KEYS)('%s', (key) => {
  const p = samplePrincipal(key);
  const own = schemas[key];

  it.each(mutations.map((m) => [m.name, m] as const))('%s: in the schema exactly as declared, field by field', (_name, m) => {
    const allowed = rootAccessOf(m.extensions)!.roles.includes(p.role);
    const mine = own.getMutationType()?.getFields()[m.name];
    expect(Boolean(mine), `${key} ${m.name}`).toBe(allowed);
    if (!mine) return;
    const ownInput = getNamedType(mine.args[0]!.type);
    if (!isInputObjectType(ownInput)) throw new Error('input');
    for (const f of Object.values(inputTypeOf(m).getFields())) {
      const w = writeInfoOf(f.extensions);
      const expected = w ? writableBy(w.info, p) : true;
      expect(f.name in ownInput.getFields(), `${key} ${m.name}.${f.name}`).toBe(expected);
    }
  });

  it.each(mutations.map((m) => [m.name, m] as const))('%s: the shield alone refuses every field the role may not write', (_name, m) => {
    const fields = Object.values(inputTypeOf(m).getFields());
    const doc = parse(`mutation { ${m.name}(input: { ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }) { __typename } }`);
    const op = doc.definitions[0] as OperationDefinitionNode;
    // Against the full schema: no per-role cut in front of the shield.
    const refused = refusedWrites(full, full, doc, op, {}, { ...p, partnerId: p.role === 'PARTNER' ? 1 : undefined });
    const expected = fields.filter((f) => {
      const w = writeInfoOf(f.extensions);
      return w !== undefined && !writableBy(w.info, p);
    });
    expect(refused.sort(), `${key} ${m.name}`).toEqual(expected.map((f) => `${inputTypeOf(m).name}.${f.name}`).sort());
  });
});

describe('over HTTP, against the real server', () => {
  let server: TestServer;
  let keys: Record<SchemaKey, string>;
  beforeAll(async () => {
    server = await startTestServer();
    const a = await createActors(server.pool);
    keys = { ADMIN: a.admin, OPERATOR: a.operator, ANALYST: a.analyst, DASHBOARD: a.dashboard, PARTNER_PUBLIC: a.partnerPublic, PARTNER_ANONYMIZED: a.partnerA };
  });

  it.each(SCHEMA_KEYS)('%s: every mutation and input field the role may not use is refused before anything runs', async (key) => {
    const p = samplePrincipal(key);
    for (const m of mutations) {
      const fields = Object.values(inputTypeOf(m).getFields());
      // An unknown probe field keeps every request in validation: nothing executes, and the
      // errors list every field the role's input type lacks.
      const query = `mutation { ${m.name}(input: { probe: 1, ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }) { __typename } }`;
      const res = await server.gql(query, undefined, keys[key]);
      const messages = (res.body.errors ?? []).map((e) => e.message);
      const allowed = rootAccessOf(m.extensions)!.roles.includes(p.role);
      if (!allowed) {
        expect(res.status, `${key} ${m.name}`).toBe(400);
        expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        continue;
      }
      for (const f of fields) {
        const w = writeInfoOf(f.extensions);
        const unknown = messages.some((msg) => msg.includes(`Field "${f.name}" is not defined`));
        expect(unknown, `${key} ${m.name}.${f.name}`).toBe(w !== undefined && !writableBy(w.info, p));
        for (const msg of messages) expect(msg).not.toMatch(/Did you mean/);
      }
    }
  });
});

// The real declarations happen to let every role that may call a mutation set all of its
// fields, so a field-level refusal is proven on a small schema declared here with the same
// decorators: a field only admins may set, an ANONYMIZED one partners cannot read.
describe('field-level write rules on a schema of their own', () => {
  const { ADMIN, OPERATOR, PARTNER } = Role;
  @Projection('Gadget', { table: 'gadget' })
  class GadgetType {
    @TierField(Tier.PUBLIC, () => ID, { sortable: true }) id!: string;
    @TierField(Tier.PUBLIC, () => String, { write: [ADMIN, OPERATOR, PARTNER] }) name!: string;
    @TierField(Tier.PUBLIC, () => String, { write: [ADMIN] }) adminOnly!: string;
    @TierField(Tier.ANONYMIZED, () => String, { transform: 'none', write: [ADMIN, OPERATOR] }) anonymised!: string | null;
  }
  const GadgetInput = WriteInput('GadgetInput', { control: { id: { type: () => ID } }, from: GadgetType, fields: ['name', 'adminOnly', 'anonymised'] });
  @Resolver()
  class GadgetResolver {
    @Query(() => String)
    @Access(ADMIN, OPERATOR, PARTNER)
    ping() {
      return 'pong';
    }
    @Mutation(() => String)
    @Access(ADMIN, OPERATOR, PARTNER)
    saveGadget(@Arg('input', () => GadgetInput) _input: unknown) {
      return 'saved';
    }
  }
  const gadgets = buildSchemaSync({ resolvers: [GadgetResolver], directives: [...specifiedDirectives, tierDirective], validate: false });
  const expected: Record<string, string[]> = {
    ADMIN: ['adminOnly', 'anonymised', 'id', 'name'],
    OPERATOR: ['anonymised', 'id', 'name'],
    PARTNER_ANONYMIZED: ['id', 'name'],
    PARTNER_PUBLIC: ['id', 'name'],
  };

  it.each(Object.entries(expected))('%s: the role schema offers exactly the fields it may write', (key, fields) => {
    const cut = key === 'ADMIN' ? gadgets : roleSchema(gadgets, key as SchemaKey);
    const input = cut.getType('GadgetInput');
    expect(isInputObjectType(input) ? Object.keys(input.getFields()).sort() : []).toEqual(fields);
  });

  it.each(Object.entries(expected))('%s: the shield refuses the others against the full schema', (key, fields) => {
    const doc = parse('mutation { saveGadget(input: { id: "1", name: "n", adminOnly: "a", anonymised: "x" }) }');
    const refused = refusedWrites(gadgets, gadgets, doc, doc.definitions[0] as OperationDefinitionNode, {}, samplePrincipal(key as SchemaKey));
    expect(refused.sort()).toEqual(['adminOnly', 'anonymised', 'id', 'name'].filter((f) => !fields.includes(f)).map((f) => `GadgetInput.${f}`));
  });

  it('reads variables as well as literals', () => {
    const doc = parse('mutation($i: GadgetInput!) { saveGadget(input: $i) }');
    const refused = refusedWrites(gadgets, gadgets, doc, doc.definitions[0] as OperationDefinitionNode, { i: { name: 'n', adminOnly: 'a' } }, samplePrincipal('OPERATOR'));
    expect(refused).toEqual(['GadgetInput.adminOnly']);
  });
});
