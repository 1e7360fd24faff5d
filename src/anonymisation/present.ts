// Applies each field's declared transform to a row before it leaves the service layer. Runs
// once per row for the caller's audience; admins get rows unchanged.
import type { Principal } from '../auth/principal';
import type { DeclaredField } from '../permissions/tier-field';
import { Role } from '../permissions/tier';
import { ageBand } from './generalise';
import type { Pseudonymizer } from './pseudonym';

export type Row = Record<string, unknown>;

/** Pseudonyms are per partner; all analysts share one audience. */
export function audienceOf(p: Principal): string {
  return p.role === Role.PARTNER ? `partner:${p.partnerId}` : p.role.toLowerCase();
}

export function present(fields: DeclaredField[], kind: string, row: Row, p: Principal, pseudonyms: Pseudonymizer): Row {
  if (!p.visibility.anonymise) return row;
  for (const f of fields) {
    const t = f.info.transform;
    if (t === 'none' || !(f.name in row)) continue;
    const v = row[f.name];
    if (v === null || v === undefined) continue;
    switch (t) {
      case 'pseudonym':
        row[f.name] = pseudonyms.encode(audienceOf(p), f.info.pseudonymKind ?? kind, v as number);
        break;
      case 'ageBand':
        row[f.name] = ageBand(String(v));
        break;
      case 'district':
        row[f.name] = row.district ?? null;
        break;
      case 'drop':
        row[f.name] = null;
        break;
    }
  }
  return row;
}
