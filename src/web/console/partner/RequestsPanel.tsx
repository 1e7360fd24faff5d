// The service requests this partner holds now (offered to it, accepted, on their way): the API
// filters them by partner and status.
import { ConsoleOpenRequestsDocument } from '../../generated/graphql';
import { collectPages } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { dateTime, label } from '../format';
import { useLoad } from '../hooks';
import { useSession } from '../session';

const LIMIT = 2_000;

export function RequestsPanel({ partnerId }: { partnerId: string }) {
  const { api } = useSession();
  const loaded = useLoad(async (signal) => {
    const all = await collectPages(async (after) => (await api.query(ConsoleOpenRequestsDocument, { partnerId, first: 100, after }, signal)).serviceRequests, LIMIT);
    return { mine: all.nodes, complete: all.complete };
  }, [api, partnerId]);
  const data = loaded.data;
  return (
    <section className="ec-panel" aria-labelledby="ec-requests-title" id="ec-requests">
      <h2 id="ec-requests-title">Requests in progress</h2>
      <ErrorNote error={loaded.error} onReload={loaded.reload} />
      {loaded.loading && !data && <p role="status">Loading…</p>}
      {data && data.mine.length === 0 && <p className="ec-empty">No request in progress.</p>}
      {data && !data.complete && <p className="ec-hint">Only the partner's {LIMIT} newest open requests are shown.</p>}
      {data && data.mine.length > 0 && (
        <div className="ec-table-wrap">
          <table className="ec-table">
            <thead>
              <tr>
                <th>Request</th>
                <th>Service</th>
                <th>City</th>
                <th>Status</th>
                <th>Opened</th>
                <th>Offer expires</th>
              </tr>
            </thead>
            <tbody>
              {data.mine.map((r) => (
                <tr key={r.id} data-request-id={r.id}>
                  <td>#{r.id}</td>
                  <td>{label(r.serviceType)}</td>
                  <td>{r.city}</td>
                  <td>{label(r.status)}</td>
                  <td>{dateTime(r.openedAt)}</td>
                  <td>{dateTime(r.offerExpiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
