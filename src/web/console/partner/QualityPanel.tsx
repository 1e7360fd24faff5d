// Quality: the monthly tiers (newest first) and the evaluation score of a month with its four
// components (satisfaction 40%, response 25%, complaints 20%, price 15%).
import { useState } from 'react';
import { ConsolePartnerEvaluationDocument } from '../../generated/graphql';
import { Badge } from '../components/Badge';
import { ErrorNote } from '../components/ErrorNote';
import { orDash } from '../format';
import { useLoad } from '../hooks';
import type { PartnerDetail } from '../pages/PartnerPage';
import { useSession } from '../session';

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

export function QualityPanel({ partner }: { partner: PartnerDetail }) {
  const { api } = useSession();
  const tiers = partner.tierHistory.nodes;
  const [month, setMonth] = useState(() => tiers[0]?.month.slice(0, 7) ?? lastMonth());
  const evaluation = useLoad(
    async (signal) => (await api.query(ConsolePartnerEvaluationDocument, { partnerId: partner.id, month }, signal)).partnerEvaluations.find((e) => e.partnerId === partner.id) ?? null,
    [api, partner.id, month],
  );
  const e = evaluation.data;
  return (
    <section className="ec-panel" aria-labelledby="ec-quality-title" id="ec-quality">
      <h2 id="ec-quality-title">Quality</h2>
      <div className="ec-two">
        <div>
          <h3>Tier history</h3>
          {tiers.length === 0 ? (
            <p className="ec-empty">Not evaluated yet.</p>
          ) : (
            <div className="ec-table-wrap">
              <table className="ec-table" id="ec-tier-history">
                <thead>
                  <tr>
                    <th>Month</th>
                    <th>Tier</th>
                    <th>Rating</th>
                    <th>Complaints</th>
                    <th>Orders</th>
                  </tr>
                </thead>
                <tbody>
                  {tiers.map((t) => (
                    <tr key={t.id} title={t.reason}>
                      <td>{t.month.slice(0, 7)}</td>
                      <td>
                        <Badge kind="tier" value={t.tier} />
                      </td>
                      <td>{orDash(t.averageRating)}</td>
                      <td>{t.complaintRate === null ? '–' : `${(Number(t.complaintRate) * 100).toFixed(2)}%`}</td>
                      <td>{t.orderCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>
          <h3>
            Evaluation{' '}
            <label className="ec-inline">
              <span className="ec-visually-hidden">Month</span>
              <input type="month" value={month} onChange={(ev) => ev.target.value && setMonth(ev.target.value)} />
            </label>
          </h3>
          <ErrorNote error={evaluation.error} onReload={evaluation.reload} />
          {evaluation.loading && !e && <p role="status">Loading…</p>}
          {!evaluation.loading && !e && !evaluation.error && <p className="ec-empty">No evaluation for {month}.</p>}
          {e && (
            <dl className="ec-facts" id="ec-evaluation" data-score={e.score ?? ''}>
              <dt>Score</dt>
              <dd>
                <strong>{orDash(e.score)}</strong> <Badge kind="tier" value={e.tier} />
              </dd>
              <dt>Satisfaction (40%)</dt>
              <dd>{orDash(e.satisfaction)}</dd>
              <dt>Response speed (25%)</dt>
              <dd>{orDash(e.responseSpeed)}</dd>
              <dt>Complaint handling (20%)</dt>
              <dd>{orDash(e.complaintHandling)}</dd>
              <dt>Price reasonableness (15%)</dt>
              <dd>{orDash(e.priceReasonableness)}</dd>
              <dt>Sample</dt>
              <dd>
                {e.orderCount} orders, {e.ratingCount} rated, {e.complaintCount} complaints
              </dd>
              <dt>Notes</dt>
              <dd>{e.reason || '–'}</dd>
            </dl>
          )}
        </div>
      </div>
    </section>
  );
}
