// The page's settings, from the inert <script type="application/json" id="ec-config"> element the
// server writes (src/server/console/page.ts), so the bundle itself holds no deployment paths.
export interface ConsoleConfig {
  endpoint: string;
  keyStorageItem: string;
  graphiqlPath: string;
  dashboardPath: string;
}

const DEFAULTS: ConsoleConfig = {
  endpoint: '/graphql',
  keyStorageItem: 'ecograph:consoleKey',
  graphiqlPath: '/graphiql',
  dashboardPath: '/dashboard',
};

export function readConfig(): ConsoleConfig {
  const el = document.getElementById('ec-config');
  try {
    const parsed = JSON.parse(el?.textContent || '{}') as Partial<ConsoleConfig>;
    return { ...DEFAULTS, ...parsed };
  } catch {
    return DEFAULTS;
  }
}
