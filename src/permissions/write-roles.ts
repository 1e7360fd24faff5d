// Who may set a field, named once for the declarations (`write:` in @TierField). A role can
// never write a field it cannot read, whatever is listed (policy.ts, writableBy).
import { Role } from './tier';

/** The partner lifecycle, agreements, keys and consent. */
export const OPERATORS: Role[] = [Role.ADMIN, Role.OPERATOR];
/** A partner's own catalogue (rows of its own partner only, see writes/rows.ts ownedBy). */
export const CATALOGUE_WRITERS: Role[] = [Role.ADMIN, Role.OPERATOR, Role.PARTNER];
/** Answers to service requests and their fulfilment: the partner offered it (rows of its own only), or staff on its behalf. */
export const FULFILMENT_WRITERS: Role[] = [Role.ADMIN, Role.OPERATOR, Role.PARTNER];
