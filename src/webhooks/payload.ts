// The body of a webhook: one change-feed event, as the partner's feed would show it.
//   { "type": "ServiceOrder.upsert", "timestamp": "...",
//     "data": { "type", "op", "id", "cursor", "resync", "node" } }
// The node keeps exactly the stored fields the partner's schema shows for that type (the feed's
// own visibleFields), each value formatted by its GraphQL scalar; internal `$` keys, relations
// and anything above the partner's tier never appear.
import { GraphQLEnumType, GraphQLScalarType } from 'graphql';
import type { Row } from '../anonymisation/present';
import type { Principal } from '../auth/principal';
import { feedMetaByName, visibleFields } from '../changes/feed-types';
import type { FeedEvent } from '../changes/feed.service';

export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: { type: string; op: string; id: string; cursor: string; resync: boolean; node: Row | null };
}

function serialise(typeFn: () => unknown, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const t = typeFn();
  if (Array.isArray(t)) return Array.isArray(value) ? value.map((v) => serialise(() => t[0], v)) : null;
  if (t instanceof GraphQLScalarType) return t.serialize(value);
  if (t instanceof GraphQLEnumType) return String(value);
  if (t === String) return String(value);
  if (t === Number) return Number(value);
  if (t === Boolean) return Boolean(value);
  // A TypeScript enum registered with type-graphql.
  return typeof value === 'object' ? null : String(value);
}

/** The node as the partner's schema shows it: its readable stored fields only, formatted. */
export function renderNode(type: string, node: Row | null, p: Principal): Row | null {
  if (!node) return null;
  const meta = feedMetaByName(type);
  if (!meta) return null;
  const out: Row = {};
  for (const f of visibleFields(meta, p.visibility)) {
    if (f.name.startsWith('$') || !(f.name in node)) continue;
    out[f.name] = serialise(f.typeFn as () => unknown, node[f.name]);
  }
  return out;
}

export function buildPayload(event: FeedEvent, p: Principal, at: Date): WebhookPayload {
  return {
    type: `${event.type}.${event.op.toLowerCase()}`,
    timestamp: at.toISOString(),
    data: { type: event.type, op: event.op, id: event.id, cursor: event.cursor, resync: event.resync, node: renderNode(event.type, event.node, p) },
  };
}

/** The node's fields by tier, as the access ledger names them ("ServiceOrder.status"). */
export function fieldsByTier(payload: unknown): Record<'PUBLIC' | 'ANONYMIZED' | 'SENSITIVE', string[]> {
  const out = { PUBLIC: [] as string[], ANONYMIZED: [] as string[], SENSITIVE: [] as string[] };
  const data = (payload as Partial<WebhookPayload> | null)?.data;
  const meta = data ? feedMetaByName(data.type) : undefined;
  if (!data || !meta) return out;
  out.PUBLIC.push(`${meta.name}.id`);
  for (const key of Object.keys(data.node ?? {})) {
    const f = meta.fields.find((x) => x.name === key);
    if (f && key !== 'id') out[f.info.tier].push(`${meta.name}.${key}`);
  }
  return out;
}
