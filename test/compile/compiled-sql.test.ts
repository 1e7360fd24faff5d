// The SQL the compiled path sends for the partner pull, next to the query (PostGraphile's habit):
// a change in how a selection becomes SQL shows up in review as a diff of these files.
import { describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { Pseudonymizer } from '../../src/anonymisation/pseudonym';
import { principal, schemaKeyOf, type Principal } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { CursorCodec } from '../../src/db/cursor';
import { compileOperation, fragmentsOf } from '../../src/db/compile/operation';
import { NotCompilable } from '../../src/db/compile/not-compilable';
import { fullSchema } from '../../src/graphql/schema';
import { roleSchema } from '../../src/permissions/role-schema';
import { Role, Tier } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { TEST_SECRET } from '../setup/constants';

const PULL = `{ customers(first: 100) { nodes { id ageBand city district
  orders(first: 5, orderBy: [{ createdAt: DESC }]) { pageInfo { hasNextPage endCursor } nodes { id serviceType amount createdAt status } } } } }`;

function compile(p: Principal, query: string, schema = roleSchema(fullSchema(), schemaKeyOf(p))) {
  const ctx = {
    principal: p,
    services: { config: loadConfig({}), cursors: new CursorCodec(TEST_SECRET), pseudonyms: new Pseudonymizer(TEST_SECRET), secretKey: TEST_SECRET },
    memo: new Map(),
    rows: 0,
  } as unknown as Context;
  const doc = parse(query);
  return compileOperation(ctx, schema, doc.definitions[0] as OperationDefinitionNode, fragmentsOf(doc), {});
}

/** One clause per line, indented by nesting, so that a diff points at the clause that changed. */
function layout(text: string): string {
  let depth = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    if (c === ')') depth--;
    const rest = text.slice(i);
    const clause = /^ (from|left join lateral|cross join|where|order by|limit) /.exec(rest);
    if (clause) {
      out += `\n${'  '.repeat(depth)}${clause[1]} `;
      i += clause[0].length - 1;
      continue;
    }
    out += c;
  }
  return `${out}\n`;
}

describe('the partner pull compiles to one statement', () => {
  it('for an admin: raw values', async () => {
    const c = compile(principal(Role.ADMIN), PULL);
    await expect(layout(c.statement.toQuery().text)).toMatchFileSnapshot('./__snapshots__/partner-pull.admin.sql');
  });

  it('for an anonymized partner: its row scope, pseudonym markers, the keyed tie-break', async () => {
    const c = compile(principal(Role.PARTNER, { partnerId: 7, grantedTier: Tier.ANONYMIZED }), PULL);
    const { text, values } = c.statement.toQuery();
    await expect(layout(text)).toMatchFileSnapshot('./__snapshots__/partner-pull.partner.sql');
    // The partner id reaches the statement as a parameter, never as text.
    expect(values).toContain(7);
    expect(text).not.toMatch(/partner_id = 7\b/);
    // No SENSITIVE column is read at all, not even to be dropped.
    for (const column of ['"name"', 'national_id', 'phone', 'email', 'street_address']) expect(text).not.toContain(column);
  });

  it('leaves what it does not handle to the resolvers', () => {
    expect(() => compile(principal(Role.ADMIN), '{ candidatePartners(first: 2) { nodes { screeningScore } } }')).toThrow(NotCompilable);
    expect(() => compile(principal(Role.ADMIN), '{ ecosystemMetrics(from: "2025-01-01", to: "2025-02-01", granularity: MONTH, groupBy: CATEGORY) { series { key } } }')).toThrow(NotCompilable);
  });

  it('answers an operation of __typename alone without reading a table', () => {
    const c = compile(principal(Role.PARTNER, { partnerId: 7, grantedTier: Tier.ANONYMIZED }), '{ __typename a: __typename ... on Query { b: __typename } }');
    expect(c.constant).toBe('{"__typename":"Query","a":"Query","b":"Query"}');
    // The statement (a key check wraps it on the early path) selects the same text and no row.
    expect(c.statement.toQuery().text).toBe(`select '{"__typename":"Query","a":"Query","b":"Query"}' as j, 0 as n`);
    expect(compile(principal(Role.ADMIN), '{ __typename partners(first: 1) { nodes { slug } } }').constant).toBeUndefined();
  });

  it('transforms ANONYMIZED values in SQL and never reads what a partner may not see', () => {
    const partner = principal(Role.PARTNER, { partnerId: 7, grantedTier: Tier.ANONYMIZED });
    const { text } = compile(partner, '{ customers(first: 1) { nodes { birthDate streetAddress } } ratings(first: 1) { nodes { score comment } } }').statement.toQuery();
    expect(text).not.toContain('street_address'); // the district stands in for it
    expect(text).not.toContain('t."comment"'); // dropped: not even read
    // The birth date leaves the statement only as its 10-year band.
    expect(text).toContain(`'{"birthDate":' || coalesce('"' || (((greatest(extract(year from age((now() at time zone 'UTC')::date, (x0."birthDate")::date))::int, 0) / 10 * 10)::text || '-' ||`);
  });

  it('stands behind the role schemas and the shield: an unreadable field or row is never compiled', () => {
    // Against the full schema, as if a role's cut and the shield had both let the field through:
    // the compiler refuses (NotCompilable, or the resolvers' own FIELD_NOT_ALLOWED for a sort key).
    const full = fullSchema();
    const anonymized = principal(Role.PARTNER, { partnerId: 7, grantedTier: Tier.ANONYMIZED });
    const publicOnly = principal(Role.PARTNER, { partnerId: 7, grantedTier: Tier.PUBLIC });
    expect(() => compile(anonymized, '{ customers(first: 1) { nodes { name } } }', full)).toThrow();
    expect(() => compile(anonymized, '{ serviceOrders(first: 1) { nodes { customer { phone } } } }', full)).toThrow();
    expect(() => compile(publicOnly, '{ customers(first: 1) { nodes { city } } }', full)).toThrow();
    expect(() => compile(principal(Role.DASHBOARD), '{ partners(first: 1) { nodes { orders(first: 1) { nodes { id } } } } }', full)).toThrow();
    expect(() => compile(principal(Role.ANALYST), '{ customers(first: 1) { nodes { email } } }', full)).toThrow();
    // The same operations compile for an admin.
    expect(() => compile(principal(Role.ADMIN), '{ customers(first: 1) { nodes { name phone email city } } }', full)).not.toThrow();
  });
});
