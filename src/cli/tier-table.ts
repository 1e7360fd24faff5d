// The partners' guide's tables (docs/partners.md), generated from the schema's own declarations
// (the `ecograph.tier` extension every @TierField puts on its field), so the guide cannot drift:
// - which lists a partner key can query, with a PUBLIC and with an ANONYMIZED agreement;
// - per type a partner can reach, its fields by tier, with how ANONYMIZED values are generalised.
// `node dist/src/cli/tier-table.js` prints them; test/docs/partner-client.test.ts checks the guide
// and rewrites its block with ECOGRAPH_UPDATE_DOCS=1 npx vitest run test/docs.
import 'reflect-metadata';
import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { fullSchema } from '../graphql/schema';
import { roleSchema } from '../permissions/role-schema';
import { tierInfoOf } from '../permissions/tier-field';
import { Tier, type Transform } from '../permissions/tier';

const TRANSFORM_NOTE: Record<Transform, string> = {
  none: '',
  pseudonym: 'pseudonym',
  ageBand: '10-year age band',
  district: 'district only',
  drop: 'always null',
};

/** Relay plumbing carries no data of its own. */
function isPlumbing(name: string): boolean {
  return name === 'Query' || name === 'PageInfo' || name.endsWith('Connection') || name.endsWith('Edge') || name.startsWith('__');
}

function code(name: string): string {
  return `\`${name}\``;
}

/** The root lists and lookups of the two partner schemas, side by side. */
export function partnerRootTable(full: GraphQLSchema = fullSchema()): string {
  const pub = roleSchema(full, 'PARTNER_PUBLIC').getQueryType()!.getFields();
  const anon = roleSchema(full, 'PARTNER_ANONYMIZED').getQueryType()!.getFields();
  const names = Object.keys(full.getQueryType()!.getFields()).filter((n) => pub[n] || anon[n]);
  const lines = ['| Query field | Returns | PUBLIC agreement | ANONYMIZED agreement |', '|---|---|:-:|:-:|'];
  for (const name of names) {
    const field = anon[name] ?? pub[name]!;
    lines.push(`| ${code(name)} | ${code(field.type.toString())} | ${pub[name] ? 'yes' : '—'} | ${anon[name] ? 'yes' : '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}

function fieldCell(type: GraphQLObjectType, tier: Tier): string {
  const out: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const info = tierInfoOf(field.extensions);
    if (!info || info.tier !== tier) continue;
    const note = TRANSFORM_NOTE[info.transform];
    out.push(note ? `${code(field.name)} (${note})` : code(field.name));
  }
  return out.length ? out.join(', ') : '—';
}

/**
 * Every type a partner key can reach (with an ANONYMIZED agreement), and its fields by tier as
 * declared: PUBLIC fields reach every partner, ANONYMIZED fields only partners whose agreement
 * grants them (generalised as noted), SENSITIVE fields never reach a partner.
 */
export function tierTable(full: GraphQLSchema = fullSchema()): string {
  const partner = roleSchema(full, 'PARTNER_ANONYMIZED');
  const names = Object.values(partner.getTypeMap())
    .filter((t) => isObjectType(t) && !isPlumbing(t.name))
    .map((t) => t.name)
    .sort((a, b) => a.localeCompare(b));
  const lines = ['| Type | PUBLIC | ANONYMIZED | SENSITIVE (never shared) |', '|---|---|---|---|'];
  for (const name of names) {
    const type = full.getType(name);
    if (!isObjectType(type)) continue;
    const hasTier = Object.values(type.getFields()).some((f) => tierInfoOf(f.extensions));
    if (!hasTier) continue;
    lines.push(`| ${code(name)} | ${fieldCell(type, Tier.PUBLIC)} | ${fieldCell(type, Tier.ANONYMIZED)} | ${fieldCell(type, Tier.SENSITIVE)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Types a partner cannot reach at all (for completeness in the guide). */
export function internalOnlyTypes(full: GraphQLSchema = fullSchema()): string[] {
  const partner = roleSchema(full, 'PARTNER_ANONYMIZED');
  const reachable = new Set(Object.keys(partner.getTypeMap()));
  return Object.values(full.getTypeMap())
    .filter((t) => isObjectType(t) && !isPlumbing(t.name) && !reachable.has(t.name))
    .map((t) => t.name)
    .sort((a, b) => a.localeCompare(b));
}

/** The generated block of docs/partners.md, between its tier-table markers. */
export function tierTablesMarkdown(full: GraphQLSchema = fullSchema()): string {
  return [
    '#### Lists and lookups a partner key can query',
    '',
    partnerRootTable(full),
    '#### Fields by tier',
    '',
    tierTable(full),
    `Types no partner key can reach: ${internalOnlyTypes(full).map(code).join(', ')}.`,
    '',
  ].join('\n');
}

if (require.main === module) {
  process.stdout.write(tierTablesMarkdown());
}
