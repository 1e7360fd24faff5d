// The decisions derived from a field's declaration for one caller. Everything that can reveal
// a value (output, filter, sort, group) asks here.
import type { Principal } from '../auth/principal';
import type { DeclaredField, TierInfo } from './tier-field';
import { tierVisible, type Visibility } from './tier';

export function readable(info: TierInfo, v: Visibility): boolean {
  return tierVisible(info.tier, v);
}

/** Filters compare against the value the caller sees: raw, or a pseudonym the server can map back. */
export function filterableBy(info: TierInfo, v: Visibility): boolean {
  if (!readable(info, v) || info.filter === undefined) return false;
  return !v.anonymise || info.transform === 'none' || info.transform === 'pseudonym';
}

/** Sorting reveals order, so only values the caller sees unchanged may be sorted on. */
export function sortableBy(info: TierInfo, v: Visibility): boolean {
  if (!readable(info, v) || !info.sortable) return false;
  return !v.anonymise || info.transform === 'none';
}

export function filterAllowed(f: DeclaredField, p: Principal): boolean {
  return filterableBy(f.info, p.visibility);
}

export function sortAllowed(f: DeclaredField, p: Principal): boolean {
  return sortableBy(f.info, p.visibility);
}

/**
 * Writes go through the same declaration as reads: a role may set a field only when the
 * declaration lists it and the caller may read the field.
 */
export function writableBy(info: TierInfo, p: Pick<Principal, 'role' | 'visibility'>): boolean {
  return readable(info, p.visibility) && (info.write?.includes(p.role) ?? false);
}
