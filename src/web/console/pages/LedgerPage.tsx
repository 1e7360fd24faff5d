// A partner's access ledger: every request its keys made (what it read by tier, what it filtered
// on, its errors), newest first, with a CSV download of the whole ledger (up to a cap).
import { useState } from 'react';
import type { ConsoleLedgerQuery } from '../../generated/graphql';
import { ConsoleLedgerDocument, ConsolePartnerDocument } from '../../generated/graphql';
import { downloadText, objectsToCsv } from '../../lib/download';
import { collectPages } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { dateTime, orDash, today } from '../format';
import { useAction, useLoad } from '../hooks';
import { href } from '../route';
import { useSession } from '../session';

type Record_ = ConsoleLedgerQuery['accessLedger']['nodes'][number];
const PAGE = 50;
const CSV_LIMIT = 10_000;

export function LedgerPage({ partnerId }: { partnerId: string }) {
  const { api } = useSession();
  const where = { partnerId: { eq: Number(partnerId) } };
  const partner = useLoad((signal) => api.query(ConsolePartnerDocument, { id: partnerId }, signal), [api, partnerId]);
  const first = useLoad((signal) => api.query(ConsoleLedgerDocument, { first: PAGE, where }, signal), [api, partnerId]);
  const [extra, setExtra] = useState<{ rows: Record_[]; cursor: string | null } | null>(null);
  const more = useAction();
  const csv = useAction();
  const [csvNote, setCsvNote] = useState('');

  const rows = [...(first.data?.accessLedger.nodes ?? []), ...(extra?.rows ?? [])];
  const cursor = extra ? extra.cursor : first.data?.accessLedger.pageInfo.hasNextPage ? first.data.accessLedger.pageInfo.endCursor : null;
  const slug = partner.data?.partner?.slug ?? `partner-${partnerId}`;

  const loadMore = async () => {
    const page = await more.run(() => api.query(ConsoleLedgerDocument, { first: PAGE, after: cursor, where }));
    if (page) setExtra({ rows: [...(extra?.rows ?? []), ...page.accessLedger.nodes], cursor: page.accessLedger.pageInfo.hasNextPage ? page.accessLedger.pageInfo.endCursor : null });
  };
  const download = async () => {
    const all = await csv.run(() => collectPages(async (after) => (await api.query(ConsoleLedgerDocument, { first: 100, after, where })).accessLedger, CSV_LIMIT));
    if (!all) return;
    downloadText(`ledger-${slug}-${today()}.csv`, objectsToCsv(all.nodes.map((r) => ({ ...r, publicFields: r.publicFields.join(' '), anonymizedFields: r.anonymizedFields.join(' '), filterFields: r.filterFields.join(' '), errorCodes: r.errorCodes.join(' ') }))));
    setCsvNote(all.complete ? `${all.nodes.length} records downloaded.` : `The newest ${all.nodes.length} records downloaded (the ledger has more; use GET /export/accessLedger.ndjson with an admin key for all).`);
  };

  return (
    <section aria-labelledby="ec-ledger-title" id="ec-ledger">
      <p className="ec-crumbs">
        <a href={href('partners')}>Partners</a> / <a href={href('partners', partnerId)}>{slug}</a> / ledger
      </p>
      <div className="ec-heading">
        <h1 id="ec-ledger-title">Access ledger of {partner.data?.partner?.nameEn || partner.data?.partner?.name || `partner ${partnerId}`}</h1>
        {/* Enabled once the partner is known: its slug names the file. */}
        <button type="button" id="ec-ledger-csv" onClick={() => void download()} disabled={csv.busy || !first.data || partner.loading}>
          {csv.busy ? 'Preparing…' : 'Download CSV'}
        </button>
      </div>
      <p className="ec-hint">Every request made with this partner's keys, newest first.</p>
      <ErrorNote error={first.error ?? csv.error ?? more.error} onReload={first.reload} />
      {csvNote && (
        <p className="ec-notice" role="status">
          {csvNote}
        </p>
      )}
      <p className="ec-count" role="status" data-count={first.data?.accessLedger.totalCount ?? ''}>
        {first.loading ? 'Loading…' : first.data ? `${first.data.accessLedger.totalCount} records` : ''}
      </p>
      <div className="ec-table-wrap">
        <table className="ec-table ec-cards" id="ec-ledger-table">
          <thead>
            <tr>
              <th>At</th>
              <th>Key</th>
              <th>Operation</th>
              <th>Rows</th>
              <th>ms</th>
              <th>Read</th>
              <th>Errors</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-record-id={r.id}>
                <td data-label="At">{dateTime(r.at)}</td>
                <td data-label="Key">{orDash(r.keyId)}</td>
                <td data-label="Operation">
                  {r.mutation ?? r.operationName ?? 'anonymous'}
                  {r.mutation && <span className="ec-sub">mutation</span>}
                </td>
                <td data-label="Rows">{r.rowCount}</td>
                <td data-label="ms">{r.durationMs}</td>
                <td data-label="Read">
                  {r.publicFields.length} public, {r.anonymizedFields.length} anonymised
                </td>
                <td data-label="Errors">{r.errorCodes.join(', ') || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {first.data && rows.length === 0 && <p className="ec-empty">No request recorded for this partner.</p>}
      {cursor && (
        <button type="button" onClick={() => void loadMore()} disabled={more.busy}>
          Load more
        </button>
      )}
    </section>
  );
}
