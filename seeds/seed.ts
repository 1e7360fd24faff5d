// Seeds a migrated database: the reference data of the source documents (always, idempotent) and
// a deterministic synthetic ecosystem around it (partners, customers, 24 months of orders with
// ratings and complaints, settlements and quality tiers).
//
// Idempotence: seed_state 'synthetic' records {orders, seed, version}. When it matches the request
// the synthetic part is skipped. Otherwise the generated tables (customer, service_order, rating,
// complaint, settlement, partner_tier_history) are truncated and rebuilt in ONE transaction, so a
// failed or interrupted run leaves the previous data in place. Partners, agreements, service
// points, price lists and candidates are upserted on natural keys and never deleted (api_key rows
// reference partners); api_key itself is never touched.
//
// Bulk rows go through COPY FROM STDIN streamed from generators (memory stays flat at any size);
// ratings and complaints come from re-running the deterministic order simulation. During the load
// the foreign keys and plain indexes of the loaded tables are dropped and then recreated inside
// the same transaction (synthetic/bulk.ts): nothing is dropped permanently.
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_QUALITY_THRESHOLDS } from '../src/metrics/quality/quality-tier.sql';
import { loadReference, referenceData } from './reference/load-reference';
import { planCandidates, upsertCandidates } from './synthetic/candidates';
import { withConstraintsDeferred } from './synthetic/bulk';
import { upsertCatalogue } from './synthetic/catalogue';
import { copyInto } from './synthetic/copy';
import { CUSTOMER_COLUMNS, buildCustomerIndex, customerCount, customerLines } from './synthetic/customers';
import { COMPLAINT_COLUMNS, ORDER_COLUMNS, RATING_COLUMNS, complaintLines, orderLines, ratingLines, type SimulationInput } from './synthetic/orders';
import { planPartners, syntheticPartnerCount } from './synthetic/partners';
import { computeSettlements } from './synthetic/settlements';
import { computeTiers } from './synthetic/tiers';

export interface SeedOptions {
  /** Orders to generate over the 24-month window (default 20_000). */
  orders?: number;
  /** Seed of the generator (default 42). */
  seed?: number;
  log?: (line: string) => void;
}

export interface SeedReport {
  reference: { partners: number; cases: number; kpis: number; indicators: number };
  synthetic: {
    skipped: boolean;
    /** Synthetic partners of this size (partner-0001..); more may exist from earlier, larger runs. */
    partners: number;
    customers: number;
    orders: number;
    ratings: number;
    complaints: number;
    settlements: number;
    seconds: number;
  };
}

/** Bump when the generator changes what it produces for the same (orders, seed). */
export const SYNTHETIC_GENERATOR_VERSION = 1;
export const DEFAULT_ORDERS = 20_000;
export const DEFAULT_SEED = 42;

/** Serialises concurrent seeders on one database (server seed-on-start and the CLI, say). */
const ADVISORY_LOCK_KEY = 0x45636f67; // 'Ecog'

/** The tables the synthetic part truncates and rebuilds, in load order. */
const GENERATED_TABLES = ['customer', 'service_order', 'rating', 'complaint', 'settlement', 'partner_tier_history'] as const;
const COPIED_TABLES = ['customer', 'service_order', 'rating', 'complaint'] as const;
/** Rows that refer to generated customers and orders (dispatch): emptied with them. */
const DEPENDENT_TABLES = ['fulfilment_event', 'allocation_step', 'service_request'] as const;

interface SyntheticState {
  orders: number;
  seed: number;
  version: string;
}

/**
 * The generator version plus a fingerprint of the reference partner fields the generator uses,
 * so that adding a reference partner regenerates the synthetic data (its agreement, orders...).
 */
function generatorVersion(): string {
  const used = referenceData.partners.map((p) => [p.slug, p.category, p.serviceTypes, p.cities]);
  const digest = createHash('sha256').update(JSON.stringify([used, DEFAULT_QUALITY_THRESHOLDS])).digest('hex');
  return `${SYNTHETIC_GENERATOR_VERSION}-${digest.slice(0, 12)}`;
}

function checkOptions(orders: number, seed: number): void {
  if (!Number.isSafeInteger(orders) || orders < 1) throw new Error(`orders must be a whole number >= 1, got ${orders}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be a whole number 0..4294967295, got ${seed}`);
}

