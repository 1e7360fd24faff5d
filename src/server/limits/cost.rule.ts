// Refuses operations that could return too many rows. The estimate is deliberately simple:
//
// - every field costs 1 for each row it is resolved on;
// - a connection field (its named type ends with `Connection`) resolves its page-sized lists
//   (`edges`, `nodes`) `first` times: a literal, the variable's value, the default page size
//   when absent or null, and the maximum page size when it is not a whole number from 0 to the
//   maximum (the resolver refuses such a value anyway, but the estimate must not trust it);
// - any other list multiplies what is below it by 10 per list level;
// - introspection (`__schema`, `__type` and below) reads no rows: each of its fields costs 1 as
//   written, lists not multiplied (else GraphiQL's own introspection query would cost ~50 000).
//   Its size is bounded by the depth rule's introspection cap, graphql's
//   MaxIntrospectionDepthRule and the alias limit.
//
// So `partners(first: 100) { nodes { orders(first: 100) { nodes { id } } } }` costs
// 1 + 1 + 100 * (1 + 1 + 100 * 1) = 10 202.
//
// graphql-js gives validation rules no variables, so the rule reads them through a callback,
// and `estimateCost` is exported for callers that have the variables at hand. Fragments are
// followed and memoised (a document spreading fragments exponentially stays linear to
// estimate); fragment cycles, reported by NoFragmentCyclesRule, are cut.
import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface PaginationLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** Items assumed for a list that is not a paginated connection. */
export const PLAIN_LIST_SIZE = 10;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

export function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | undefined {
  switch (operation.operation) {
    case 'query':
      return schema.getQueryType() ?? undefined;
    case 'mutation':
      return schema.getMutationType() ?? undefined;
    case 'subscription':
      return schema.getSubscriptionType() ?? undefined;
  }
}

export function fieldDef(schema: GraphQLSchema, parent: GraphQLCompositeType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!parent) return undefined;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

export function listLevels(type: GraphQLOutputType): number {
  let levels = 0;
  let t: GraphQLOutputType = type;
  for (;;) {
    if (isNonNullType(t)) t = t.ofType;
    else if (isListType(t)) {
      levels += 1;
      t = t.ofType;
    } else return levels;
  }
}

function estimateOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  pagination: PaginationLimits,
): number {
  const defaults = new Map<string, unknown>();
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue) defaults.set(def.variable.name.value, valueFromASTUntyped(def.defaultValue));
  }
  const variable = (name: string): unknown =>
    Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined ? variables[name] : defaults.get(name);

  const pageSize = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'first');
    let value: unknown;
    if (arg) value = arg.value.kind === Kind.VARIABLE ? variable(arg.value.name.value) : valueFromASTUntyped(arg.value);
    if (value === undefined || value === null) return pagination.defaultPageSize;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > pagination.maxPageSize) return pagination.maxPageSize;
    return value;
  };

  const memo = new Map<string, number>();
  const onStack = new Set<string>();

  /**
   * Cost of a selection set per row of its parent; `page` is set directly inside a connection,
   * `flat` inside introspection.
   */
  const unitCost = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined, page: number | undefined, flat: boolean): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        total += 1;
        if (!sel.selectionSet) continue;
        const def = fieldDef(schema, parent, sel.name.value);
        const childFlat = flat || INTROSPECTION_ROOTS.has(sel.name.value);
        if (!def) {
          total += unitCost(sel.selectionSet, undefined, undefined, childFlat);
          continue;
        }
        const named = getNamedType(def.type);
        const child = isCompositeType(named) ? named : undefined;
        const levels = listLevels(def.type);
        let factor: number;
        let childPage: number | undefined;
        if (childFlat) {
          factor = 1;
        } else if (child && isObjectType(child) && child.name.endsWith('Connection')) {
          factor = PLAIN_LIST_SIZE ** levels;
          childPage = pageSize(sel);
        } else if (page !== undefined && levels > 0) {
          factor = page * PLAIN_LIST_SIZE ** (levels - 1);
        } else {
          factor = PLAIN_LIST_SIZE ** levels;
        }
        if (factor > 0) total += factor * unitCost(sel.selectionSet, child, childPage, childFlat);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        total += unitCost(sel.selectionSet, cond && isCompositeType(cond) ? cond : undefined, page, flat);
      } else {
        const name = sel.name.value;
        const key = `${name}|${page ?? ''}|${flat ? 'i' : ''}`;
        const known = memo.get(key);
        if (known !== undefined) {
          total += known;
          continue;
        }
        const fragment = fragments.get(name);
        if (!fragment || onStack.has(key)) continue;
        const cond = schema.getType(fragment.typeCondition.name.value);
        onStack.add(key);
        const cost = unitCost(fragment.selectionSet, cond && isCompositeType(cond) ? cond : undefined, page, flat);
        onStack.delete(key);
        memo.set(key, cost);
        total += cost;
      }
    }
    return total;
  };

  const cost = unitCost(operation.selectionSet, rootType(schema, operation), undefined, false);
  return Number.isNaN(cost) ? Number.MAX_SAFE_INTEGER : Math.min(cost, Number.MAX_SAFE_INTEGER);
}

function fragmentMap(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(def.name.value)) fragments.set(def.name.value, def);
  }
  return fragments;
}

/** The estimated rows of the costliest operation in `document` (0 when it has none). */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  pagination: PaginationLimits,
): number {
  const fragments = fragmentMap(document);
  let max = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, estimateOperation(schema, def, fragments, variables ?? {}, pagination));
  }
  return max;
}

export function costLimitRule(maxCost: number, pagination: PaginationLimits, getVariables: () => Record<string, unknown> | null | undefined): ValidationRule {
  return (context: ValidationContext) => {
    let fragments: Map<string, FragmentDefinitionNode> | undefined;
    return {
      OperationDefinition(operation) {
        fragments ??= fragmentMap(context.getDocument());
        const cost = estimateOperation(context.getSchema(), operation, fragments, getVariables() ?? {}, pagination);
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(`The query could return about ${cost} rows; the limit is ${maxCost}. Ask for smaller pages.`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_COSTLY', limit: maxCost, cost },
            }),
          );
        }
        return false;
      },
    };
  };
}
