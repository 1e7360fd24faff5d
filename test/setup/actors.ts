// Keys for every kind of caller, on partners picked from the seeded data by their terms.
import type pg from 'pg';
import { createKey } from '../../src/auth/keys';
import { Role } from '../../src/permissions/tier';
import { TEST_ADMIN_KEY } from './constants';

export interface Actors {
  admin: string;
  analyst: string;
  /** Runs the lifecycle; reads customer data as an analyst does. */
  operator: string;
  dashboard: string;
  /** A partner whose agreement grants PUBLIC only. */
  partnerPublic: string;
  publicPartnerId: number;
  /** Two partners granted ANONYMIZED that served one consenting customer in common. */
  partnerA: string;
  partnerAId: number;
  partnerB: string;
  partnerBId: number;
  sharedCustomerId: number;
}

const CURRENT = `with cur as (
  select distinct on (partner_id) partner_id, data_tier from agreement
   where valid_from <= current_date and (valid_to is null or valid_to >= current_date)
   order by partner_id, valid_from desc, id desc)`;

export async function createActors(pool: pg.Pool): Promise<Actors> {
  const shared = await pool.query<{ a: number; b: number; customer: number }>(`${CURRENT}
    select o1.partner_id as a, o2.partner_id as b, o1.customer_id as customer
      from service_order o1
      join service_order o2 on o2.customer_id = o1.customer_id and o2.partner_id > o1.partner_id
      join customer c on c.id = o1.customer_id and c.consent_data_sharing
      join cur ca on ca.partner_id = o1.partner_id and ca.data_tier = 'ANONYMIZED'
      join cur cb on cb.partner_id = o2.partner_id and cb.data_tier = 'ANONYMIZED'
      join partner pa on pa.id = o1.partner_id and pa.status <> 'EXITED'
      join partner pb on pb.id = o2.partner_id and pb.status <> 'EXITED'
     order by o1.partner_id, o2.partner_id, o1.customer_id limit 1`);
  const pub = await pool.query<{ id: number }>(`${CURRENT}
    select p.id from partner p join cur on cur.partner_id = p.id and cur.data_tier = 'PUBLIC'
     where p.status <> 'EXITED'
       and exists (select 1 from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = p.id)
     order by p.id limit 1`);
  if (!shared.rows[0] || !pub.rows[0]) throw new Error('the seeded data lacks the partners these tests need');
  const { a, b, customer } = shared.rows[0];
  const slug = async (id: number) => (await pool.query<{ slug: string }>('select slug from partner where id = $1', [id])).rows[0].slug;
  const key = async (role: Role, partnerId?: number) =>
    (await createKey(pool, { role, partnerSlug: partnerId ? await slug(partnerId) : undefined })).key;
  return {
    admin: TEST_ADMIN_KEY,
    analyst: await key(Role.ANALYST),
    operator: await key(Role.OPERATOR),
    dashboard: await key(Role.DASHBOARD),
    partnerPublic: await key(Role.PARTNER, pub.rows[0].id),
    publicPartnerId: pub.rows[0].id,
    partnerA: await key(Role.PARTNER, a),
    partnerAId: a,
    partnerB: await key(Role.PARTNER, b),
    partnerBId: b,
    sharedCustomerId: customer,
  };
}
