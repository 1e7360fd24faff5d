// Withdrawing a customer's consent to data sharing, by the id this key sees (an operator's own
// pseudonym of the customer; the real id for an admin). The customer is read first, so the
// screen shows whom it changes and sends the version it read.
import { useState } from 'react';
import type { ConsoleCustomerQuery } from '../../generated/graphql';
import { ConsoleCustomerDocument, ConsoleWithdrawConsentDocument } from '../../generated/graphql';
import { useConfirm } from '../components/Confirm';
import { ErrorNote } from '../components/ErrorNote';
import { label, orDash } from '../format';
import { useAction } from '../hooks';
import { useSession } from '../session';

type Customer = NonNullable<ConsoleCustomerQuery['customer']>;

export function ConsentPage() {
  const { api, role } = useSession();
  const confirm = useConfirm();
  const [id, setId] = useState('');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState(false);
  const lookup = useAction();
  const withdraw = useAction();

  const find = async (customerId: string) => {
    setDone(false);
    setMissing(false);
    withdraw.clear();
    const found = await lookup.run(() => api.query(ConsoleCustomerDocument, { id: customerId }));
    if (found) {
      setCustomer(found.customer);
      setMissing(!found.customer);
    }
  };
  const submit = async (c: Customer) => {
    const ok = await confirm({
      title: `Withdraw the consent of customer ${c.id}?`,
      body: 'Every partner stops seeing this customer on its very next request. Only the customer can give consent again, through the platform’s consent system.',
      confirmLabel: 'Withdraw consent',
    });
    if (ok === null || !c.id) return;
    const result = await withdraw.run((k) => api.mutate(ConsoleWithdrawConsentDocument, { input: { customerId: c.id!, expectedVersion: c.version, consentDataSharing: false } }, k));
    if (result?.setCustomerConsent.customer) {
      setCustomer({ ...c, ...result.setCustomerConsent.customer });
      setDone(true);
    }
  };

  return (
    <section aria-labelledby="ec-consent-title">
      <h1 id="ec-consent-title">Withdraw a customer's consent</h1>
      <p>
        Name the customer by the id {role === 'ADMIN' ? 'of the database (an admin key sees real ids)' : 'your key sees: your own pseudonym of the customer'}, as the consent system keeps it.
      </p>
      <form
        className="ec-filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) void find(id.trim());
        }}
      >
        <label className="ec-field ec-grow">
          <span>Customer id</span>
          <input id="ec-customer-id" value={id} onChange={(e) => setId(e.target.value)} required spellCheck={false} />
        </label>
        <button type="submit" id="ec-customer-find" disabled={lookup.busy}>
          Look up
        </button>
      </form>
      <ErrorNote error={lookup.error} />
      {missing && (
        <p className="ec-error" role="alert">
          NOT_FOUND: no customer {id} for this key.
        </p>
      )}
      {customer && (
        <div className="ec-panel" id="ec-customer" data-consent={String(customer.consentDataSharing)}>
          <dl className="ec-facts">
            <dt>Id</dt>
            <dd>{customer.id}</dd>
            <dt>City</dt>
            <dd>{orDash(customer.city)}</dd>
            <dt>Age band</dt>
            <dd>{orDash(customer.ageBand)}</dd>
            <dt>Membership</dt>
            <dd>{label(customer.membershipLevel)}</dd>
            <dt>Consent to data sharing</dt>
            <dd>{customer.consentDataSharing ? 'Given' : 'Withdrawn'}</dd>
          </dl>
          {done && (
            <p className="ec-notice" role="status" id="ec-consent-done">
              Consent withdrawn: partners no longer see this customer.
            </p>
          )}
          <ErrorNote error={withdraw.error} onReload={() => void find(customer.id ?? id)} />
          {customer.consentDataSharing && (
            <button type="button" className="ec-danger" id="ec-consent-withdraw" onClick={() => void submit(customer)} disabled={withdraw.busy}>
              Withdraw consent…
            </button>
          )}
        </div>
      )}
    </section>
  );
}
