// The shield's rule for writes: every input field a mutation is given must be writable by the
// caller, as its declaration says (graphql-shield itself checks output fields only). The
// per-role schema already lacks the fields a role may not write, so this stands behind it,
// like the read rules: a mistake in either is caught by the other.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInputObjectType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../auth/principal';
import { writeInfoOf } from '../graphql/write-input';
import { writableBy } from './policy';

/** Input fields the value sets that `p` may not write, as "Type.field" paths. */
function refusedIn(type: GraphQLInputType, value: unknown, p: Principal, out: string[]): void {
  if (value === null || value === undefined) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    if (Array.isArray(value)) for (const v of value) refusedIn(t.ofType as GraphQLInputType, v, p, out);
    return;
  }
  if (!isInputObjectType(t) || typeof value !== 'object') return;
  const fields = t.getFields();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[key];
    if (!field) {
      out.push(`${t.name}.${key}`);
      continue;
    }
    const write = writeInfoOf(field.extensions);
    if (write && !writableBy(write.info, p)) out.push(`${t.name}.${key}`);
    if (isInputObjectType(getNamedType(field.type))) refusedIn(field.type, v, p, out);
  }
}

function rootFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, out: FieldNode[]): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) rootFields(s.selectionSet, fragments, out);
    else {
      const f = fragments.get(s.name.value);
      if (f) rootFields(f.selectionSet, fragments, out);
    }
  }
}

/**
 * The input fields of a mutation operation its caller may not write. `full` is the schema with
 * every declaration; `variables` are coerced against the caller's own schema.
 */
export function refusedWrites(
  full: GraphQLSchema,
  callerSchema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  p: Principal,
): string[] {
  if (operation.operation !== 'mutation') return [];
  const mutation = full.getMutationType();
  if (!mutation) return [];
  const coerced = getVariableValues(callerSchema, operation.variableDefinitions ?? [], variables);
  // Variables that do not coerce are refused by execution with BAD_USER_INPUT.
  if (coerced.errors) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const nodes: FieldNode[] = [];
  rootFields(operation.selectionSet, fragments, nodes);
  const refused: string[] = [];
  for (const node of nodes) {
    const def = mutation.getFields()[node.name.value];
    if (!def) continue; // __typename, or a field the shield's access rules refuse
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, coerced.coerced);
    } catch {
      continue; // an argument that does not coerce: execution reports it
    }
    for (const a of def.args) refusedIn(a.type, args[a.name], p, refused);
  }
  return refused;
}
