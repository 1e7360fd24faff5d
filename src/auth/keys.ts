// API keys: random, shown once, stored only as a SHA-256 hash. Used by the CLI and the server.
import crypto from 'node:crypto';
import type pg from 'pg';
import { Role } from '../permissions/tier';

export const KEY_PREFIX = 'eco_';

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(): string {
  return `${KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

export class KeyError extends Error {
  constructor(
    readonly code: 'UNKNOWN_PARTNER' | 'PARTNER_REQUIRED' | 'PARTNER_NOT_ALLOWED' | 'BAD_EXPIRY',
    message: string,
  ) {
    super(message);
  }
}

export interface NewKey {
  role: Role;
  partnerSlug?: string;
  label?: string;
  expiresAt?: Date;
}

export interface StoredKey {
  id: number;
  label: string;
  role: Role;
  partnerSlug: string | null;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

type Queryable = Pick<pg.Pool, 'query'>;

export async function createKey(db: Queryable, input: NewKey): Promise<{ id: number; key: string }> {
  if (input.role === Role.PARTNER && !input.partnerSlug) {
    throw new KeyError('PARTNER_REQUIRED', 'a partner key needs --partner <slug>');
  }
  if (input.role !== Role.PARTNER && input.partnerSlug) {
    throw new KeyError('PARTNER_NOT_ALLOWED', 'only partner keys are bound to a partner');
  }
  if (input.expiresAt && (Number.isNaN(input.expiresAt.getTime()) || input.expiresAt.getTime() <= Date.now())) {
    throw new KeyError('BAD_EXPIRY', 'the expiry must be a valid date in the future');
  }
  let partnerId: number | null = null;
  if (input.partnerSlug) {
    const found = await db.query<{ id: number }>('select id from partner where slug = $1', [input.partnerSlug]);
    if (found.rows.length === 0) throw new KeyError('UNKNOWN_PARTNER', `no partner with slug "${input.partnerSlug}"`);
    partnerId = found.rows[0].id;
  }
  const key = generateKey();
  const label = input.label ?? (input.partnerSlug ? `${input.role.toLowerCase()} ${input.partnerSlug}` : input.role.toLowerCase());
  const inserted = await db.query<{ id: number }>(
    `insert into api_key (label, role, partner_id, hash, prefix, created_at, expires_at)
     values ($1, $2, $3, $4, $5, now(), $6) returning id`,
    [label, input.role, partnerId, hashKey(key), key.slice(0, KEY_PREFIX.length + 6), input.expiresAt ?? null],
  );
  return { id: inserted.rows[0].id, key };
}

export async function listKeys(db: Queryable): Promise<StoredKey[]> {
  const result = await db.query<StoredKey>(
    `select k.id, k.label, k.role, p.slug as "partnerSlug", k.prefix, k.created_at as "createdAt",
            k.expires_at as "expiresAt", k.revoked_at as "revokedAt"
     from api_key k left join partner p on p.id = k.partner_id order by k.id`,
  );
  return result.rows;
}

/** True when the key existed and was not revoked before. */
export async function revokeKey(db: Queryable, id: number): Promise<boolean> {
  const result = await db.query('update api_key set revoked_at = now() where id = $1 and revoked_at is null', [id]);
  return (result.rowCount ?? 0) > 0;
}

export async function countKeys(db: Queryable): Promise<number> {
  const result = await db.query<{ n: number }>('select count(*)::int as n from api_key');
  return result.rows[0].n;
}
