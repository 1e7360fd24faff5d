// @Projection marks a GraphQL projection type: the class callers see, separate from the
// MikroORM entity. From the fields declared with @TierField it derives the type's `where`
// and `orderBy` inputs, so a filter or sort key exists exactly for the fields declared so.
import { ArgsType, Directive, Extensions, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { declaredFields, type DeclaredField } from '../permissions/tier-field';
import { connectionTypeOf } from './connection';
import { filterInputFor } from './filter-inputs';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

export interface ProjectionOptions {
  description?: string;
  /** Table the rows come from. */
  table: string;
  /** Rows describe customers or their activity: never reachable by aggregate-only roles. */
  customerRows?: boolean;
  /** Foreign-key columns relations need, fetched with every row as `$<column>`. */
  keys?: string[];
  /** Order when the caller gives none (the id is always the final tie-break). */
  defaultOrder?: Record<string, SortDirection>[];
}

export interface ProjectionMeta extends ProjectionOptions {
  name: string;
  cls: Function;
  fields: DeclaredField[];
  where: Function;
  orderBy: Function;
  connection: Function;
  listArgs: Function;
}

const projections = new Map<Function, ProjectionMeta>();
const byName = new Map<string, ProjectionMeta>();

export function Projection(name: string, opts: ProjectionOptions): ClassDecorator {
  return (cls) => {
    ObjectType(name, { description: opts.description })(cls);
    Extensions({ ecographType: { table: opts.table, customerRows: opts.customerRows ?? false } })(cls);
    const fields = declaredFields(cls);
    const meta: ProjectionMeta = {
      ...opts,
      name,
      cls,
      fields,
      where: buildWhere(name, fields),
      orderBy: buildOrderBy(name, fields),
      connection: connectionTypeOf(cls, name),
      listArgs: Function,
    };
    meta.listArgs = buildListArgs(name, meta.where, meta.orderBy);
    projections.set(cls, meta);
    byName.set(name, meta);
  };
}

export function projectionOf(cls: Function): ProjectionMeta {
  const meta = projections.get(cls);
  if (!meta) throw new Error(`${cls.name} is not a @Projection`);
  return meta;
}

export function projectionByName(name: string): ProjectionMeta | undefined {
  return byName.get(name);
}

function applyFieldDecorators(cls: Function, f: DeclaredField, type: () => unknown, description?: string): void {
  const decorators = [
    Field(type as () => Function, { nullable: true, description }),
    Directive(`@tier(level: ${f.info.tier})`),
    Extensions({ ecograph: f.info }),
  ];
  for (const d of decorators) (d as PropertyDecorator)(cls.prototype as object, f.name);
}

function buildWhere(typeName: string, fields: DeclaredField[]): Function {
  const whereName = `${typeName}Where`;
  @InputType(whereName, { description: `Conditions on ${typeName}; fields combine with AND` })
  class Where {
    @Field(() => [Where], { nullable: true, description: 'All of these match' }) and?: Where[];
    @Field(() => [Where], { nullable: true, description: 'At least one of these matches' }) or?: Where[];
    @Field(() => Where, { nullable: true, description: 'This does not match' }) not?: Where;
  }
  for (const f of fields) {
    // Created now, not in the thunk: type-graphql only knows classes decorated before the build.
    const input = f.info.filter === undefined ? undefined : filterInputFor(f.info.filter);
    if (input) applyFieldDecorators(Where, f, () => input);
  }
  return Where;
}

function buildOrderBy(typeName: string, fields: DeclaredField[]): Function {
  @InputType(`${typeName}OrderBy`, { description: 'Exactly one field per entry; entries apply in order' })
  class OrderBy {}
  let any = false;
  for (const f of fields) {
    if (f.info.sortable) {
      applyFieldDecorators(OrderBy, f, () => SortDirection);
      any = true;
    }
  }
  if (!any) throw new Error(`${typeName}: at least one field must be sortable`);
  return OrderBy;
}

function buildListArgs(typeName: string, where: Function, orderBy: Function): Function {
  @ArgsType()
  class ListArgs {
    @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most the configured maximum)' }) first?: number;
    @Field(() => String, { nullable: true, description: 'A cursor from a previous page' }) after?: string;
    @Field(() => where, { nullable: true }) where?: Record<string, unknown>;
    @Field(() => [orderBy], { nullable: true, description: `Sort keys for ${typeName}, applied in order` }) orderBy?: Record<string, SortDirection>[];
  }
  Object.defineProperty(ListArgs, 'name', { value: `${typeName}ListArgs` });
  return ListArgs;
}

/** The connection type of a projection, for relation fields (call lazily, inside a thunk). */
export function connectionOf(cls: Function): Function {
  return projectionOf(cls).connection;
}
