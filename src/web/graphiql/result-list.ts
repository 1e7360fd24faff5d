// Finds the list a data scientist wants as a table in a GraphQL answer and flattens it into
// columns. No DOM here, so the node tests can import it too.

export interface ResultList {
  /** Where the list sits in `data`, e.g. "partners.nodes" (edges: "serviceOrders.edges.node"). */
  path: string;
  items: unknown[];
}

export interface ResultTable {
  path: string;
  columns: string[];
  rows: unknown[][];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A connection's edges are shown as their nodes. */
function asList(key: string, value: unknown[]): { key: string; items: unknown[] } {
  if (key === 'edges' && value.length > 0 && value.every((e) => isObject(e) && 'node' in e)) {
    return { key: 'edges.node', items: value.map((e) => (e as Json).node) };
  }
  return { key, items: value };
}

/**
 * The first list of objects in document order (a connection's nodes or edges' nodes, or a plain
 * list); failing that, the first list of scalars (e.g. a metric's periods). Lists inside a list's
 * rows are not searched: they stay cells of their row.
 */
export function firstList(data: unknown): ResultList | null {
  let scalars: ResultList | null = null;
  const visit = (value: unknown, path: string[]): ResultList | null => {
    if (!isObject(value)) return null;
    for (const [key, child] of Object.entries(value)) {
      if (Array.isArray(child)) {
        const list = asList(key, child);
        const at = [...path, list.key].join('.');
        if (list.items.some(isObject)) return { path: at, items: list.items };
        if (list.items.length > 0 && !list.items.some(Array.isArray)) scalars ??= { path: at, items: list.items };
        continue;
      }
      const found = visit(child, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  return visit(data, []) ?? scalars;
}

/** Nested objects become dotted columns; lists inside a row stay one cell (shown as JSON). */
function flatten(value: Json, prefix: string, out: Json): Json {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

export function toTable(list: ResultList): ResultTable {
  const flat = list.items.map((item) => (isObject(item) ? flatten(item, '', {}) : { value: item }));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return { path: list.path, columns, rows: flat.map((row) => columns.map((c) => row[c])) };
}

/** The table of an answer's text as GraphiQL shows it (JSON), or null when it has no list. */
export function tableOfResponse(text: string | null | undefined): ResultTable | null {
  if (!text) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null; // GraphiQL also shows plain-text errors in the response pane
  }
  const list = isObject(body) ? firstList(body.data) : null;
  return list ? toTable(list) : null;
}

/** How a cell is shown in the table (the CSV writes the same values). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** "partners.nodes" -> "partners.csv"; "serviceOrders.edges.node" -> "serviceOrders.csv". */
export function csvFileName(path: string): string {
  const root = path.split('.').filter((p) => !['nodes', 'edges', 'node'].includes(p));
  const name = (root.join('-') || 'result').replace(/[^A-Za-z0-9_-]/g, '_');
  return `${name}.csv`;
}
