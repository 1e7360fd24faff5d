// Bearer key -> principal. No GraphQL here: a request without a usable key never reaches it.
import crypto from 'node:crypto';
import type pg from 'pg';
import { Role, Tier } from '../permissions/tier';
import { hashKey } from './keys';
import { principal, type Principal } from './principal';
import { Executor } from '../db/executor';
import { KeyLookups } from './key-lookups';
import { raw, sql, type Sql } from '../db/sql';

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

/** A partner and the terms of its agreement in force today (all null without one). */
interface PartnerTerms {
  partner_id: number | null;
  slug: string | null;
  status: string | null;
  data_tier: Tier | null;
  rate_limit_per_minute: number | null;
  daily_quota: number | null;
  persisted_only: boolean | null;
}

interface KeyRow extends PartnerTerms {
  hash: string;
  id: number;
  role: Role;
  expired: boolean;
  revoked: boolean;
  rollup_version: string | null;
  terms: string;
  generation: string;
  terms_until: Date;
}

/** A request's caller, and what the key lookup's statement read besides. */
export interface Authenticated {
  principal: Principal;
  /**
   * The rollups' version (metric_rollup_version), read in the same statement as the key so that
   * the metrics cache (src/metrics/cache) needs no round trip of its own. Unset for the
   * environment's admin key, which is not looked up.
   */
  rollupVersion?: string;
}

/** The agreement in force today of the partner in `partnerColumn`, joined as `a`. */
const agreementInForce = (partnerColumn: string) => `left join lateral (
       select a.data_tier, a.rate_limit_per_minute, a.daily_quota, a.persisted_only from agreement a
        where a.partner_id = ${partnerColumn} and a.valid_from <= current_date
          and (a.valid_to is null or a.valid_to >= current_date)
        order by a.valid_from desc, a.id desc limit 1) a on true`;

const PARTNER_TERMS = 'p.slug, p.status, a.data_tier, a.rate_limit_per_minute, a.daily_quota, a.persisted_only';

/**
 * Everything a key's principal is built from, as one text: two lookups that read the same terms
 * give the same principal (the early answers check a remembered principal this way).
 */
const KEY_TERMS = 'row(k.id, k.role, k.partner_id, p.slug, p.status, a.data_tier, a.rate_limit_per_minute, a.daily_quota, a.persisted_only)::text';

/** The key terms' generation: bumped by every write that could change any key's terms (its migration). */
const GENERATION = '(select g.generation from key_terms_generation g where g.id = 1)';

/**
 * Until when a key's terms hold without a write: its expiry, or the end of today, when the
 * agreement in force (valid_from, valid_to: dates) may change with no write at all.
 */
const TERMS_UNTIL = 'least(k.expires_at, (current_date + 1)::timestamptz)';

/** A partner's principal from its terms, or the refusal a key of it would get. */
function partnerPrincipal(row: PartnerTerms, keyId?: number): Principal {
  if (row.partner_id === null || row.status === null) throw new AuthFailure('INVALID_KEY', 'The API key is not valid');
  if (row.status === 'EXITED') throw new AuthFailure('PARTNER_EXITED', 'The partner has exited the ecosystem; its keys no longer work');
  if (!row.data_tier) throw new AuthFailure('AGREEMENT_EXPIRED', 'The partner has no agreement in force today');
  const suspended = row.status === 'SUSPENDED';
  return principal(Role.PARTNER, {
    keyId,
    partnerId: Number(row.partner_id),
    partnerSlug: row.slug!,
    // Data sharing stops while suspended, whatever the agreement grants.
    grantedTier: suspended ? Tier.PUBLIC : row.data_tier,
    suspended,
    quota: { perMinute: row.rate_limit_per_minute, perDay: row.daily_quota },
    persistedOnly: row.persisted_only === true,
  });
}

/** The key lookup: each key's row, its partner's terms, and the rollups' version. */
const keyStatement = (where: string) => `select k.hash, k.id, k.role, k.partner_id, k.expires_at is not null and k.expires_at <= now() as expired,
        k.revoked_at is not null as revoked, ${PARTNER_TERMS},
        (select v.version::text from metric_rollup_version v where v.id = 1) as rollup_version, ${KEY_TERMS} as terms,
        ${GENERATION}::text as generation, ${TERMS_UNTIL} as terms_until
   from api_key k left join partner p on p.id = k.partner_id
   ${agreementInForce('k.partner_id')}
  where ${where}`;

/**
 * SQL: when the key `hash` would still authenticate now (not revoked, not expired) with the same
 * terms as a lookup that read `terms` (its principal is the one that lookup built), until when
 * that holds without a write (TERMS_UNTIL); else null.
 */
export function keyHoldsUntil(hash: unknown, terms: unknown): Sql {
  return sql`(select ${raw(TERMS_UNTIL)} from api_key k left join partner p on p.id = k.partner_id ${raw(agreementInForce('k.partner_id'))}
     where k.hash = ${hash}::text and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()) and ${raw(KEY_TERMS)} = ${terms}::text)`;
}

/** SQL: the key terms' generation now, as text. */
export const keyTermsGeneration = (): Sql => raw(`${GENERATION}::text`);

/**
 * SQL true when no write since a lookup that read `generation` could have changed any key's
 * terms, and `until` (TERMS_UNTIL as that lookup read it) has not come: every key that lookup
 * confirmed still authenticates as it did. One row read instead of the key, its partner and the
 * agreement in force.
 */
