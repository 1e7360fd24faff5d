// Who is calling, as the rest of the request sees it. Built by auth/authenticate.ts.
import { Role, Tier, visibilityOf, type Visibility } from '../permissions/tier';

export interface Principal {
  role: Role;
  /** Set for PARTNER keys: the partner the key is bound to. */
  partnerId?: number;
  partnerSlug?: string;
  /** The tier the partner's current agreement grants (PUBLIC for non-partners). */
  grantedTier: Tier;
  /** Stored key id; undefined for the ECOGRAPH_ADMIN_KEY from the environment. */
  keyId?: number;
  /**
   * PARTNER: the partner is SUSPENDED (a yellow card, or an operator's decision). It keeps its
   * keys, the public catalogue, its own agreements, settlements, history and catalogue writes,
   * but reads no customer data at any tier (row-scope.ts) and is served PUBLIC fields only.
   */
  suspended?: boolean;
  /** PARTNER: the quota budgets its agreement in force sets (null: the role's default). */
  quota?: { perMinute: number | null; perDay: number | null };
  /**
   * PARTNER: its agreement in force allows registered (persisted) operations only, executed by
   * id; any other request is refused with PERSISTED_QUERY_REQUIRED (src/persisted).
   */
  persistedOnly?: boolean;
  visibility: Visibility;
}

export function principal(role: Role, extra: Partial<Omit<Principal, 'role' | 'visibility'>> = {}): Principal {
  const grantedTier = extra.grantedTier ?? Tier.PUBLIC;
  return { role, grantedTier, ...extra, visibility: visibilityOf(role, grantedTier) };
}

/** Which of the per-role schemas serves this caller. */
export function schemaKeyOf(p: Principal): SchemaKey {
  if (p.role === Role.PARTNER) return p.visibility.maxTier === Tier.ANONYMIZED ? 'PARTNER_ANONYMIZED' : 'PARTNER_PUBLIC';
  return p.role;
}

export type SchemaKey = 'ADMIN' | 'OPERATOR' | 'ANALYST' | 'DASHBOARD' | 'PARTNER_PUBLIC' | 'PARTNER_ANONYMIZED';
export const SCHEMA_KEYS: SchemaKey[] = ['ADMIN', 'OPERATOR', 'ANALYST', 'DASHBOARD', 'PARTNER_PUBLIC', 'PARTNER_ANONYMIZED'];

export function samplePrincipal(key: SchemaKey): Principal {
  switch (key) {
    case 'PARTNER_PUBLIC':
      return principal(Role.PARTNER, { grantedTier: Tier.PUBLIC });
    case 'PARTNER_ANONYMIZED':
      return principal(Role.PARTNER, { grantedTier: Tier.ANONYMIZED });
    default:
      return principal(key as Role);
  }
}