async function currentCounts(client: Client): Promise<Omit<SeedReport['synthetic'], 'skipped' | 'seconds' | 'partners'>> {
  const { rows } = await client.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM customer) AS customers,
           (SELECT count(*) FROM service_order) AS orders,
           (SELECT count(*) FROM rating) AS ratings,
           (SELECT count(*) FROM complaint) AS complaints,
           (SELECT count(*) FROM settlement) AS settlements`);
  const r = rows[0]!;
  return {
    customers: Number(r.customers),
    orders: Number(r.orders),
    ratings: Number(r.ratings),
    complaints: Number(r.complaints),
    settlements: Number(r.settlements),
  };
}

export async function seedDatabase(databaseUrl: string, opts: SeedOptions = {}): Promise<SeedReport> {
  const orders = opts.orders ?? DEFAULT_ORDERS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const log = opts.log ?? (() => undefined);
  checkOptions(orders, seed);

  const client = new Client({ connectionString: databaseUrl, application_name: 'ecograph-seed' });
  await client.connect();
  try {
    // A batch job: no statement timeout from the role's defaults.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      const ref = await loadReference(client);
      log(`reference data: ${ref.partners} partners, ${ref.cases} cases, ${ref.kpis} KPIs, ${ref.indicators} indicators (${ref.written} rows written)`);
      const reference = { partners: ref.partners, cases: ref.cases, kpis: ref.kpis, indicators: ref.indicators };

      const started = process.hrtime.bigint();
      const seconds = () => Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
      const wanted: SyntheticState = { orders, seed, version: generatorVersion() };
      const state = await client.query<{ value: Partial<SyntheticState> }>(`SELECT value FROM seed_state WHERE key = 'synthetic'`);
      const have = state.rows[0]?.value;
      if (have && have.orders === wanted.orders && have.seed === wanted.seed && have.version === wanted.version) {
        log(`synthetic data already seeded (orders ${orders}, seed ${seed}): skipped`);
        const counts = await currentCounts(client);
        const partners = syntheticPartnerCount(orders, referenceData.partners.length);
        return { reference, synthetic: { skipped: true, ...counts, partners, seconds: seconds() } };
      }

      const synthetic = await generate(client, wanted, log);
      const report = { reference, synthetic: { skipped: false, ...synthetic, seconds: seconds() } };
      log(
        `synthetic data: ${synthetic.partners} partners, ${synthetic.customers} customers, ${synthetic.orders} orders, ` +
          `${synthetic.ratings} ratings, ${synthetic.complaints} complaints, ${synthetic.settlements} settlements in ${report.synthetic.seconds}s`,
      );
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function generate(
  client: Client,
  wanted: SyntheticState,
  log: (line: string) => void,
): Promise<Omit<SeedReport['synthetic'], 'skipped' | 'seconds'>> {
  const { orders, seed } = wanted;
  const lap = (() => {
    let last = process.hrtime.bigint();
    return () => {
      const now = process.hrtime.bigint();
      const s = (Number(now - last) / 1e9).toFixed(1);
      last = now;
      return `${s}s`;
    };
  })();

  // 1. Partners and their catalogue (own transaction: upserts, never deleted).
  const plans = planPartners({ seed, orders, reference: referenceData.partners });
  const catalogue = await upsertCatalogue(client, plans);
  await upsertCandidates(client, planCandidates(seed));
  const syntheticPartners = plans.filter((p) => !p.reference).length;
  log(`partners: ${plans.length} (${syntheticPartners} synthetic), ${catalogue.counts.servicePoints} service points, ${catalogue.counts.prices} prices (${lap()})`);

  // 2. The generated tables, rebuilt in one transaction.
  const customers = buildCustomerIndex(seed, customerCount(orders));
  const input: SimulationInput = {
    seed,
    orders,
    plans,
    partnerIds: catalogue.partnerIds,
    pointIds: catalogue.pointIds,
    customers,
    thresholds: DEFAULT_QUALITY_THRESHOLDS,
  };

  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL synchronous_commit = off');
    // No CASCADE: if a table outside this list references one of these, fail instead of wiping it.
    await client.query(`TRUNCATE ${[...DEPENDENT_TABLES, ...GENERATED_TABLES].join(', ')} RESTART IDENTITY`);

    const loaded = await withConstraintsDeferred(client, COPIED_TABLES, async () => {
      const customerRows = await copyInto(client, 'customer', CUSTOMER_COLUMNS, customerLines(seed, customers), { freeze: true });
      log(`customers: ${customerRows} (${lap()})`);
      const orderRows = await copyInto(client, 'service_order', ORDER_COLUMNS, orderLines(input), { freeze: true });
      log(`orders: ${orderRows} (${lap()})`);
      const ratingRows = await copyInto(client, 'rating', RATING_COLUMNS, ratingLines(input, { rows: 0 }), { freeze: true });
      log(`ratings: ${ratingRows} (${lap()})`);
      const complaintRows = await copyInto(client, 'complaint', COMPLAINT_COLUMNS, complaintLines(input, { rows: 0 }), { freeze: true });
      log(`complaints: ${complaintRows} (${lap()})`);
      return { customerRows, orderRows, ratingRows, complaintRows };
    });
    log(`indexes and foreign keys restored (${lap()})`);
    const { customerRows, orderRows, ratingRows, complaintRows } = loaded;

    for (const table of COPIED_TABLES) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
        [table],
      );
    }
    await client.query(`ANALYZE ${COPIED_TABLES.join(', ')}`);
    log(`sequences and statistics (${lap()})`);

    // EXITED set by the tier rule is recomputed from the new history below.
    await client.query(`UPDATE partner SET status = 'ACTIVE' WHERE status = 'EXITED' AND quality_tier = 'EXITED'`);
    // Tiers first: a GOLD month's settlement takes the lower commission.
    const tiers = await computeTiers(client);
    log(`tier history: ${tiers.historyRows} rows (${lap()})`);
    const settlements = await computeSettlements(client);
    log(`settlements: ${settlements} (${lap()})`);

    await client.query(
      `INSERT INTO seed_state (key, value, updated_at) VALUES ('synthetic', $1::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(wanted)],
    );
    await client.query('COMMIT');

    await client.query('ANALYZE settlement, partner_tier_history, partner, agreement, service_point, price_list_item, candidate_partner');
    log(`committed and analyzed (${lap()})`);
    return {
      partners: syntheticPartners,
      customers: customerRows,
      orders: orderRows,
      ratings: ratingRows,
      complaints: complaintRows,
      settlements,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
