// The page's settings, rendered by the server (src/server/dashboard/page.ts) as inert JSON in
// <script type="application/json" id="ed-config">.
export interface DashboardConfig {
  endpoint: string;
  title: string;
  keyStorageItem: string;
  categories: string[];
}

export function readConfig(): DashboardConfig {
  let raw: Partial<DashboardConfig> = {};
  try {
    raw = JSON.parse(document.getElementById('ed-config')?.textContent || '{}') as Partial<DashboardConfig>;
  } catch {
    // a broken config falls back to the defaults below
  }
  return {
    endpoint: raw.endpoint ?? '/graphql',
    title: raw.title ?? document.title,
    keyStorageItem: raw.keyStorageItem ?? 'ecograph:apiKey',
    categories: Array.isArray(raw.categories) ? raw.categories : [],
  };
}

/** An element the page must have; a missing one is a bug in page.ts, so fail loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}
