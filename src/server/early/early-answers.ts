// Repeats of compiled queries answered before authentication's own statement and before Apollo.
// A partner's lookups by id and a webhook's follow-up fetch are small: answered the usual way
// they cost a key lookup, the read, a ledger entry and Apollo's pipeline, more than the read
// itself. Once Apollo has answered a query by the compiled path (plans.ts), a repeat of it by a
// key the server has looked up before is answered here: one statement reads the data and checks
// that the key still authenticates exactly as remembered (not revoked, not expired, same role,
// partner, status and agreement terms: statement.ts; in the common case, by one row, the key
// terms' generation, unchanged since the key was confirmed), and the access-ledger entry joins the
// ledger's group commit (ledger-writer.ts), committed before the answer leaves. The shield's
// rules run again for the caller, the quota charges the request unit and the rows in one take,
// and the answer carries the same body and headers as Apollo's. Whatever does not fit (no plan, a
// quota refusal, a key whose check fails, a database error) goes on the usual way, with its quota
// units already paid, and gets the usual answer: a revoked key its 401, a suspended partner its
// narrower cut.
import type pg from 'pg';
import { recordBeforeAnswer } from '../../ledger/access-entry';
import type { LedgerWriter } from '../../ledger/ledger-writer';
import type { Authenticator } from '../../auth/authenticate';
import { statementName } from '../../db/executor';
import { checkOperation, type RuleTree } from '../../permissions/shield';
import { plainPost } from '../answer-type';
import type { Context } from '../context';
import { header, sendText, type LeanHandler } from '../lean-http';
import type { Logger } from '../logger';
import type { ObservedLocals } from '../observability/request-log';
import type { QuotaGuard } from '../quotas';
import { EarlyPlans, statementOf } from './plans';
import type { Variant } from './statement';

export type EarlyOutcome = 'answered' | 'usual';

export interface EarlyAnswerObserver {
  earlyAnswer(outcome: EarlyOutcome): void;
}

export interface EarlyAnswerDeps {
  plans: EarlyPlans;
  authenticator: Authenticator;
  /** Where the request's statement runs: the primary (reads go there when there are no replicas). */
  pool: Pick<pg.Pool, 'query'>;
  ledger: Pick<LedgerWriter, 'record'>;
  retryAfterSeconds: number;
  quotas?: QuotaGuard;
  /** The shield's rules (the same the Apollo plugin evaluates). */
  rules: RuleTree;
  log: Logger;
  observer?: EarlyAnswerObserver;
}

interface Row {
  ok: boolean;
  j: string | null;
  n: number;
  /** The full check's ('checked'): the key terms' generation and until, read with the key. */
  generation?: string | null;
  until?: Date | null;
}

export function earlyAnswers(deps: EarlyAnswerDeps): LeanHandler {
  const { plans, authenticator, pool, quotas, rules } = deps;
  return (req, res, next) => {
    if (plans.size === 0) return next();
    const post = plainPost(req);
    // Operations by id (a documentId in the body or the URL) are the persisted documents' to
    // resolve or refuse.
    if (!post || post.body.documentId !== undefined || req.url?.includes('?')) return next();
    const { query, variables, operationName, type } = post;
    const known = authenticator.remembered(header(req, 'authorization'));
    // A persisted-only partner sends operations by id: a text goes the usual way, to its refusal.
    if (!known || known.principal.persistedOnly) return next();
    const p = known.principal;
    const plan = plans.get(EarlyPlans.key(p, query, operationName, variables));
    if (!plan) return next();
    const started = performance.now();
    // Set once the quota has charged this request: its headers go out whichever way answers it.
    let quotaHeaders: Record<string, string> | undefined;
    const usual = () => {
      req.quotaPaid = quotaHeaders !== undefined;
      for (const [k, v] of Object.entries(quotaHeaders ?? {})) res.setHeader(k, v);
      deps.observer?.earlyAnswer('usual');
      next();
    };
    void (async () => {
      // The rules depend on the caller only: evaluated for this one.
      if (await checkOperation(rules, plan.schema, plan.document, { principal: p } as Context)) return usual();
      if (quotas) {
        const charge = await quotas.chargeAtOnce(p, plan.schema, plan.document, plan.operation, variables);
        if (charge === 'refused') return usual();
        quotaHeaders = charge;
      }
      let statements = 0;
      const run = async (variant: Variant): Promise<Row | undefined> => {
        statements++;
        const statement = statementOf(plan, variant);
        const values = statement.bind({ hash: known.hash, terms: known.terms, generation: known.generation, until: known.until });
        // Prepared per connection once repeated, as the executor's statements (src/db/executor.ts).
        return (await pool.query<Row>({ name: statementName(statement.text), text: statement.text, values })).rows[0];
      };
      let row: Row | undefined;
      try {
        // The environment's admin key is not in the database: nothing to check. A stored key is
        // confirmed by the generation while its terms may hold, else (or when a write moved the
        // generation since) by its rows, which leaves the generation for its next requests.
        // An answer that reads no table (`{ __typename }`) needs no statement for that key.
        if (known.terms === undefined) row = plan.compiled.constant !== undefined ? { ok: true, j: plan.compiled.constant, n: 0 } : await run('read');
        else {
          if (known.generation !== undefined && known.until !== undefined && Date.now() < known.until.getTime()) row = await run('unchanged');
          if (!row?.ok) {
            row = await run('checked');
            if (row?.ok && row.generation && row.until) authenticator.confirmed(known, row.generation, row.until);
          }
        }
      } catch (err) {
        // The statements only read: the usual way answers the request (a database fault as 503, ...).
        deps.log.debug({ err: err instanceof Error ? err.message : String(err), requestId: req.id }, 'early answer: the statement failed; the usual way answers');
        return usual();
      }
      if (!row?.ok || row.j === null) return usual();
      const text = plan.compiled.markers.resolve(row.j);
      req.principal = p;
      const recorded = await recordBeforeAnswer(deps.ledger, res, deps.retryAfterSeconds, {
        principal: p,
        requestId: String(req.id ?? ''),
        operationName: plan.facts.operationName,
        operationHash: plan.facts.operationHash,
        operationId: null,
        used: plan.used,
        rows: row.n,
        started,
        errorCodes: [],
      });
      if (!recorded) return;
      const locals = res.locals as ObservedLocals;
      locals.resolved = true;
      locals.operationName = plan.facts.operationName;
      for (const [k, v] of Object.entries(quotaHeaders ?? {})) res.setHeader(k, v);
      res.setHeader('x-sql-statements', String(statements));
      res.setHeader('content-type', type);
      deps.observer?.earlyAnswer('answered');
      sendText(res, 200, `{"data":${text}}\n`);
    })().catch(next);
  };
}
