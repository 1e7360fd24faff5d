// What an operation costs against a key's quota, beyond the 1 unit every request pays:
// the rows it could hand out, weighted by tier.
//
// - A row is an object of a table-backed type (a @Projection: Partner, ServiceOrder, Customer,
//   ...). Metrics, evaluations, series and connection plumbing (`totalCount`, `pageInfo`) are
//   aggregates: they add nothing, so `{ ecosystemMetrics(...) { ... } }` or
//   `{ partners { totalCount } }` costs 1 unit in all.
// - How many rows: as the cost limit estimates them (./limits/cost.rule.ts): a connection
//   yields `first` rows (its literal, the variable's value, the default page size when absent,
//   the maximum page size when not a whole number in range), any other list 10 per level, and
//   nesting multiplies.
// - Weight: 3 per row of a type whose ANONYMIZED (or SENSITIVE) values the operation reads
//   there (a pseudonymous customer id, an age band, a district: row-level anonymised data),
//   1 per row otherwise. Only leaf fields count: the relation `order.customer` is charged
//   through the customer rows it yields, not by making the order rows dearer.
//
// So `serviceOrders(first: 20) { nodes { id amount } }` costs 1 + 20 = 21 units, and
// `customers(first: 20) { nodes { id ageBand } }` costs 1 + 20 × 3 = 61.
//
// The estimate is made before execution, from the page sizes asked for: a short last page
// costs as much as a full one. Introspection is free. Fragments are followed and memoised.
import {
  getNamedType,
  isCompositeType,
  isLeafType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
} from 'graphql';
import { projectionByName } from '../../graphql/projection';
import { tierInfoOf } from '../../permissions/tier-field';
import { Tier } from '../../permissions/tier';
import { fieldDef as schemaFieldDef, listLevels, PLAIN_LIST_SIZE, rootType, type PaginationLimits } from '../limits/cost.rule';

/** Units per row of a type whose ANONYMIZED or SENSITIVE values the operation reads. */
export const ANONYMIZED_ROW_WEIGHT = 3;
/** Units per row otherwise. */
export const ROW_WEIGHT = 1;

/** The weighted rows `operation` could return (0 when it reads aggregates only). */
export function operationRowCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  pagination: PaginationLimits,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(def.name.value)) fragments.set(def.name.value, def);
  }
  const vars = variables ?? {};
  const defaults = new Map<string, unknown>();
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue) defaults.set(def.variable.name.value, valueFromASTUntyped(def.defaultValue));
  }
  const variable = (name: string): unknown => (Object.prototype.hasOwnProperty.call(vars, name) && vars[name] !== undefined ? vars[name] : defaults.get(name));

  const pageSize = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    let value: unknown;
    if (arg) value = arg.value.kind === Kind.VARIABLE ? variable(arg.value.name.value) : valueFromASTUntyped(arg.value);
    if (value === undefined || value === null) return pagination.defaultPageSize;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > pagination.maxPageSize) return pagination.maxPageSize;
    return value;
  };

  /** True when the selection reads, directly on `parent`, an ANONYMIZED or SENSITIVE leaf. */
  const readsAnonymized = (set: SelectionSetNode, parent: GraphQLCompositeType, seen: Set<string>): boolean => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = schemaFieldDef(schema, parent, sel.name.value);
        if (!def || !isLeafType(getNamedType(def.type))) continue;
        const tier = tierInfoOf(def.extensions)?.tier;
        if (tier === Tier.ANONYMIZED || tier === Tier.SENSITIVE) return true;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (readsAnonymized(sel.selectionSet, parent, seen)) return true;
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || seen.has(sel.name.value)) continue;
        seen.add(sel.name.value);
        if (readsAnonymized(fragment.selectionSet, parent, seen)) return true;
      }
    }
    return false;
  };

  const memo = new Map<string, number>();
  const onStack = new Set<string>();

  /** Weighted rows below one row of `parent`; `page` is set directly inside a connection. */
  const rowsBelow = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined, page: number | undefined): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.selectionSet || sel.name.value.startsWith('__')) continue;
        const def = schemaFieldDef(schema, parent, sel.name.value);
        if (!def) continue;
        const named = getNamedType(def.type);
        const child = isCompositeType(named) ? named : undefined;
        const levels = listLevels(def.type);
        let factor: number;
        let childPage: number | undefined;
        if (child && isObjectType(child) && child.name.endsWith('Connection')) {
          factor = PLAIN_LIST_SIZE ** levels;
          childPage = pageSize(sel);
        } else if (page !== undefined && levels > 0) {
          factor = page * PLAIN_LIST_SIZE ** (levels - 1);
        } else {
          factor = PLAIN_LIST_SIZE ** levels;
        }
        if (factor === 0) continue;
        const weight =
          child && isObjectType(child) && projectionByName(child.name) ? (readsAnonymized(sel.selectionSet, child, new Set()) ? ANONYMIZED_ROW_WEIGHT : ROW_WEIGHT) : 0;
        total += factor * (weight + rowsBelow(sel.selectionSet, child, childPage));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        total += rowsBelow(sel.selectionSet, cond && isCompositeType(cond) ? cond : undefined, page);
      } else {
        const name = sel.name.value;
        const key = `${name}|${page ?? ''}`;
        const known = memo.get(key);
        if (known !== undefined) {
          total += known;
          continue;
        }
        const fragment = fragments.get(name);
        if (!fragment || onStack.has(key)) continue;
        const cond = schema.getType(fragment.typeCondition.name.value);
        onStack.add(key);
        const cost = rowsBelow(fragment.selectionSet, cond && isCompositeType(cond) ? cond : undefined, page);
        onStack.delete(key);
        memo.set(key, cost);
        total += cost;
      }
    }
    return total;
  };

  const cost = rowsBelow(operation.selectionSet, rootType(schema, operation), undefined);
  return Number.isFinite(cost) ? Math.min(Math.ceil(cost), Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}
