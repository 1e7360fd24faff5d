// principalForPartner (work done for a partner outside a request) gives the principal a key of
// the partner would get now: the same tier, suspension and refusals as authentication.
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthFailure, Authenticator, principalForPartner } from '../../src/auth/authenticate';
import { createKey } from '../../src/auth/keys';
import type { Principal } from '../../src/auth/principal';
import { Role } from '../../src/permissions/tier';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
let auth: Authenticator;
beforeAll(async () => {
  server = await startTestServer();
  actors = await createActors(server.pool);
  auth = new Authenticator(server.pool, undefined);
});

const policy = (p: Principal) => ({ role: p.role, partnerId: p.partnerId, partnerSlug: p.partnerSlug, grantedTier: p.grantedTier, suspended: p.suspended, quota: p.quota, visibility: p.visibility });

async function both(partnerId: number): Promise<[unknown, unknown]> {
  const slug = (await server.pool.query<{ slug: string }>('select slug from partner where id = $1', [partnerId])).rows[0]!.slug;
  const { key } = await createKey(server.pool, { role: Role.PARTNER, partnerSlug: slug });
  const viaKey = await auth.authenticate(`Bearer ${key}`).then(policy, (e: AuthFailure) => e.code);
  const direct = await principalForPartner(server.pool, partnerId).then(policy, (e: AuthFailure) => e.code);
  return [direct, viaKey];
}

describe('principalForPartner', () => {
  it('matches authentication for partners granted ANONYMIZED and PUBLIC', async () => {
    for (const id of [actors.partnerAId, actors.partnerBId, actors.publicPartnerId]) {
      const [direct, viaKey] = await both(id);
      expect(direct).toEqual(viaKey);
      expect(direct).toMatchObject({ role: 'PARTNER', partnerId: id });
    }
  });

  it('matches it for a suspended partner (PUBLIC only), an exited one and one without an agreement in force', async () => {
    const pid = actors.partnerBId;
    await server.pool.query(`update partner set status = 'SUSPENDED' where id = $1`, [pid]);
    const [suspended, viaKey] = await both(pid);
    expect(suspended).toEqual(viaKey);
    expect(suspended).toMatchObject({ suspended: true, grantedTier: 'PUBLIC' });

    await server.pool.query(`update partner set status = 'EXITED' where id = $1`, [pid]);
    expect(await both(pid)).toEqual(['PARTNER_EXITED', 'PARTNER_EXITED']);

    await server.pool.query(`update partner set status = 'ACTIVE' where id = $1`, [pid]);
    await server.pool.query(`update agreement set valid_to = current_date - 1 where partner_id = $1 and (valid_to is null or valid_to >= current_date)`, [pid]);
    expect(await both(pid)).toEqual(['AGREEMENT_EXPIRED', 'AGREEMENT_EXPIRED']);
    await expect(principalForPartner(server.pool, 987_654)).rejects.toBeInstanceOf(AuthFailure);
  });
});
