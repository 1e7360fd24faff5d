// Loads the reference data transcribed from the source documents: partners (reference = true),
// collaboration cases with their KPIs, report indicators. Every row is upserted on its natural
// key and only rewritten when a value differs, so running it twice changes and duplicates nothing:
//   partner            slug              (status, quality_tier and joined_on of an existing row are kept)
//   collaboration_case slug
//   case_kpi           (case_id, name)
//   report_indicator   (slug, year)
// Nothing is deleted: a row removed from the data files stays in the database.
import type { ClientBase } from 'pg';
import { referenceCases, referenceIndicators } from './cases.data';
import { referencePartners } from './partners.data';
import type { ReferenceCase, ReferenceIndicator, ReferencePartner } from './reference.types';

/** joined_on of reference partners created by the seed: two years before the synthetic window. */
export const REFERENCE_JOINED_ON = '2022-11-01';

export interface ReferenceData {
  partners: readonly ReferencePartner[];
  cases: readonly ReferenceCase[];
  indicators: readonly ReferenceIndicator[];
}

export const referenceData: ReferenceData = {
  partners: referencePartners,
  cases: referenceCases,
  indicators: referenceIndicators,
};

export interface ReferenceLoadReport {
  /** Rows in the data files. */
  partners: number;
  cases: number;
  kpis: number;
  indicators: number;
  /** Rows inserted or changed by this run (0 on a second run). */
  written: number;
}

function checkUnique<T>(items: readonly T[], key: (item: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new Error(`duplicate ${what} in the reference data: ${k}`);
    seen.add(k);
  }
}

