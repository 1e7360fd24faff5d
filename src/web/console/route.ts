// Routing by URL hash (#/partners/12), so the server serves one page at /console whatever the
// screen, reloading keeps the screen, and the browser's back button works.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'partners'; params: URLSearchParams }
  | { page: 'partner'; id: string; params: URLSearchParams }
  | { page: 'ledger'; id: string }
  | { page: 'onboard'; gap: string | null }
  | { page: 'consent' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts[0] === 'partners' && parts[1]) return parts[2] === 'ledger' ? { page: 'ledger', id: parts[1] } : { page: 'partner', id: parts[1], params };
  if (parts[0] === 'onboard') return { page: 'onboard', gap: parts[1] ?? null };
  if (parts[0] === 'consent') return { page: 'consent' };
  return { page: 'partners', params };
}

/** The hash of a screen, e.g. href('partners', '12') === '#/partners/12'. */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function withParams(base: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
