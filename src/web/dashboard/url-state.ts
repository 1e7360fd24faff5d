// The view in the URL's query string, so that a link shows the same view: ?from=YYYY-MM&to=YYYY-MM
// &category=<PartnerCategory>&partner=<slug>. Never the key.
export interface UrlState {
  from: string | null;
  to: string | null;
  category: string | null;
  /** The drill-down: a partner's slug. */
  partner: string | null;
}

export function readUrl(): UrlState {
  const params = new URLSearchParams(location.search);
  return { from: params.get('from'), to: params.get('to'), category: params.get('category'), partner: params.get('partner') || null };
}

export function urlFor(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.partner) params.set('partner', state.partner);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.category) params.set('category', state.category);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/**
 * 'push' for a view the user chose (Back returns to the previous one), 'replace' to complete
 * the URL the page was opened with; nothing when the URL already says it.
 */
export function writeUrl(state: UrlState, mode: 'push' | 'replace'): void {
  const next = urlFor(state);
  if (next === `${location.pathname}${location.search}`) return;
  try {
    if (mode === 'push') history.pushState(null, '', next);
    else history.replaceState(null, '', next);
  } catch {
    // not allowed here (e.g. a sandboxed frame): the view still works, only unshared
  }
}
