// Which declared fields an operation reads (by tier) and which it only filters or sorts on,
// from the document and its variables, as "Type.field".
import {
  getArgumentValues,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { projectionByName } from '../graphql/projection';
import { tierInfoOf } from '../permissions/tier-field';
import { Tier } from '../permissions/tier';

export interface FieldsUsed {
  byTier: Record<Tier, string[]>;
  filterOnly: string[];
}

function collectInput(type: GraphQLInputType, value: unknown, out: Set<string>): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return collectInput(type.ofType, value, out);
  if (isListType(type)) {
    if (Array.isArray(value)) for (const v of value) collectInput(type.ofType, v, out);
    return;
  }
  if (!isInputObjectType(type) || typeof value !== 'object') return;
  const owner = type.name.replace(/(Where|OrderBy)$/, '');
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.getFields()[name];
    if (!field) continue;
    if (tierInfoOf(field.extensions) && owner !== type.name) out.add(`${owner}.${name}`);
    collectInput(field.type, v, out);
  }
}

export function fieldsUsed(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): FieldsUsed {
  const read: Record<Tier, Set<string>> = { PUBLIC: new Set(), ANONYMIZED: new Set(), SENSITIVE: new Set() };
  const filtered = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD](node) {
        const def = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!def || !parent) return;
        const info = tierInfoOf(def.extensions);
        // Connection plumbing (edges, pageInfo, totalCount) carries no data of its own.
        if (info && projectionByName(parent.name)) read[info.tier].add(`${parent.name}.${def.name}`);
        if (def.args.length > 0) {
          try {
            const args = getArgumentValues(def, node, variables);
            for (const arg of def.args) collectInput(arg.type, args[arg.name], filtered);
          } catch {
            // Invalid arguments fail execution with their own error; nothing was read.
          }
        }
      },
    }),
  );
  const allRead = new Set([...read.PUBLIC, ...read.ANONYMIZED, ...read.SENSITIVE]);
  return {
    byTier: { PUBLIC: [...read.PUBLIC].sort(), ANONYMIZED: [...read.ANONYMIZED].sort(), SENSITIVE: [...read.SENSITIVE].sort() },
    filterOnly: [...filtered].filter((f) => !allRead.has(f)).sort(),
  };
}
