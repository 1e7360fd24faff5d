// The feed's promise, checked field by field: a copy taken at t0 (while writes go on) plus
// the changes from the cursor it returned equals a copy taken at t1, for every role and
// several partners, through a random workload of inserts, updates, deletes, consent
// withdrawals, agreement amendments (down and up) and a suspension. A revocation that is not
// propagated, or an event carrying a field the caller cannot read, makes it fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20261204);
const STEPS = Number(process.env.DIFFERENTIAL_STEPS ?? 120);

let server: TestServer;
let actors: Actors;
let callers: Record<string, string>;
beforeAll(async () => {
  // Whole lists in a few pages.
  server = await startTestServer({ MAX_PAGE_SIZE: '5000', MAX_QUERY_COST: '10000000', MAX_ALIASES: '1000', QUOTA_PARTNER_PER_MINUTE: 'unlimited', QUOTA_PARTNER_PER_DAY: 'unlimited', QUOTA_ANALYST_PER_MINUTE: 'unlimited', QUOTA_OPERATOR_PER_MINUTE: 'unlimited' });
  actors = await createActors(server.pool);
  callers = {
    admin: actors.admin,
    operator: actors.operator,
    analyst: actors.analyst,
    partnerA: actors.partnerA,
    partnerB: actors.partnerB,
    partnerPublic: actors.partnerPublic,
  };
}, 120_000);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Node = Record<string, unknown>;
type Copy = Map<string, Map<string, Node>>;

interface Shape {
  /** Feed type -> its scalar fields in the caller's schema. */
  fields: Map<string, string[]>;
  /** Feed type -> the root list that holds all of its rows. */
  lists: Map<string, string>;
}

// PartnerTierRecord, PartnerStatusChange and CaseKpi have no root list: their events are checked for shape only.
const FEED_TYPES = ['PartnerTierRecord', 'PartnerStatusChange', 'CaseKpi', 'Partner', 'CandidatePartner', 'Agreement', 'ServicePoint', 'PriceListItem', 'Customer', 'ServiceOrder', 'Rating', 'Complaint', 'Settlement', 'CollaborationCase', 'ReportIndicator'];

async function shapeOf(key: string): Promise<Shape> {
  const res = await server.gql(`{ __schema { queryType { fields { name type { kind name ofType { name } } } }
    types { name kind fields { name type { kind name ofType { kind name ofType { kind name } } } } } } }`, undefined, key);
  const schema = res.body.data!.__schema;
  const leaf = (t: any): boolean => {
    while (t.kind === 'NON_NULL' || t.kind === 'LIST') {
      if (t.kind === 'LIST') return false;
      t = t.ofType;
    }
    return t.kind === 'SCALAR' || t.kind === 'ENUM';
  };
  const fields = new Map<string, string[]>();
  for (const t of schema.types) if (FEED_TYPES.includes(t.name)) fields.set(t.name, t.fields.filter((f: any) => leaf(f.type)).map((f: any) => f.name));
  const lists = new Map<string, string>();
  for (const f of schema.queryType.fields) {
    const name = f.type.name ?? f.type.ofType?.name;
    const node = name?.endsWith('Connection') ? name.slice(0, -'Connection'.length) : undefined;
    if (node && fields.has(node)) lists.set(node, f.name);
  }
  return { fields, lists };
}

const comparable = (node: Node): Node => {
  // The version is a concurrency token that moves with changes the caller cannot see; the
  // feed compares data, so the copy may hold an older version of an unchanged row.
  const { version: _v, ...rest } = node;
  return rest;
};

