// One partner: who it is, its lifecycle, agreements with their versions, keys, quality (tier
// history and evaluation), the service requests it holds, and a link to its access ledger.
import type { ConsolePartnerQuery } from '../../generated/graphql';
import { ConsolePartnerDocument } from '../../generated/graphql';
import { Badge } from '../components/Badge';
import { ErrorNote } from '../components/ErrorNote';
import { dateTime, label, orDash } from '../format';
import { useLoad } from '../hooks';
import { AgreementsPanel } from '../partner/AgreementsPanel';
import { KeysPanel } from '../partner/KeysPanel';
import { LifecyclePanel } from '../partner/LifecyclePanel';
import { QualityPanel } from '../partner/QualityPanel';
import { RequestsPanel } from '../partner/RequestsPanel';
import { href } from '../route';
import { useSession } from '../session';

export type PartnerDetail = NonNullable<ConsolePartnerQuery['partner']>;

export function PartnerPage({ id, params }: { id: string; params: URLSearchParams }) {
  const { api } = useSession();
  const loaded = useLoad((signal) => api.query(ConsolePartnerDocument, { id }, signal), [api, id]);
  const partner = loaded.data?.partner;
  if (loaded.error && !partner) return <ErrorNote error={loaded.error} onReload={loaded.reload} />;
  if (!loaded.data) return <p role="status">Loading…</p>;
  if (!partner) return <p className="ec-error" role="alert">NOT_FOUND: no partner {id} for this key.</p>;
  return (
    <article className="ec-partner" data-partner-id={partner.id} data-status={partner.status} data-version={partner.version}>
      <p className="ec-crumbs">
        <a href={href('partners')}>Partners</a> / {partner.slug}
      </p>
      {params.get('onboarded') && (
        <p className="ec-notice" role="status" id="ec-onboarded">
          Onboarded as an ACTIVE partner. Next: sign its agreement, then create its key.
        </p>
      )}
      <div className="ec-heading">
        <h1>
          {partner.nameEn || partner.name} <span className="ec-sub">{partner.name}</span>
        </h1>
        <div className="ec-badges">
          <Badge kind="status" value={partner.status} />
          <Badge kind="tier" value={partner.qualityTier} />
        </div>
      </div>
      <ErrorNote error={loaded.error} onReload={loaded.reload} />
      <dl className="ec-facts">
        <dt>Id</dt>
        <dd>{partner.id}</dd>
        <dt>Slug</dt>
        <dd>{partner.slug}</dd>
        <dt>Category</dt>
        <dd>{label(partner.category)}</dd>
        <dt>Industry</dt>
        <dd>{partner.industry}</dd>
        <dt>Service types</dt>
        <dd>{partner.serviceTypes.join(', ') || '–'}</dd>
        <dt>Cities</dt>
        <dd>{partner.cities.join(', ') || '–'}</dd>
        <dt>API openness</dt>
        <dd>{label(partner.apiOpenness)}</dd>
        <dt>Joined</dt>
        <dd>{partner.joinedOn}</dd>
        <dt>Status reason</dt>
        <dd>{orDash(partner.statusReason)}</dd>
        <dt>Version</dt>
        <dd>{partner.version}</dd>
      </dl>
      <p>
        <a className="ec-button" href={href('partners', partner.id, 'ledger')} id="ec-ledger-link">
          Access ledger
        </a>
      </p>
      <LifecyclePanel partner={partner} onChanged={loaded.reload} />
      <AgreementsPanel partner={partner} onChanged={loaded.reload} />
      <KeysPanel partner={partner} />
      <QualityPanel partner={partner} />
      <RequestsPanel partnerId={partner.id} />
      <section className="ec-panel" aria-labelledby="ec-history-title">
        <h2 id="ec-history-title">Status history</h2>
        {partner.statusHistory.nodes.length === 0 && <p className="ec-empty">No lifecycle change recorded.</p>}
        <div className="ec-table-wrap" hidden={partner.statusHistory.nodes.length === 0}>
          <table className="ec-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Change</th>
                <th>Reason</th>
                <th>Rule</th>
              </tr>
            </thead>
            <tbody>
              {partner.statusHistory.nodes.map((c) => (
                <tr key={c.id}>
                  <td>{dateTime(c.at)}</td>
                  <td>
                    {label(c.fromStatus, 'new')} → {label(c.toStatus)}
                  </td>
                  <td>{c.reason}</td>
                  <td>{orDash(c.rule)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </article>
  );
}
