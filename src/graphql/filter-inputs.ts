// Operator inputs, one per kind of value: `{ eq, in, lt, ... }`. A where input (where.ts)
// picks the one that matches each filterable field.
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DateTimeScalar, DecimalScalar, MoneyScalar } from './scalars';
import { type FilterKind } from '../permissions/tier-field';
import { enumName } from './enums';
import type { GraphQLScalarType } from 'graphql';

export interface FilterOps {
  eq?: unknown;
  ne?: unknown;
  in?: unknown[];
  lt?: unknown;
  lte?: unknown;
  gt?: unknown;
  gte?: unknown;
  contains?: string;
  startsWith?: string;
  has?: string;
  hasAny?: string[];
}

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'has', 'hasAny'] as const;

@InputType('IdFilter', { description: 'Match an identifier' })
class IdFilter {
  @Field(() => ID, { nullable: true }) eq?: string;
  @Field(() => [ID], { nullable: true }) in?: string[];
}

@InputType('StringFilter')
class StringFilter {
  @Field(() => String, { nullable: true }) eq?: string;
  @Field(() => String, { nullable: true }) ne?: string;
  @Field(() => [String], { nullable: true }) in?: string[];
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring' }) contains?: string;
  @Field(() => String, { nullable: true, description: 'Case-sensitive prefix' }) startsWith?: string;
}

@InputType('BooleanFilter')
class BooleanFilter {
  @Field(() => Boolean, { nullable: true }) eq?: boolean;
}

@InputType('StringListFilter', { description: 'Match a list of strings' })
class StringListFilter {
  @Field(() => String, { nullable: true, description: 'The list contains this value' }) has?: string;
  @Field(() => [String], { nullable: true, description: 'The list contains at least one of these' }) hasAny?: string[];
}

function rangeFilter(name: string, type: GraphQLScalarType | typeof Int): Function {
  @InputType(name)
  class RangeFilter {
    @Field(() => type, { nullable: true }) eq?: unknown;
    @Field(() => type, { nullable: true }) ne?: unknown;
    @Field(() => [type], { nullable: true }) in?: unknown[];
    @Field(() => type, { nullable: true }) lt?: unknown;
    @Field(() => type, { nullable: true }) lte?: unknown;
    @Field(() => type, { nullable: true }) gt?: unknown;
    @Field(() => type, { nullable: true }) gte?: unknown;
  }
  return RangeFilter;
}

const IntFilter = rangeFilter('IntFilter', Int);
const DecimalFilter = rangeFilter('DecimalFilter', DecimalScalar);
const MoneyFilter = rangeFilter('MoneyFilter', MoneyScalar);
const DateFilter = rangeFilter('DateFilter', DateScalar);
const DateTimeFilter = rangeFilter('DateTimeFilter', DateTimeScalar);

const enumFilters = new Map<object, Function>();

function enumFilter(enumObj: object): Function {
  let cls = enumFilters.get(enumObj);
  if (!cls) {
    @InputType(`${enumName(enumObj)}Filter`)
    class EnumFilter {
      @Field(() => enumObj, { nullable: true }) eq?: unknown;
      @Field(() => enumObj, { nullable: true }) ne?: unknown;
      @Field(() => [enumObj], { nullable: true }) in?: unknown[];
    }
    cls = EnumFilter;
    enumFilters.set(enumObj, cls);
  }
  return cls;
}

export function filterInputFor(kind: FilterKind): Function {
  if (typeof kind === 'object') return enumFilter(kind.enum);
  switch (kind) {
    case 'id':
      return IdFilter;
    case 'string':
      return StringFilter;
    case 'boolean':
      return BooleanFilter;
    case 'stringList':
      return StringListFilter;
    case 'int':
      return IntFilter;
    case 'decimal':
      return DecimalFilter;
    case 'money':
      return MoneyFilter;
    case 'date':
      return DateFilter;
    case 'datetime':
      return DateTimeFilter;
  }
}
