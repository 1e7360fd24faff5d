// GraphiQL's own state (tabs, history, settings) in localStorage under "<namespace>:", so it
// does not mix with another GraphiQL on the same origin; in memory when storage is blocked.
// The API key is never stored here (see key-bar.ts: sessionStorage only).
import type { GraphiQLProps } from 'graphiql';

export type GraphiqlStorage = NonNullable<GraphiQLProps['storage']>;

function memoryStorage(): GraphiqlStorage {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}

export function namespacedStorage(namespace: string): GraphiqlStorage {
  const prefix = `${namespace}:`;
  let local: globalThis.Storage;
  try {
    local = window.localStorage;
    local.getItem(`${prefix}probe`); // throws when the browser blocks storage
  } catch {
    return memoryStorage();
  }
  const ownKeys = () => Object.keys(local).filter((k) => k.startsWith(prefix));
  return {
    getItem: (k) => local.getItem(prefix + k),
    setItem: (k, v) => local.setItem(prefix + k, v),
    removeItem: (k) => local.removeItem(prefix + k),
    clear: () => ownKeys().forEach((k) => local.removeItem(k)),
    get length() {
      return ownKeys().length;
    },
  };
}
