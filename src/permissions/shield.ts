// graphql-shield rules generated from the declarations: one rule per field tier and one per
// root-field access list, never written by hand. The per-role schema already hides what a
// caller may not read; these rules stand behind it, so a mistake in either is caught by the
// other. Denials are FORBIDDEN errors; anything not covered is denied.
import { getNamedType, GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, rule, shield } from 'graphql-shield';
import type { Context } from '../server/context';
import { rootAccessOf } from '../graphql/root-field';
import { readable } from './policy';
import { tierInfoOf, type TierInfo } from './tier-field';
import { isCustomerRows } from './role-schema';
import { Role } from './tier';

export function forbidden(): GraphQLError {
  return new GraphQLError('Not allowed for this key', { extensions: { code: 'FORBIDDEN' } });
}

// Rules depend on the caller only, never on the row, so a per-request ('contextual') cache
// is correct and each rule runs once per request.
const tierRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
function tierRule(info: TierInfo, customerRows: boolean) {
  const key = `${info.tier}${customerRows ? '-customer-rows' : ''}`;
  let r = tierRules.get(key);
  if (!r) {
    r = rule(`tier-${key}`, { cache: 'contextual' })((_parent, _args, ctx: Context) => {
      const v = ctx.principal.visibility;
      return (readable(info, v) && (v.customerRows || !customerRows)) || forbidden();
    });
    tierRules.set(key, r);
  }
  return r;
}

function accessRule(field: string, roles: Role[]) {
  return rule(`access-${field}`, { cache: 'contextual' })((_parent, _args, ctx: Context) => roles.includes(ctx.principal.role) || forbidden());
}

export type RuleTree = Record<string, Record<string, ReturnType<ReturnType<typeof rule>>>>;

export function shieldRules(schema: GraphQLSchema): RuleTree {
  const tree: RuleTree = {};
  const query = schema.getQueryType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules: RuleTree[string] = {};
    for (const field of Object.values(type.getFields())) {
      const customerRows = isCustomerRows(getNamedType(field.type), schema);
      if (type === query) {
        const access = rootAccessOf(field.extensions);
        if (access) rules[field.name] = accessRule(field.name, customerRows ? access.roles.filter((r) => r !== Role.DASHBOARD) : access.roles);
      } else {
        const info = tierInfoOf(field.extensions);
        if (info) rules[field.name] = tierRule(info, customerRows);
      }
    }
    tree[type.name] = rules;
  }
  return tree;
}

export function shielded(schema: GraphQLSchema): GraphQLSchema {
  return applyMiddleware(
    schema,
    shield(shieldRules(schema), {
      fallbackRule: deny,
      fallbackError: forbidden,
      allowExternalErrors: true,
    }),
  );
}
