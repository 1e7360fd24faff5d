// Data tiers and roles: the vocabulary every permission decision is made in.
import { defineEnum } from '../graphql/enums';

export enum Tier {
  PUBLIC = 'PUBLIC',
  ANONYMIZED = 'ANONYMIZED',
  SENSITIVE = 'SENSITIVE',
}

export enum Role {
  ADMIN = 'ADMIN',
  ANALYST = 'ANALYST',
  /** Runs the partner lifecycle, agreements, keys and consent; reads customer data as an analyst does. */
  OPERATOR = 'OPERATOR',
  DASHBOARD = 'DASHBOARD',
  PARTNER = 'PARTNER',
}
defineEnum(Role, 'Role', 'What a key may do');

/** How an ANONYMIZED value is generalised before it reaches anyone but an admin. */
export type Transform = 'pseudonym' | 'ageBand' | 'district' | 'drop' | 'none';

export const TIER_RANK: Record<Tier, number> = { PUBLIC: 0, ANONYMIZED: 1, SENSITIVE: 2 };

/** What a caller may read, before row scopes. */
export interface Visibility {
  /** Highest tier whose fields appear in the caller's schema. */
  maxTier: Tier;
  /** ANONYMIZED values are transformed for everyone but admins. */
  anonymise: boolean;
  /** Row-level customer data (customers, orders, ratings, complaints) reachable at all. */
  customerRows: boolean;
}

export function visibilityOf(role: Role, grantedTier: Tier = Tier.PUBLIC): Visibility {
  switch (role) {
    case Role.ADMIN:
      return { maxTier: Tier.SENSITIVE, anonymise: false, customerRows: true };
    case Role.ANALYST:
    case Role.OPERATOR:
      return { maxTier: Tier.ANONYMIZED, anonymise: true, customerRows: true };
    case Role.DASHBOARD:
      return { maxTier: Tier.PUBLIC, anonymise: true, customerRows: false };
    case Role.PARTNER:
      // A partner's agreement can never grant SENSITIVE, whatever is stored.
      return {
        maxTier: grantedTier === Tier.ANONYMIZED ? Tier.ANONYMIZED : Tier.PUBLIC,
        anonymise: true,
        customerRows: true,
      };
  }
}

export function tierVisible(tier: Tier, v: Visibility): boolean {
  return TIER_RANK[tier] <= TIER_RANK[v.maxTier];
}