/** Upserts all reference data in one transaction on `client`. */
export async function loadReference(client: ClientBase, data: ReferenceData = referenceData): Promise<ReferenceLoadReport> {
  checkUnique(data.partners, (p) => p.slug, 'partner slug');
  checkUnique(data.cases, (c) => c.slug, 'case slug');
  for (const c of data.cases) checkUnique(c.kpis, (k) => k.name, `KPI name of case ${c.slug}`);
  checkUnique(data.indicators, (i) => `${i.slug}@${i.year}`, 'indicator (slug, year)');

  const partners = data.partners.map((p, ord) => ({
    ord,
    slug: p.slug,
    name: p.name,
    name_en: p.nameEn,
    category: p.category,
    industry: p.industry,
    service_types: p.serviceTypes,
    cities: p.cities,
    api_openness: p.apiOpenness,
    description: p.description,
  }));
  const cases = data.cases.map((c, ord) => ({
    ord,
    slug: c.slug,
    title: c.title,
    title_en: c.titleEn,
    parties: c.parties,
    industries: c.industries,
    model: c.model,
    year: c.year,
    summary: c.summary,
    success_factors: c.successFactors,
    risks: c.risks,
  }));
  let ordinal = 0;
  const kpis = data.cases.flatMap((c) =>
    c.kpis.map((k) => ({
      ord: ordinal++,
      case_slug: c.slug,
      name: k.name,
      family: k.family,
      unit: k.unit,
      value_before: k.valueBefore,
      value_after: k.valueAfter,
      reported_change_pct: k.reportedChangePct,
      period: k.period,
      source: k.source,
    })),
  );
  const indicators = data.indicators.map((i, ord) => ({
    ord,
    slug: i.slug,
    name: i.name,
    unit: i.unit,
    year: i.year,
    value: i.value,
    kind: i.kind,
    source: i.source,
  }));

  await client.query('BEGIN');
  try {
    let written = 0;
    const p = await client.query(
      `INSERT INTO partner (slug, name, name_en, category, industry, service_types, cities, api_openness, description, joined_on, reference)
       SELECT slug, name, name_en, category, industry, service_types, cities, api_openness, description, $2::date, true
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, slug text, name text, name_en text, category text, industry text,
            service_types text[], cities text[], api_openness text, description text)
       ORDER BY ord
       ON CONFLICT (slug) DO UPDATE SET
         name = EXCLUDED.name, name_en = EXCLUDED.name_en, category = EXCLUDED.category, industry = EXCLUDED.industry,
         service_types = EXCLUDED.service_types, cities = EXCLUDED.cities, api_openness = EXCLUDED.api_openness,
         description = EXCLUDED.description, reference = true
       WHERE (partner.name, partner.name_en, partner.category, partner.industry, partner.service_types, partner.cities,
              partner.api_openness, partner.description, partner.reference)
         IS DISTINCT FROM
             (EXCLUDED.name, EXCLUDED.name_en, EXCLUDED.category, EXCLUDED.industry, EXCLUDED.service_types, EXCLUDED.cities,
              EXCLUDED.api_openness, EXCLUDED.description, true)`,
      [JSON.stringify(partners), REFERENCE_JOINED_ON],
    );
    written += p.rowCount ?? 0;

    const c = await client.query(
      `INSERT INTO collaboration_case (slug, title, title_en, parties, industries, model, year, summary, success_factors, risks)
       SELECT slug, title, title_en, parties, industries, model, year, summary, success_factors, risks
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, slug text, title text, title_en text, parties text[], industries text[],
            model text, year int, summary text, success_factors text[], risks text[])
       ORDER BY ord
       ON CONFLICT (slug) DO UPDATE SET
         title = EXCLUDED.title, title_en = EXCLUDED.title_en, parties = EXCLUDED.parties, industries = EXCLUDED.industries,
         model = EXCLUDED.model, year = EXCLUDED.year, summary = EXCLUDED.summary,
         success_factors = EXCLUDED.success_factors, risks = EXCLUDED.risks
       WHERE (collaboration_case.title, collaboration_case.title_en, collaboration_case.parties, collaboration_case.industries,
              collaboration_case.model, collaboration_case.year, collaboration_case.summary,
              collaboration_case.success_factors, collaboration_case.risks)
         IS DISTINCT FROM
             (EXCLUDED.title, EXCLUDED.title_en, EXCLUDED.parties, EXCLUDED.industries, EXCLUDED.model, EXCLUDED.year,
              EXCLUDED.summary, EXCLUDED.success_factors, EXCLUDED.risks)`,
      [JSON.stringify(cases)],
    );
    written += c.rowCount ?? 0;

    const k = await client.query(
      `INSERT INTO case_kpi (case_id, name, family, unit, value_before, value_after, reported_change_pct, period, source)
       SELECT cc.id, x.name, x.family, x.unit, x.value_before, x.value_after, x.reported_change_pct, x.period, x.source
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, case_slug text, name text, family text, unit text, value_before numeric,
            value_after numeric, reported_change_pct numeric, period text, source text)
       JOIN collaboration_case cc ON cc.slug = x.case_slug
       ORDER BY x.ord
       ON CONFLICT (case_id, name) DO UPDATE SET
         family = EXCLUDED.family, unit = EXCLUDED.unit, value_before = EXCLUDED.value_before, value_after = EXCLUDED.value_after,
         reported_change_pct = EXCLUDED.reported_change_pct, period = EXCLUDED.period, source = EXCLUDED.source
       WHERE (case_kpi.family, case_kpi.unit, case_kpi.value_before, case_kpi.value_after, case_kpi.reported_change_pct,
              case_kpi.period, case_kpi.source)
         IS DISTINCT FROM
             (EXCLUDED.family, EXCLUDED.unit, EXCLUDED.value_before, EXCLUDED.value_after, EXCLUDED.reported_change_pct,
              EXCLUDED.period, EXCLUDED.source)`,
      [JSON.stringify(kpis)],
    );
    written += k.rowCount ?? 0;

    const i = await client.query(
      `INSERT INTO report_indicator (slug, name, unit, year, value, kind, source)
       SELECT slug, name, unit, year, value, kind, source
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, slug text, name text, unit text, year int, value numeric, kind text, source text)
       ORDER BY ord
       ON CONFLICT (slug, year) DO UPDATE SET
         name = EXCLUDED.name, unit = EXCLUDED.unit, value = EXCLUDED.value, kind = EXCLUDED.kind, source = EXCLUDED.source
       WHERE (report_indicator.name, report_indicator.unit, report_indicator.value, report_indicator.kind, report_indicator.source)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.unit, EXCLUDED.value, EXCLUDED.kind, EXCLUDED.source)`,
      [JSON.stringify(indicators)],
    );
    written += i.rowCount ?? 0;

    await client.query('COMMIT');
    return { partners: partners.length, cases: cases.length, kpis: kpis.length, indicators: indicators.length, written };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
