// The one declaration of a field: its GraphQL type, its data tier, how it is anonymised, and
// whether callers may filter or sort on it, and which roles may set it. Shield rules, per-role
// schemas, filter, sort and mutation inputs, the @tier directive and the access ledger all read
// what this decorator records.
import { Directive, Extensions, Field } from 'type-graphql';
type ReturnTypeFunc = Parameters<typeof Field>[0] & Function;
import { Role, Tier, type Transform } from './tier';

export type FilterKind =
  | 'id'
  | 'string'
  | 'int'
  | 'decimal'
  | 'money'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'stringList'
  | { enum: object };

export interface TierFieldOptions {
  nullable?: boolean;
  description?: string;
  /** How the value is generalised for non-admin callers; required on ANONYMIZED fields. */
  transform?: Transform;
  /** Filter operators offered in `where`; omitted: not filterable. */
  filter?: FilterKind;
  /** Offered in `orderBy` (only for columns that are never null). */
  sortable?: boolean;
  /** SQL column (snake_case) when it is not the snake_case of the field name. */
  column?: string;
  /** A computed value: an SQL expression over the row's table alias `{t}`. */
  sql?: string;
  /** The field is resolved by a field resolver, not read from a column. */
  resolved?: boolean;
  /**
   * Roles that may set the field through a mutation (omitted: nobody). A role can never write a
   * field it cannot read, whatever is listed here; rows a caller does not own stay out of reach
   * through the row scopes the mutation services apply.
   */
  write?: Role[];
  /**
   * A pseudonymised reference to a row of another projection (e.g. "Customer"): encoded as that
   * projection's own id is, so the caller can match it with the rows it reads there.
   */
  pseudonymOf?: string;
}

/** What the schema carries for every field, under `extensions.ecograph`. */
export interface TierInfo {
  tier: Tier;
  transform: Transform;
  filter?: FilterKind;
  sortable: boolean;
  /** SQL expression over the alias `{t}`; absent for fields resolved by a resolver. */
  sql?: string;
  /** Roles that may set it (absent: read-only). */
  write?: Role[];
  /** The projection whose pseudonyms a 'pseudonym' field carries (absent: its own). */
  pseudonymKind?: string;
}

export interface DeclaredField {
  name: string;
  info: TierInfo;
  typeFn: ReturnTypeFunc;
  nullable: boolean;
}

const declared = new Map<Function, DeclaredField[]>();

export function declaredFields(cls: Function): DeclaredField[] {
  return declared.get(cls) ?? [];
}

export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function TierField(tier: Tier, typeFn: ReturnTypeFunc, opts: TierFieldOptions = {}): PropertyDecorator & MethodDecorator {
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    const name = String(key);
    const where = `${target.constructor.name}.${name}`;
    if (tier === Tier.ANONYMIZED && !opts.transform) {
      throw new Error(`${where}: an ANONYMIZED field must declare its transform`);
    }
    if (tier !== Tier.ANONYMIZED && opts.transform && opts.transform !== 'none') {
      throw new Error(`${where}: only ANONYMIZED fields are transformed`);
    }
    // Anything above PUBLIC can be withheld from some caller, so it must be nullable.
    const nullable = opts.nullable ?? tier !== Tier.PUBLIC;
    if (!nullable && tier !== Tier.PUBLIC) throw new Error(`${where}: a ${tier} field must be nullable`);
    const expr = opts.resolved ? undefined : (opts.sql ?? `{t}."${opts.column ?? snake(name)}"`);
    if ((opts.filter !== undefined || opts.sortable) && expr === undefined) {
      throw new Error(`${where}: a resolved field cannot be filtered or sorted`);
    }
    if (opts.pseudonymOf && opts.transform !== 'pseudonym') throw new Error(`${where}: pseudonymOf needs transform 'pseudonym'`);
    if (opts.write && (opts.resolved || opts.sql)) throw new Error(`${where}: only a stored column can be written`);
    // SENSITIVE values are set by no role through the API: no partner ever, and no operator
    // either (operators do not read them). Admins load them through the platform's own systems.
    if (opts.write && tier === Tier.SENSITIVE) throw new Error(`${where}: a SENSITIVE field cannot be writable`);
    if (opts.write?.includes(Role.PARTNER) && tier !== Tier.PUBLIC) throw new Error(`${where}: partners write PUBLIC fields only`);
    const info: TierInfo = {
      tier,
      transform: opts.transform ?? 'none',
      filter: opts.filter,
      sortable: opts.sortable ?? false,
      sql: expr,
      ...(opts.write ? { write: [...opts.write] } : {}),
      ...(opts.pseudonymOf ? { pseudonymKind: opts.pseudonymOf.toLowerCase() } : {}),
    };
    const list = declared.get(target.constructor) ?? [];
    list.push({ name, info, typeFn, nullable });
    declared.set(target.constructor, list);

    const decorators = [
      // A plain column needs no type-graphql resolver wrapper (no middlewares are used).
      // The tier also opens the description, so GraphiQL's docs pane shows it next to the field.
      Field(typeFn, { nullable, description: opts.description ? `[${tier}] ${opts.description}` : `[${tier}]`, simple: !opts.resolved }),
      Directive(`@tier(level: ${tier})`),
      Extensions({ ecograph: info }),
    ];
    for (const d of decorators) (d as (t: object, k: string | symbol, desc?: PropertyDescriptor) => void)(target, key, descriptor);
  };
}

export function tierInfoOf(extensions: Record<string, unknown> | null | undefined): TierInfo | undefined {
  return (extensions?.ecograph as TierInfo | undefined) ?? undefined;
}