export function keyTermsUnchanged(generation: unknown, until: unknown): Sql {
  return sql`(${raw(GENERATION)} = ${generation}::bigint and now() < ${until}::timestamptz)`;
}

/** A key's principal as its last lookup built it, with the terms that lookup read. */
export interface KnownKey {
  hash: string;
  principal: Principal;
  /** Unset for the environment's admin key, which is not in the database. */
  terms?: string;
  /** The key terms' generation the confirming statement read with `terms`. */
  generation?: string;
  /** Until when the terms hold without a write (the key's expiry, or the end of that day). */
  until?: Date;
}

/** Keys remembered; beyond this the memory starts afresh. */
const MAX_KNOWN_KEYS = 10_000;

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
  private readonly lookups: KeyLookups<KeyRow>;
  /** Each key's last good lookup, by hash: a guess that a statement must confirm before use. */
  private readonly known = new Map<string, KnownKey>();

  constructor(
    pool: pg.Pool,
    adminKey: string | undefined,
  ) {
    if (adminKey) this.adminKeyHash = Buffer.from(hashKey(adminKey), 'hex');
    // One statement for the keys of all the requests waiting (key-lookups.ts). Named: prepared
    // once per connection. A lone key keeps its own statement: for `= any($1)` PostgreSQL keeps
    // planning a custom plan on every execution (the generic plan's guessed row count looks
    // dearer), which cost a lone request more than the round trip the grouping saves.
    this.lookups = new KeyLookups<KeyRow>(
      async (hashes) =>
        (
          await pool.query<KeyRow>(
            hashes.length === 1
              ? { name: 'ecograph-authenticate', text: keyStatement('k.hash = $1'), values: hashes }
              : { name: 'ecograph-authenticate-keys', text: keyStatement('k.hash = any($1::text[])'), values: [hashes] },
          )
        ).rows,
      (row) => row.hash,
    );
  }

  async authenticate(header: string | undefined): Promise<Principal> {
    return (await this.authenticateRequest(header)).principal;
  }

  private isAdminKey(hash: string): boolean {
    return this.adminKeyHash !== undefined && crypto.timingSafeEqual(this.adminKeyHash, Buffer.from(hash, 'hex'));
  }

  async authenticateRequest(header: string | undefined): Promise<Authenticated> {
    const hash = hashKey(bearerKey(header));
    if (this.isAdminKey(hash)) return { principal: principal(Role.ADMIN) };
    const row = await this.lookups.lookup(hash);
    try {
      const authenticated = authenticatedOf(row);
      if (this.known.size >= MAX_KNOWN_KEYS) this.known.clear();
      this.known.set(hash, { hash, principal: authenticated.principal, terms: row!.terms, generation: row!.generation, until: row!.terms_until });
      return authenticated;
    } catch (err) {
      this.known.delete(hash);
      throw err;
    }
  }

  /**
   * What the key in this Authorization header authenticated as the last time it was looked up,
   * without a statement: undefined when it never was (or the header is not a bearer key). Only
   * a guess about the present: confirm it with keyTermsUnchanged(generation, until) or
   * keyHoldsUntil(hash, terms) in the statement that uses it. The environment's admin key needs
   * no confirmation (no terms).
   */
  remembered(header: string | undefined): KnownKey | undefined {
    let hash: string;
    try {
      hash = hashKey(bearerKey(header));
    } catch {
      return undefined;
    }
    if (this.isAdminKey(hash)) return { hash, principal: principal(Role.ADMIN) };
    return this.known.get(hash);
  }

  /**
   * A statement confirmed with keyHoldsUntil that `known` still holds, and read the generation
   * and the until beside it: later requests of the key may confirm it by keyTermsUnchanged.
   */
  confirmed(known: KnownKey, generation: string, until: Date): void {
    const current = this.known.get(known.hash);
    if (current && current.terms === known.terms) this.known.set(known.hash, { ...current, generation, until });
  }
}

/** A lookup's row as the request's caller, or the refusal. */
function authenticatedOf(row: KeyRow | undefined): Authenticated {
  if (!row) throw new AuthFailure('INVALID_KEY', 'The API key is not valid');
  if (row.revoked) throw new AuthFailure('KEY_REVOKED', 'The API key has been revoked');
  if (row.expired) throw new AuthFailure('KEY_EXPIRED', 'The API key has expired');
  const rollupVersion = row.rollup_version ?? undefined;
  if (row.role !== Role.PARTNER) return { principal: principal(row.role, { keyId: row.id }), rollupVersion };
  return { principal: partnerPrincipal(row, row.id), rollupVersion };
}

/**
 * The principal a PARTNER key of this partner would get now, for work done on its behalf
 * outside a request (webhook deliveries): the same partner, agreement-in-force and suspension
 * rules as authenticate(), so such work always applies the partner's current policy. Throws
 * AuthFailure (PARTNER_EXITED, AGREEMENT_EXPIRED, INVALID_KEY for an unknown partner) where a
 * key would be refused. test/webhooks/principal.test.ts keeps the two in step.
 */
export async function principalForPartner(db: Pick<pg.Pool, 'query'> | Executor, partnerId: number): Promise<Principal> {
  const query = sql`select p.id as partner_id, ${raw(PARTNER_TERMS)} from partner p ${raw(agreementInForce('p.id'))} where p.id = ${partnerId}`;
  const rows = db instanceof Executor ? await db.rows<PartnerTerms>(query) : (await db.query<PartnerTerms>(query.toQuery())).rows;
  if (!rows[0]) throw new AuthFailure('INVALID_KEY', 'No such partner');
  return partnerPrincipal(rows[0]);
}
