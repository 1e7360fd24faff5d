// The page's settings, rendered by the server (src/server/graphiql/page.ts) as an inert
// <script type="application/json" id="eg-config"> element: never executed, only parsed.

export interface Example {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface PageConfig {
  endpoint: string;
  title: string;
  /** Prefix of GraphiQL's own localStorage entries (tabs, history, settings). */
  storageNamespace: string;
  /** The sessionStorage item holding the API key. */
  keyStorageItem: string;
  examples: Example[];
}

function isExample(value: unknown): value is Example {
  const e = value as Partial<Example> | null;
  return typeof e === 'object' && e !== null && typeof e.name === 'string' && typeof e.query === 'string';
}

export function readConfig(doc: Document = document): PageConfig {
  let raw: Partial<PageConfig> = {};
  try {
    raw = JSON.parse(doc.getElementById('eg-config')?.textContent || '{}') as Partial<PageConfig>;
  } catch {
    // a broken config: run with the defaults below
  }
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value ? value : fallback);
  return {
    endpoint: text(raw.endpoint, '/graphql'),
    title: text(raw.title, 'GraphiQL'),
    storageNamespace: text(raw.storageNamespace, 'ecograph'),
    keyStorageItem: text(raw.keyStorageItem, 'ecograph:apiKey'),
    examples: Array.isArray(raw.examples) ? raw.examples.filter(isExample) : [],
  };
}

/** The variables editor's text for an example ('' when it has none). */
export function variablesText(example: Example): string {
  return example.variables ? JSON.stringify(example.variables, null, 2) : '';
}
