// The partner lifecycle: onboarded from a screened candidate (ACTIVE), SUSPENDED and
// reinstated, EXITED for good. Every change is a row of partner_status_change with its reason
// and, for automatic changes, the quality rule that made it (src/metrics/quality/consequences.ts).
// Exiting terminates the agreements in force and revokes the partner's keys in the same
// transaction, so nothing of the partner's access survives the commit.
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { notFound, writeError } from '../../writes/errors';
import { checkVersion, columnsFrom, insertRow, lockRow, recordChange, unique, updateRow, type Snapshot } from '../../writes/rows';
import { list, slug, text } from '../../writes/validate';
import { AgreementType } from '../agreements/agreement.type';
import { CandidatePartnerType } from './candidate.type';
import { ApiOpenness, PartnerStatus } from './partner.enums';
import { PartnerType } from './partner.type';

export interface StatusCause {
  reason: string;
  /** The quality rule (null: an operator's decision, recorded with its key). */
  rule?: string;
  month?: string;
}

export async function recordStatusChange(ctx: Context, partnerId: number, from: PartnerStatus | null, to: PartnerStatus, cause: StatusCause): Promise<void> {
  await ctx.exec.rows(sql`insert into partner_status_change (partner_id, at, from_status, to_status, reason, rule, month, key_id)
    values (${partnerId}, now(), ${from}, ${to}, ${cause.reason}, ${cause.rule ?? null}, ${cause.month ?? null}, ${cause.rule ? null : (ctx.principal.keyId ?? null)})`);
}

export interface Onboarding {
  candidateId: string;
  expectedVersion?: number | null;
  slug?: string | null;
  nameEn: string;
  serviceTypes?: string[] | null;
  apiOpenness?: ApiOpenness | null;
  description?: string | null;
}

export async function onboardPartner(input: Onboarding, ctx: Context): Promise<{ partnerId: number; candidateId: number }> {
  const candidate = await lockRow(CandidatePartnerType, idArgument(CandidatePartnerType, input.candidateId, ctx), ctx, ['partner_id']);
  if (!candidate) throw notFound('candidate', 'input.candidateId');
  checkVersion(candidate, input.expectedVersion);
  if (candidate.partner_id !== null && candidate.partner_id !== undefined) {
    throw writeError('INVALID_STATE', 'This candidate was onboarded already', { field: 'input.candidateId', partnerId: String(candidate.partner_id) });
  }
  if (candidate.serviceQuality === null) {
    throw writeError('INVALID_STATE', 'Screen the candidate (screenCandidate) before onboarding it', { field: 'input.candidateId' });
  }
  const partnerSlug = slug('input.slug', input.slug ?? String(candidate.slug));
  const values = columnsFrom(PartnerType, {
    slug: partnerSlug,
    name: candidate.name,
    nameEn: text('input.nameEn', input.nameEn, { required: true, max: 200 }),
    category: candidate.category,
    industry: candidate.industry,
    serviceTypes: list('input.serviceTypes', input.serviceTypes) ?? [candidate.capabilityGap],
    cities: candidate.cities,
    apiOpenness: input.apiOpenness ?? ApiOpenness.PARTNER_API,
    description: text('input.description', input.description, { max: 2000 }) ?? '',
  });
  values.set('status', PartnerStatus.ACTIVE);
  values.set('status_reason', `onboarded from candidate ${candidate.slug}`);
  values.set('joined_on', new Date().toISOString().slice(0, 10));
  values.set('candidate_id', candidate.id);
  const partnerId = await unique('input.slug', `A partner with slug "${partnerSlug}" exists`, () => insertRow(ctx, 'partner', values));
  await updateRow(ctx, 'candidate_partner', candidate.id, new Map([['partner_id', partnerId]]));
  await recordStatusChange(ctx, partnerId, null, PartnerStatus.ACTIVE, { reason: `onboarded from candidate ${candidate.slug}` });
  await recordChange(PartnerType, ctx, partnerId, null);
  await recordChange(CandidatePartnerType, ctx, candidate.id, candidate);
  return { partnerId, candidateId: candidate.id };
}

/** Which status each transition starts from. */
const TRANSITIONS: Record<'suspend' | 'reinstate' | 'exit', { from: PartnerStatus[]; to: PartnerStatus }> = {
  suspend: { from: [PartnerStatus.ACTIVE], to: PartnerStatus.SUSPENDED },
  reinstate: { from: [PartnerStatus.SUSPENDED], to: PartnerStatus.ACTIVE },
  exit: { from: [PartnerStatus.ACTIVE, PartnerStatus.SUSPENDED], to: PartnerStatus.EXITED },
};

export type Transition = keyof typeof TRANSITIONS;

/** Moves a locked partner row; the caller has checked it exists. */
export async function transition(ctx: Context, partner: Snapshot, kind: Transition, cause: StatusCause): Promise<void> {
  const t = TRANSITIONS[kind];
  const from = partner.status as PartnerStatus;
  if (!t.from.includes(from)) {
    throw writeError('INVALID_STATE', `A ${from} partner cannot be ${kind === 'exit' ? 'exited' : `${kind}ed`}`, { field: 'input.id', status: from });
  }
  await updateRow(ctx, 'partner', partner.id, new Map<string, unknown>([['status', t.to], ['status_reason', cause.reason]]));
  await recordStatusChange(ctx, partner.id, from, t.to, cause);
  if (t.to === PartnerStatus.EXITED) await endAccess(ctx, partner.id, cause.reason);
  await recordChange(PartnerType, ctx, partner.id, partner);
}

/** Exit: agreements end today (later ones never start) and every key of the partner is revoked. */
async function endAccess(ctx: Context, partnerId: number, reason: string): Promise<void> {
  const ended = await ctx.exec.rows<{ id: number }>(sql`select id from agreement
    where partner_id = ${partnerId} and (valid_to is null or valid_to >= current_date) order by id for update`);
  for (const { id } of ended) {
    const before = await lockRow(AgreementType, Number(id), ctx);
    await ctx.exec.rows(sql`update agreement set valid_to = greatest(valid_from - 1, least(coalesce(valid_to, current_date), current_date)),
      termination_reason = ${`partner exited: ${reason}`} where id = ${Number(id)}`);
    await recordChange(AgreementType, ctx, Number(id), before);
  }
  await ctx.exec.rows(sql`update api_key set revoked_at = now(), revoke_reason = ${`partner exited: ${reason}`}
    where partner_id = ${partnerId} and revoked_at is null`);
}

export interface StatusInput {
  id: string;
  expectedVersion?: number | null;
  reason: string;
}

export async function changeStatus(input: StatusInput, kind: Transition, ctx: Context): Promise<number> {
  const reason = text('input.reason', input.reason, { required: true, max: 1000 })!;
  const partner = await lockRow(PartnerType, idArgument(PartnerType, input.id, ctx), ctx);
  if (!partner) throw notFound('partner');
  checkVersion(partner, input.expectedVersion);
  await transition(ctx, partner, kind, { reason });
  return partner.id;
}
