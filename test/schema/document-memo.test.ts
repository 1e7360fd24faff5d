import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { memoByNode, memoByNodeAndVariables } from '../../src/graphql/document-memo';

const schemaA = buildSchema('type Query { a(n: Int): Int }');
const schemaB = buildSchema('type Query { a(n: Int): Int }');

describe('document memo', () => {
  it('computes once per schema and document object', () => {
    let calls = 0;
    const f = memoByNode((_s, d: ReturnType<typeof parse>) => ({ defs: d.definitions.length, call: ++calls }));
    const doc = parse('{ a }');
    expect(f(schemaA, doc)).toBe(f(schemaA, doc));
    expect(calls).toBe(1);
    f(schemaB, doc);
    f(schemaA, parse('{ a }')); // the same text parsed again is another document
    expect(calls).toBe(3);
  });

  it('keys on the variable values, and starts a document over past 64 sets', () => {
    let calls = 0;
    const f = memoByNodeAndVariables((_s, _d, vars) => ({ n: vars.n, call: ++calls }));
    const doc = parse('query Q($n: Int) { a(n: $n) }');
    expect(f(schemaA, doc, { n: 1 }).n).toBe(1);
    expect(f(schemaA, doc, { n: 2 }).n).toBe(2);
    expect(f(schemaA, doc, { n: 1 }).call).toBe(1);
    expect(f(schemaA, doc, null)).toBe(f(schemaA, doc, {}));
    expect(calls).toBe(3);
    for (let n = 3; n < 70; n++) f(schemaA, doc, { n });
    const before = calls;
    f(schemaA, doc, { n: 1 });
    expect(calls).toBe(before + 1);
  });
});
