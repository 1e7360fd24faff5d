// Partners by lifecycle state and quality tier, with a search over name, English name and slug.
// The filters live in the URL hash, so a filtered list can be bookmarked or shared.
import { useEffect, useState } from 'react';
import type { ConsolePartnersQuery, PartnerStatus, PartnerWhere, QualityTier } from '../../generated/graphql';
import { ConsolePartnersDocument } from '../../generated/graphql';
import { Badge } from '../components/Badge';
import { ErrorNote } from '../components/ErrorNote';
import { label } from '../format';
import { useLoad } from '../hooks';
import { href, navigate, withParams } from '../route';
import { useSession } from '../session';

const STATUSES: PartnerStatus[] = ['ACTIVE', 'SUSPENDED', 'EXITED'];
const TIERS: QualityTier[] = ['GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED'];
const PAGE = 50;

type Row = ConsolePartnersQuery['partners']['nodes'][number];

export function partnerWhere(status: string, tier: string, q: string): PartnerWhere | null {
  const and: PartnerWhere[] = [];
  if ((STATUSES as string[]).includes(status)) and.push({ status: { eq: status as PartnerStatus } });
  if (tier === 'UNRATED') and.push({ qualityTier: { eq: null } });
  else if ((TIERS as string[]).includes(tier)) and.push({ qualityTier: { eq: tier as QualityTier } });
  const text = q.trim();
  if (text) and.push({ or: [{ name: { contains: text } }, { nameEn: { contains: text } }, { slug: { contains: text } }] });
  return and.length ? { and } : null;
}

export function PartnersPage({ params }: { params: URLSearchParams }) {
  const { api } = useSession();
  const status = params.get('status') ?? '';
  const tier = params.get('tier') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]); // the hash changed (back button, a link)
  const [more, setMore] = useState<{ rows: Row[]; cursor: string | null; forKey: string }>({ rows: [], cursor: null, forKey: '' });
  const filterKey = `${status}|${tier}|${q}`;
  const where = partnerWhere(status, tier, q);
  const first = useLoad((signal) => api.query(ConsolePartnersDocument, { first: PAGE, where }, signal), [api, filterKey]);
  const extra = more.forKey === filterKey ? more : { rows: [], cursor: null };
  const rows = [...(first.data?.partners.nodes ?? []), ...extra.rows];
  const cursor = extra.cursor ?? first.data?.partners.pageInfo.endCursor ?? null;
  const hasMore = extra.rows.length ? extra.cursor !== null : !!first.data?.partners.pageInfo.hasNextPage;
  const [moreError, setMoreError] = useState<unknown>(null);

  const go = (next: Record<string, string>) => navigate(withParams(href('partners'), { status, tier, q, ...next }));
  const loadMore = async () => {
    try {
      const page = await api.query(ConsolePartnersDocument, { first: PAGE, after: cursor, where });
      setMore({ rows: [...extra.rows, ...page.partners.nodes], cursor: page.partners.pageInfo.hasNextPage ? page.partners.pageInfo.endCursor : null, forKey: filterKey });
    } catch (err) {
      setMoreError(err);
    }
  };

  return (
    <section aria-labelledby="ec-partners-title">
      <div className="ec-heading">
        <h1 id="ec-partners-title">Partners</h1>
        <a className="ec-button ec-primary" href={href('onboard')}>
          Onboard a candidate
        </a>
      </div>
      <form
        className="ec-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search });
        }}
      >
        <label className="ec-field">
          <span>Lifecycle</span>
          <select id="ec-filter-status" value={status} onChange={(e) => go({ status: e.target.value })}>
            <option value="">All states</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="ec-field">
          <span>Quality tier</span>
          <select id="ec-filter-tier" value={tier} onChange={(e) => go({ tier: e.target.value })}>
            <option value="">All tiers</option>
            {TIERS.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
            <option value="UNRATED">Unrated</option>
          </select>
        </label>
        <label className="ec-field ec-grow">
          <span>Search</span>
          <input id="ec-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, English name or slug" />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={first.error} onReload={first.reload} />
      <p className="ec-count" role="status" data-count={first.data?.partners.totalCount ?? ''}>
        {first.loading ? 'Loading…' : first.data ? `${first.data.partners.totalCount} partners` : ''}
      </p>
      <div className="ec-table-wrap">
        <table className="ec-table ec-cards" id="ec-partners">
          <thead>
            <tr>
              <th>Partner</th>
              <th>Category</th>
              <th>Lifecycle</th>
              <th>Tier</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-partner-id={p.id} data-slug={p.slug}>
                <td data-label="Partner">
                  <a href={href('partners', p.id)}>{p.nameEn || p.name}</a>
                  <span className="ec-sub">
                    {p.name} · {p.slug}
                  </span>
                </td>
                <td data-label="Category">{label(p.category)}</td>
                <td data-label="Lifecycle">
                  <Badge kind="status" value={p.status} />
                </td>
                <td data-label="Tier">
                  <Badge kind="tier" value={p.qualityTier} />
                </td>
                <td data-label="Joined">{p.joinedOn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!first.loading && first.data && rows.length === 0 && <p className="ec-empty">No partner matches these filters.</p>}
      <ErrorNote error={moreError} />
      {hasMore && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}
