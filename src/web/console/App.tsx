// The console's shell: the key bar, the navigation, and the screen the URL hash names, shown
// only once the key proved to be an OPERATOR or ADMIN key. <body data-console> says which state
// the page is in (idle, checking, ready, auth-error, role-error, error) for tests and monitors.
import { useEffect, useMemo, useRef, useState } from 'react';
import { readKey, writeKey } from '../lib/key-store';
import { checkAccess, type Access } from './access';
import { createApi } from './api';
import { ConfirmProvider } from './components/Confirm';
import { KeyBar } from './components/KeyBar';
import type { ConsoleConfig } from './config';
import { ConsentPage } from './pages/ConsentPage';
import { LedgerPage } from './pages/LedgerPage';
import { OnboardPage } from './pages/OnboardPage';
import { PartnerPage } from './pages/PartnerPage';
import { PartnersPage } from './pages/PartnersPage';
import { href, useRoute, type Route } from './route';
import { SessionContext, type Session } from './session';

export function App({ config }: { config: ConsoleConfig }) {
  const [key, setKey] = useState(() => readKey(config.keyStorageItem));
  const keyRef = useRef(key);
  keyRef.current = key;
  const api = useMemo(() => createApi(config.endpoint, () => keyRef.current), [config.endpoint]);
  const [access, setAccess] = useState<Access>({ state: key ? 'checking' : 'idle' });
  const route = useRoute();

  useEffect(() => {
    if (!key) {
      setAccess({ state: 'idle' });
      return;
    }
    let current = true;
    setAccess({ state: 'checking' });
    void checkAccess(api).then((a) => current && setAccess(a));
    return () => {
      current = false;
    };
  }, [api, key]);

  useEffect(() => {
    document.body.dataset.console = access.state;
  }, [access.state]);

  const session = useMemo<Session | null>(() => (access.state === 'ready' ? { api, role: access.role, config } : null), [access, api, config]);

  return (
    <ConfirmProvider>
      <header className="ec-top">
        <div className="ec-brand">
          <a href={href('partners')}>Ecograph operator console</a>
        </div>
        <KeyBar
          initialKey={key}
          access={access}
          onKey={(k) => {
            writeKey(config.keyStorageItem, k);
            setKey(k);
          }}
        />
      </header>
      {session ? (
        <SessionContext.Provider value={session}>
          <Nav route={route} />
          {/* Keyed by the key: another key may see other rows, so every screen loads afresh. */}
          <main className="ec-main" id="ec-main" key={key}>
            <Screen route={route} />
          </main>
        </SessionContext.Provider>
      ) : (
        <main className="ec-main ec-welcome" id="ec-main">
          {access.state === 'checking' ? (
            <p role="status">Checking the key…</p>
          ) : (
            <>
              <h1>Partners, agreements, keys and consent</h1>
              <p>
                Paste an <strong>OPERATOR</strong> or <strong>ADMIN</strong> key above. Every screen uses the public GraphQL API at <code>{config.endpoint}</code> with that key.
                Dashboards are at <a href={config.dashboardPath}>{config.dashboardPath}</a>, GraphiQL at <a href={config.graphiqlPath}>{config.graphiqlPath}</a>.
              </p>
            </>
          )}
        </main>
      )}
    </ConfirmProvider>
  );
}

function Nav({ route }: { route: Route }) {
  const item = (to: string, text: string, active: boolean) => (
    <a href={to} aria-current={active ? 'page' : undefined}>
      {text}
    </a>
  );
  return (
    <nav className="ec-nav" aria-label="Console">
      {item(href('partners'), 'Partners', route.page === 'partners' || route.page === 'partner' || route.page === 'ledger')}
      {item(href('onboard'), 'Onboard', route.page === 'onboard')}
      {item(href('consent'), 'Consent', route.page === 'consent')}
    </nav>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case 'partners':
      return <PartnersPage params={route.params} />;
    case 'partner':
      return <PartnerPage key={route.id} id={route.id} params={route.params} />;
    case 'ledger':
      return <LedgerPage key={route.id} partnerId={route.id} />;
    case 'onboard':
      return <OnboardPage gap={route.gap} />;
    case 'consent':
      return <ConsentPage />;
  }
}