async function snapshot(key: string, shape: Shape): Promise<{ copy: Copy; cursor: string }> {
  const copy: Copy = new Map();
  let cursor: string | undefined;
  for (const [type, list] of shape.lists) {
    const rows = new Map<string, Node>();
    let after: string | null = null;
    for (;;) {
      const res: any = await server.gql(
        `query($after: String) { ${list}(first: 5000, after: $after) { ${cursor ? '' : 'changesCursor'} pageInfo { hasNextPage endCursor } nodes { ${shape.fields.get(type)!.join(' ')} } } }`,
        { after },
        key,
      );
      expect(res.body.errors, `${type} snapshot`).toBeUndefined();
      const page = res.body.data[list];
      cursor ??= page.changesCursor;
      for (const n of page.nodes) rows.set(String(n.id), comparable(n));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    copy.set(type, rows);
  }
  return { copy, cursor: cursor! };
}

async function applyChanges(key: string, shape: Shape, copy: Copy, after: string): Promise<{ events: number; resync: number }> {
  // Every type's fields under an alias of its own: union members disagree on nullability.
  const frags = [...shape.fields].map(([type, fs]) => `... on ${type} { ${fs.map((f) => `${type}__${f}: ${f}`).join(' ')} }`).join(' ');
  let cursor = after;
  let events = 0;
  let resync = 0;
  for (let i = 0; i < 1_000; i++) {
    const res: any = await server.gql(
      `query($after: String) { changes(after: $after, first: 1000) { endCursor hasNextPage events { type op id resync node { __typename ${frags} } } } }`,
      { after: cursor },
      key,
    );
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data.changes;
    for (const e of page.events) {
      events++;
      if (e.resync) resync++;
      const rows = copy.get(e.type) ?? new Map<string, Node>();
      copy.set(e.type, rows);
      if (e.op === 'DELETE') {
        expect(e.node).toBeNull();
        rows.delete(e.id);
        continue;
      }
      const node: Node = {};
      for (const [k, v] of Object.entries(e.node)) if (k.startsWith(`${e.type}__`)) node[k.slice(e.type.length + 2)] = v;
      // Exactly the caller's fields of that type, no more.
      expect(Object.keys(node).sort()).toEqual([...shape.fields.get(e.type)!].sort());
      expect(String(node.id)).toBe(e.id);
      rows.set(e.id, comparable(node));
    }
    cursor = page.endCursor;
    if (!page.hasNextPage) return { events, resync };
  }
  throw new Error('the feed did not end');
}

/** The writes. Plain SQL for data (capture happens in the database), mutations for the lifecycle. */
class Workload {
  private readonly r = rng(SEED);
  constructor(private readonly s: TestServer, private readonly a: Actors) {}

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }

  private async one<T = any>(text: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.s.pool.query(text, params)).rows[0] as T | undefined;
  }

  private partner(): number {
    return this.pick([this.a.partnerAId, this.a.partnerAId, this.a.partnerBId, this.a.partnerBId, this.a.publicPartnerId, 0]);
  }

  private async orderOf(partner: number): Promise<number | undefined> {
    const cond = partner === 0 ? 'partner_id not in ($1, $2, $3)' : 'partner_id = $1';
    const params = partner === 0 ? [this.a.partnerAId, this.a.partnerBId, this.a.publicPartnerId] : [partner];
    const offset = Math.floor(this.r() * 50);
    return (await this.one<{ id: number }>(`select id from service_order where ${cond} order by id desc offset ${offset} limit 1`, params))?.id;
  }

  private async customerNear(partner: number): Promise<number> {
    const offset = Math.floor(this.r() * 30);
    const row = this.r() < 0.3
      ? await this.one<{ id: number }>(`select id from customer order by id offset ${Math.floor(this.r() * 450)} limit 1`)
      : await this.one<{ id: number }>(`select customer_id as id from service_order where partner_id = $1 order by id desc offset ${offset} limit 1`, [partner || this.a.partnerBId]);
    return row?.id ?? this.a.sharedCustomerId;
  }

  async dataStep(): Promise<void> {
    const p = this.partner();
    const partner = p || (await this.one<{ id: number }>('select id from partner where id not in ($1, $2) order by random() limit 1', [this.a.partnerAId, this.a.partnerBId]))!.id;
    const op = this.r();
    if (op < 0.2) {
      const customer = await this.customerNear(this.partner() || partner);
      await this.s.pool.query(
        `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
         select $1, $2, service_type, city, channel, 'CREATED', now(), amount_minor from service_order where partner_id = $2 order by id limit 1`,
        [customer, partner],
      );
    } else if (op < 0.4) {
      const id = await this.orderOf(p);
      if (id) await this.s.pool.query(`update service_order set status = $2, response_minutes = coalesce(response_minutes, 0) + 1 where id = $1`, [id, this.pick(['IN_PROGRESS', 'FULFILLED', 'CANCELLED'])]);
    } else if (op < 0.47) {
      const id = await this.orderOf(p);
      if (id) {
        await this.s.pool.query(
          `with c as (delete from complaint where order_id = $1), r as (delete from rating where order_id = $1) delete from service_order where id = $1`,
          [id],
        );
      }
    } else if (op < 0.57) {
      const id = await this.orderOf(p);
      if (id) {
        await this.s.pool.query(
          `insert into rating (order_id, partner_id, customer_id, score, comment, created_at)
           select id, partner_id, customer_id, $2, 'fine', now() from service_order where id = $1
           on conflict (order_id) do update set score = excluded.score, comment = 'changed'`,
          [id, 1 + Math.floor(this.r() * 5)],
        );
      }
    } else if (op < 0.62) {
      const id = await this.orderOf(p);
      if (id) await this.s.pool.query('delete from rating where order_id = $1', [id]);
    } else if (op < 0.72) {
      const customer = await this.customerNear(partner);
      await this.s.pool.query('update customer set consent_data_sharing = not consent_data_sharing where id = $1', [customer]);
    } else if (op < 0.84) {
      const customer = await this.customerNear(partner);
      const field = this.pick([
        `city = 'Hangzhou', district = 'Xihu'`,
        `phone = '+86 139 ' || (random() * 1e8)::int`,
        `birth_date = birth_date - 400`,
        `birth_date = birth_date + 1`,
        `membership_level = 'GOLD'`,
        `street_address = 'No. ' || (random() * 100)::int || ' Some Road'`,
      ]);
      await this.s.pool.query(`update customer set ${field} where id = $1`, [customer]);
    } else if (op < 0.9) {
      await this.s.pool.query(`update service_point set name = name || '.' where id = (select id from service_point where partner_id = $1 order by id limit 1)`, [partner]);
    } else if (op < 0.95) {
      await this.s.pool.query(
        `insert into complaint (order_id, partner_id, customer_id, category, description, resolved, created_at)
         select id, partner_id, customer_id, 'DELAY', 'late', false, now() from service_order where id = $1`,
        [(await this.orderOf(p)) ?? 1],
      );
    } else {
      // A customer with no orders comes and goes.
      const c = await this.one<{ id: number }>(
        `insert into customer (name, national_id, phone, email, birth_date, gender, city, district, street_address, membership_level, consent_data_sharing, created_at)
         values ('New', 'N' || gen_random_uuid(), '+86', 'n@example.com', '1990-05-05', 'FEMALE', 'Shanghai', 'Pudong', 'x', 'STANDARD', true, now()) returning id`,
      );
      if (this.r() < 0.5) await this.s.pool.query('delete from customer where id = $1', [c!.id]);
    }
  }

  async amend(partnerId: number, tier: 'PUBLIC' | 'ANONYMIZED'): Promise<void> {
    const cur = (await this.one<{ id: number; version: number }>(
      `select id, version from agreement where partner_id = $1 and valid_from < current_date and (valid_to is null or valid_to >= current_date) order by valid_from desc limit 1`,
      [partnerId],
    ))!;
    const today = (await this.one<{ d: string }>('select current_date::text as d'))!.d;
    const res = await this.s.gql(
      'mutation($i: AmendAgreementInput!) { amendAgreement(input: $i) { agreement { dataTier } } }',
      { i: { id: String(cur.id), expectedVersion: cur.version, effectiveFrom: today, dataTier: tier } },
      this.a.operator,
    );
    expect(res.body.errors).toBeUndefined();
  }

  async suspend(partnerId: number): Promise<void> {
    const { version } = (await this.one<{ version: number }>('select version from partner where id = $1', [partnerId]))!;
    const res = await this.s.gql('mutation($i: PartnerStatusInput!) { suspendPartner(input: $i) { partner { status } } }', { i: { id: String(partnerId), expectedVersion: version, reason: 'differential test' } }, this.a.operator);
    expect(res.body.errors).toBeUndefined();
  }
}

