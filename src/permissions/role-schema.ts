// Each caller executes against a schema cut from the full one by its visibility: fields,
// filter keys and sort keys it may not use do not exist for it. Introspection, GraphiQL,
// validation errors and `npm run cli -- schema --role` therefore all show the same thing.
// Everything here is derived from the @TierField and @Access declarations; a field without
// a tier is dropped (default deny).
import {
  getNamedType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLUnionType,
  isInputObjectType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import { samplePrincipal, type SchemaKey } from '../auth/principal';
import { rootAccessOf } from '../graphql/root-field';
import { writeInfoOf } from '../graphql/write-input';
import type { Principal } from '../auth/principal';
import { filterableBy, readable, sortableBy, writableBy } from './policy';
import { hasRowScope } from './row-scope';
import { tierInfoOf } from './tier-field';

function nodeTypeOf(type: GraphQLNamedType, schema: GraphQLSchema): GraphQLNamedType {
  for (const suffix of ['Connection', 'Edge']) {
    if (type.name.endsWith(suffix)) {
      const node = schema.getType(type.name.slice(0, -suffix.length));
      if (node) return node;
    }
  }
  return type;
}

/** Rows of customers or their activity (or a list of them): hidden from aggregate-only roles. */
export function isCustomerRows(type: GraphQLNamedType, schema: GraphQLSchema): boolean {
  const node = nodeTypeOf(type, schema);
  const ext = node.extensions as { ecographType?: { customerRows?: boolean } };
  return ext.ecographType?.customerRows === true;
}

function rowsReachable(type: GraphQLNamedType, p: Principal): boolean {
  const table = (type.extensions as { ecographType?: { table?: string } }).ecographType?.table;
  return table === undefined || hasRowScope(table, p.role);
}

function cut(full: GraphQLSchema, p: Principal): GraphQLSchema {
  const v = p.visibility;
  const roots = new Set([full.getQueryType()?.name, full.getMutationType()?.name]);
  return mapSchema(full, {
    [MapperKind.ROOT_OBJECT]: (type) => type,
    // A union of row types (the change feed's nodes) keeps only the types the role has rows of.
    [MapperKind.UNION_TYPE]: (type) =>
      new GraphQLUnionType({ ...type.toConfig(), types: type.getTypes().filter((t) => rowsReachable(t, p)) }),
    [MapperKind.OBJECT_FIELD]: (field, _name, typeName) => {
      const named = getNamedType(field.type);
      if (!v.customerRows && isCustomerRows(named, full)) return null;
      if (roots.has(typeName)) {
        const access = rootAccessOf(field.extensions);
        return access?.roles.includes(p.role) ? field : null;
      }
      const info = tierInfoOf(field.extensions);
      return info && readable(info, v) ? field : null;
    },
    [MapperKind.INPUT_OBJECT_FIELD]: (field, _name, typeName) => {
      // A mutation input's data field: only for the roles that may write it.
      const write = writeInfoOf(field.extensions);
      if (write) return writableBy(write.info, p) ? field : null;
      const info = tierInfoOf(field.extensions);
      if (!info) return field; // operators, and/or/not and control fields carry no data of their own
      if (typeName.endsWith('OrderBy')) return sortableBy(info, v) ? field : null;
      return filterableBy(info, v) ? field : null;
    },
  });
}

/** Drop fields and arguments whose type was left empty, until nothing changes. */
function dropEmpty(schema: GraphQLSchema): GraphQLSchema {
  for (;;) {
    const empty = new Set<string>();
    for (const t of Object.values(schema.getTypeMap())) {
      if (t.name.startsWith('__')) continue;
      if ((isObjectType(t) || isInputObjectType(t)) && Object.keys(t.getFields()).length === 0) empty.add(t.name);
      // A list whose rows are invisible is gone too, counts included.
      if (isObjectType(t)) {
        const fields = t.getFields();
        if ((t.name.endsWith('Connection') && !fields.nodes) || (t.name.endsWith('Edge') && !fields.node)) empty.add(t.name);
      }
    }
    if (empty.size === 0) return schema;
    const isEmpty = (type: Parameters<typeof getNamedType>[0]) => empty.has(getNamedType(type)!.name);
    schema = mapSchema(schema, {
      [MapperKind.OBJECT_TYPE]: (t: GraphQLObjectType) => (empty.has(t.name) ? null : t),
      [MapperKind.INPUT_OBJECT_TYPE]: (t: GraphQLInputObjectType) => (empty.has(t.name) ? null : t),
      [MapperKind.OBJECT_FIELD]: (f) => (isEmpty(f.type) ? null : f),
      [MapperKind.INPUT_OBJECT_FIELD]: (f) => (isEmpty(f.type) ? null : f),
      [MapperKind.ARGUMENT]: (a) => (isEmpty(a.type) ? null : a),
    });
  }
}

export function roleSchema(full: GraphQLSchema, key: SchemaKey): GraphQLSchema {
  return pruneSchema(dropEmpty(cut(full, samplePrincipal(key))));
}
