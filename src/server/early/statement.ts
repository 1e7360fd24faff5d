// The one statement of an early answer: the compiled read and, for a stored key, the check that
// the key still authenticates as remembered, in one round trip and one snapshot. The data is
// returned only when the check holds, so a key revoked (or a partner suspended, an agreement
// changed) before the statement started is never answered from the remembered principal.
import { keyStillHolds } from '../../auth/authenticate';
import type { CompiledOperation } from '../../db/compile/operation';
import { sql, type Sql } from '../../db/sql';

/** The read alone (the environment's admin key), or the read with the key's check. */
export type Variant = 'read' | 'checked';

/** The request's own values, filled in per request. */
const SLOT = {
  hash: Symbol('hash'),
  terms: Symbol('terms'),
} as const;

export type SlotValues = Partial<Record<keyof typeof SLOT, unknown>>;

export interface EarlyStatement {
  text: string;
  /** The values, with the request's slots still to fill. */
  values: unknown[];
  bind(slots: SlotValues): unknown[];
}

function build(variant: Variant, compiled: CompiledOperation): Sql {
  if (variant === 'read') return sql`select true as ok, r.j, r.n from (${compiled.statement}) r`;
  // offset 0 keeps the check a subquery evaluated once: pulled up, PostgreSQL would plan and run
  // it once for each of the two places that read ok.
  return sql`select ok.ok, case when ok.ok then r.j end as j, r.n from (${compiled.statement}) r, (select ${keyStillHolds(SLOT.hash, SLOT.terms)} as ok offset 0) ok`;
}

export function earlyStatement(variant: Variant, compiled: CompiledOperation): EarlyStatement {
  const { text, values } = build(variant, compiled).toQuery();
  const slots: [number, keyof typeof SLOT][] = [];
  values.forEach((v, i) => {
    const name = (Object.keys(SLOT) as (keyof typeof SLOT)[]).find((k) => SLOT[k] === v);
    if (name) slots.push([i, name]);
  });
  return {
    text,
    values,
    bind(filled) {
      const out = values.slice();
      for (const [i, slot] of slots) out[i] = filled[slot] ?? null;
      return out;
    },
  };
}
