// Apollo's document cache, bounded by what the documents hold (src/server/limits/document-store.ts).
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BoundedDocumentStore } from '../../src/server/limits/document-store';

describe('the document store', () => {
  it('counts a document by its text, comments included, not by its JSON', () => {
    const commented = parse(`{ __typename }${'#\n'.repeat(10_000)}`);
    expect(JSON.stringify(commented).length).toBeLessThan(500);
    expect(BoundedDocumentStore.sizeOf(commented)).toBeGreaterThan(600_000);
  });

  it('keeps the most recently used within its bytes, and never a document larger than all of them', async () => {
    const doc = (n: number) => parse(`{ a${n}: __typename }`);
    const one = BoundedDocumentStore.sizeOf(doc(1));
    const store = new BoundedDocumentStore(3 * one);
    await store.set('1', doc(1));
    await store.set('2', doc(2));
    await store.set('3', doc(3));
    expect(await store.get('1')).toBeDefined(); // 1 is now the most recent: 2 goes next
    await store.set('4', doc(4));
    expect(await store.get('2')).toBeUndefined();
    expect([await store.get('1'), await store.get('3'), await store.get('4')].every(Boolean)).toBe(true);
    expect(store.heldBytes).toBeLessThanOrEqual(3 * one);
    await store.set('big', parse(`{ __typename }${'#\n'.repeat(1_000)}`));
    expect(await store.get('big')).toBeUndefined();
    expect(store.size).toBe(3);
  });
});
