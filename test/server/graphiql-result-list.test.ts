// Which list of an answer GraphiQL's result table shows, and how its rows become columns
// (src/web/graphiql/result-list.ts; the browser test checks the panel and its CSV).
import { describe, expect, it } from 'vitest';
import { csvFileName, firstList, tableOfResponse, toTable } from '../../src/web/graphiql/result-list';

describe('GraphiQL result table', () => {
  it("takes a connection's nodes, in document order", () => {
    const data = { partners: { totalCount: 2, pageInfo: { hasNextPage: false }, nodes: [{ slug: 'a' }, { slug: 'b' }] }, cases: { nodes: [{ id: 1 }] } };
    expect(firstList(data)).toEqual({ path: 'partners.nodes', items: [{ slug: 'a' }, { slug: 'b' }] });
  });

  it("takes a connection's edges as their nodes", () => {
    const data = { serviceOrders: { edges: [{ cursor: 'x', node: { id: '1' } }, { cursor: 'y', node: { id: '2' } }] } };
    expect(firstList(data)).toEqual({ path: 'serviceOrders.edges.node', items: [{ id: '1' }, { id: '2' }] });
  });

  it('prefers a list of objects to an earlier list of scalars, and falls back to it', () => {
    const metrics = { ecosystemMetrics: { periods: ['2026-01', '2026-02'], series: [{ key: 'A', points: [{ gmv: '1.00' }] }] } };
    expect(firstList(metrics)?.path).toBe('ecosystemMetrics.series');
    expect(firstList({ ecosystemMetrics: { periods: ['2026-01'] } })).toEqual({ path: 'ecosystemMetrics.periods', items: ['2026-01'] });
    expect(firstList({ partner: { slug: 'a' } })).toBeNull();
    expect(firstList(null)).toBeNull();
  });

  it('flattens nested objects into dotted columns and keeps inner lists as one cell', () => {
    const table = toTable({
      path: 'serviceOrders.nodes',
      items: [
        { id: '1', customer: { ageBand: '30-39', address: { district: 'Pudong' } }, tags: ['a'] },
        { id: '2', customer: null, extra: true },
      ],
    });
    expect(table.columns).toEqual(['id', 'customer.ageBand', 'customer.address.district', 'tags', 'customer', 'extra']);
    expect(table.rows).toEqual([
      ['1', '30-39', 'Pudong', ['a'], undefined, undefined],
      ['2', undefined, undefined, undefined, null, true],
    ]);
    expect(toTable({ path: 'x.periods', items: ['2026-01'] })).toEqual({ path: 'x.periods', columns: ['value'], rows: [['2026-01']] });
  });

  it('reads the response pane text, which may not be JSON', () => {
    expect(tableOfResponse('{"data":{"partners":{"nodes":[{"slug":"a"}]}}}')).toEqual({ path: 'partners.nodes', columns: ['slug'], rows: [['a']] });
    expect(tableOfResponse('{"errors":[{"message":"no"}]}')).toBeNull();
    expect(tableOfResponse('Variables are invalid JSON')).toBeNull();
    expect(tableOfResponse('')).toBeNull();
  });

  it('names the CSV after the list', () => {
    expect(csvFileName('partners.nodes')).toBe('partners.csv');
    expect(csvFileName('serviceOrders.edges.node')).toBe('serviceOrders.csv');
    expect(csvFileName('ecosystemMetrics.series')).toBe('ecosystemMetrics-series.csv');
    expect(csvFileName('nodes')).toBe('result.csv');
  });
});
