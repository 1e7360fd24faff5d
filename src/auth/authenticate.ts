// Bearer key -> principal. No GraphQL here: a request without a usable key never reaches it.
import crypto from 'node:crypto';
import type pg from 'pg';
import { Role, Tier } from '../permissions/tier';
import { hashKey } from './keys';
import { principal, type Principal } from './principal';
import { Executor } from '../db/executor';
import { sql } from '../db/sql';

export type AuthFailureCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_KEY'
  | 'KEY_REVOKED'
  | 'KEY_EXPIRED'
  | 'AGREEMENT_EXPIRED'
  | 'PARTNER_EXITED';

export class AuthFailure extends Error {
  constructor(
    readonly code: AuthFailureCode,
    message: string,
  ) {
    super(message);
  }
}

interface KeyRow {
  id: number;
  role: Role;
  partner_id: number | null;
  expired: boolean;
  revoked: boolean;
  slug: string | null;
  status: string | null;
  data_tier: Tier | null;
  rate_limit_per_minute: number | null;
  daily_quota: number | null;
  persisted_only: boolean | null;
}

export function bearerKey(header: string | undefined): string {
  if (!header) {
    throw new AuthFailure('UNAUTHENTICATED', 'Missing API key: send the header "Authorization: Bearer <key>"');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AuthFailure('UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <key>"');
  return match[1];
}

export class Authenticator {
  private readonly adminKeyHash?: Buffer;

  constructor(
    private readonly pool: pg.Pool,
    adminKey: string | undefined,
  ) {
    if (adminKey) this.adminKeyHash = Buffer.from(hashKey(adminKey), 'hex');
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    const key = bearerKey(header);
    const hash = hashKey(key);
    if (this.adminKeyHash && crypto.timingSafeEqual(this.adminKeyHash, Buffer.from(hash, 'hex'))) {
      return principal(Role.ADMIN);
    }
    // Named: prepared once per connection, so each request skips parsing and planning it.
    const result = await this.pool.query<KeyRow>({
      name: 'ecograph-authenticate',
      text: `select k.id, k.role, k.partner_id, k.expires_at is not null and k.expires_at <= now() as expired,
              k.revoked_at is not null as revoked, p.slug, p.status, a.data_tier, a.rate_limit_per_minute, a.daily_quota, a.persisted_only
         from api_key k left join partner p on p.id = k.partner_id
         left join lateral (select a.data_tier, a.rate_limit_per_minute, a.daily_quota, a.persisted_only from agreement a
                where a.partner_id = k.partner_id and a.valid_from <= current_date
                  and (a.valid_to is null or a.valid_to >= current_date)
                order by a.valid_from desc, a.id desc limit 1) a on true
        where k.hash = $1`,
      values: [hash],
    });
    const row = result.rows[0];
    if (!row) throw new AuthFailure('INVALID_KEY', 'The API key is not valid');
    if (row.revoked) throw new AuthFailure('KEY_REVOKED', 'The API key has been revoked');
    if (row.expired) throw new AuthFailure('KEY_EXPIRED', 'The API key has expired');
    if (row.role !== Role.PARTNER) return principal(row.role, { keyId: row.id });
    if (row.status === 'EXITED') throw new AuthFailure('PARTNER_EXITED', 'The partner has exited the ecosystem; its keys no longer work');
    if (!row.data_tier) throw new AuthFailure('AGREEMENT_EXPIRED', 'The partner has no agreement in force today');
    const suspended = row.status === 'SUSPENDED';
    return principal(Role.PARTNER, {
      keyId: row.id,
      partnerId: row.partner_id!,
      partnerSlug: row.slug!,
      // Data sharing stops while suspended, whatever the agreement grants.
      grantedTier: suspended ? Tier.PUBLIC : row.data_tier,
      suspended,
      quota: { perMinute: row.rate_limit_per_minute, perDay: row.daily_quota },
      persistedOnly: row.persisted_only === true,
    });
  }
}

/**
 * The principal a PARTNER key of this partner would get now, for work done on its behalf
 * outside a request (webhook deliveries): the same partner, agreement-in-force and suspension
 * rules as authenticate(), so such work always applies the partner's current policy. Throws
 * AuthFailure (PARTNER_EXITED, AGREEMENT_EXPIRED, INVALID_KEY for an unknown partner) where a
 * key would be refused. test/webhooks/principal.test.ts keeps the two in step.
 */
export async function principalForPartner(db: Pick<pg.Pool, 'query'> | Executor, partnerId: number): Promise<Principal> {
  const query = sql`select p.id, p.slug, p.status, a.data_tier, a.rate_limit_per_minute, a.daily_quota
      from partner p
      left join lateral (select a.data_tier, a.rate_limit_per_minute, a.daily_quota from agreement a
             where a.partner_id = p.id and a.valid_from <= current_date
               and (a.valid_to is null or a.valid_to >= current_date)
             order by a.valid_from desc, a.id desc limit 1) a on true
     where p.id = ${partnerId}`;
  type PartnerRow = Pick<KeyRow, 'slug' | 'status' | 'data_tier' | 'rate_limit_per_minute' | 'daily_quota'> & { id: number };
  const rows = db instanceof Executor ? await db.rows<PartnerRow>(query) : (await db.query<PartnerRow>(query.toQuery())).rows;
  const row = rows[0];
  if (!row) throw new AuthFailure('INVALID_KEY', 'No such partner');
  if (row.status === 'EXITED') throw new AuthFailure('PARTNER_EXITED', 'The partner has exited the ecosystem');
  if (!row.data_tier) throw new AuthFailure('AGREEMENT_EXPIRED', 'The partner has no agreement in force today');
  const suspended = row.status === 'SUSPENDED';
  return principal(Role.PARTNER, {
    partnerId: Number(row.id),
    partnerSlug: row.slug!,
    grantedTier: suspended ? Tier.PUBLIC : row.data_tier,
    suspended,
    quota: { perMinute: row.rate_limit_per_minute, perDay: row.daily_quota },
  });
}
