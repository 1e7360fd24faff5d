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

export class Connection<T> {
  private countPromise?: Promise<number>;
  constructor(
    readonly nodes: T[],
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

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
  }
  conn = ConnectionType;
  connections.set(node, conn);
  return conn;
}
