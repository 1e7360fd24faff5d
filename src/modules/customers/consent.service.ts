// Consent to share anonymised data, set by the platform's consent system. Row scopes read
// customer.consent_data_sharing in SQL on every request (permissions/row-scope.ts), so a
// withdrawal takes effect on the very next request of every partner: no cache to expire.
import { idArgument } from '../../db/loaders';
import type { Context } from '../../server/context';
import { notFound } from '../../writes/errors';
import { checkVersion, lockRow, recordChange, updateRow } from '../../writes/rows';
import { CustomerType } from './customer.type';

export interface ConsentInput {
  customerId: string;
  expectedVersion?: number | null;
  consentDataSharing: boolean;
}

export async function setCustomerConsent(input: ConsentInput, ctx: Context): Promise<number> {
  const before = await lockRow(CustomerType, idArgument(CustomerType, input.customerId, ctx), ctx);
  if (!before) throw notFound('customer', 'input.customerId');
  checkVersion(before, input.expectedVersion);
  await updateRow(ctx, 'customer', before.id, new Map([['consent_data_sharing', input.consentDataSharing]]));
  await recordChange(CustomerType, ctx, before.id, before);
  return before.id;
}
