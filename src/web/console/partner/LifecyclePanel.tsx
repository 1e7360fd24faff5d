// Suspend, reinstate, exit. Each sends the partner's version as read, so a change made meanwhile
// (by another operator or the monthly tiers) is refused with CONFLICT instead of overridden.
// Exit cannot be undone (agreements end, keys are revoked), so it is confirmed; suspension is
// undone by reinstatement and asks only for the reason the status history records.
import type { PartnerStatusInput } from '../../generated/graphql';
import { ConsoleExitPartnerDocument, ConsoleReinstatePartnerDocument, ConsoleSuspendPartnerDocument } from '../../generated/graphql';
import { useConfirm } from '../components/Confirm';
import { ErrorNote } from '../components/ErrorNote';
import { useAction } from '../hooks';
import type { PartnerDetail } from '../pages/PartnerPage';
import { useSession } from '../session';

export function LifecyclePanel({ partner, onChanged }: { partner: PartnerDetail; onChanged: () => void }) {
  const { api } = useSession();
  const confirm = useConfirm();
  const action = useAction();
  if (partner.status === 'EXITED') return null;

  const input = (reason: string): PartnerStatusInput => ({ id: partner.id, expectedVersion: partner.version, reason });
  const suspend = async () => {
    const reason = await confirm({ title: `Suspend ${partner.name}?`, body: 'It keeps its keys and catalogue but reads no customer data until reinstated.', confirmLabel: 'Suspend', reason: { label: 'Reason', required: true } });
    if (reason === null) return;
    if (await action.run((k) => api.mutate(ConsoleSuspendPartnerDocument, { input: input(reason) }, k))) onChanged();
  };
  const reinstate = async () => {
    const reason = await confirm({ title: `Reinstate ${partner.name}?`, body: 'It reads what its agreement grants again on its next request.', confirmLabel: 'Reinstate', reason: { label: 'Reason', required: true } });
    if (reason === null) return;
    if (await action.run((k) => api.mutate(ConsoleReinstatePartnerDocument, { input: input(reason) }, k))) onChanged();
  };
  const exit = async () => {
    const reason = await confirm({
      title: `Exit ${partner.name}? This cannot be undone.`,
      body: 'Its agreements end today, every key of the partner is revoked, and it gets no new keys or agreements. To work with it again it must be onboarded as a new partner.',
      confirmLabel: 'Exit the partner',
      reason: { label: 'Reason', required: true },
    });
    if (reason === null) return;
    if (await action.run((k) => api.mutate(ConsoleExitPartnerDocument, { input: input(reason) }, k))) onChanged();
  };

  return (
    <section className="ec-panel" aria-labelledby="ec-lifecycle-title">
      <h2 id="ec-lifecycle-title">Lifecycle</h2>
      <div className="ec-actions">
        {partner.status === 'ACTIVE' && (
          <button type="button" id="ec-suspend" onClick={() => void suspend()} disabled={action.busy}>
            Suspend
          </button>
        )}
        {partner.status === 'SUSPENDED' && (
          <button type="button" id="ec-reinstate" onClick={() => void reinstate()} disabled={action.busy}>
            Reinstate
          </button>
        )}
        <button type="button" id="ec-exit" className="ec-danger" onClick={() => void exit()} disabled={action.busy}>
          Exit…
        </button>
      </div>
      <ErrorNote error={action.error} onReload={onChanged} />
    </section>
  );
}
