// What every screen needs: the API bound to the current key, the key's role and the settings.
import { createContext, useContext } from 'react';
import type { ConsoleRole } from './access';
import type { Api } from './api';
import type { ConsoleConfig } from './config';

export interface Session {
  api: Api;
  role: ConsoleRole;
  config: ConsoleConfig;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the console shell');
  return session;
}
