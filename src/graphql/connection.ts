// Relay connections. The types are generated per projection; the runtime object below is what
// list services return, with totalCount computed only when a caller selects it.
import { Int, ObjectType } from 'type-graphql';
import { Tier } from '../permissions/tier';
import { TierField } from '../permissions/tier-field';

@ObjectType('PageInfo')
export class PageInfo {
  @TierField(Tier.PUBLIC, () => Boolean) hasNextPage!: boolean;
  @TierField(Tier.PUBLIC, () => Boolean) hasPreviousPage!: boolean;
  @TierField(Tier.PUBLIC, () => String, { nullable: true }) startCursor!: string | null;
  @TierField(Tier.PUBLIC, () => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A page. Cursors are sealed with AES-GCM, which costs more than anything else per row, so
 * they are made only when a caller selects `edges { cursor }` or `pageInfo`; the count runs
 * only when `totalCount` is selected.
 */
export class Connection<T> {
  /** Root lists: the change-feed position taken before the page was read. */
  changesCursor: string | null = null;
  private countPromise?: Promise<number>;
  private edgeList?: Edge<T>[];
  constructor(
    readonly nodes: T[],
    private readonly cursorOf: (node: T) => string,
    private readonly page: { hasNextPage: boolean; hasPreviousPage: boolean },
    private readonly count: () => Promise<number>,
  ) {}

  get edges(): Edge<T>[] {
    this.edgeList ??= this.nodes.map((node) => {
      let cursor: string | undefined;
      const cursorOf = this.cursorOf;
      return {
        node,
        get cursor() {
          cursor ??= cursorOf(node);
          return cursor;
        },
      };
    });
    return this.edgeList;
  }

  get pageInfo(): PageInfo {
    const first = this.nodes[0];
    const last = this.nodes[this.nodes.length - 1];
    return {
      ...this.page,
      startCursor: first === undefined ? null : this.edges[0].cursor,
      endCursor: last === undefined ? null : this.edges[this.edges.length - 1].cursor,
    };
  }

  get totalCount(): Promise<number> {
    this.countPromise ??= this.count();
    return this.countPromise;
  }
}

const connections = new Map<Function, Function>();

export function connectionTypeOf(node: Function, name: string): Function {
  let conn = connections.get(node);
  if (conn) return conn;

  @ObjectType(`${name}Edge`)
  class EdgeType {
    @TierField(Tier.PUBLIC, () => String, { description: 'Opaque; pass as `after` to continue' }) cursor!: string;
    @TierField(Tier.PUBLIC, () => node) node!: unknown;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @TierField(Tier.PUBLIC, () => [EdgeType]) edges!: unknown[];
    @TierField(Tier.PUBLIC, () => [node]) nodes!: unknown[];
    @TierField(Tier.PUBLIC, () => PageInfo) pageInfo!: PageInfo;
    @TierField(Tier.PUBLIC, () => Int, { description: 'Rows matching the filter that the caller may see' }) totalCount!: number;
    @TierField(Tier.PUBLIC, () => String, { nullable: true, description: 'Root lists: where the change feed continues after this copy (take it on the first page; pass it to changes(after:)); null on nested lists' })
    changesCursor!: string | null;
  }
  conn = ConnectionType;
  connections.set(node, conn);
  return conn;
}
