// The period and category filters: set from the URL (or the data's latest month) once, read at
// every load.
import type { MetricFilter, PartnerCategory } from '../generated/graphql';
import { byId } from './config';
import { monthStr, parseMonth, quarterOf } from './months';
import type { UrlState } from './url-state';

/** One load's period and filter, in the shapes the operations take. */
export interface Filters {
  fromIndex: number;
  toIndex: number;
  category: string;
  fromDate: string;
  /** The first day after the range (operations take `to` exclusive). */
  toDate: string;
  /** The range's last month, as a Date: the settlements panel's month. */
  monthDate: string;
  /** The last whole quarter in the range: the evolution panel's quarter. */
  quarter: string;
  where: MetricFilter | null;
  rangeLabel: string;
}

export interface FilterBar {
  /** Puts the URL's period and category in the inputs; `latest` when the URL has none. */
  restore(url: UrlState, latest: number): void;
  read(): Filters | { error: string };
  /** Hidden in the partner drill-down, where the category does not apply. */
  showCategory(show: boolean): void;
}

/** The default range: the 24 months up to the latest. */
const DEFAULT_MONTHS = 24;

export function createFilterBar(categories: readonly string[], onChange: () => void): FilterBar {
  const form = byId<HTMLFormElement>('ed-filters');
  const fromInput = byId<HTMLInputElement>('ed-from');
  const toInput = byId<HTMLInputElement>('ed-to');
  const categorySelect = byId<HTMLSelectElement>('ed-category');
  const categoryLabel = byId('ed-category-label');
  let restored = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onChange();
  });
  categorySelect.addEventListener('change', () => {
    if (restored) onChange();
  });

  return {
    restore(url, latest) {
      let to = parseMonth(url.to);
      if (to === null) to = latest;
      let from = parseMonth(url.from);
      if (from === null || from > to) from = to - (DEFAULT_MONTHS - 1);
      fromInput.value = monthStr(from);
      toInput.value = monthStr(to);
      const category = url.category ?? '';
      categorySelect.value = categories.includes(category) ? category : '';
      restored = true;
    },
    read() {
      const from = parseMonth(fromInput.value);
      const to = parseMonth(toInput.value);
      if (from === null || to === null) return { error: 'Choose a from and a to month.' };
      if (from > to) return { error: '\u201cFrom\u201d must not be after \u201cTo\u201d.' };
      if (to - from > 119) return { error: 'Choose at most ten years.' };
      const category = categorySelect.value || '';
      return {
        fromIndex: from,
        toIndex: to,
        category,
        fromDate: `${monthStr(from)}-01`,
        toDate: `${monthStr(to + 1)}-01`,
        monthDate: `${monthStr(to)}-01`,
        quarter: quarterOf(to),
        where: category ? { categories: [category as PartnerCategory] } : null,
        rangeLabel: `${monthStr(from)} to ${monthStr(to)} (${to - from + 1} months)`,
      };
    },
    showCategory(show) {
      categoryLabel.hidden = !show;
    },
  };
}
