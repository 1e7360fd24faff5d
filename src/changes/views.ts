// What a caller's copy of the data was built under: for a partner its granted tier and
// whether it is suspended (both can change without the partner doing anything: an amended
// agreement, a date passing, a yellow card). Other roles always see the same way.
import { principal, type Principal } from '../auth/principal';
import { Role, Tier } from '../permissions/tier';

export type View = string;

export function viewOf(p: Principal): View {
  if (p.role !== Role.PARTNER) return p.role;
  return `${p.grantedTier}${p.suspended ? ':SUSPENDED' : ''}`;
}

/** The caller as it was under an earlier view (same partner, that grant). */
export function principalUnder(p: Principal, view: View): Principal {
  if (p.role !== Role.PARTNER) return p;
  const [tier, suspended] = view.split(':');
  return principal(Role.PARTNER, {
    partnerId: p.partnerId,
    partnerSlug: p.partnerSlug,
    grantedTier: tier === Tier.ANONYMIZED ? Tier.ANONYMIZED : Tier.PUBLIC,
    suspended: suspended === 'SUSPENDED',
  });
}