async function quiesce(): Promise<void> {
  // Wait until every transaction up to now is below the feed's horizon (other test files share
  // the PostgreSQL server, and its oldest running transaction holds the horizon back).
  const { x } = (await server.pool.query<{ x: string }>('select pg_current_xact_id()::text as x')).rows[0]!;
  for (let i = 0; i < 600; i++) {
    const { ok } = (await server.pool.query<{ ok: boolean }>('select pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 as ok', [x])).rows[0]!;
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the feed horizon did not pass the workload');
}

describe('snapshot(t0) + changes(t0 -> t1) == snapshot(t1)', () => {
  it('holds for every role and several partners through a random workload', async () => {
    const w = new Workload(server, actors);
    const names = Object.keys(callers);
    const shapes0 = new Map<string, Shape>();
    for (const n of names) shapes0.set(n, await shapeOf(callers[n]!));

    // t0: copies taken while data writes go on.
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing || n < 20) {
        await w.dataStep();
        n++;
      }
    })();
    const t0 = new Map<string, { copy: Copy; cursor: string }>();
    for (const n of names) t0.set(n, await snapshot(callers[n]!, shapes0.get(n)!));
    writing = false;
    await writer;

    // More data, the grant of A goes down, the public partner's goes up, B is suspended.
    for (let i = 0; i < STEPS; i++) {
      if (i === Math.floor(STEPS * 0.3)) await w.amend(actors.partnerAId, 'PUBLIC');
      if (i === Math.floor(STEPS * 0.5)) await w.amend(actors.publicPartnerId, 'ANONYMIZED');
      if (i === Math.floor(STEPS * 0.7)) await w.suspend(actors.partnerBId);
      await w.dataStep();
    }
    await quiesce();

    for (const n of names) {
      const shape1 = await shapeOf(callers[n]!);
      const { copy, cursor } = t0.get(n)!;
      const stats = await applyChanges(callers[n]!, shape1, copy, cursor);
      const { copy: truth } = await snapshot(callers[n]!, shape1);
      for (const type of new Set([...copy.keys(), ...truth.keys()])) {
        if (!shape1.lists.has(type) && !shapes0.get(n)!.lists.has(type)) continue;
        const got = Object.fromEntries([...(copy.get(type) ?? new Map())].sort(([x], [y]) => x.localeCompare(y)));
        const want = Object.fromEntries([...(truth.get(type) ?? new Map())].sort(([x], [y]) => x.localeCompare(y)));
        if (process.env.DIFFERENTIAL_DEBUG) {
          const extra = Object.keys(got).filter((k) => !(k in want));
          const missing = Object.keys(want).filter((k) => !(k in got));
          if (extra.length || missing.length) {
            console.log(n, type, { extra, missing });
            if (type === 'ServiceOrder') for (const id of [...extra, ...missing]) {
              console.log((await server.pool.query('select o.id, o.partner_id, o.customer_id, c.consent_data_sharing from service_order o join customer c on c.id = o.customer_id where o.id = $1', [id])).rows);
              console.log((await server.pool.query(`select seq, txid::text, table_name, row_id, op, old->>'consent_data_sharing' oc, new->>'consent_data_sharing' nc, partner_ids from change_log where (table_name = 'service_order' and row_id = $1) or (table_name = 'customer' and row_id = (select customer_id from service_order where id = $1)) order by txid, seq`, [id])).rows.slice(-8));
            }
          }
        }
        expect(got, `${n}: ${type} (seed ${SEED}, ${stats.events} events, ${stats.resync} resync)`).toEqual(want);
      }
      if (n === 'partnerA' || n === 'partnerB') expect(stats.resync, `${n} was re-stated`).toBeGreaterThan(0);
      if (n === 'partnerA') expect(truth.get('Customer')?.size ?? 0).toBe(0);
    }
  }, 300_000);
});
