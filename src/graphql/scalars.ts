// Scalars for exact values: money travels as a decimal string built from integer minor units,
// never as a float.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const MONEY_RE = /^-?\d{1,15}(\.\d{1,2})?$/;

/** Minor units (fen, cents) as stored -> "123.45". */
export function formatMinor(minor: bigint | number | string): string {
  const v = BigInt(minor);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** "123.45" -> 12345n minor units; throws on anything that is not an exact amount. */
export function parseMoney(input: string): bigint {
  if (!MONEY_RE.test(input)) throw new Error('not a money amount');
  const neg = input.startsWith('-');
  const [whole, frac = ''] = (neg ? input.slice(1) : input).split('.');
  const minor = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
  return neg ? -minor : minor;
}

function moneyInput(value: unknown): string {
  const s = typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : value;
  if (typeof s !== 'string' || !MONEY_RE.test(s)) {
    throw new GraphQLError('Money must be a decimal string with at most two decimals, e.g. "120.00"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return formatMinor(parseMoney(s));
}

export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description: 'An exact amount of money in the agreement currency (CNY), as a decimal string with two decimals',
  serialize: (v) => formatMinor(v as bigint | number | string),
  parseValue: moneyInput,
  parseLiteral: (ast) => moneyInput(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined),
});

const DECIMAL_RE = /^-?\d{1,18}(\.\d{1,12})?$/;
function decimalInput(value: unknown): string {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof s !== 'string' || !DECIMAL_RE.test(s)) {
    throw new GraphQLError('Decimal must be a decimal string, e.g. "4.85"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return s;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string',
  serialize: (v) => String(v),
  parseValue: decimalInput,
  parseLiteral: (ast) => decimalInput(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined),
});

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function dateInput(value: unknown): string {
  if (typeof value !== 'string' || !DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new GraphQLError('Date must be a calendar date "YYYY-MM-DD"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

function dateOut(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, "YYYY-MM-DD"',
  serialize: dateOut,
  parseValue: dateInput,
  parseLiteral: (ast) => dateInput(ast.kind === Kind.STRING ? ast.value : undefined),
});

function dateTimeInput(value: unknown): Date {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 timestamp, e.g. "2025-03-01T08:00:00Z"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Date(value);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO-8601 in UTC',
  serialize: (v) => (v instanceof Date ? v : new Date(String(v))).toISOString(),
  parseValue: dateTimeInput,
  parseLiteral: (ast) => dateTimeInput(ast.kind === Kind.STRING ? ast.value : undefined),
});
