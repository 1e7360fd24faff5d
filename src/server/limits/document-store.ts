// Apollo's cache of parsed and validated documents, one per role schema, bounded by what a
// document really holds. Apollo's default (30 MiB by JSON size) leaves out the query text and
// graphql-js's token list, comments included, so a 1 MB body of comment lines was counted as
// 412 bytes while it held 30 MB of heap. Here a document counts 32 bytes per character of its
// text (about what a comment-only text costs; an ordinary query costs about 10), and the
// least recently used documents go first beyond DOCUMENT_CACHE_MB.
import type { DocumentStore } from '@apollo/server';
import type { DocumentNode } from 'graphql';

const BYTES_PER_CHARACTER = 32;

export class BoundedDocumentStore implements DocumentStore {
  private readonly entries = new Map<string, { doc: DocumentNode; size: number }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  static sizeOf(doc: DocumentNode): number {
    return 1_024 + BYTES_PER_CHARACTER * (doc.loc?.source.body.length ?? 0);
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.doc;
  }

  async set(key: string, doc: DocumentNode): Promise<void> {
    const size = BoundedDocumentStore.sizeOf(doc);
    await this.delete(key);
    if (size > this.maxBytes) return;
    while (this.bytes + size > this.maxBytes) await this.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { doc, size });
    this.bytes += size;
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.size;
    return true;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.size;
  }
}
