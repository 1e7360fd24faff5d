// A partner's API keys: create one (its secret is shown once, with a copy button), rotate one
// (a new secret; the old one works for the overlap), revoke one. The API filters the keys by
// partner, so the panel reads this partner's keys only.
import { useState } from 'react';
import type { ConsolePartnerKeysQuery } from '../../generated/graphql';
import { ConsoleCreateKeyDocument, ConsolePartnerKeysDocument, ConsoleRevokeKeyDocument, ConsoleRotateKeyDocument } from '../../generated/graphql';
import { collectPages } from '../api';
import { Badge } from '../components/Badge';
import { useConfirm } from '../components/Confirm';
import { ErrorNote } from '../components/ErrorNote';
import { SecretOnce } from '../components/SecretOnce';
import { dateTime, orDash } from '../format';
import { useAction, useLoad } from '../hooks';
import type { PartnerDetail } from '../pages/PartnerPage';
import { useSession } from '../session';

type Key = ConsolePartnerKeysQuery['apiKeys']['nodes'][number];

export function keyState(k: Key, now = Date.now()): 'REVOKED' | 'EXPIRED' | 'ACTIVE' {
  if (k.revokedAt) return 'REVOKED';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'EXPIRED';
  return 'ACTIVE';
}

export function KeysPanel({ partner }: { partner: PartnerDetail }) {
  const { api } = useSession();
  const confirm = useConfirm();
  const keys = useLoad(
    async (signal) =>
      (await collectPages(async (after) => (await api.query(ConsolePartnerKeysDocument, { partnerId: partner.id, first: 100, after }, signal)).apiKeys, 5_000)).nodes,
    [api, partner.id],
  );
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [creating, setCreating] = useState(false);
  // One action each: a rotation's Idempotency-Key must not be reused by a revocation.
  const rotation = useAction();
  const revocation = useAction();
  const busy = rotation.busy || revocation.busy;
  const exited = partner.status === 'EXITED';

  const rotate = async (k: Key) => {
    const ok = await confirm({
      title: `Rotate key ${k.prefix}…?`,
      body: 'A new secret replaces this key. The old secret keeps working for the overlap (a day by default), then stops for good.',
      confirmLabel: 'Rotate',
    });
    if (ok === null) return;
    const done = await rotation.run((idem) => api.mutate(ConsoleRotateKeyDocument, { input: { id: k.id, expectedVersion: k.version } }, idem));
    if (done?.rotateApiKey.secret) setSecret({ title: `New secret of key ${done.rotateApiKey.apiKey?.prefix ?? ''}…`, value: done.rotateApiKey.secret });
    keys.reload();
  };
  const revoke = async (k: Key) => {
    const reason = await confirm({
      title: `Revoke key ${k.prefix}…? This cannot be undone.`,
      body: `"${k.label}" stops working at once: every request with it is refused (401 KEY_REVOKED).`,
      confirmLabel: 'Revoke',
      reason: { label: 'Reason (optional)', required: false },
    });
    if (reason === null) return;
    await revocation.run((idem) => api.mutate(ConsoleRevokeKeyDocument, { input: { id: k.id, expectedVersion: k.version, reason: reason || undefined } }, idem));
    keys.reload();
  };

  return (
    <section className="ec-panel" aria-labelledby="ec-keys-title" id="ec-keys">
      <div className="ec-heading">
        <h2 id="ec-keys-title">Keys</h2>
        {!exited && !creating && (
          <button type="button" id="ec-key-create-open" className="ec-primary" onClick={() => setCreating(true)}>
            Create a key
          </button>
        )}
      </div>
      {creating && (
        <CreateKeyForm
          partner={partner}
          onDone={(created) => {
            setCreating(false);
            if (created) {
              setSecret(created);
              keys.reload();
            }
          }}
        />
      )}
      {secret && <SecretOnce title={secret.title} secret={secret.value} onDone={() => setSecret(null)} />}
      <ErrorNote error={rotation.error || revocation.error || keys.error} onReload={keys.reload} />
      {keys.data && keys.data.length === 0 && <p className="ec-empty">No key yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <div className="ec-table-wrap">
          <table className="ec-table ec-cards" id="ec-keys-table">
            <thead>
              <tr>
                <th>Key</th>
                <th>State</th>
                <th>Created</th>
                <th>Expires</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => {
                const state = keyState(k);
                return (
                  <tr key={k.id} data-key-id={k.id} data-state={state}>
                    <td data-label="Key">
                      <code>{k.prefix}…</code> {k.label}
                      {k.rotatedFromId && <span className="ec-sub">rotated from #{k.rotatedFromId}</span>}
                    </td>
                    <td data-label="State">
                      <Badge kind="key" value={state} />
                      {k.revokedAt && (
                        <span className="ec-sub">
                          {dateTime(k.revokedAt)}
                          {k.revokeReason ? ` · ${k.revokeReason}` : ''}
                        </span>
                      )}
                    </td>
                    <td data-label="Created">{dateTime(k.createdAt)}</td>
                    <td data-label="Expires">{orDash(k.expiresAt && dateTime(k.expiresAt))}</td>
                    <td className="ec-row-actions">
                      {state === 'ACTIVE' && (
                        <>
                          <button type="button" data-action="rotate" onClick={() => void rotate(k)} disabled={busy}>
                            Rotate…
                          </button>
                          <button type="button" data-action="revoke" className="ec-danger" onClick={() => void revoke(k)} disabled={busy}>
                            Revoke…
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CreateKeyForm({ partner, onDone }: { partner: PartnerDetail; onDone: (created: { title: string; value: string } | null) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [labelText, setLabel] = useState(`${partner.slug} production`);
  const [expires, setExpires] = useState('');
  const submit = async () => {
    const input = { role: 'PARTNER' as const, partnerId: partner.id, label: labelText.trim() || undefined, expiresAt: expires ? `${expires}T00:00:00Z` : undefined };
    const done = await action.run((k) => api.mutate(ConsoleCreateKeyDocument, { input }, k));
    if (done?.createApiKey.secret) onDone({ title: `Key ${done.createApiKey.apiKey?.prefix ?? ''}… created`, value: done.createApiKey.secret });
  };
  return (
    <form
      className="ec-subform"
      id="ec-key-create-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="ec-grid-form">
        <label className="ec-field">
          <span>Label</span>
          <input name="label" value={labelText} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label className="ec-field">
          <span>Expires (optional, UTC midnight)</span>
          <input type="date" name="expiresAt" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
      </div>
      <ErrorNote error={action.error} />
      <div className="ec-actions">
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="ec-primary" id="ec-key-create" disabled={action.busy}>
          Create the key
        </button>
      </div>
    </form>
  );
}
