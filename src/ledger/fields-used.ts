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
import { memoByNodeAndVariables } from '../graphql/document-memo';
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

function computeFieldsUsed(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): FieldsUsed {
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
  const list = (names: Iterable<string>) => Object.freeze([...names].sort()) as string[];
  // Frozen: one result serves every request that repeats the operation with these variables.
  return Object.freeze({
    byTier: Object.freeze({ PUBLIC: list(read.PUBLIC), ANONYMIZED: list(read.ANONYMIZED), SENSITIVE: list(read.SENSITIVE) }),
    filterOnly: list([...filtered].filter((f) => !allRead.has(f))),
  });
}

/** The fields `document` reads by tier, and those it only filters or sorts on; computed once per document and variables. */
export const fieldsUsed: (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>) => FieldsUsed = memoByNodeAndVariables(computeFieldsUsed);
