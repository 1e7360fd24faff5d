// What a panel loader gets: the API, its panel registry and the way to open a partner's page.
import type { Filters } from '../filters';
import type { Gql } from '../gql';
import type { Panels } from '../panels';

export interface PanelContext {
  gql: Gql;
  panels: Panels;
  /** The partner drill-down, for links from the panels. */
  partnerHref(slug: string): string;
  openPartner(slug: string): void;
}

export type PanelLoader = (ctx: PanelContext, f: Filters) => Promise<void>;

/** " · Capability complement", or nothing without a category. */
export function categorySuffix(f: Filters, humanize: (k: string) => string): string {
  return f.category ? ` \u00b7 ${humanize(f.category)}` : '';
}
