// Keys through the API: created (the secret is in the payload, once), rotated (the new key
// works at once, the old one until the overlap ends), revoked. Operators manage the keys of
// partners, analysts and dashboards; only admins mint or touch admin and operator keys.
import { generateKey, hashKey, KEY_PREFIX } from '../../auth/keys';
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { checkVersion, insertRow, lockRow, recordChange, updateRow } from '../../writes/rows';
import { range, text } from '../../writes/validate';
import { PartnerStatus } from '../partners/partner.enums';
import { PartnerType } from '../partners/partner.type';
import { ApiKeyType } from './api-key.type';

const PRIVILEGED: Role[] = [Role.ADMIN, Role.OPERATOR];

function checkMayManage(ctx: Context, role: Role, field: string): void {
  if (PRIVILEGED.includes(role) && ctx.principal.role !== Role.ADMIN) {
    throw writeError('INVALID_VALUE', `Only an admin key manages ${role} keys`, { field });
  }
}

export interface NewApiKey {
  role: Role;
  partnerId?: string | null;
  label?: string | null;
  expiresAt?: Date | null;
}

async function insertKey(ctx: Context, values: { role: Role; partnerId: number | null; label: string; expiresAt: Date | null; rotatedFrom?: number }) {
  const secret = generateKey();
  const id = await insertRow(ctx, 'api_key', new Map<string, unknown>([
    ['label', values.label],
    ['role', values.role],
    ['partner_id', values.partnerId],
    ['hash', hashKey(secret)],
    ['prefix', secret.slice(0, KEY_PREFIX.length + 6)],
    ['created_at', new Date()],
    ['expires_at', values.expiresAt],
    ['rotated_from_id', values.rotatedFrom ?? null],
  ]));
  await recordChange(ApiKeyType, ctx, id, null);
  return { id, secret };
}

export async function createApiKey(input: NewApiKey, ctx: Context): Promise<{ id: number; secret: string }> {
  checkMayManage(ctx, input.role, 'input.role');
  let partnerId: number | null = null;
  if (input.role === Role.PARTNER) {
    if (!input.partnerId) throw invalid('input.partnerId', 'A PARTNER key needs partnerId');
    const partner = await lockRow(PartnerType, idArgument(PartnerType, input.partnerId, ctx), ctx);
    if (!partner) throw notFound('partner', 'input.partnerId');
    if (partner.status === PartnerStatus.EXITED) throw writeError('INVALID_STATE', 'The partner has exited: it gets no keys', { field: 'input.partnerId' });
    partnerId = partner.id;
  } else if (input.partnerId) {
    throw invalid('input.partnerId', 'Only PARTNER keys are bound to a partner');
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid('input.expiresAt', 'expiresAt must be in the future');
  const label = text('input.label', input.label, { max: 200 }) ?? `${input.role.toLowerCase()} key`;
  return insertKey(ctx, { role: input.role, partnerId, label, expiresAt: input.expiresAt ?? null });
}

export interface Rotation {
  id: string;
  expectedVersion?: number | null;
  /** How long the old secret keeps working (default ROTATION_OVERLAP_SECONDS). */
  overlapSeconds?: number | null;
}

export async function rotateApiKey(input: Rotation, ctx: Context): Promise<{ id: number; secret: string; previousId: number }> {
  range('input.overlapSeconds', input.overlapSeconds, 0, 30 * 86_400);
  const old = await lockRow(ApiKeyType, idArgument(ApiKeyType, input.id, ctx), ctx, ['hash']);
  if (!old) throw notFound('API key');
  checkVersion(old, input.expectedVersion);
  checkMayManage(ctx, old.role as Role, 'input.id');
  const live = await ctx.exec.rows<{ live: boolean }>(sql`select revoked_at is null and (expires_at is null or expires_at > now()) as live from api_key where id = ${old.id}`);
  if (!live[0]?.live) throw writeError('INVALID_STATE', 'A revoked or expired key cannot be rotated: create a new one', { field: 'input.id' });
  const overlap = input.overlapSeconds ?? ctx.services.config.keys.rotationOverlapSeconds;
  const ends = new Date(Date.now() + overlap * 1000);
  const currentExpiry = old.expiresAt ? new Date(String(old.expiresAt)) : null;
  await updateRow(ctx, 'api_key', old.id, new Map([['expires_at', currentExpiry && currentExpiry < ends ? currentExpiry : ends]]));
  await recordChange(ApiKeyType, ctx, old.id, old);
  const fresh = await insertKey(ctx, {
    role: old.role as Role,
    partnerId: old.partner_id ?? null,
    label: String(old.label),
    expiresAt: currentExpiry,
    rotatedFrom: old.id,
  });
  return { ...fresh, previousId: old.id };
}

export interface Revocation {
  id: string;
  expectedVersion?: number | null;
  reason?: string | null;
}

export async function revokeApiKey(input: Revocation, ctx: Context): Promise<number> {
  const reason = text('input.reason', input.reason, { max: 1000 }) ?? null;
  const old = await lockRow(ApiKeyType, idArgument(ApiKeyType, input.id, ctx), ctx);
  if (!old) throw notFound('API key');
  checkVersion(old, input.expectedVersion);
  checkMayManage(ctx, old.role as Role, 'input.id');
  if (old.revokedAt) throw writeError('INVALID_STATE', 'The key is revoked already', { field: 'input.id' });
  await updateRow(ctx, 'api_key', old.id, new Map<string, unknown>([['revoked_at', new Date()], ['revoke_reason', reason]]));
  await recordChange(ApiKeyType, ctx, old.id, old);
  return old.id;
}
