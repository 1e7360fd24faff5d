// Mutation payloads (Relay style): each field a row as the caller's schema shows it, read in
// the mutation's transaction after the write. The fields carry tiers like any other, so the
// per-role schema and the shield treat a payload like the query that would read the same rows.
import { ObjectType } from 'type-graphql';
import { Tier } from '../permissions/tier';
import { TierField } from '../permissions/tier-field';

export interface PayloadField {
  type: () => unknown;
  tier?: Tier;
  description?: string;
}

export function Payload(name: string, fields: Record<string, PayloadField>, description?: string): Function {
  @ObjectType(name, { description })
  class P {}
  for (const [key, f] of Object.entries(fields)) {
    const tier = f.tier ?? Tier.PUBLIC;
    const decorate = TierField(tier, f.type as never, {
      nullable: true,
      resolved: true,
      description: f.description,
      ...(tier === Tier.ANONYMIZED ? { transform: 'none' as const } : {}),
    });
    (decorate as PropertyDecorator)(P.prototype as object, key);
  }
  Object.defineProperty(P, 'name', { value: name });
  return P;
}
