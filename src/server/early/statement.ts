// The one statement of an early answer: the compiled read and, for a stored key, the check that
// the key still authenticates as remembered, in one round trip and one snapshot. The data is
// returned only when the check holds, so a key revoked (or a partner suspended, an agreement
// changed) before the statement started is never answered from the remembered principal.
// The check comes in two weights: 'unchanged' reads one row, the key terms' generation (no
// write that could change a key's terms since the key was confirmed); 'checked' reads the key,
// its partner and its agreement in force, and returns the generation and until beside them, so
// that the key's next requests can be confirmed the light way.
import { keyHoldsUntil, keyTermsGeneration, keyTermsUnchanged } from '../../auth/authenticate';
import type { CompiledOperation } from '../../db/compile/operation';
import { sql, type Sql } from '../../db/sql';

/** The read alone (the environment's admin key), or the read with the key's check, light or full. */
export type Variant = 'read' | 'unchanged' | 'checked';

/** The request's own values, filled in per request. */
const SLOT = {
  hash: Symbol('hash'),
  terms: Symbol('terms'),
  generation: Symbol('generation'),
  until: Symbol('until'),
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
  // it once for each of the places that read it.
  if (variant === 'unchanged') {
    return sql`select ok.ok, case when ok.ok then r.j end as j, r.n from (${compiled.statement}) r, (select ${keyTermsUnchanged(SLOT.generation, SLOT.until)} as ok offset 0) ok`;
  }
  return sql`select ok.until is not null as ok, case when ok.until is not null then r.j end as j, r.n, ok.generation, ok.until
    from (${compiled.statement}) r, (select ${keyHoldsUntil(SLOT.hash, SLOT.terms)} as until, ${keyTermsGeneration()} as generation offset 0) ok`;
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
