// A partner's agreements with their versions (an amendment is a new version that supersedes the
// one before), and the forms to sign, amend and terminate. Each write is confirmed first: an
// agreement in the history is never deleted, only ended.
import { useState } from 'react';
import type { ConsoleAgreementFieldsFragment } from '../../generated/graphql';
import { ConsoleAmendAgreementDocument, ConsoleSignAgreementDocument, ConsoleTerminateAgreementDocument } from '../../generated/graphql';
import { Badge } from '../components/Badge';
import { useConfirm } from '../components/Confirm';
import { ErrorNote } from '../components/ErrorNote';
import { label, orDash, today } from '../format';
import { useAction } from '../hooks';
import type { PartnerDetail } from '../pages/PartnerPage';
import { useSession } from '../session';
import { amendInput, changedTerms, draftOf, EMPTY_DRAFT, rateField, signInput, type AgreementDraft } from './agreement-draft';
import { AgreementFields } from './AgreementForm';

type Agreement = ConsoleAgreementFieldsFragment;

export function agreementState(a: Agreement, day = today()): 'IN_FORCE' | 'FUTURE' | 'ENDED' | 'TERMINATED' {
  if (a.validFrom > day) return 'FUTURE';
  if (a.validTo !== null && a.validTo < day) return a.terminationReason ? 'TERMINATED' : 'ENDED';
  return 'IN_FORCE';
}

function terms(a: Agreement): string {
  const rate = a[rateField(a.settlementModel)];
  return `${label(a.pricingModel)} ${a.price} CNY · ${label(a.settlementModel)} ${orDash(rate)} · ${label(a.dataTier)} data · SLA ${a.slaResponseMinutes} min${a.exclusive ? ' · exclusive' : ''}`;
}

export function AgreementsPanel({ partner, onChanged }: { partner: PartnerDetail; onChanged: () => void }) {
  const [form, setForm] = useState<{ mode: 'sign' } | { mode: 'amend'; agreement: Agreement } | null>(null);
  const { api } = useSession();
  const confirm = useConfirm();
  const terminate = useAction();
  const agreements = partner.agreements.nodes;
  const canWrite = partner.status !== 'EXITED';

  const end = async (a: Agreement) => {
    const reason = await confirm({
      title: `Terminate agreement ${a.id}?`,
      body: `It ends today (${today()}): the partner's data tier, quotas and settlement stop with it. A terminated agreement cannot be resumed; sign a new one instead.`,
      confirmLabel: 'Terminate',
      reason: { label: 'Reason', required: true },
    });
    if (reason === null) return;
    const done = await terminate.run((k) => api.mutate(ConsoleTerminateAgreementDocument, { input: { id: a.id, expectedVersion: a.version, reason } }, k));
    if (done) onChanged();
  };

  return (
    <section className="ec-panel" aria-labelledby="ec-agreements-title" id="ec-agreements">
      <div className="ec-heading">
        <h2 id="ec-agreements-title">Agreements</h2>
        {canWrite && !form && (
          <button type="button" id="ec-sign-open" className="ec-primary" onClick={() => setForm({ mode: 'sign' })}>
            Sign an agreement
          </button>
        )}
      </div>
      {form && (
        <AgreementEditor
          key={form.mode === 'amend' ? form.agreement.id : 'sign'}
          partner={partner}
          amend={form.mode === 'amend' ? form.agreement : null}
          onDone={(changed) => {
            setForm(null);
            if (changed) onChanged();
          }}
        />
      )}
      <ErrorNote error={terminate.error} onReload={onChanged} />
      {agreements.length === 0 ? (
        <p className="ec-empty">No agreement yet.</p>
      ) : (
        <div className="ec-table-wrap">
          <table className="ec-table ec-cards">
            <thead>
              <tr>
                <th>Agreement</th>
                <th>Valid</th>
                <th>State</th>
                <th>Terms</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {agreements.map((a) => {
                const state = agreementState(a);
                return (
                  <tr key={a.id} data-agreement-id={a.id} data-state={state}>
                    <td data-label="Agreement">
                      #{a.id} <span className="ec-sub">v{a.version}{a.supersedesId ? ` · amends #${a.supersedesId}` : ''}</span>
                    </td>
                    <td data-label="Valid">
                      {a.validFrom} → {a.validTo ?? 'open'}
                    </td>
                    <td data-label="State">
                      <Badge kind="agreement" value={state} />
                      {a.terminationReason && <span className="ec-sub">{a.terminationReason}</span>}
                    </td>
                    <td data-label="Terms">{terms(a)}</td>
                    <td className="ec-row-actions">
                      {canWrite && (state === 'IN_FORCE' || state === 'FUTURE') && (
                        <>
                          <button type="button" data-action="amend" onClick={() => setForm({ mode: 'amend', agreement: a })}>
                            Amend
                          </button>
                          <button type="button" data-action="terminate" className="ec-danger" onClick={() => void end(a)} disabled={terminate.busy}>
                            Terminate…
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

function AgreementEditor({ partner, amend, onDone }: { partner: PartnerDetail; amend: Agreement | null; onDone: (changed: boolean) => void }) {
  const { api } = useSession();
  const confirm = useConfirm();
  const action = useAction();
  const [draft, setDraft] = useState<AgreementDraft>(amend ? draftOf(amend) : EMPTY_DRAFT);
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState('');

  const submit = async () => {
    if (amend) {
      const input = amendInput(amend, draft, from);
      const changed = changedTerms(input);
      const ok = await confirm({
        title: `Amend agreement ${amend.id} from ${from}?`,
        body: changed.length ? `A new version with ${changed.join(', ')} changed starts ${from}; the current one ends the day before. Versions stay in the history.` : 'No term changed: the new version copies every term.',
        confirmLabel: 'Amend',
      });
      if (ok === null) return;
      if (await action.run((k) => api.mutate(ConsoleAmendAgreementDocument, { input }, k))) onDone(true);
    } else {
      const ok = await confirm({
        title: `Sign an agreement with ${partner.name}?`,
        body: `In force from ${from}${to ? ` to ${to}` : ''}. A signed agreement stays in the history: it can be amended or terminated, not deleted.`,
        confirmLabel: 'Sign',
      });
      if (ok === null) return;
      if (await action.run((k) => api.mutate(ConsoleSignAgreementDocument, { input: signInput(partner.id, draft, from, to) }, k))) onDone(true);
    }
  };

  return (
    <form
      className="ec-subform"
      id={amend ? 'ec-amend-form' : 'ec-sign-form'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{amend ? `Amend agreement #${amend.id} (version ${amend.version})` : 'New agreement'}</h3>
      <AgreementFields draft={draft} onChange={setDraft} />
      <div className="ec-grid-form">
        <label className="ec-field">
          <span>{amend ? 'Effective from' : 'Valid from'}</span>
          <input type="date" name="validFrom" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        {!amend && (
          <label className="ec-field">
            <span>Valid to (optional)</span>
            <input type="date" name="validTo" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        )}
      </div>
      <ErrorNote error={action.error} onReload={() => onDone(true)} />
      <div className="ec-actions">
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" className="ec-primary" disabled={action.busy}>
          {amend ? 'Amend…' : 'Sign…'}
        </button>
      </div>
    </form>
  );
}
